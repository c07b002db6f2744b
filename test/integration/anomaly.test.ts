/**
 * Anomaly detection end to end against moto: `health --anomalies` (and [monitoring] anomaly_detection) and
 * `analyze`. Metric history is seeded with PutMetricData; moto rescans every datapoint per query, so the
 * seeds are small: 2½ days at 15-minute steps per series (the detector reads 5-minute buckets with gaps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, moto, registryWith, environmentsFor, runCli, Seeder, series } from '../support/index.js';

const HOUR = 3600_000;
const STEP = 15 * 60_000;

interface Health {
  verdict: string;
  exitCode: number;
  resources: { name: string; verdict: string; reasons: string[]; anomalies?: { metric: string; status: string; reason?: string; anomalies: { start: string; current: boolean; value: number; deviation: number; direction: string }[] }[] }[];
  apiCalls: { byOperation: Record<string, number>; minimumMetricCalls: number };
}
interface Analyze {
  verdict: string;
  exitCode: number;
  series: { metric: string; status: string; points: { t: string; v: number; score: number | null; anomalous: boolean }[]; anomalies: { start: string; direction: string; value: number }[] }[];
}

/** CPU with a daily swing and small deterministic jitter; `tail` overrides the last points. */
const cpu = (i: number, t: number) => 30 + 8 * Math.sin((2 * Math.PI * t) / (24 * HOUR)) + ((i * 7919) % 11) / 11 - 0.5;

let seeder: Seeder;
let now: number;
let blipAt: number;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  now = Date.now();
  const history = (from: number, f: (t: number, i: number) => number) => series(now - from, now, STEP, f);
  for (const id of ['steady-db', 'spike-db', 'new-db', 'blip-db', 'stopped-db']) await seeder.createDbInstance(id);
  const put = (id: string, points: ReturnType<typeof series>) => seeder.putMetrics('AWS/RDS', [{ metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: id }, points, unit: 'Percent' }]);
  await put('steady-db', history(60 * HOUR, (t, i) => cpu(i, t)));
  // 30 minutes at 70 %: far outside its own history, yet however late the plain run reads it (a slow machine seeds for
  // minutes) the 1 h CPU average stays under 75 % of the 99 % budget, where it would turn DEGRADED (at 95 % it crossed).
  await put('spike-db', history(60 * HOUR, (t, i) => (t >= now - 30 * 60_000 ? 70 : cpu(i, t))));
  await put('new-db', history(6 * HOUR, (t, i) => cpu(i, t)));
  // Reported steadily, then nothing for the last 6 hours (the agent died).
  await put('stopped-db', history(60 * HOUR, (t, i) => cpu(i, t)).filter((p) => p.t < now - 6 * HOUR));
  // One minute at 95 % two hours ago (1-minute points for the last 6 h): too short for a change point, plain
  // for the detector, which reads the two days before the window too.
  blipAt = Math.floor((now - 2 * HOUR) / 60_000) * 60_000;
  await put('blip-db', [...history(60 * HOUR, (t, i) => cpu(i, t)).filter((p) => p.t < now - 6 * HOUR), ...series(now - 6 * HOUR, now, 60_000, (t, i) => (Math.floor(t / 60_000) * 60_000 === blipAt ? 95 : cpu(i, t)))]);
}, 120_000);
afterAll(() => seeder.destroy());

const project = (monitoring = '') =>
  makeProject({
    'shared/environments.json': environmentsFor(moto()),
    'registry/deployments.json': registryWith([{ resources: ['steady-db', 'spike-db', 'new-db', 'blip-db'].map((name) => ({ type: 'rds', name })) }]),
    // CPU far below its SLO: only the anomaly detector can see that spike-db is unlike itself.
    'plugins/helm-cloud/monitoring.toml': `[slos.rds]\ncpu_percent = 99\nconnections_max = false\nfree_storage_min_gb = false\nread_latency_ms = false\nwrite_latency_ms = false\n${monitoring}`,
  });
const res = (b: Health, name: string) => b.resources.find((r) => r.name === name)!;

