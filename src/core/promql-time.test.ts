import { describe, expect, it } from 'vitest';
import { autoStep, minimumStep, pointsFor, POINT_LIMIT } from './promql-time.js';

describe('range steps', () => {
  it.each([
    [3600, 15],
    [86400, 600],
    [30 * 86400, 10800],
    [400 * 86400, 172800],
  ])('a %is range gets a round step of %is', (span, step) => {
    expect(autoStep(0, span)).toBe(step);
  });
  it('never exceeds the point limit, even for ranges no round step covers', () => {
    for (const span of [1, 59, 3601, 11_000, 10 * 365 * 86400, 123_456_789]) {
      expect(pointsFor(0, span, autoStep(0, span))).toBeLessThanOrEqual(POINT_LIMIT);
    }
  });
  it('the minimum step is the smallest that fits', () => {
    const span = 2 * 86400;
    const m = minimumStep(0, span);
    expect(pointsFor(0, span, m)).toBeLessThanOrEqual(POINT_LIMIT);
    expect(pointsFor(0, span, m - 1)).toBeGreaterThan(POINT_LIMIT);
  });
});
