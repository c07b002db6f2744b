import { describe, expect, it } from 'vitest';
import { detectChangePoints } from './change-point.js';
import { roundValue } from './round.js';

describe('roundValue', () => {
  it.each([
    [1234.567, 1234.6],
    [12.34567, 12.346],
    [0.00041234, 0.0004123],
    [-0.000123456, -0.0001235],
    [1e-9, 1e-9],
    [0, 0],
  ])('%f → %f', (x, want) => {
    expect(roundValue(x)).toBe(want);
  });

  it('a step in a series of sub-millisecond values is reported with its values, not 0 → 0', () => {
    const pts = Array.from({ length: 40 }, (_, i) => ({ t: i * 60_000, v: i < 20 ? 0.0002 : 0.0009 }));
    expect(detectChangePoints(pts)).toMatchObject([{ index: 20, before: 0.0002, after: 0.0009, ratio: 4.5 }]);
  });
});
