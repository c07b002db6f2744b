/**
 * Starts one moto server per test worker (the pool has two) on free loopback ports and hands their
 * endpoints to the workers. Stopped when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.js';

const WORKERS = 2;
let servers: MotoServer[] = [];

export async function setup(project: TestProject): Promise<void> {
  servers = await Promise.all(Array.from({ length: WORKERS }, () => startMoto({ timeoutMs: 60_000 })));
  project.provide('motoEndpoints', servers.map((s) => s.endpoint));
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
  }
}
