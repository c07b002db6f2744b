import { describe, expect, it } from 'vitest';
import { nearestRank, periodPercentiles } from './percentiles.js';

describe('percentiles from the datapoints moto holds', () => {
  it('takes the nearest rank, as CloudWatch does from samples', () => {
    const v = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(v, 95)).toBe(19);
    expect(nearestRank(v, 50)).toBe(10);
    expect(nearestRank(v, 100)).toBe(20);
    expect(nearestRank([7], 99)).toBe(7);
  });

  it('groups minute samples into the query periods from its start, leaving empty periods out', () => {
    const samples: [number, number][] = [
      [1000, 100],
      [1060, 300],
      [1120, 200],
      [1300, 900],
    ];
    expect(periodPercentiles(samples, 1000, 1360, 180, 95)).toEqual([
      { t: 1000, v: 300 },
      { t: 1180, v: 900 },
    ]);
    // A sample at or after the end is not in the window.
    expect(periodPercentiles(samples, 1000, 1300, 300, 95)).toEqual([{ t: 1000, v: 300 }]);
  });
});
