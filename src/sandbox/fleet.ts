/**
 * The sandbox fleet: a small set of projects in `test` and `prod`, seeded through AWS APIs with metric
 * profiles and a few deliberate faults, plus the matching .fractary files.
 */
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleConfigPath, PATHS } from '../config/load.js';
import { seedSandboxAccount } from './account.js';
import { series, Seeder } from './seed.js';
import { writeJsonAtomic } from '../store/atomic.js';
import type { Deployment } from '../config/schemas.js';

export interface LambdaProfile {
  name: string;
  project: string;
  env: 'test' | 'prod';
  /** Invocations per minute. */
  rate: number;
  errorPct: number;
  /** The errors start this long before `now` (a fault since a deploy); before that, `baselineErrorPct` (0). */
  errorsForMs?: number;
  baselineErrorPct?: number;
  throttlePct?: number;
  durationMs: number;
  alarm?: 'ALARM' | 'OK';
  /** The alarm's metric (default Errors, threshold 5, with a fixed reason); others state their last datapoint. */
  alarmOn?: 'Errors' | 'Throttles';
}

/** How long ago orders 1.4.2 reached `test`: orders-worker has failed since. */
const DEPLOY_AGE_MS = 40 * 60_000;

export const SANDBOX_LAMBDAS: LambdaProfile[] = [
  { name: 'orders-api-handler', project: 'orders', env: 'test', rate: 120, errorPct: 0.2, durationMs: 180 },
  // The demo's main fault: failing since deploy orders-test-42 (DEPLOY_AGE_MS ago), with a new exception in its logs.
  { name: 'orders-worker', project: 'orders', env: 'test', rate: 60, errorPct: 9, errorsForMs: DEPLOY_AGE_MS, baselineErrorPct: 0.2, durationMs: 420 },
  // Throttled at its concurrency limit, and its throttle alarm says so.
  { name: 'checkout-fn', project: 'checkout', env: 'test', rate: 40, errorPct: 0.1, throttlePct: 5, durationMs: 250, alarm: 'ALARM', alarmOn: 'Throttles' },
  { name: 'orders-api-handler-prod', project: 'orders', env: 'prod', rate: 900, errorPct: 0.05, durationMs: 150 },
  { name: 'orders-worker-prod', project: 'orders', env: 'prod', rate: 300, errorPct: 0.8, durationMs: 380 },
  { name: 'checkout-fn-prod', project: 'checkout', env: 'prod', rate: 200, errorPct: 0.02, throttlePct: 0, durationMs: 210, alarm: 'OK' },
];

export async function seedLambdaProfile(s: Seeder, p: LambdaProfile, now: number, windowMs = 3600_000): Promise<string> {
  const arn = await s.createFunction(p.name, { env: { PROJECT: p.project } });
  const start = now - windowMs;
  const step = 60_000;
  const dims = { FunctionName: p.name };
  const inv = (i: number) => Math.round(p.rate * (1 + 0.1 * Math.sin(i / 5)));
  const points = {
    Errors: series(start, now, step, (t, i) => Math.round((inv(i) * errorPctAt(p, t, now)) / 100)),
    Throttles: series(start, now, step, (_, i) => Math.round((inv(i) * (p.throttlePct ?? 0)) / 100)),
  };
  await s.putMetrics('AWS/Lambda', [
    { metricName: 'Invocations', dimensions: dims, points: series(start, now, step, (_, i) => inv(i)), unit: 'Count' },
    { metricName: 'Errors', dimensions: dims, points: points.Errors, unit: 'Count' },
    { metricName: 'Throttles', dimensions: dims, points: points.Throttles, unit: 'Count' },
    { metricName: 'Duration', dimensions: dims, points: series(start, now, step, (_, i) => p.durationMs * (1 + 0.05 * Math.cos(i / 3))), unit: 'Milliseconds' },
  ]);
  if (p.alarm && p.alarmOn) {
    const threshold = 1;
    const last = points[p.alarmOn].at(-1)?.v ?? 0;
    const reason = p.alarm === 'ALARM' ? `Threshold Crossed: 1 datapoint [${last.toFixed(1)}] was greater than or equal to the threshold (${threshold.toFixed(1)})` : `Threshold Crossed: 1 datapoint [${last.toFixed(1)}] was not greater than or equal to the threshold (${threshold.toFixed(1)})`;
    await s.putAlarm(`${p.name}-${p.alarmOn.toLowerCase()}`, { namespace: 'AWS/Lambda', metricName: p.alarmOn, dimensions: dims, threshold, state: p.alarm, reason });
  } else if (p.alarm) {
    await s.putAlarm(`${p.name}-errors`, { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: dims, threshold: 5, state: p.alarm, reason: p.alarm === 'ALARM' ? 'Threshold Crossed: 1 datapoint [9.0] was greater than or equal to the threshold (5.0)' : 'ok' });
  }
  return arn;
}

function errorPctAt(p: LambdaProfile, t: number, now: number): number {
  return p.errorsForMs === undefined || t >= now - p.errorsForMs ? p.errorPct : (p.baselineErrorPct ?? 0);
}

/**
 * A Lambda function's log for the hour before `now`, one invocation every 30 s: START, an INFO line, END and
 * REPORT, as Lambda writes them; while the profile errors (errorsForMs), every third invocation throws the exception below.
 */
