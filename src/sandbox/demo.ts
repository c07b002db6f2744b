/**
 * `helm-cloud demo` / `npm run demo`: starts moto behind the sandbox proxy, seeds the sandbox fleet and account,
 * writes a throw-away .fractary, and runs `health --env test` against it, so a newcomer sees real output in one
 * command. The proxy (./fault-proxy.ts) answers what moto cannot: percentile statistics, computed from the
 * datapoints moto holds (./percentiles.ts), and the operations moto lacks, from ./wire (./not-in-moto.ts).
 * The closing line is read from the health run's own saved report, so it says what the table above it says.
 *
 * Exit: 0 when the demo ran (health's own code, 3 for the deliberate faults, is in the closing line: `npm run
 * demo` would otherwise end on npm's "command failed"); with --keep, 0 on Ctrl-C, or 4 when the emulator stops
 * on its own (the sandbox's AWS endpoint is gone).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageDir, PATHS } from '../config/load.js';
import type { Io } from '../io.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { seedSandbox } from './fleet.js';
import { startMoto, type MotoServer } from './moto.js';
import { notInMotoRules } from './not-in-moto.js';
import { percentilesFromData } from './percentiles.js';
import { startDemoPrometheus } from './demo-prometheus.js';
import type { PromStack } from './prometheus.js';
import { Seeder } from './seed.js';

/** Exit code of `demo --keep` when the emulator stops by itself. */
export const EMULATOR_GONE = 4;

/** The commands `--keep` suggests, each showing a real result on the sandbox. */
export const SUGGESTED = [
  'health --env prod',
  'investigate "errors in orders worker" --env test',
  'remediate --action restart_lambda --target orders-worker --env test --dry-run',
  'audit --type all --env test',
  'dashboard',
];
/** Suggested too when the Prometheus part runs. */
export const SUGGESTED_PROMETHEUS = `prometheus query 'sum by (service) (rate(http_requests_total{code="500"}[5m])) / sum by (service) (rate(http_requests_total[5m]))'`;

interface HealthReport {
  verdict: string;
  summary: string;
  exitCode: number;
  resources: { type: string; name: string; verdict: string; reasons: string[] }[];
}

const MEANING: Record<number, string> = { 0: 'healthy', 1: 'degraded or unknown', 3: 'unhealthy', 4: 'AWS access problem' };

/** The health run's report, found through the status file that run wrote. */
function savedReport(fractary: string, env: string): HealthReport {
  const status = JSON.parse(readFileSync(join(fractary, PATHS.helmStatus, 'infra.json'), 'utf8')) as { environments?: Record<string, { report?: string }> };
  const rel = status.environments?.[env]?.report;
  if (!rel) throw new Error(`the status file names no report for ${env}`);
  return JSON.parse(readFileSync(join(fractary, rel), 'utf8')) as HealthReport;
}

/** What health found, from its report: the verdict and summary it printed, then each resource that is not healthy. */
export function closingLines(code: number, report: HealthReport): string[] {
  const lines = [`health exited ${code} (${MEANING[code] ?? 'see --help'}): ${report.verdict}, ${report.summary}.`];
  const found = report.resources.filter((r) => r.verdict !== 'HEALTHY');
  if (found.length) {
    lines.push('What it found in the sandbox (its faults are deliberate):');
    for (const r of found) lines.push(`  ${r.type}/${r.name} ${r.verdict}: ${r.reasons[0] ?? 'no reason given'}`);
  }
  return lines;
}

export async function runDemo(opts: { dir: string; port?: number; keep: boolean; cwd: string }, io: Io): Promise<number> {
  const dir = resolve(opts.cwd, opts.dir);
  io.err(`starting the AWS emulator (moto)…`);
  const moto = await startMoto({ port: opts.port });
  let proxy: FaultProxy | undefined;
  let prom: PromStack | undefined;
  // The sandbox uses fake keys and the local endpoint only.
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  try {
    proxy = await startFaultProxy(moto.endpoint);
    proxy.addRule(percentilesFromData(moto.endpoint));
    for (const r of notInMotoRules()) proxy.addRule(r);
    rmSync(dir, { recursive: true, force: true });
    const seeder = new Seeder({ endpoint: moto.endpoint });
    io.err(`seeding a sandbox fleet, its logs, findings, config rules and costs at ${moto.endpoint}…`);
    const fractary = await seedSandbox(seeder, dir, Date.now(), proxy.endpoint);
    seeder.destroy();
    io.err('starting Prometheus with backfilled history (PromQL SLOs)…');
    prom = await startDemoPrometheus(dir, io, Date.now());
    io.err(`sandbox project: ${fractary}\n`);
    const { run } = await import('../commands/program.js');
    io.err('$ helm-cloud health --env test');
    const code = await run(['health', '--env', 'test', '--root', dir, '--output', io.stdoutIsTTY ? 'table' : 'markdown'], io, opts.cwd);
    io.err('');
    try {
      for (const l of closingLines(code, savedReport(fractary, 'test'))) io.err(l);
    } catch (e) {
      io.err(`health exited ${code} (${MEANING[code] ?? 'see --help'}); its saved report could not be read: ${(e as Error).message}`);
    }
    if (!opts.keep) return 0;
    return await keep(moto, proxy, dir, io, prom ? [...SUGGESTED, SUGGESTED_PROMETHEUS] : SUGGESTED);
  } finally {
    await prom?.stop();
    await proxy?.stop();
    await moto.stop();
  }
}

/** `w` as one POSIX shell word (pasted commands must survive paths with spaces). */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Leaves the sandbox up until Ctrl-C; says so, and exits EMULATOR_GONE, when the emulator stops on its own. */
async function keep(moto: MotoServer, proxy: FaultProxy, dir: string, io: Io, commands: string[]): Promise<number> {
  const cli = `node ${shellWord(join(packageDir(), 'bin', 'helm-cloud.js'))}`;
  io.err(`\nThe sandbox keeps running: AWS emulator at ${moto.endpoint} (pid ${moto.process.pid}), reached through ${proxy.endpoint}. Ctrl-C stops it. Try, in another shell:`);
  io.err(`  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing`);
  for (const c of commands) io.err(`  ${cli} ${c} --root ${shellWord(dir)}`);
  let interrupted = false;
  const outcome = await new Promise<{ stopped: true } | { died: string }>((done) => {
    const stop = () => {
      interrupted = true;
      done({ stopped: true });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    moto.process.once('exit', (exitCode, signal) => {
      // Ctrl-C reaches the emulator too (same process group): that is a stop, not a death.
      setTimeout(() => {
        if (interrupted) return;
        const how = signal ? `killed by ${signal}` : `exited with code ${exitCode}`;
        const tail = moto.stderrTail();
        done({ died: `${how}${tail ? `: ${tail}` : ''}` });
      }, 300);
    });
  });
  if ('died' in outcome) {
    io.err(`error: the AWS emulator (moto) stopped on its own (${outcome.died}); the sandbox at ${dir} no longer answers. Run the demo again to start a new one.`);
    return EMULATOR_GONE;
  }
  return 0;
}
