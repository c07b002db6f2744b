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
  // Tests write only to temp folders and ignored paths. On a checkout that was clean at the start (CI's clean
  // clone; main) a run that leaves anything for git to see fails under CI / .ci/run; elsewhere the developer may
  // be editing while the suite runs, so it is a warning naming the paths.
  const after = gitStatus();
  if (gitBefore === '' && after !== undefined && after !== '') {
    const changed = after.split('\n').filter(Boolean);
    const message = `the test run changed the checkout (write to a temp folder, or add the path to .gitignore):\n${changed.join('\n')}`;
    if (process.env.CI || process.env.HELM_CLOUD_REQUIRE_CLEAN) throw new Error(message);
    process.stderr.write(`warning: ${message}\n(files you edited during the run are listed too)\n`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
    reliabilityLedger: string;
  }
}
