import { describe, expect, it } from 'vitest';
import { evaluatePromSlos, planPromSloQueries, type PromSloDef, type QueryAnswer } from './promql-slo.js';

const HOUR = 3600_000;
const ratio: PromSloDef = { name: 'availability', error_ratio: 'sum by (service) (rate(e[{{window}}])) / sum by (service) (rate(t[{{window}}]))', objective: 99.9, service_label: 'service', period_days: 30 };
const counts: PromSloDef = { name: 'latency', good: 'rate(fast[{{window}}])', total: 'rate(all[{{window}}])', objective: 99, service_label: 'svc', period_days: 30 };

/** Answers every planned query of an SLO from a value per (service, window). */
function answers(slo: PromSloDef, value: (svc: string, window: string, role: string) => number | undefined, services: string[]): Map<string, QueryAnswer> {
  const m = new Map<string, QueryAnswer>();
  for (const q of planPromSloQueries([slo], HOUR)) {
    const window = q.id.split('/')[2]!;
    m.set(q.id, { ok: true, samples: services.flatMap((s) => (value(s, window, q.role) === undefined ? [] : [{ labels: { [slo.service_label]: s }, value: value(s, window, q.role)! }])) });
  }
  return m;
}

describe('PromQL SLO plan', () => {
  it('one query per expression and window; counts summed by the service label, ratios as written', () => {
    const plan = planPromSloQueries([ratio, counts], HOUR);
    expect(plan).toHaveLength(5 + 10);
    expect(plan.map((q) => q.id).filter((id) => id.startsWith('availability'))).toEqual(['availability/ratio/5m', 'availability/ratio/30m', 'availability/ratio/1h', 'availability/ratio/6h', 'availability/ratio/3d']);
    expect(plan.find((q) => q.id === 'latency/good/6h')!.expr).toBe('sum by (svc) (rate(fast[6h]))');
    expect(plan.find((q) => q.id === 'availability/ratio/3d')!.expr).toBe('sum by (service) (rate(e[3d])) / sum by (service) (rate(t[3d]))');
    expect(planPromSloQueries([ratio], 2 * HOUR)).toHaveLength(6);
  });
});

