import { describe, expect, it } from 'vitest';
import { comparedStat } from './series.js';

describe('comparedStat', () => {
  it.each([
    [[true, true], 'p95'],
    [[false, false], 'Average'],
    // One side's percentile failed (a throttled query): both sides fall back, never p95 against an Average.
    [[true, false], 'Average'],
    [[false, true], 'Average'],
  ] as const)('answered %o → %s on both sides', (answered, stat) => {
    expect(comparedStat('p95', answered)).toBe(stat);
  });
});
