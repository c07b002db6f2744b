/**
 * Idle is not unknown, and the default SLOs are one objective. Against moto: metrics are put with PutMetricData
 * (a zero-request window, a metric last published hours ago, a metric never published), percentiles come from
 * the proxy (moto cannot answer them). ListMetrics (moto answers it) tells "idle" from "no such metric".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { environmentsFor, makeProject, moto, percentiles, registryWith, runCli, Seeder, series, startFaultProxy, type FaultProxy } from '../support/index.js';

const MIN = 60_000;
let seeder: Seeder;
let proxy: FaultProxy;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  proxy = await startFaultProxy(moto());
});
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});
beforeEach(() => {
  proxy.clearRules();
  proxy.addRule(percentiles({ 'busy-fn': 180, 'slo-fn': 200 }));
});

interface Slo {
  key: string;
  verdict: string;
  observed: number | null;
  budgetConsumedPercent: number | null;
  reason?: string;
  burnRates?: { window: string; rate: number | null }[];
}
interface HealthJson {
  verdict: string;
  exitCode: number;
  resources: { name: string; verdict: string; idle?: boolean; reasons: string[]; slos: Slo[]; notEvaluated: { key: string; reason: string }[] }[];
}

function project(names: string[], toml?: string) {
  return makeProject({
    'shared/environments.json': environmentsFor(proxy.endpoint),
    'registry/deployments.json': registryWith([{ resources: names.map((name) => ({ type: 'lambda', name })) }]),
    ...(toml ? { 'plugins/helm-cloud/monitoring.toml': toml } : {}),
  });
}
async function health(cwd: string) {
  const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd });
  return { code: r.code, body: r.json<HealthJson>(), stderr: r.stderr };
}
const res = (b: HealthJson, name: string) => b.resources.find((r) => r.name === name)!;

/** A nightly job: the function exists, and Invocations answered with zeros over the last hour. */
async function nightlyZero(name: string) {
  await seeder.createFunction(name);
  const now = Date.now();
  await seeder.putMetric('AWS/Lambda', 'Invocations', { FunctionName: name }, series(now - 60 * MIN, now, 5 * MIN, () => 0), 'Count');
}

describe('idle is not unknown', () => {
  it('zero requests answered: HEALTHY, noted idle, rate and latency SLOs not applicable, exit 0', async () => {
    await nightlyZero('idle-zero-fn');
    const { code, body } = await health(project(['idle-zero-fn']));
    const r = res(body, 'idle-zero-fn');
    expect(r.verdict, JSON.stringify(r)).toBe('HEALTHY');
    expect(code).toBe(0);
    expect(r.idle).toBe(true);
    expect(r.reasons.join(' ')).toMatch(/idle: no invocations in the window/);
    expect(r.notEvaluated.map((n) => n.key).sort()).toEqual(['availability_percent', 'error_rate_percent', 'p95_latency_ms', 'throttle_rate_percent']);
    expect(r.slos).toEqual([]);
  });

  it('a metric CloudWatch still lists but with no datapoints in the window (last run hours ago) is idle too', async () => {
    const name = 'idle-earlier-fn';
    await seeder.createFunction(name);
    const now = Date.now();
    await seeder.putMetric('AWS/Lambda', 'Invocations', { FunctionName: name }, series(now - 5 * 3600_000, now - 4 * 3600_000, 5 * MIN, () => 30), 'Count');
    const { code, body } = await health(project([name]));
    expect(res(body, name)).toMatchObject({ verdict: 'HEALTHY', idle: true });
    expect(code).toBe(0);
  });

  it('a metric never published is no data: UNKNOWN with the reason, exit 1', async () => {
    await seeder.createFunction('never-fn');
    const { code, body } = await health(project(['never-fn']));
    const r = res(body, 'never-fn');
    expect(r.verdict).toBe('UNKNOWN');
    expect(r.idle).toBeUndefined();
    expect(r.slos.find((s) => s.key === 'error_rate_percent')).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/no invocations datapoints/) });
    expect(code).toBe(1);
  });

  it('idle still judges alarms: an alarm in ALARM makes the idle function UNHEALTHY', async () => {
    await nightlyZero('idle-alarm-fn');
    await seeder.putAlarm('idle-alarm-fn-errors', { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'idle-alarm-fn' }, state: 'ALARM', reason: 'Threshold Crossed' });
    const { code, body } = await health(project(['idle-alarm-fn']));
    expect(res(body, 'idle-alarm-fn')).toMatchObject({ verdict: 'UNHEALTHY', idle: true });
    expect(code).toBe(3);
  });

  it('expect_traffic = true turns idle into a finding (UNHEALTHY, exit 3) naming the setting', async () => {
    await nightlyZero('idle-expected-fn');
    const { code, body } = await health(project(['idle-expected-fn'], '[resources.idle-expected-fn]\nexpect_traffic = true\n'));
    const r = res(body, 'idle-expected-fn');
    expect(r.verdict).toBe('UNHEALTHY');
    expect(r.reasons[0]).toMatch(/no invocations in the window, but expect_traffic = true for idle-expected-fn/);
    expect(code).toBe(3);
  });

  it('expect_traffic is strict like the rest of monitoring.toml', async () => {
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: project(['x'], '[resources.x]\nexpect_trafic = true\n') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/resources\.x\.expect_trafic: unknown key.*rename it to "expect_traffic"/);
  });
});

describe('default SLOs are one objective', () => {
  it('0.8% errors: error rate and availability agree (same budget consumed, same burn rate, same verdict)', async () => {
    await seedLambdaProfile(seeder, { name: 'slo-fn', project: 'app', env: 'test', rate: 500, errorPct: 0.8, durationMs: 200 }, Date.now());
    const { body } = await health(project(['slo-fn']));
    const r = res(body, 'slo-fn');
    const err = r.slos.find((s) => s.key === 'error_rate_percent')!;
    const avail = r.slos.find((s) => s.key === 'availability_percent')!;
    expect(err.observed).toBeGreaterThan(0.6);
    expect(err.observed).toBeLessThan(1);
    expect(avail.verdict).toBe(err.verdict);
    expect(avail.budgetConsumedPercent).toBeCloseTo(err.budgetConsumedPercent!, 0);
    const hour = (s: Slo) => s.burnRates?.find((b) => b.window === '1h')?.rate;
    expect(hour(avail)).toBeCloseTo(hour(err)!, 1);
  });
});
