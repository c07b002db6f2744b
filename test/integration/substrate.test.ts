/**
 * The test substrate itself: seeding through real AWS APIs into moto and reading back through the product's
 * adapters, and the fault proxy's call counting and fault injection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudWatch } from '../../src/aws/cloudwatch.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import { AwsProvider } from '../../src/aws/provider.js';
import { moto, Seeder, series, startFaultProxy, type FaultProxy } from '../support/index.js';

const now = Date.now() - 120_000;
let seeder: Seeder;

beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  await seeder.createFunction('api-fn', { memory: 256, env: { STAGE: 'test' } });
  await seeder.putMetrics('AWS/Lambda', [
    { metricName: 'Invocations', dimensions: { FunctionName: 'api-fn' }, points: series(now - 600_000, now, 60_000, () => 100) },
    { metricName: 'Errors', dimensions: { FunctionName: 'api-fn' }, points: series(now - 600_000, now, 60_000, (_, i) => i) },
  ]);
  await seeder.putAlarm('api-fn-errors', { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'api-fn' }, state: 'ALARM' });
});
afterAll(() => seeder.destroy());

const provider = (endpoint = moto()) => new AwsProvider({ region: 'us-east-1', endpoint, maxAttempts: 1 });

describe('seeded data reads back through the adapters', () => {
  it('GetMetricData returns the seeded sums in one call', async () => {
    const r = await cloudWatch(provider()).getMetricData(
      [
        { id: 'inv', namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ name: 'FunctionName', value: 'api-fn' }], stat: 'Sum', periodSeconds: 60 },
        { id: 'err', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: 'api-fn' }], stat: 'Sum', periodSeconds: 60 },
      ],
      now - 900_000,
      now + 60_000,
    );
    expect(r.calls).toBe(1);
    expect(r.failed.size).toBe(0);
    expect(r.series.get('inv')!.values.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(r.series.get('err')!.values.reduce((a, b) => a + b, 0)).toBe(45);
  });

  it('DescribeAlarms returns the alarm in the state it was set to', async () => {
    const alarms = await cloudWatch(provider()).describeAlarms();
    expect(alarms).toContainEqual(expect.objectContaining({ name: 'api-fn-errors', state: 'ALARM', dimensions: [{ name: 'FunctionName', value: 'api-fn' }] }));
  });

  it('a batch with a statistic the endpoint cannot answer is split: only that query fails', async () => {
    const q = (id: string, stat: string) => ({ id, namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ name: 'FunctionName', value: 'api-fn' }], stat, periodSeconds: 60 });
    const r = await cloudWatch(provider()).getMetricData([q('a', 'Sum'), q('b', 'Average'), q('p', 'p95'), q('c', 'Maximum')], now - 900_000, now + 60_000);
    expect([...r.failed.keys()]).toEqual(['p']);
    expect([...r.series.keys()].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('fault proxy', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto());
  });
  afterAll(() => proxy.stop());

  it('counts calls per service and operation', async () => {
    proxy.resetCalls();
    const cw = cloudWatch(provider(proxy.endpoint));
    await cw.describeAlarms();
    await cw.describeAlarms();
    expect(proxy.count('cloudwatch', 'DescribeAlarms')).toBe(2);
  });

  it.each([
    ['throttle', 'throttled'],
    ['access-denied', 'access-denied'],
    ['server-error', 'server'],
  ] as const)('injects %s, classified as %s', async (kind, category) => {
    proxy.clearRules();
    proxy.addRule({ service: 'cloudwatch', operation: 'DescribeAlarms', fault: { kind } as never, times: 1 });
    const err = await cloudWatch(provider(proxy.endpoint)).describeAlarms().catch((e: unknown) => e);
    expect(classifyAwsError(err, 'cloudwatch', 'DescribeAlarms').category).toBe(category);
    proxy.clearRules();
  });

  it('a reset connection is an endpoint failure', async () => {
    proxy.addRule({ service: 'cloudwatch', fault: { kind: 'reset' }, times: 1 });
    const err = await cloudWatch(provider(proxy.endpoint)).describeAlarms().catch((e: unknown) => e);
    expect(classifyAwsError(err).category).toBe('endpoint');
    proxy.clearRules();
  });
});
