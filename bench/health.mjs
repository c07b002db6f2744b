#!/usr/bin/env node
/**
 * bench:health — `helm-cloud health` over 500 seeded Lambda functions against moto, side by side with the
 * seed's old way: a shell loop calling `aws cloudwatch get-metric-statistics` once per function and metric,
 * against the same endpoint. Prints API calls and wall time for both and the ratio. Not a test: numbers only.
 *
 * HEALTH_BENCH_FUNCTIONS (default 500) sets the fleet; HEALTH_BENCH_LOOP_SAMPLE (default 50) how many functions
 * the shell loop really runs; its time is extrapolated linearly to the fleet (each call is independent).
 * HEALTH_BENCH_POINTS (default 1) datapoints per metric in the hour; HEALTH_BENCH_TRACE=1 logs each GetMetricData.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startMoto } = await import(join(root, 'dist/sandbox/moto.js'));
const { startFaultProxy } = await import(join(root, 'dist/sandbox/fault-proxy.js'));
const { Seeder, series } = await import(join(root, 'dist/sandbox/seed.js'));

const N = Number(process.env.HEALTH_BENCH_FUNCTIONS ?? 500);
const SAMPLE = Math.min(N, Number(process.env.HEALTH_BENCH_LOOP_SAMPLE ?? 50));
// Datapoints per metric over the hour. moto's GetMetricData rescans every stored datapoint for each query and
// each period bucket, so its cost grows with fleet × points × buckets; 1 keeps the emulator from dominating.
const POINTS = Number(process.env.HEALTH_BENCH_POINTS ?? 1);
const STEP = 3600_000 / POINTS;
const METRICS = [
  ['Invocations', 'Sum'],
  ['Errors', 'Sum'],
  ['Throttles', 'Sum'],
  ['Duration', 'Average'], // get-metric-statistics' way to a latency figure; p95 would need --extended-statistics
];
const awsBin = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
Object.assign(process.env, env);

const moto = await startMoto({ timeoutMs: 60_000 });
const proxy = await startFaultProxy(moto.endpoint);
try {
  // ---- seed ------------------------------------------------------------------------------------------
  const t0 = Date.now();
  const s = new Seeder({ endpoint: moto.endpoint });
  const names = Array.from({ length: N }, (_, i) => `bench-fn-${String(i).padStart(4, '0')}`);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const start = now - 3600_000;
  await s.lambdaRole(); // once, before the parallel creates race to make it
  for (let i = 0; i < names.length; i += 25) await Promise.all(names.slice(i, i + 25).map((n) => s.createFunction(n)));
  const batch = [];
  for (const [i, n] of names.entries()) {
    const d = { FunctionName: n };
    const inv = 100 + (i % 7);
    batch.push(
      { metricName: 'Invocations', dimensions: d, points: series(start, now, STEP, () => inv), unit: 'Count' },
      { metricName: 'Errors', dimensions: d, points: series(start, now, STEP, () => (i % 50 === 0 ? 9 : 0)), unit: 'Count' },
      { metricName: 'Throttles', dimensions: d, points: series(start, now, STEP, () => 0), unit: 'Count' },
      { metricName: 'Duration', dimensions: d, points: series(start, now, STEP, () => 180 + (i % 40)), unit: 'Milliseconds' },
    );
  }
  await s.putMetrics('AWS/Lambda', batch);
  s.destroy();
  const seedMs = Date.now() - t0;

  const project = join(mkdtempSync(join(tmpdir(), 'helm-bench-')), 'project');
  const put = (rel, data) => {
    mkdirSync(dirname(join(project, '.fractary', rel)), { recursive: true });
    writeFileSync(join(project, '.fractary', rel), JSON.stringify(data));
  };
  put('shared/environments.json', { environments: { bench: { region: 'us-east-1', account_id: '123456789012', endpoint_url: proxy.endpoint } } });
  put('registry/deployments.json', {
    version: 1,
    deployments: [{ id: 'bench-1', environment: 'bench', project: 'bench', version: '1.0.0', deployed_at: new Date(now - 86400_000).toISOString(), region: 'us-east-1', resources: names.map((name) => ({ type: 'lambda', name })) }],
  });

  // ---- helm-cloud health -------------------------------------------------------------------------------
  proxy.resetCalls();
  if (process.env.HEALTH_BENCH_TRACE) proxy.addRule({ service: 'cloudwatch', operation: 'GetMetricData', when: (c) => { const b = JSON.parse(c.body.toString()); console.error(`GetMetricData queries=${b.MetricDataQueries.length} stats=${[...new Set(b.MetricDataQueries.map((q) => q.MetricStat.Stat))]} range=${(b.EndTime - b.StartTime) / 3600}h token=${Boolean(b.NextToken)}`); return false; } });
  const h0 = process.hrtime.bigint();
  const out = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/helm-cloud.js'), 'health', '--env', 'bench', '--output', 'json'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
  const healthMs = Number(process.hrtime.bigint() - h0) / 1e6;
  const report = JSON.parse(out.stdout);
  const healthCalls = proxy.calls();
  const healthTotal = Object.values(healthCalls).reduce((a, b) => a + b, 0);

  // ---- the old way: one get-metric-statistics per function and metric ----------------------------------
  const version = spawnSync(awsBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const script = join(project, 'loop.sh');
  writeFileSync(
    script,
    `#!/bin/sh\nset -e\nfor fn in ${names.slice(0, SAMPLE).join(' ')}; do\n` +
      METRICS.map(([m, stat]) => `  "${awsBin}" cloudwatch get-metric-statistics --endpoint-url "${proxy.endpoint}" --namespace AWS/Lambda --metric-name ${m} --dimensions Name=FunctionName,Value="$fn" --statistics ${stat} --start-time ${new Date(start).toISOString()} --end-time ${new Date(now).toISOString()} --period 3600 --output json >/dev/null`).join('\n') +
      `\ndone\n`,
  );
  proxy.resetCalls();
  const l0 = process.hrtime.bigint();
  // Async: the counting proxy lives in this process, so a blocking spawn would starve it.
  const loop = await new Promise((resolve, reject) => {
    const child = spawn('sh', [script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
  const loopSampleMs = Number(process.hrtime.bigint() - l0) / 1e6;
  if (loop.status !== 0) throw new Error(`shell loop failed: ${loop.stderr.slice(0, 500)}`);
  const loopSampleCalls = proxy.count('cloudwatch');
  const loopCalls = (loopSampleCalls / SAMPLE) * N;
  const loopMs = (loopSampleMs / SAMPLE) * N;

  const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
  const rows = [
    ['', 'API calls', 'GetMetricData / get-metric-statistics', 'wall time'],
    ['helm-cloud health', String(healthTotal), String(healthCalls['cloudwatch:GetMetricData'] ?? 0), fmt(healthMs)],
    [`shell loop (${SAMPLE} measured → ${N})`, String(Math.round(loopCalls)), String(Math.round(loopCalls)), fmt(loopMs)],
  ];
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`bench:health — ${N} Lambda functions in moto, ${POINTS} datapoint(s) per metric in the last hour (seeded in ${fmt(seedMs)}); node ${process.version}`);
  console.log(`shell loop: ${awsBin} (${version}), ${METRICS.length} calls per function; measured over ${SAMPLE} functions in ${fmt(loopSampleMs)} (${loopSampleCalls} calls) and extrapolated linearly to ${N}`);
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
  console.log('');
  console.log(`health calls by operation: ${JSON.stringify(healthCalls)}`);
  console.log(`metric queries: ${report.apiCalls.metricQueries}; minimum GetMetricData calls for them: ${report.apiCalls.minimumMetricCalls}; made: ${healthCalls['cloudwatch:GetMetricData'] ?? 0}` +
    ((healthCalls['cloudwatch:GetMetricData'] ?? 0) > report.apiCalls.minimumMetricCalls ? ' (the rest: moto answers percentile queries with HTTP 500, which the SDK retries up to 4 attempts, and two single-query probes tell a failing statistic from a failing query; HEALTH_BENCH_TRACE=1 lists every call)' : ''));
  console.log(`health verdict: ${report.verdict} (${report.summary}); exit ${out.code}`);
  const why = {};
  for (const r of report.resources) for (const x of r.slos) if (x.verdict === 'UNKNOWN') why[`${x.key}: ${x.reason}`] = (why[`${x.key}: ${x.reason}`] ?? 0) + 1;
  for (const [k, n] of Object.entries(why)) console.log(`  UNKNOWN ×${n}  ${k.slice(0, 160)}`);
  console.log(`wall time ratio (loop / health): ${(loopMs / healthMs).toFixed(1)}×; API call ratio: ${(loopCalls / healthTotal).toFixed(1)}×`);
} finally {
  await proxy.stop();
  await moto.stop();
}