describe('health --anomalies', () => {
  it('makes a resource DEGRADED (never UNHEALTHY) with the series, start and how unusual, in the same batched fetch', async () => {
    const cwd = project();
    const plain = (await runCli(['health', '--env', 'test', '--output', 'json'], { cwd })).json<Health>();
    expect(res(plain, 'spike-db').verdict, JSON.stringify(res(plain, 'spike-db'))).toBe('HEALTHY');
    expect(res(plain, 'spike-db').anomalies).toBeUndefined();

    const r = await runCli(['health', '--env', 'test', '--output', 'json', '--anomalies'], { cwd });
    const b = r.json<Health>();
    expect(r.code, JSON.stringify(b.resources.map((x) => x.reasons))).toBe(1);
    expect(b.verdict).toBe('DEGRADED');
    const spike = res(b, 'spike-db');
    expect(spike.verdict).toBe('DEGRADED');
    expect(spike.reasons[0]).toMatch(/^anomaly: CPUUtilization Average up to 70 \(usual [\d.]+, .*σ.*score [\d.]+\) since \d{4}-\d\d-\d\dT/);
    const current = spike.anomalies![0]!.anomalies.filter((a) => a.current);
    expect(current).toHaveLength(1);
    expect(Date.parse(current[0]!.start)).toBeGreaterThanOrEqual(now - 45 * 60_000);
    expect(current[0]!.deviation).toBeGreaterThan(5);

    expect(res(b, 'steady-db')).toMatchObject({ verdict: 'HEALTHY', anomalies: [{ metric: 'CPUUtilization', status: 'scored' }] });
    expect(res(b, 'steady-db').anomalies![0]!.anomalies.filter((a) => a.current)).toEqual([]);
    // Too little history is said, and judged neither way.
    expect(res(b, 'new-db')).toMatchObject({ verdict: 'HEALTHY', anomalies: [{ status: 'insufficient-history' }] });
    expect(res(b, 'new-db').anomalies![0]!.reason).toMatch(/h of history before the window; the detector needs 24 h/);
    // Main window and baseline: one GetMetricData call each, all series batched.
    expect(b.apiCalls.byOperation['cloudwatch:GetMetricData']).toBe(b.apiCalls.minimumMetricCalls);
    expect(b.apiCalls.minimumMetricCalls).toBe(2);
  });

  it('is on for every run with [monitoring] anomaly_detection = true', async () => {
    const cwd = project('\n[monitoring]\nanomaly_detection = true\nanomaly_baseline = "3d"\n');
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd });
    expect(res(r.json<Health>(), 'spike-db').verdict).toBe('DEGRADED');
    expect(r.code).toBe(1);
  });
});

