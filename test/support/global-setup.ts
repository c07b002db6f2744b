/**
 * Starts one moto server per test worker (the pool has two) on free loopback ports and hands their
 * endpoints to the workers. Stopped when the run ends.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.js';

const WORKERS = 2;
let servers: MotoServer[] = [];
let ledger = '';
let gitBefore: string | undefined;

/** Tracked or unignored files the checkout shows as changed; undefined outside a git checkout. */
function gitStatus(): string | undefined {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

export async function setup(project: TestProject): Promise<void> {
  gitBefore = gitStatus();
  servers = await Promise.all(Array.from({ length: WORKERS }, () => startMoto({ timeoutMs: 60_000 })));
  project.provide('motoEndpoints', servers.map((s) => s.endpoint));
  // The reliability suite's ledger for this run; the summary reporter reads it at the end.
  ledger = join(tmpdir(), `helm-cloud-reliability-${process.pid}-${Date.now()}.jsonl`);
  process.env.HELM_CLOUD_RELIABILITY_LEDGER = ledger;
  project.provide('reliabilityLedger', ledger);
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
  // Tests write only to temp folders and ignored paths: on a clean checkout (CI's clean clone; a developer's
  // committed state) a run that leaves anything for git to see fails. A checkout already dirty at the start is
  // being edited, so its changes say nothing about the tests.
  const after = gitStatus();
  if (gitBefore === '' && after !== undefined && after !== '') {
    const changed = after.split('\n').filter(Boolean);
    throw new Error(`the test run changed the checkout (write to a temp folder, or add the path to .gitignore):\n${changed.join('\n')}`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
    reliabilityLedger: string;
  }
}
