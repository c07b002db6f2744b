import { describe, expect, it } from 'vitest';
import { densify, detectChangePoints, type Point } from './change-point.js';

const at = (i: number) => i * 60_000;
const mk = (vals: number[]): Point[] => vals.map((v, i) => ({ t: at(i), v }));
const noise = (i: number) => ((i * 7919) % 13) / 13 - 0.5; // deterministic, mean ≈ 0

describe('detectChangePoints', () => {
  it.each([
    ['a step up from a noisy level', mk(Array.from({ length: 60 }, (_, i) => (i < 30 ? 10 : 40) + noise(i) * 4)), [{ index: 30, direction: 'up' }]],
    ['a step up from zero (ratio null)', mk(Array.from({ length: 40 }, (_, i) => (i < 25 ? 0 : 12))), [{ index: 25, direction: 'up', ratio: null }]],
    ['a step down', mk(Array.from({ length: 40 }, (_, i) => (i < 10 ? 100 : 20))), [{ index: 10, direction: 'down' }]],
    ['up then back down', mk(Array.from({ length: 60 }, (_, i) => (i >= 20 && i < 40 ? 50 : 5))), [{ index: 20, direction: 'up' }, { index: 40, direction: 'down' }]],
    ['errors starting in the last three minutes', mk([...Array(57).fill(0), 50, 40, 60]), [{ index: 57, direction: 'up' }]],
    ['sparse errors starting (0 → about 1 a minute)', mk(Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : [1, 2, 0, 1, 0, 1, 3, 0, 1, 1][i % 10]!))), [{ index: 30, direction: 'up' }]],
  ])('finds %s', (_, pts, want) => {
    const got = detectChangePoints(pts);
    expect(got.map((c) => ({ index: c.index, direction: c.direction, ...('ratio' in (want[0] ?? {}) ? { ratio: c.ratio } : {}) }))).toEqual(want);
    expect(got[0]!.atMs).toBe(at(want[0]!.index));
  });

  it.each([
    ['a flat series', mk(Array(50).fill(7))],
    ['noise only', mk(Array.from({ length: 60 }, (_, i) => 20 + noise(i) * 6))],
    ['a shift smaller than the absolute floor', mk(Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 0.4)))],
    ['too few points', mk([1, 50, 1, 50])],
    ['an empty series', []],
    ['one error burst among the last three points (a spike, not a level)', mk([...Array(57).fill(0), 50, 0, 0])],
    ['one error burst in the last point', mk([...Array(59).fill(0), 50])],
    ['rare single errors', mk(Array.from({ length: 60 }, (_, i) => (i % 13 === 0 ? 1 : 0)))],
  ])('reports nothing for %s', (_, pts) => {
    expect(detectChangePoints(pts, { minAbsolute: 1 })).toEqual([]);
  });
});

describe('densify', () => {
  it('fills missing count periods with zero and keeps levels sparse', () => {
    expect(densify([at(1)], [5], 0, at(3), 60_000, 0)).toEqual([{ t: 0, v: 0 }, { t: at(1), v: 5 }, { t: at(2), v: 0 }]);
    expect(densify([at(1)], [5], 0, at(3), 60_000)).toEqual([{ t: at(1), v: 5 }]);
  });
});
