import { describe, expect, it } from 'vitest';
import { budgetConsumed, evaluateSlo, type SloObjective } from './slo.js';

const errorRate: SloObjective = { key: 'error_rate_percent', target: 1, unit: '%', direction: 'max', scale: 'ratio', label: 'error rate' };
const availability: SloObjective = { key: 'availability_percent', target: 99.9, unit: '%', direction: 'min', scale: 'ratio', label: 'availability' };
const freeStorage: SloObjective = { key: 'free_storage_min_gb', target: 5, unit: 'GB', direction: 'min', scale: 'level', label: 'free storage' };
const zeroThrottles: SloObjective = { key: 'throttled_requests_max', target: 0, unit: 'requests', direction: 'max', scale: 'level', label: 'throttled requests' };

describe('evaluateSlo', () => {
  it.each([
    ['error rate well under target is HEALTHY', errorRate, 0.2, 'HEALTHY', 20],
    ['error rate at 80% of budget is DEGRADED', errorRate, 0.8, 'DEGRADED', 80],
    ['error rate exactly at target is not a breach', errorRate, 1, 'DEGRADED', 100],
    ['error rate over target is UNHEALTHY', errorRate, 7.5, 'UNHEALTHY', 750],
    ['availability 99.95% has used half its budget', availability, 99.95, 'HEALTHY', 50],
    ['availability 99.92% is DEGRADED', availability, 99.92, 'DEGRADED', 80],
    ['availability 99.5% is UNHEALTHY', availability, 99.5, 'UNHEALTHY', 500],
    ['free storage 20 GB of min 5 GB', freeStorage, 20, 'HEALTHY', 25],
    ['free storage 6 GB of min 5 GB is near the floor', freeStorage, 6, 'DEGRADED', 83.3],
    ['free storage 4 GB is UNHEALTHY', freeStorage, 4, 'UNHEALTHY', 125],
    ['zero throttles against a zero budget', zeroThrottles, 0, 'HEALTHY', 0],
    ['one throttle against a zero budget breaches it, budget share null', zeroThrottles, 1, 'UNHEALTHY', null],
  ] as const)('%s', (_name, o, observed, verdict, pct) => {
    const r = evaluateSlo(o, observed, 75);
    expect(r.verdict).toBe(verdict);
    expect(r.budgetConsumedPercent).toBe(pct);
    if (verdict !== 'HEALTHY') expect(r.reason).toContain(o.label);
  });

  it('reports UNKNOWN, not HEALTHY, without data, with the reason', () => {
    const r = evaluateSlo(errorRate, null, 75, 'no data: access denied on cloudwatch:GetMetricData (AccessDenied)');
    expect(r).toMatchObject({ verdict: 'UNKNOWN', observed: null, budgetConsumedPercent: null });
    expect(r.reason).toBe('error rate: no data: access denied on cloudwatch:GetMetricData (AccessDenied)');
  });

  it('uses the configured degraded threshold', () => {
    expect(evaluateSlo(errorRate, 0.5, 40).verdict).toBe('DEGRADED');
    expect(evaluateSlo(errorRate, 0.5, 60).verdict).toBe('HEALTHY');
  });
});

describe('budgetConsumed', () => {
  it.each([
    [{ target: 1000, direction: 'max', scale: 'level' }, 500, 50],
    [{ target: 100, direction: 'min', scale: 'ratio' }, 99, Infinity],
    [{ target: 100, direction: 'min', scale: 'level' }, 0, Infinity],
  ] as const)('%o at %d → %d%%', (o, observed, expected) => {
    expect(budgetConsumed(o, observed)).toBe(expected);
  });
});