export function lambdaLog(p: LambdaProfile, now: number, windowMs = 3600_000): { t: number; message: string }[] {
  const out: { t: number; message: string }[] = [];
  let n = 0;
  for (let t = now - windowMs; t < now - 1000; t += 30_000) {
    const id = requestId(p.name, n++);
    const failing = p.errorsForMs !== undefined && t >= now - p.errorsForMs && n % 3 === 0;
    out.push({ t, message: `START RequestId: ${id} Version: $LATEST` });
    if (failing) {
      const err = { errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'sku')", stack: ["TypeError: Cannot read properties of undefined (reading 'sku')", '    at reserveStock (/var/task/stock.js:27:31)', '    at handler (/var/task/index.js:14:9)'] };
      out.push({ t: t + 4, message: `${new Date(t + 4).toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(err)}` });
    } else {
      out.push({ t: t + 4, message: `${new Date(t + 4).toISOString()}\t${id}\tINFO\torder ${(n * 7919) % 9973} processed in ${Math.round(p.durationMs * 0.9)} ms` });
    }
    out.push({ t: t + 9, message: `END RequestId: ${id}` });
    out.push({ t: t + 10, message: `REPORT RequestId: ${id}\tDuration: ${p.durationMs.toFixed(2)} ms\tBilled Duration: ${p.durationMs} ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB` });
  }
  return out;
}

/** A stable request id per function and invocation (logs read the same on every run). */
function requestId(name: string, n: number): string {
  let h = 2166136261;
  for (const c of `${name}#${n}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, '0') + (Math.imul(h, 2654435761) >>> 0).toString(16).padStart(8, '0')).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Seeds the sandbox fleet and account (security, compliance, cost) and writes a .fractary tree for it under
 * `dir`, whose environments reach AWS at `endpoint` (moto, or the demo's proxy in front of it). Returns the
 * .fractary path.
 */
export async function seedSandbox(s: Seeder, dir: string, now: number, endpoint = s.endpoint): Promise<string> {
  const arns = new Map<string, string>();
  for (const p of SANDBOX_LAMBDAS) arns.set(p.name, await seedLambdaProfile(s, p, now));
  for (const p of SANDBOX_LAMBDAS.filter((x) => x.env === 'test')) await s.putLogEvents(`/aws/lambda/${p.name}`, `${new Date(now).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]sandbox`, lambdaLog(p, now));
  const dbArn = await s.createDbInstance('orders-db', { parameterGroup: 'orders-db-params' });
  const start = now - 3600_000;
  await s.putMetrics('AWS/RDS', [
    { metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: series(start, now, 60_000, (_, i) => 35 + (i % 7)), unit: 'Percent' },
    { metricName: 'DatabaseConnections', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: series(start, now, 60_000, () => 42), unit: 'Count' },
    { metricName: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: series(start, now, 60_000, () => 15 * 1024 ** 3), unit: 'Bytes' },
  ]);
  await s.putMetrics('AWS/RDS', [
    { metricName: 'ReadLatency', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: series(start, now, 60_000, () => 0.004), unit: 'Seconds' },
    { metricName: 'WriteLatency', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: series(start, now, 60_000, () => 0.006), unit: 'Seconds' },
  ]);
  await s.createEcsService('orders', 'orders-web', { desired: 2 });
  await seedSandboxAccount(s, now);
  await s.putMetrics('AWS/ECS', [
    { metricName: 'CPUUtilization', dimensions: { ClusterName: 'orders', ServiceName: 'orders-web' }, points: series(start, now, 60_000, (_, i) => 30 + (i % 5)), unit: 'Percent' },
    { metricName: 'MemoryUtilization', dimensions: { ClusterName: 'orders', ServiceName: 'orders-web' }, points: series(start, now, 60_000, () => 55), unit: 'Percent' },
  ]);
  const fractary = join(dir, '.fractary');
  const dep = (id: string, env: 'test' | 'prod', project: string, version: string, at: number, resources: Deployment['resources']): Deployment => ({
    id,
    environment: env,
    project,
    version,
    deployed_at: new Date(at).toISOString(),
    region: s.region,
    resources,
  });
  const lambdas = (env: 'test' | 'prod', project: string) =>
    SANDBOX_LAMBDAS.filter((p) => p.env === env && p.project === project).map((p) => ({ type: 'lambda' as const, name: p.name, arn: arns.get(p.name) }));
  const deployments: Deployment[] = [
    dep('orders-test-41', 'test', 'orders', '1.4.1', now - 86400_000, lambdas('test', 'orders')),
    dep('orders-test-42', 'test', 'orders', '1.4.2', now - DEPLOY_AGE_MS, [
      ...lambdas('test', 'orders'),
      { type: 'rds', name: 'orders-db', arn: dbArn },
      { type: 'ecs_service', name: 'orders-web', cluster: 'orders' },
    ]),
    dep('checkout-test-7', 'test', 'checkout', '0.7.0', now - 2 * 86400_000, lambdas('test', 'checkout')),
    dep('orders-prod-40', 'prod', 'orders', '1.4.0', now - 3 * 86400_000, lambdas('prod', 'orders')),
    dep('checkout-prod-6', 'prod', 'checkout', '0.6.3', now - 5 * 86400_000, lambdas('prod', 'checkout')),
  ];
  writeJsonAtomic(join(fractary, PATHS.registry), { version: 1, deployments });
  writeJsonAtomic(join(fractary, PATHS.environments), {
    environments: {
      test: { region: s.region, account_id: '123456789012', protected: false, endpoint_url: endpoint, description: 'sandbox test (local emulator)' },
      prod: { region: s.region, account_id: '123456789012', protected: true, endpoint_url: endpoint, description: 'sandbox prod (local emulator)' },
    },
  });
  writeJsonAtomic(join(fractary, PATHS.credentials), { profiles: { sandbox: { account_id: '123456789012', description: 'local emulator; keys come from the environment' } } });
  mkdirSync(join(fractary, PATHS.pluginDir), { recursive: true });
  copyFileSync(exampleConfigPath(), join(fractary, PATHS.monitoring));
  return fractary;
}
