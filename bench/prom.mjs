#!/usr/bin/env node
/**
 * bench:prom — `helm-cloud health` on PromQL SLOs (3 SLOs per service: an error ratio, good/total latency and
 * bad/total errors) against the real Prometheus with backfilled history, side by side in one run with a shell
 * loop that queries each service, expression and window separately with curl (the way a per-service script
 * does it). Prints HTTP requests and wall time for both, per fleet size. Not a test: numbers only.
 *
 * PROM_BENCH_SIZES (default "20,200") sets the fleets; PROM_BENCH_RUNS (default 3) the helm-cloud repetitions
 * (median shown). The loop runs once per size, over every service.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startPromStack } = await import(join(root, 'dist/sandbox/prometheus.js'));
const { countersOpenMetrics, serviceCounters } = await import(join(root, 'dist/sandbox/prometheus-history.js'));
const { evaluationWindows } = await import(join(root, 'dist/core/promql-slo.js'));
const { windowLabel } = await import(join(root, 'dist/core/burn-rate.js'));

const SIZES = (process.env.PROM_BENCH_SIZES ?? '20,200').split(',').map(Number);
const RUNS = Number(process.env.PROM_BENCH_RUNS ?? 3);
const WINDOWS = evaluationWindows(3600_000).map(windowLabel);

// The same three SLOs for both sides: helm-cloud aggregates by service; the loop selects one service at a time.
const SLOS = `[[slos.prometheus]]
name = "availability"
error_ratio = 'sum by (service) (rate(http_requests_total{code="500"}[{{window}}])) / sum by (service) (rate(http_requests_total[{{window}}]))'
objective = 99.9

[[slos.prometheus]]
name = "latency"
good = 'rate(http_requests_fast_total[{{window}}])'
total = 'rate(http_requests_total[{{window}}])'
objective = 99.0

[[slos.prometheus]]
name = "errors"
bad = 'rate(http_requests_total{code="500"}[{{window}}])'
total = 'rate(http_requests_total[{{window}}])'
objective = 99.5
`;
const perService = (svc) => [
  `sum(rate(http_requests_total{code="500",service="${svc}"}[W])) / sum(rate(http_requests_total{service="${svc}"}[W]))`,
  `sum(rate(http_requests_fast_total{service="${svc}"}[W]))`,
  `sum(rate(http_requests_total{service="${svc}"}[W]))`,
  `sum(rate(http_requests_total{code="500",service="${svc}"}[W]))`,
  `sum(rate(http_requests_total{service="${svc}"}[W]))`,
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const run = (cmd, args, opts) =>
  new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => resolve({ code, out, err, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });

const rows = [];
for (const n of SIZES) {
  const end = Math.floor(Date.now() / 60_000) * 60;
  const services = Array.from({ length: n }, (_, i) => ({
    service: `svc-${String(i).padStart(4, '0')}`,
    rps: 1 + (i % 7),
    errorRatio: (age) => (i % 25 === 0 && age < 7200 ? 0.05 : 0.0002),
    slowRatio: () => 0.002,
  }));
  const t0 = Date.now();
  const om = countersOpenMetrics(serviceCounters(services), { endSec: end });
  const stack = await startPromStack({ openmetrics: om, timeoutMs: 120_000, interval: '15s' });
  const seedMs = Date.now() - t0;
  const project = mkdtempSync(join(tmpdir(), 'helm-cloud-bench-prom-'));
  try {
    const d = join(project, '.fractary');
    for (const p of ['registry', 'shared', 'plugins/helm-cloud']) mkdirSync(join(d, p), { recursive: true });
    writeFileSync(join(d, 'registry/deployments.json'), '{"version":1,"deployments":[]}');
    writeFileSync(join(d, 'shared/environments.json'), JSON.stringify({ environments: { bench: { region: 'us-east-1', prometheus_url: stack.promUrl } } }));
    writeFileSync(join(d, 'plugins/helm-cloud/monitoring.toml'), SLOS);

    const times = [];
    let report;
    for (let i = 0; i < RUNS; i++) {
      const r = await run(process.execPath, [join(root, 'bin/helm-cloud.js'), 'health', '--env', 'bench', '-o', 'json'], { cwd: project, env: { ...process.env, PROMETHEUS_URL: '' } });
      if (r.code !== 3 && r.code !== 1 && r.code !== 0) throw new Error(`health failed (${r.code}): ${r.err}`);
      times.push(r.ms);
      report = JSON.parse(r.out);
    }
    const prom = report.resources.filter((x) => x.type === 'prometheus');
    const unhealthy = prom.filter((x) => x.verdict === 'UNHEALTHY').length;
    const helmRequests = report.apiCalls.byOperation['prometheus:POST /api/v1/query'];

    // The loop: one curl per service, expression and window, at the same evaluation time.
    const at = String(Math.floor(Date.now() / 1000));
    const lines = ['set -e'];
    for (const s of services) for (const e of perService(s.service)) for (const w of WINDOWS) {
      lines.push(`curl -sf -o /dev/null -G --data-urlencode 'query=${e.replaceAll('W', w).replaceAll("'", "'\\''")}' --data-urlencode time=${at} ${stack.promUrl}/api/v1/query`);
    }
    const script = join(project, 'loop.sh');
    writeFileSync(script, lines.join('\n') + '\n');
    const loop = await run('bash', [script], {});
    if (loop.code !== 0) throw new Error(`loop failed: ${loop.err}`);
    rows.push({ n, seedMs, helmMs: median(times), helmRequests, loopMs: loop.ms, loopRequests: lines.length - 1, unhealthy, services: prom.length });
  } finally {
    await stack.stop();
    rmSync(project, { recursive: true, force: true });
  }
}

const cpu = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
console.log(`bench:prom — health on 3 PromQL SLOs per service, Prometheus 2.42 with backfilled history (${cpu} cores, windows ${WINDOWS.join(' ')})`);
console.log('');
console.log('services  helm-cloud requests  helm-cloud wall (median of ' + RUNS + ')  curl-loop requests  curl-loop wall  speed-up  unhealthy found');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(8)}  ${String(r.helmRequests).padStart(19)}  ${(r.helmMs / 1000).toFixed(2).padStart(22)} s  ${String(r.loopRequests).padStart(18)}  ${(r.loopMs / 1000).toFixed(2).padStart(12)} s  ${(r.loopMs / r.helmMs).toFixed(1).padStart(7)}×  ${r.unhealthy}/${r.services} (expected ${Math.ceil(r.n / 25)})`,
  );
}
console.log('');
console.log('helm-cloud wall time is the whole CLI run (node start, config, report files); the loop only fetches.');
