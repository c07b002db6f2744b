import { describe, expect, it } from 'vitest';
import { changePercent, comparisonPeriods, grandTotal, rdsDownsizeSaving, rdsSmallerClass, recommendedMemoryMb, totalsByKey, type CostRow } from './cost.js';

const row = (date: string, key: string, amount: number): CostRow => ({ date, key, amount, unit: 'USD', estimated: false });

describe('cost periods', () => {
  it('compares the last complete days with the same span before, end exclusive', () => {
    expect(comparisonPeriods(Date.parse('2026-11-20T15:00:00Z'), 7)).toEqual({
      current: { start: '2026-11-13', end: '2026-11-20' },
      previous: { start: '2026-11-06', end: '2026-11-13' },
    });
  });

  it('sums rows per key into the two periods and ignores rows outside them', () => {
    const p = comparisonPeriods(Date.parse('2026-11-20T00:00:00Z'), 2);
    const t = totalsByKey([row('2026-11-16', 'A', 1), row('2026-11-17', 'A', 2), row('2026-11-18', 'A', 3), row('2026-11-19', 'A', 4), row('2026-11-20', 'A', 100), row('2026-11-19', 'B', 5)], p);
    expect(t).toEqual([
      { key: 'A', current: 7, previous: 3, change: 4, changePercent: 133.3 },
      { key: 'B', current: 5, previous: 0, change: 5, changePercent: null },
    ]);
    expect(grandTotal(t)).toEqual({ current: 12, previous: 3, changePercent: 300 });
  });

  it.each([
    [0, 0, 0],
    [5, 0, null],
    [50, 100, -50],
  ])('changePercent(%d, %d) = %s', (c, p, want) => expect(changePercent(c, p)).toBe(want));
});

describe('savings estimates', () => {
  it.each([
    [50, 128],
    [150, 256],
    [700, 960],
  ])('keeps 30%% headroom in 64 MB steps: peak %d MB → %d MB', (used, want) => expect(recommendedMemoryMb(used)).toBe(want));

  it('steps RDS classes down within the family the price table knows', () => {
    expect(rdsSmallerClass('db.r5.2xlarge')).toBe('db.r5.xlarge');
    expect(rdsSmallerClass('db.m5.large')).toBeUndefined();
    expect(rdsDownsizeSaving({ instanceClass: 'db.r5.2xlarge', multiAz: true })).toMatchObject({ target: 'db.r5.xlarge', monthlySaving: 730 });
  });
});
