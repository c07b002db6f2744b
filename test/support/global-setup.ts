/**
 * Starts one moto server per test worker (the pool has two) on free loopback ports and hands their
 * endpoints to the workers. Stopped when the run ends.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.js';

const WORKERS = 2;
let servers: MotoServer[] = [];
let ledger = '';

export async function setup(project: TestProject): Promise<void> {
  servers = await Promise.all(Array.from({ length: WORKERS }, () => startMoto({ timeoutMs: 60_000 })));
  project.provide('motoEndpoints', servers.map((s) => s.endpoint));
  // The reliability suite's ledger for this run; the summary reporter reads it at the end.
  ledger = join(tmpdir(), `helm-cloud-reliability-${process.pid}-${Date.now()}.jsonl`);
  process.env.HELM_CLOUD_RELIABILITY_LEDGER = ledger;
  project.provide('reliabilityLedger', ledger);
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
    reliabilityLedger: string;
  }
}