describe('analyze', () => {
  it('returns the series with scores and the anomaly where it starts (JSON when not a TTY)', async () => {
    const r = await runCli(['analyze', '--env', 'test', '--resource', 'spike-db', '--metric', 'CPUUtilization', '--since', '3d'], { cwd: project() });
    expect(r.code).toBe(1);
    const b = r.json<Analyze>();
    expect(b.verdict).toBe('ANOMALIES');
    expect(b.series).toHaveLength(1);
    const s = b.series[0]!;
    expect(s).toMatchObject({ metric: 'CPUUtilization', status: 'scored' });
    expect(s.points.length).toBeGreaterThan(200);
    expect(s.anomalies).toHaveLength(1);
    expect(s.anomalies[0]).toMatchObject({ direction: 'up', value: 70 });
    const firstHigh = s.points.find((p) => p.v === 70)!;
    expect(firstHigh.anomalous).toBe(true);
    expect(s.anomalies[0]!.start).toBe(firstHigh.t);
  });

  it('exits 0 for a steady series and draws a chart with the anomaly marked as a table', async () => {
    const steady = await runCli(['analyze', '--env', 'test', '--resource', 'steady-db', '--metric', 'cpu', '--since', '3d'], { cwd: project() });
    expect(steady.code, steady.stdout.slice(0, 400)).toBe(0);
    expect(steady.json<Analyze>().verdict).toBe('NO_ANOMALIES');
    const table = await runCli(['analyze', '--env', 'test', '--resource', 'spike-db', '--metric', 'CPUUtilization', '--since', '3d', '--output', 'table'], { cwd: project() });
    expect(table.stdout).toMatch(/CPUUtilization Average {2}\d+ points, 1 anomaly/);
    expect(table.stdout).toContain('▲');
    expect(table.stdout).toMatch(/┤/);
  });

  it('says a series that stopped reporting (analyze: UNKNOWN, exit 1; health --anomalies: a reason): no data is not "no anomalies"', async () => {
    const cwd = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ resources: [{ type: 'rds', name: 'stopped-db' }] }]),
    });
    const r = await runCli(['analyze', '--env', 'test', '--resource', 'stopped-db', '--metric', 'CPUUtilization', '--since', '3d'], { cwd });
    const b = r.json<Analyze & { summary: string }>();
    expect(r.code, r.stdout.slice(0, 400)).toBe(1);
    expect(b.verdict).toBe('UNKNOWN');
    expect(b.series[0]).toMatchObject({ metric: 'CPUUtilization', status: 'stopped', anomalies: [] });
    expect((b.series[0] as unknown as { reason: string }).reason).toMatch(/^no datapoints since \d{4}-\d\d-\d\dT[\d:.]+Z \(6\.\d h before the end of the range; it reported every 15 min until then\): the series stopped/);
    expect(b.series[0]!.points.length).toBeGreaterThan(100);
    expect(b.summary).toMatch(/^no anomalies; 1 of 1 series stopped \(CPUUtilization: no datapoints since/);

    const h = (await runCli(['health', '--env', 'test', '--output', 'json', '--anomalies'], { cwd })).json<Health>();
    const stopped = res(h, 'stopped-db');
    expect(stopped.verdict).not.toBe('HEALTHY');
    expect(stopped.reasons).toContainEqual(expect.stringMatching(/^anomaly: CPUUtilization Average stopped: no datapoints since .* \(6\.\d h ago; it reported every 15 min until then\)$/));
    expect(stopped.anomalies![0]).toMatchObject({ metric: 'CPUUtilization', status: 'stopped' });
  });

  it('a range too short for the detector to judge any point is UNKNOWN, not "no anomalies" (scores null in warm-up)', async () => {
    const r = await runCli(['analyze', '--env', 'test', '--resource', 'steady-db', '--metric', 'cpu', '--since', '1h'], { cwd: project() });
    const b = r.json<Analyze>();
    expect(r.code, r.stdout.slice(0, 400)).toBe(1);
    expect(b.verdict).toBe('UNKNOWN');
    expect(b.series[0]).toMatchObject({ status: 'insufficient-history', anomalies: [] });
    expect((b.series[0] as unknown as { reason: string }).reason).toMatch(/^\d+ points?: the detector judges a point only after 24 points and 1[56] min of history; widen --since$/); // a quarter of the range, whose start is aligned down to the period
    expect(b.series[0]!.points.every((p) => p.score === null)).toBe(true);
  });

  it('rejects an unknown metric or resource with the fix, exit 2', async () => {
    const m = await runCli(['analyze', '--env', 'test', '--resource', 'spike-db', '--metric', 'CPUUtilisation'], { cwd: project() });
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/rds has no metric "CPUUtilisation".*did you mean --metric CPUUtilization/s);
    const r = await runCli(['analyze', '--env', 'test', '--resource', 'spike'], { cwd: project() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no resource "spike" is live in test/);
  });
});

describe('investigate', () => {
  it('takes an anomaly the change points miss as change evidence: timeline and hypotheses', async () => {
    const r = await runCli(['investigate', 'blip-db is slow', '--env', 'test', '--since', '6h', '--output', 'json'], { cwd: project() });
    const b = r.json<{ changePoints: { metric: string; via?: string; direction: string; after: number; at: string }[]; timeline: { at: string; summary: string }[]; hypotheses: { kind: string; evidence: { summary: string }[] }[] }>();
    const found = b.changePoints.filter((c) => c.via === 'anomaly');
    expect(found, JSON.stringify({ ...b, logs: undefined, patterns: undefined }).slice(0, 3000)).toHaveLength(1);
    // The 5-minute bucket holding the blip averages it with four ordinary minutes.
    expect(found[0]).toMatchObject({ metric: 'CPUUtilization', direction: 'up' });
    expect(found[0]!.after).toBeGreaterThan(40);
    expect(Math.abs(Date.parse(found[0]!.at) - blipAt)).toBeLessThanOrEqual(5 * 60_000);
    expect(b.timeline.some((e) => /^anomaly: CPUUtilization Average up to [\d.]+ \(usual [\d.]+, [\d.]+σ\)$/.test(e.summary))).toBe(true);
    const db = b.hypotheses.find((h) => h.kind === 'database_saturation');
    expect(db?.evidence.some((e) => /CPUUtilization \(Average\) anomaly: up to [\d.]+, usual/.test(e.summary))).toBe(true);
    expect(r.code).toBe(1);
  });
});