describe('PromQL SLO evaluation', () => {
  const opts = { mainWindowMs: HOUR, degradedPercent: 75 };

  it.each([
    ['UNHEALTHY', 0.2, 80],
    ['HEALTHY', 0.0001, 99.99],
    ['DEGRADED', 0.0008, 99.92],
  ])('%s when the bad share is %f', (verdict, bad, observed) => {
    const r = evaluatePromSlos([ratio], planPromSloQueries([ratio], HOUR), answers(ratio, () => bad, ['a']), opts);
    expect(r.services[0]!.slos[0]!.verdict).toBe(verdict);
    expect(r.services[0]!.slos[0]!.observed).toBeCloseTo(observed, 6);
  });

  it('a burn only in the short windows fires no page and leaves the verdict to the window', () => {
    const r = evaluatePromSlos([ratio], planPromSloQueries([ratio], HOUR), answers(ratio, (_s, w) => (w === '5m' ? 0.5 : 0.00001), ['a']), opts);
    expect(r.services[0]!.slos[0]!.verdict).toBe('HEALTHY');
    expect(r.services[0]!.slos[0]!.burnRates!.find((b) => b.window === '5m')!.status).toBe('exceeded');
  });

  it('good/total: bad = total − good; a service with no good events has all bad', () => {
    const r = evaluatePromSlos([counts], planPromSloQueries([counts], HOUR), answers(counts, (s, _w, role) => (role === 'total' ? 10 : s === 'ok' ? 9.95 : undefined), ['ok', 'none']), opts);
    const by = Object.fromEntries(r.services.map((s) => [s.service, s.slos[0]!]));
    expect(by.ok!.observed).toBeCloseTo(99.5, 6);
    expect(by.ok!.verdict).toBe('HEALTHY');
    expect(by.none!.observed).toBe(0);
    expect(by.none!.verdict).toBe('UNHEALTHY');
  });

  it('no traffic is idle (not evaluated), not UNKNOWN', () => {
    const r = evaluatePromSlos([ratio], planPromSloQueries([ratio], HOUR), answers(ratio, () => NaN, ['quiet']), opts);
    expect(r.services[0]!.slos).toEqual([]);
    expect(r.services[0]!.notEvaluated[0]!.reason).toMatch(/^idle/);
  });

  it.each([
    ['+Inf (errors over a zero denominator)', Infinity, /unusable data: error_ratio is \+Inf over 1h: its denominator is 0/],
    ['above 1 (written as a percentage)', 5, /error_ratio is 5 over 1h, outside 0–1: it must be a share of events/],
    ['negative', -0.2, /error_ratio is -0.2 over 1h, outside 0–1/],
  ])('an error ratio that is %s is UNKNOWN with the reason, never a verdict', (_name, value, reason) => {
    const r = evaluatePromSlos([ratio], planPromSloQueries([ratio], HOUR), answers(ratio, () => value, ['a']), opts);
    const o = r.services[0]!.slos[0]!;
    expect(o.verdict).toBe('UNKNOWN');
    expect(o.observed).toBeNull();
    expect(o.reason).toMatch(reason);
  });

  it.each([
    ['good above total', counts, (role: string) => (role === 'total' ? 10 : 12), /good events \(12\/s\) exceed total events \(10\/s\) over 1h/],
    ['bad above total', { ...counts, good: undefined, bad: 'rate(err[{{window}}])' }, (role: string) => (role === 'total' ? 10 : 15), /bad events \(15\/s\) exceed total events/],
    ['bad events with no total', { ...counts, good: undefined, bad: 'rate(err[{{window}}])' }, (role: string) => (role === 'total' ? 0 : 2), /2 bad events\/s but no total events over 1h/],
  ])('%s is UNKNOWN (inconsistent expressions), not 100 %% good or bad', (_name, slo, value, reason) => {
    const r = evaluatePromSlos([slo], planPromSloQueries([slo], HOUR), answers(slo, (_s, _w, role) => value(role), ['a']), opts);
    const o = r.services[0]!.slos[0]!;
    expect(o.verdict).toBe('UNKNOWN');
    expect(o.reason).toMatch(reason);
  });

  it('good a rounding error above total is all good', () => {
    const r = evaluatePromSlos([counts], planPromSloQueries([counts], HOUR), answers(counts, (_s, _w, role) => (role === 'total' ? 0.3 : 0.1 + 0.2), ['a']), opts);
    expect(r.services[0]!.slos[0]).toMatchObject({ verdict: 'HEALTHY', observed: 100 });
  });

  it('a service with data over the window but no answer over the last 5m stopped reporting: UNKNOWN, not the window average', () => {
    const r = evaluatePromSlos([ratio], planPromSloQueries([ratio], HOUR), answers(ratio, (s, w) => (s === 'gone' && w === '5m' ? undefined : s === 'quiet' && w === '5m' ? NaN : 0.0001), ['gone', 'quiet', 'up']), opts);
    const by = Object.fromEntries(r.services.map((x) => [x.service, x.slos[0]!]));
    expect(by.gone).toMatchObject({ verdict: 'UNKNOWN', observed: null });
    expect(by.gone!.reason).toBe("availability: no data over the last 5m while the 1h window has some: the service's series stopped (a scrape target down, or its labels changed)");
    expect(by.gone!.burnRates!.find((b) => b.window === '5m')!.status).toBe('insufficient data');
    // No traffic in the last minutes still answers (0/0): idle there, judged on the window.
    expect(by.quiet!.verdict).toBe('HEALTHY');
    expect(by.up!.verdict).toBe('HEALTHY');
  });

  it('a failed query leaves only its SLO UNKNOWN, for the services the other SLOs found', () => {
    const plan = planPromSloQueries([ratio, counts], HOUR);
    const a = new Map([...answers(ratio, () => 0.0001, ['a', 'b'])]);
    for (const q of plan.filter((x) => x.slo === 'latency')) a.set(q.id, q.role === 'good' && q.id.endsWith('/6h') ? { ok: false, reason: 'parse error' } : { ok: true, samples: [] });
    const r = evaluatePromSlos([ratio, { ...counts, service_label: 'service' }], plan, a, opts);
    for (const s of r.services) {
      expect(s.slos.map((o) => `${o.key}:${o.verdict}`)).toEqual(['availability:HEALTHY', 'latency:UNKNOWN']);
      expect(s.slos[1]!.reason).toBe('latency: query failed: parse error');
    }
    expect(r.unattributed).toEqual([]);
  });

  it('with nothing known, a failed SLO is still reported (unattributed)', () => {
    const plan = planPromSloQueries([ratio], HOUR);
    const r = evaluatePromSlos([ratio], plan, new Map(plan.map((q) => [q.id, { ok: false, reason: 'unreachable' } as QueryAnswer])), opts);
    expect(r.services).toEqual([]);
    expect(r.unattributed).toEqual([{ slo: 'availability', reason: 'unreachable' }]);
  });

  it('a result without the service label, or several series per service, is explained', () => {
    const plan = planPromSloQueries([ratio], HOUR);
    const unl = evaluatePromSlos([ratio], plan, new Map(plan.map((q) => [q.id, { ok: true, samples: [{ labels: {}, value: 0.1 }] } as QueryAnswer])), opts);
    expect(unl.unattributed[0]!.reason).toMatch(/no service label: aggregate the expression with by \(service\)/);
    const dup = evaluatePromSlos([ratio], plan, new Map(plan.map((q) => [q.id, { ok: true, samples: [{ labels: { service: 'a', code: '1' }, value: 0.1 }, { labels: { service: 'a', code: '2' }, value: 0.1 }] } as QueryAnswer])), opts);
    expect(dup.services[0]!.slos[0]!.verdict).toBe('UNKNOWN');
    expect(dup.services[0]!.slos[0]!.reason).toMatch(/several series for service="a"/);
  });

  it('declared services that are missing from the results are UNKNOWN, not absent', () => {
    const r = evaluatePromSlos([{ ...ratio, services: ['a', 'ghost'] }], planPromSloQueries([ratio], HOUR), answers(ratio, () => 0.0001, ['a']), opts);
    expect(r.services.map((s) => `${s.service}:${s.slos[0]!.verdict}`)).toEqual(['a:HEALTHY', 'ghost:UNKNOWN']);
  });
});
