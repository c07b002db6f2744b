import { describe, expect, it } from 'vitest';
import { burnRates, raiseForBurn, threshold, WORKBOOK_RULES, type WindowEvents } from './burn-rate.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
/** Events where every window has `total` events and the given bad share. */
const ev = (shares: Record<number, number>, covered: Record<number, boolean> = {}): WindowEvents[] =>
  [5 * M, 30 * M, H, 6 * H, 3 * D].map((w) => ({ windowMs: w, total: 10_000, bad: (shares[w] ?? 0) * 10_000, covered: covered[w] ?? true }));

describe('workbook thresholds', () => {
  it.each([
    [30, [14.4, 6, 1]],
    [7, [3.36, 1.4, 0.23]],
    [90, [43.2, 18, 3]],
  ])('period %i days → %o', (days, expected) => {
    expect(WORKBOOK_RULES.map((r) => threshold(r, days))).toEqual(expected);
  });
});

describe('burnRates (99.9% objective: 0.1% of events may be bad)', () => {
  it.each([
    ['quiet service: nothing fires', {}, []],
    ['15% bad over 1h and 5m pages (150× ≥ 14.4×)', { [5 * M]: 0.15, [H]: 0.15 }, ['page 1h+5m']],
    ['a spike only in the last 5m does not page', { [5 * M]: 0.5, [H]: 0.001 }, []],
    ['0.7% over 6h and 30m pages on the slow rule (7× ≥ 6×)', { [30 * M]: 0.007, [6 * H]: 0.007 }, ['page 6h+30m']],
    ['0.15% over 3d and 6h opens a ticket (1.5× ≥ 1×)', { [6 * H]: 0.0015, [3 * D]: 0.0015 }, ['ticket 3d+6h']],
  ] as const)('%s', (_name, shares, firing) => {
    const r = burnRates(0.001, 30, ev(shares));
    expect(r.alerts.filter((a) => a.firing).map((a) => `${a.alert} ${a.rule}`)).toEqual(firing);
  });

  it('shows the burn rate of every window with its threshold', () => {
    const r = burnRates(0.01, 30, ev({ [H]: 0.02, [5 * M]: 0.03 }));
    expect(r.entries.find((e) => e.window === '1h')).toMatchObject({ rate: 2, threshold: 14.4, alert: 'page', status: 'ok' });
    expect(r.entries.find((e) => e.window === '5m')).toMatchObject({ rate: 3 });
    expect(r.hourRate).toBe(2);
  });

  it('says "insufficient data" when a window is not covered, and never fires on it', () => {
    const r = burnRates(0.001, 30, ev({ [6 * H]: 0.5, [3 * D]: 0.5 }, { [3 * D]: false }));
    const ticket = r.alerts.find((a) => a.alert === 'ticket')!;
    expect(ticket).toMatchObject({ firing: false, insufficient: true });
    expect(r.entries.find((e) => e.window === '3d')).toMatchObject({ rate: null, status: 'insufficient data' });
  });

  it('treats a window without events as insufficient data, not as zero burn', () => {
    const events = ev({}).map((e) => ({ ...e, total: 0, bad: 0 }));
    expect(burnRates(0.001, 30, events).entries.every((e) => e.status === 'insufficient data')).toBe(true);
  });

  it.each([
    ['NaN bad events', { bad: NaN, total: 10_000 }],
    ['+Inf events on both sides', { bad: Infinity, total: Infinity }],
    ['NaN total', { bad: 5, total: NaN }],
  ])('treats %s as insufficient data, never as an ok burn rate', (_name, counts) => {
    const events = ev({}).map((e) => (e.windowMs === H ? { ...e, ...counts } : e));
    const r = burnRates(0.001, 30, events);
    expect(r.entries.find((e) => e.window === '1h')).toMatchObject({ rate: null, status: 'insufficient data' });
    expect(r.alerts.find((a) => a.rule === '1h+5m')).toMatchObject({ firing: false, insufficient: true });
    expect(r.hourRate).toBeNull();
  });
});

describe('raiseForBurn', () => {
  const firing = [{ alert: 'page' as const, rule: '1h/5m', firing: true, insufficient: false, reason: 'page-level burn: 20× over 1h and 20× over 5m (≥ 14.4×)' }];
  const quiet = [{ alert: 'ticket' as const, rule: '3d/6h', firing: false, insufficient: false }];
  it('makes a healthy SLO DEGRADED with the alert as its reason', () => {
    const o: { verdict: 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY' | 'UNKNOWN'; reason?: string } = { verdict: 'HEALTHY' };
    raiseForBurn(o, firing, 'error rate');
    expect(o).toEqual({ verdict: 'DEGRADED', reason: 'error rate: page-level burn: 20× over 1h and 20× over 5m (≥ 14.4×)' });
  });
  it('never makes a breached SLO better or worse; the alert follows its own reason', () => {
    const o = { verdict: 'UNHEALTHY' as const, reason: 'error rate 5% > 1% (SLO breached)' };
    raiseForBurn(o, firing, 'error rate');
    expect(o).toEqual({ verdict: 'UNHEALTHY', reason: 'error rate 5% > 1% (SLO breached); page-level burn: 20× over 1h and 20× over 5m (≥ 14.4×)' });
  });
  it('changes nothing when no alert fires', () => {
    const o = { verdict: 'HEALTHY' as const };
    raiseForBurn(o, quiet, 'error rate');
    expect(o).toEqual({ verdict: 'HEALTHY' });
  });
});
