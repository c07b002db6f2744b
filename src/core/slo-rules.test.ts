import { describe, expect, it } from 'vitest';
import { cloudWatchSloAlarms, diffAlarms, type CwCompositeAlarm, type CwMathAlarm, type CwSloInput } from './slo-rules.js';

const dims = [{ name: 'FunctionName', value: 'orders-fn' }];
const m = (id: string, metricName: string, sparse = false) => ({ id, namespace: 'AWS/Lambda', metricName, dimensions: dims, stat: 'Sum', sparse });
const availability: CwSloInput = {
  resource: 'orders-fn',
  key: 'availability_percent',
  label: 'availability',
  allowed: 0.01,
  periodDays: 30,
  bad: [m('errors', 'Errors', true), m('throttles', 'Throttles', true)],
  total: [m('invocations', 'Invocations'), m('throttles', 'Throttles', true)],
  objective: 'availability ≥ 99%',
};

describe('CloudWatch burn-rate alarms', () => {
  const alarms = cloudWatchSloAlarms([availability]);
  const math = alarms.filter((a): a is CwMathAlarm => a.kind === 'metric');
  const composite = alarms.filter((a): a is CwCompositeAlarm => a.kind === 'composite');

  it('makes two window alarms and one composite per workbook rule, with the workbook thresholds', () => {
    expect(composite.map((c) => c.name)).toEqual(['helm-cloud-slo:orders-fn:availability_percent:1h+5m', 'helm-cloud-slo:orders-fn:availability_percent:6h+30m', 'helm-cloud-slo:orders-fn:availability_percent:3d+6h']);
    expect(math.map((a) => [a.name.split(':').slice(-2).join(':'), a.threshold])).toEqual([
      ['1h+5m:1h', 14.4],
      ['1h+5m:5m', 14.4],
      ['6h+30m:6h', 6],
      ['6h+30m:30m', 6],
      ['3d+6h:3d', 1],
      ['3d+6h:6h', 1],
    ]);
    expect(composite[0]!.rule).toBe('ALARM("helm-cloud-slo:orders-fn:availability_percent:1h+5m:1h") AND ALARM("helm-cloud-slo:orders-fn:availability_percent:1h+5m:5m")');
    expect(composite[0]!.description).toMatch(/^helm-cloud page: /);
    expect(composite[2]!.description).toMatch(/^helm-cloud ticket: /);
  });

  it('each window alarm reads its window as one period and alarms on (bad / total) / allowed, sparse metrics filled with 0', () => {
    const oneHour = math[0]!;
    expect(oneHour.evaluationPeriods).toBe(1);
    expect(oneHour.metrics.filter((q) => q.metricStat).map((q) => [q.id, q.metricStat!.metricName, q.metricStat!.period])).toEqual([
      ['errors', 'Errors', 3600],
      ['throttles', 'Throttles', 3600],
      ['invocations', 'Invocations', 3600],
    ]);
    const burn = oneHour.metrics.filter((q) => q.returnData);
    expect(burn).toHaveLength(1);
    expect(burn[0]!.expression).toBe('(FILL(errors, 0) + FILL(throttles, 0)) / (invocations + FILL(throttles, 0)) / 0.01');
    expect(math[4]!.metrics.find((q) => q.metricStat)!.metricStat!.period).toBe(3 * 86400);
  });

  it('thresholds follow the SLO period', () => {
    const seven = cloudWatchSloAlarms([{ ...availability, periodDays: 7 }]).filter((a): a is CwMathAlarm => a.kind === 'metric');
    expect(seven.map((a) => a.threshold)).toEqual([3.36, 3.36, 1.4, 1.4, 0.23, 0.23]);
  });

  it('diff: missing alarms are created, changed ones updated with what changed, equal ones left, unknown helm-cloud ones listed as stale', () => {
    expect(diffAlarms(alarms, []).create).toHaveLength(9);
    const changed = alarms.map((a) => (a.kind === 'metric' && a.name.endsWith(':1h') ? { ...a, threshold: 10 } : a));
    const d = diffAlarms(alarms, [...changed, { kind: 'composite', name: 'helm-cloud-slo:gone-fn:availability_percent:1h+5m', description: '', rule: '' }, { kind: 'composite', name: 'hand-made', description: '', rule: '' }]);
    expect(d.create).toEqual([]);
    expect(d.update.map((u) => [u.spec.name.split(':').pop(), u.changes])).toEqual([['1h', ['threshold 10 → 14.4']]]);
    expect(d.unchanged).toHaveLength(8);
    expect(d.stale).toEqual(['helm-cloud-slo:gone-fn:availability_percent:1h+5m']);
    // CloudWatch may list dimensions and queries in another order: that is no change.
    const reordered = alarms.map((a) => (a.kind === 'metric' ? { ...a, metrics: [...a.metrics].reverse() } : a));
    expect(diffAlarms(alarms, reordered).unchanged).toHaveLength(9);
  });
});
