import { describe, expect, it } from 'vitest';
import { hodgesLehmann, mannWhitney, normalCdf } from './mann-whitney.js';

/** P(U ≥ u) by enumerating every split of the pooled sample: the definition the exact test must match. */
function bruteForceGreater(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const n1 = x.length;
  const uOf = (a: number[], b: number[]) => a.reduce((s, v) => s + b.reduce((t, w) => t + (v > w ? 1 : v === w ? 0.5 : 0), 0), 0);
  const observed = uOf(x, y);
  let hits = 0;
  let total = 0;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === n1) {
      const a = chosen.map((i) => pooled[i]!);
      const b = pooled.filter((_, i) => !chosen.includes(i));
      total++;
      if (uOf(a, b) >= observed - 1e-9) hits++;
      return;
    }
    for (let i = start; i < pooled.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return hits / total;
}

describe('mannWhitney', () => {
  it.each([
    { x: [1, 3, 5, 7, 9], y: [2, 4, 6, 8, 10, 12] },
    { x: [10, 11, 12, 13], y: [1, 2, 3, 4, 5] },
    { x: [0.5, 2.5, 9, 4], y: [1, 3, 7, 8, 6, 2] },
  ])('exact p-value equals the permutation distribution for $x vs $y', ({ x, y }) => {
    const r = mannWhitney(x, y);
    expect(r.exact).toBe(true);
    expect(r.pGreater).toBeCloseTo(bruteForceGreater(x, y), 10);
  });

  it('counts U as pairs where the first sample is larger, ties as a half', () => {
    expect(mannWhitney([1, 3, 5, 7, 9], [2, 4, 6, 8, 10, 12]).u).toBe(10);
    expect(mannWhitney([2, 2], [2, 1]).u).toBe(3);
  });

  it('separated samples of three are significant at exactly 1/20 one-sided', () => {
    expect(mannWhitney([4, 5, 6], [1, 2, 3]).pGreater).toBeCloseTo(0.05, 12);
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).pLess).toBeCloseTo(0.05, 12);
  });

  it('normal approximation with ties stays close to the permutation p-value', () => {
    const x = [1, 2, 2, 3, 3, 3, 4, 5];
    const y = [2, 3, 4, 4, 5, 5, 6];
    const r = mannWhitney(y, x);
    expect(r.exact).toBe(false);
    expect(Math.abs(r.pGreater - bruteForceGreater(y, x))).toBeLessThan(0.02);
  });

  it('identical samples have no tendency', () => {
    const r = mannWhitney([5, 5, 5, 5], [5, 5, 5, 5]);
    expect(r.probabilityGreater).toBe(0.5);
    expect(r.pTwoSided).toBe(1);
    expect(r.shift).toBe(0);
  });

  it('rejects empty samples', () => {
    expect(() => mannWhitney([], [1])).toThrow(RangeError);
  });
});

describe('hodgesLehmann', () => {
  it('is the median pairwise difference, robust to one outlier', () => {
    expect(hodgesLehmann([11, 12, 13], [1, 2, 3])).toBe(10);
    expect(hodgesLehmann([11, 12, 1000], [1, 2, 3])).toBe(10);
  });
});

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-1.644854, 0.05],
    [3, 0.998650],
  ])('Φ(%d) ≈ %d', (z, p) => expect(normalCdf(z)).toBeCloseTo(p, 5));
});
