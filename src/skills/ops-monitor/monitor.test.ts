/**
 * The monitor's pure stages with plain data: planMonitor decides the reads, judgeResources turns what was read
 * into verdicts. No AWS: the reads are built here the way the fetch stage records them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsFailure } from '../../aws/errors.js';
import type { MetricFetch } from '../../aws/cloudwatch.js';
import type { LiveResource } from '../../config/load.js';
import { Monitoring } from '../../config/schemas.js';
import { loadResource } from '../../resources/index.js';
import type { ResourceDescriptor, StateRead } from '../../resources/types.js';
import { judgeResources, planMonitor, type MonitorPlan, type MonitorReads } from './monitor.js';

const NOW = Date.parse('2026-12-05T06:00:00.000Z');
const fn = (name: string): LiveResource => ({ type: 'lambda', name, project: 'orders', deploymentId: 'd1', version: '1.0.0', deployedAt: '2026-12-01T00:00:00Z', region: 'us-east-1' });
const monitoring = Monitoring.parse({ slos: { lambda: { error_rate_percent: 1, p95_latency_ms: 1000 } } });
const active: StateRead = { verdict: 'HEALTHY', state: { state: 'Active' } };

let lambda: ResourceDescriptor;
beforeAll(async () => {
  lambda = await loadResource('lambda');
});

function plan(names: string[]): MonitorPlan {
  return planMonitor({ monitoring, resources: names.map(fn), now: NOW, windowMs: 3600_000, burnRate: false }, names.map(() => lambda));
}

/** Reads as the fetch stage records them: every planned query answered by `answer` (values per bucket) or failed. */
function reads(p: MonitorPlan, o: { states?: Record<string, StateRead>; answer?: (name: string, metricId: string) => number[] | AwsFailure; alarms?: MonitorReads['alarms']; listedEmpty?: string[] }): MonitorReads {
  const fetches = new Map<string, MetricFetch>();
  for (const g of p.queries.groups) fetches.set(g.range.name, { series: new Map(), failed: new Map(), calls: 1 });
  for (const read of p.queries.reads) {
    const f = fetches.get(read.range)!;
    const answer = o.answer?.(p.resources[read.resource]!.name, read.metric.id) ?? [];
    for (const id of read.queryIds) {
      if (!Array.isArray(answer)) f.failed.set(id, answer);
      else f.series.set(id, { id, timestamps: answer.map((_, i) => NOW - 3600_000 + i * 300_000), values: answer, status: 'Complete' });
    }
  }
  return {
    states: new Map([['lambda', new Map(Object.entries(o.states ?? {}))]]),
    stateFailures: new Map(),
    fetches,
    alarms: o.alarms ?? [],
    listedEmpty: new Set(o.listedEmpty ?? []),
    calls: {},
    failures: [],
    successes: 1,
    readMs: { state: {}, metrics: 0, alarms: 0 },
  };
}

const traffic = (_: string, metric: string) => (metric === 'invocations' ? Array(12).fill(100) : metric === 'duration_p95' ? [200] : Array(12).fill(0));

describe('planMonitor', () => {
  it('reads only the metrics of configured SLOs, in one main range without burn rates', () => {
    const p = plan(['a']);
    expect(new Set(p.queries.reads.map((r) => r.metric.id))).toEqual(new Set(['invocations', 'errors', 'duration_p95']));
    expect(new Set(p.queries.reads.map((r) => r.range))).toEqual(new Set(['main']));
    expect(p.burnOn).toEqual([false]);
  });
});

describe('judgeResources', () => {
  it('is HEALTHY when the state is Active and every SLO is met', () => {
    const p = plan(['a']);
    const { resources } = judgeResources(p, reads(p, { states: { a: active }, answer: traffic }), monitoring);
    expect(resources[0]).toMatchObject({ name: 'a', verdict: 'HEALTHY', reasons: [] });
    expect(resources[0]!.slos.map((s) => [s.key, s.verdict])).toEqual([['error_rate_percent', 'HEALTHY'], ['p95_latency_ms', 'HEALTHY']]);
  });

  it('is UNHEALTHY when the error rate breaks its SLO, naming it', () => {
    const p = plan(['a']);
    const errors = (n: string, m: string) => (m === 'errors' ? Array(12).fill(10) : traffic(n, m));
    const r = judgeResources(p, reads(p, { states: { a: active }, answer: errors }), monitoring).resources[0]!;
    expect(r.verdict).toBe('UNHEALTHY');
    expect(r.reasons[0]).toMatch(/^error rate 10\.0% > 1\.00% \(SLO breached\)/);
  });

  it('is UNHEALTHY, not found, when the state read does not list the resource (and judges no SLO of it)', () => {
    const p = plan(['gone']);
    const r = judgeResources(p, reads(p, { states: {}, answer: traffic }), monitoring).resources[0]!;
    expect(r.verdict).toBe('UNHEALTHY');
    expect(r.reasons).toEqual(['lambda "gone" not found in us-east-1']);
    expect(r.slos).toEqual([]);
  });

  it('is UNKNOWN with the reason, never HEALTHY, when the metric read failed', () => {
    const p = plan(['a']);
    const denied: AwsFailure = { category: 'access-denied', code: 'AccessDenied', message: 'no', service: 'cloudwatch', operation: 'GetMetricData' };
    const r = judgeResources(p, reads(p, { states: { a: active }, answer: () => denied }), monitoring).resources[0]!;
    expect(r.verdict).toBe('UNKNOWN');
    expect(r.slos.every((s) => s.verdict === 'UNKNOWN')).toBe(true);
    expect(r.reasons[0]).toContain('access denied on cloudwatch:GetMetricData');
  });

  it('calls a function idle, not UNKNOWN, when CloudWatch lists its invocations but they have no datapoints', () => {
    const p = plan(['quiet']);
    const none = () => [];
    const idle = judgeResources(p, reads(p, { states: { quiet: active }, answer: none, listedEmpty: ['0|invocations'] }), monitoring).resources[0]!;
    expect(idle).toMatchObject({ verdict: 'HEALTHY', idle: true });
    expect(idle.notEvaluated.map((n) => n.key)).toEqual(['error_rate_percent', 'p95_latency_ms']);
    // Without the listing, no datapoints is no data: UNKNOWN.
    const unlisted = judgeResources(p, reads(p, { states: { quiet: active }, answer: none }), monitoring).resources[0]!;
    expect(unlisted.verdict).toBe('UNKNOWN');
  });

  it('counts an alarm in ALARM on the function, not one on another function', () => {
    const p = plan(['a']);
    const alarm = (name: string, fnName: string) => ({ name, state: 'ALARM' as const, reason: 'Threshold Crossed', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: fnName }] });
    const other = judgeResources(p, reads(p, { states: { a: active }, answer: traffic, alarms: [alarm('b-errors', 'b')] }), monitoring).resources[0]!;
    expect(other).toMatchObject({ verdict: 'HEALTHY', alarms: [] });
    const own = judgeResources(p, reads(p, { states: { a: active }, answer: traffic, alarms: [alarm('a-errors', 'a')] }), monitoring).resources[0]!;
    expect(own.verdict).toBe('UNHEALTHY');
    expect(own.reasons[0]).toBe('alarm a-errors is in ALARM: Threshold Crossed');
  });
});
