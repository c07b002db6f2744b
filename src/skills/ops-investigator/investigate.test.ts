/**
 * The investigator's pure stages with plain data: patterns mined from log lines, change points and gaps from
 * metric series, deployments in the window. The read stages run against moto in test/integration/investigate.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { MetricFetch } from '../../aws/cloudwatch.js';
import type { AwsFailure } from '../../aws/errors.js';
import type { LiveResource } from '../../config/load.js';
import type { Deployment } from '../../config/schemas.js';
import { deploymentsIn, judgeMetrics, minePatterns, type MetricRead } from './investigate.js';

const MIN = 60_000;
const TO = Date.parse('2026-12-05T06:00:00.000Z');
const window = { fromMs: TO - 60 * MIN, toMs: TO };
const fn = (name: string, project = 'orders'): LiveResource => ({ type: 'lambda', name, project, deploymentId: 'd', version: '2', deployedAt: '2026-12-01T00:00:00Z', region: 'us-east-1' });

describe('minePatterns', () => {
  it('mines the signal lines of each target into patterns, counting every line read', () => {
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => ({ group: '/aws/lambda/a', timestampMs: TO - 60 * MIN + i * MIN, message: `INFO order ${i} stored` })),
      ...Array.from({ length: 10 }, (_, i) => ({ group: '/aws/lambda/a', timestampMs: TO - 10 * MIN + i * MIN, message: `ERROR connect ECONNREFUSED 10.0.0.${i}:5432` })),
    ];
    const m = minePatterns([fn('a'), fn('b')], new Map([['a', lines]]), new Map([['a', window.fromMs]]), window, MIN);
    expect(m.totalLines).toBe(40);
    expect(m.signalLines).toBe(10);
    expect(m.gaps).toEqual([]);
    expect(m.patterns).toHaveLength(1);
    expect(m.patterns[0]).toMatchObject({ target: 'a', count: 10, firstSeen: TO - 10 * MIN, isNew: true });
    expect(m.patterns[0]!.classes).toContain('dependency');
  });

  it('does not call a pattern new when it was there from the start of what was read', () => {
    const lines = Array.from({ length: 6 }, (_, i) => ({ group: 'g', timestampMs: TO - 60 * MIN + i * 10 * MIN, message: 'Task timed out after 3.00 seconds' }));
    const m = minePatterns([fn('a')], new Map([['a', lines]]), new Map([['a', window.fromMs]]), window, MIN);
    expect(m.patterns[0]).toMatchObject({ count: 6, isNew: false, classes: expect.arrayContaining(['timeout']) });
  });
});

describe('judgeMetrics', () => {
  const q = (target: string, metricName: string, stat: 'Sum' | 'Maximum', kind: 'errors' | 'traffic' | 'concurrency'): MetricRead => ({
    id: `${target}|${metricName}|${stat}`,
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: [{ name: 'FunctionName', value: target }],
    stat,
    periodSeconds: 60,
    target,
    spec: { namespace: 'AWS/Lambda', metricName, stat, kind, adverse: 'up', minAbsolute: 1 },
  });
  const empty = (): MetricFetch => ({ series: new Map(), failed: new Map(), calls: 0 });
  const minutes = Array.from({ length: 60 }, (_, i) => window.fromMs + i * MIN);

  it('finds the step up in errors as an adverse change, with its level', () => {
    const errors = q('a', 'Errors', 'Sum', 'errors');
    const fetch = empty();
    fetch.series.set(errors.id, { id: errors.id, timestamps: minutes, values: minutes.map((_, i) => (i < 40 ? 0 : 25)), status: 'Complete' });
    const j = judgeMetrics([errors], fetch, empty(), window, MIN);
    expect(j.levels).toEqual([{ target: 'a', metric: 'Errors', stat: 'Sum', kind: 'errors', max: 25, sum: 500 }]);
    expect(j.changes).toHaveLength(1);
    expect(j.changes[0]).toMatchObject({ target: 'a', metric: 'Errors', direction: 'up', adverse: true, atMs: window.fromMs + 40 * MIN });
    expect(j.gaps).toEqual([]);
  });

  it('makes a failed series a blocking gap of its target and hands the failure back', () => {
    const errors = q('a', 'Errors', 'Sum', 'errors');
    const denied: AwsFailure = { category: 'access-denied', code: 'AccessDenied', message: 'no', service: 'cloudwatch', operation: 'GetMetricData' };
    const fetch = empty();
    fetch.failed.set(errors.id, denied);
    const j = judgeMetrics([errors, q('a', 'ConcurrentExecutions', 'Maximum', 'concurrency')], fetch, empty(), window, MIN);
    expect(j.failures).toEqual([denied]);
    expect([...j.failedTargets]).toEqual(['a']);
    expect(j.gaps).toEqual([{ what: 'metrics of a', reason: '1 series unreadable (Errors Sum: access denied on cloudwatch:GetMetricData (AccessDenied))', blocking: true }]);
    expect(j.levels).toEqual([]);
  });
});

describe('deploymentsIn', () => {
  const deploy = (id: string, project: string, version: string, at: number, status?: Deployment['status']): Deployment => ({
    id,
    environment: 'prod',
    project,
    version,
    deployed_at: new Date(at).toISOString(),
    ...(status ? { status } : {}),
    resources: [{ type: 'lambda', name: `${project}-fn` }],
  });

  it('keeps the targets\' deploys from two hours before the window to its end, each with the version it replaced', () => {
    const timeline = [
      deploy('d1', 'orders', '1.0', TO - 5 * 3600_000),
      deploy('d2', 'orders', '1.1', TO - 90 * MIN),
      deploy('d3', 'orders', '1.2', TO - 20 * MIN, 'failed'),
      deploy('d4', 'billing', '7.0', TO - 10 * MIN),
      deploy('d5', 'orders', '1.3', TO - 5 * MIN),
    ];
    const out = deploymentsIn(timeline, [fn('orders-fn')], new Map(), window);
    expect(out.map((d) => [d.id, d.previousVersion, d.version])).toEqual([
      ['d2', '1.0', '1.1'],
      ['d5', '1.1', '1.3'],
    ]);
    expect(out[1]).toMatchObject({ project: 'orders', atMs: TO - 5 * MIN, targets: ['orders-fn'] });
  });
});
