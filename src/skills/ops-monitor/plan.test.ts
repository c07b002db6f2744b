import { describe, expect, it } from 'vitest';
import { rangeGroups } from './plan.js';

const END = Date.parse('2026-12-05T06:00:42.300Z');

describe('rangeGroups', () => {
  it('rounds a short window up to whole minutes ending at the end', () => {
    const g = rangeGroups(END, 3_000);
    expect(g.main.startMs).toBe(END - 60_000);
    expect(g.main.periodFor('Sum')).toBe(60);
  });

  it('with an exact start (verify: data after the apply) never reaches back before it', () => {
    const applied = END - 3_000;
    const g = rangeGroups(END, 3_000, undefined, applied);
    expect(g.main.startMs).toBe(applied);
    expect(g.main.endMs).toBe(END);
    // CloudWatch periods stay whole minutes: one bucket covers the short window.
    expect(g.main.periodFor('Sum')).toBe(60);
    expect(g.main.periodFor('p95')).toBe(60);
  });
});
