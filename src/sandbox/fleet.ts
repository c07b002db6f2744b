/**
 * The sandbox fleet: a small set of projects in `test` and `prod`, seeded through AWS APIs with metric
 * profiles and a few deliberate faults, plus the matching .fractary files.
 */
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleConfigPath, PATHS } from '../config/load.js';
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
  throttlePct?: number;
  durationMs: number;
  alarm?: 'ALARM' | 'OK';
}

export const SANDBOX_LAMBDAS: LambdaProfile[] = [
  { name: 'orders-api-handler', project: 'orders', env: 'test', rate: 120, errorPct: 0.2, durationMs: 180 },
  { name: 'orders-worker', project: 'orders', env: 'test', rate: 60, errorPct: 7.5, durationMs: 420 },
  { name: 'checkout-fn', project: 'checkout', env: 'test', rate: 40, errorPct: 0.1, durationMs: 250, alarm: 'ALARM' },
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
  await s.putMetrics('AWS/Lambda', [
    { metricName: 'Invocations', dimensions: dims, points: series(start, now, step, (_, i) => inv(i)), unit: 'Count' },
    { metricName: 'Errors', dimensions: dims, points: series(start, now, step, (_, i) => Math.round((inv(i) * p.errorPct) / 100)), unit: 'Count' },
    { metricName: 'Throttles', dimensions: dims, points: series(start, now, step, (_, i) => Math.round((inv(i) * (p.throttlePct ?? 0)) / 100)), unit: 'Count' },
    { metricName: 'Duration', dimensions: dims, points: series(start, now, step, (_, i) => p.durationMs * (1 + 0.05 * Math.cos(i / 3))), unit: 'Milliseconds' },
  ]);
  if (p.alarm) {
    await s.putAlarm(`${p.name}-errors`, { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: dims, threshold: 5, state: p.alarm, reason: p.alarm === 'ALARM' ? 'Threshold Crossed: 1 datapoint [9.0] was greater than or equal to the threshold (5.0)' : 'ok' });
  }
  return arn;
}

/** Seeds the sandbox fleet and writes a .fractary tree for it under `dir`. Returns the .fractary path. */
export async function seedSandbox(s: Seeder, dir: string, now: number): Promise<string> {
  const arns = new Map<string, string>();
  for (const p of SANDBOX_LAMBDAS) arns.set(p.name, await seedLambdaProfile(s, p, now));
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
    dep('orders-test-42', 'test', 'orders', '1.4.2', now - 40 * 60_000, [
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
      test: { region: s.region, account_id: '123456789012', protected: false, endpoint_url: s.endpoint, description: 'sandbox test (local emulator)' },
      prod: { region: s.region, account_id: '123456789012', protected: true, endpoint_url: s.endpoint, description: 'sandbox prod (local emulator)' },
    },
  });
  writeJsonAtomic(join(fractary, PATHS.credentials), { profiles: { sandbox: { account_id: '123456789012', description: 'local emulator; keys come from the environment' } } });
  mkdirSync(join(fractary, PATHS.pluginDir), { recursive: true });
  copyFileSync(exampleConfigPath(), join(fractary, PATHS.monitoring));
  return fractary;
}
