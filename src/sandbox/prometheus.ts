/**
 * Prometheus + Alertmanager lifecycle for the test harness, the demo and bench:prom: the real Debian servers on
 * free loopback ports, each run in a temporary folder, with deterministic history backfilled by
 * `promtool tsdb create-blocks-from openmetrics` before Prometheus starts. Binaries come from PATH or
 * HELM_CLOUD_PROMETHEUS / HELM_CLOUD_ALERTMANAGER / HELM_CLOUD_PROMTOOL (scripts/substrates/prometheus.sh installs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmError } from '../errors.js';
import { freePort } from './moto.js';

export interface PromStack {
  promUrl: string;
  amUrl: string;
  /** A loopback port nothing listens on: a scrape target that is always down. */
  deadPort: number;
  dir: string;
  processes: ChildProcess[];
  stop(): Promise<void>;
}

export interface PromStackOptions {
  /** Prometheus rule file (YAML). Default: a target-down alert, an always-firing alert, a recording rule. */
  rules?: string;
  /** OpenMetrics text (ending in `# EOF`) backfilled as blocks before start. */
  openmetrics?: string;
  /** Rule and scrape interval (default 1s: alerts reach Alertmanager within seconds). */
  interval?: string;
  timeoutMs?: number;
  /** Add a remote-read endpoint that is down: every query then succeeds with a warning (a partial answer). */
  deadRemoteRead?: boolean;
}

export const DEFAULT_RULES = `groups:
  - name: helm-cloud-sandbox
    interval: 1s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: TargetDown
        expr: up == 0
        for: 0s
        labels: {severity: critical}
        annotations: {summary: "Target {{ $labels.instance }} is down"}
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: warning, team: platform}
        annotations: {summary: "Always-firing sandbox alert"}
      - alert: PendingForever
        expr: vector(1)
        for: 1h
        labels: {severity: info}
`;

export function binary(name: 'prometheus' | 'prometheus-alertmanager' | 'promtool'): string {
  const env = { prometheus: 'HELM_CLOUD_PROMETHEUS', 'prometheus-alertmanager': 'HELM_CLOUD_ALERTMANAGER', promtool: 'HELM_CLOUD_PROMTOOL' }[name];
  return process.env[env] || name;
}

const missing = (bin: string, e: Error) =>
  new HelmError('config', `cannot run "${bin}": ${e.message}`, {
    fix: 'install Prometheus, Alertmanager and promtool: bash scripts/substrates/prometheus.sh test (or apt-get install prometheus prometheus-alertmanager)',
  });

async function waitReady(url: string, child: ChildProcess, log: () => string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new HelmError('config', `${url} exited with ${child.exitCode} before it was ready: ${log().split('\n').filter(Boolean).slice(-2).join(' | ')}`);
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new HelmError('config', `${url} was not ready in time: ${log().split('\n').filter(Boolean).slice(-2).join(' | ')}`);
}

function launch(bin: string, args: string[]): { child: ChildProcess; log: () => string; started: Promise<Error | undefined> } {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr?.on('data', (d: Buffer) => (text = (text + d.toString()).slice(-8000)));
  const started = new Promise<Error | undefined>((r) => {
    child.once('error', (e) => r(e));
    child.once('spawn', () => r(undefined));
  });
  return { child, log: () => text, started };
}

/** Writes the blocks for `openmetrics` into `dataDir` (promtool). */
export function backfill(openmetrics: string, dataDir: string, work: string): void {
  const file = join(work, 'history.om');
  writeFileSync(file, openmetrics.endsWith('# EOF\n') ? openmetrics : `${openmetrics.replace(/\n?$/, '\n')}# EOF\n`);
  const r = spawnSync(binary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw missing(binary('promtool'), r.error);
  if (r.status !== 0) throw new HelmError('internal', `promtool backfill failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  rmSync(file, { force: true });
}

export async function startPromStack(opts: PromStackOptions = {}): Promise<PromStack> {
  const dir = mkdtempSync(join(tmpdir(), 'helm-cloud-prom-'));
  const interval = opts.interval ?? '1s';
  const [promPort, amPort, deadPort] = [await freePort(), await freePort(), await freePort()];
  const data = join(dir, 'data');
  const amData = join(dir, 'amdata');
  mkdirSync(data);
  mkdirSync(amData);
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: "null"\n  group_by: [alertname]\n  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: "null"\n');
  writeFileSync(join(dir, 'rules.yml'), opts.rules ?? DEFAULT_RULES);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: ${interval}\n  evaluation_interval: ${interval}\n${opts.deadRemoteRead ? `remote_read:\n  - url: http://127.0.0.1:${deadPort}/read\n    read_recent: true\n` : ''}alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:${amPort}']\nrule_files:\n  - rules.yml\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{targets: ['127.0.0.1:${promPort}']}]\n  - job_name: down\n    static_configs: [{targets: ['127.0.0.1:${deadPort}']}]\n`,
  );
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      processes.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (opts.openmetrics) backfill(opts.openmetrics, data, dir);
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    const am = launch(binary('prometheus-alertmanager'), [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${amData}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    processes.push(am.child);
    const prom = launch(binary('prometheus'), [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      // Backfilled blocks are old: without a long retention Prometheus deletes them at start.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-admin-api',
      '--web.enable-lifecycle',
      // Without it the first notification to Alertmanager is dropped and resent only after a minute.
      '--rules.alert.resend-delay=1s',
    ]);
    processes.push(prom.child);
    for (const p of [am, prom]) {
      const err = await p.started;
      if (err) throw missing(p === am ? binary('prometheus-alertmanager') : binary('prometheus'), err);
    }
    const amUrl = `http://127.0.0.1:${amPort}`;
    const promUrl = `http://127.0.0.1:${promPort}`;
    await waitReady(amUrl, am.child, am.log, deadline);
    await waitReady(promUrl, prom.child, prom.log, deadline);
    return { promUrl, amUrl, deadPort, dir, processes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
