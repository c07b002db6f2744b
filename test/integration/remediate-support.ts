/** Shared setup for the remediate integration tests: a project on this worker's moto, SDK clients to read state back. */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { environmentsFor, makeProject, moto, registryWith, runCli, type CliResult } from '../support/index.js';

export const cfg = () => ({ region: 'us-east-1', endpoint: moto(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });

export interface Res {
  type: string;
  name: string;
  [k: string]: unknown;
}

export function project(resources: Res[], opts: { endpoint?: string; monitoring?: string; files?: Record<string, object | string> } = {}): string {
  return makeProject({
    'shared/environments.json': environmentsFor(opts.endpoint ?? moto()),
    'registry/deployments.json': registryWith([
      { env: 'test', project: 'orders', resources },
      { env: 'prod', project: 'orders', resources },
    ]),
    ...(opts.monitoring ? { 'plugins/helm-cloud/monitoring.toml': opts.monitoring } : {}),
    ...(opts.files ?? {}),
  });
}

export interface RemediateJson {
  verdict: string;
  exitCode: number;
  summary: string;
  request: { text: string | null; source: string; reading: string };
  action: string;
  target: string;
  safety: { level: string; reason: string; protected: boolean };
  steps: { step: string; status: string; detail: string }[];
  plan: { changes: { field: string; from: unknown; to: unknown }[]; blastRadius: string; reversible: boolean; undo: string; permissions: string[]; warnings: string[] } | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  verification: { ok: boolean; status: string; detail: string } | null;
  log: { path: string; line: number } | null;
  issue: { id: string; status: string; proposed: string[]; escalation?: string } | null;
  runbook: { summary: string; steps: string[]; cli: string[]; console: string } | null;
}

export async function remediate(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult & { r: RemediateJson }> {
  const res = await runCli(['remediate', ...args, '--output', 'json'], { cwd: dir, env });
  let r: RemediateJson;
  try {
    r = JSON.parse(res.stdout) as RemediateJson;
  } catch {
    r = undefined as unknown as RemediateJson;
  }
  return Object.assign(res, { r });
}

export function logLines(dir: string): Record<string, unknown>[] {
  const p = join(dir, '.fractary/plugins/helm-cloud/actions.jsonl');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function fixture(name: string): { status: number; headers: Record<string, string>; body: string } {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'wire', name), 'utf8'));
}
