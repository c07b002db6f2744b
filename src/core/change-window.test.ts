import { describe, expect, it } from 'vitest';
import { describeRule, isLateWeek, windowState, type WindowPolicy } from './change-window.js';

const weekdays = [1, 2, 3, 4, 5];
const london = (windows = [{ days: weekdays, startMin: 9 * 60, endMin: 17 * 60, label: 'Mon–Fri 09:00–17:00' }], freezes: WindowPolicy['freezes'] = []): WindowPolicy => ({
  tz: 'Europe/London',
  windows,
  freezes,
});
const at = (iso: string) => Date.parse(iso);

describe('windowState', () => {
  it.each([
    // Winter: London is UTC+0, 09:00 local = 09:00Z.
    { when: '2026-01-14T09:30:00Z', open: true },
    { when: '2026-01-14T08:59:00Z', open: false },
    // Summer: London is UTC+1, 09:00 local = 08:00Z.
    { when: '2026-07-15T08:30:00Z', open: true },
    { when: '2026-07-15T16:30:00Z', open: false },
    // Saturday.
    { when: '2026-07-18T10:00:00Z', open: false },
  ])('$when open=$open in a Mon–Fri 09–17 London window', ({ when, open }) => {
    expect(windowState(london(), at(when)).open).toBe(open);
  });

  it('opens at 09:00 local on both sides of the spring DST change', () => {
    // Friday 2026-03-27 after close; the clocks go forward on Sunday 29 March; next open Monday 30 March 09:00 BST = 08:00Z.
    const s = windowState(london(), at('2026-03-27T18:00:00Z'));
    expect(s.open).toBe(false);
    expect(new Date(s.nextOpen!).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('closes at 17:00 local after the autumn DST change', () => {
    // Monday 26 October 2026 (GMT again): close 17:00Z.
    const s = windowState(london(), at('2026-10-26T10:00:00Z'));
    expect(s.open).toBe(true);
    expect(new Date(s.nextClose!).toISOString()).toBe('2026-10-26T17:00:00.000Z');
  });

  it('a freeze closes an open window and names its reason; the next open is after it', () => {
    const freeze = { from: at('2026-12-19T00:00:00Z'), to: at('2027-01-04T00:00:00Z'), reason: 'end-of-year freeze' };
    const s = windowState(london(undefined, [freeze]), at('2026-12-21T10:00:00Z'));
    expect(s.open).toBe(false);
    expect(s.reason).toContain('end-of-year freeze');
    expect(new Date(s.nextOpen!).toISOString()).toBe('2027-01-04T09:00:00.000Z');
  });

  it('an overnight window runs into the next day', () => {
    const policy = london([{ days: [2], startMin: 22 * 60, endMin: 2 * 60, label: 'Tue 22:00–02:00' }]);
    expect(windowState(policy, at('2026-01-13T23:00:00Z')).open).toBe(true);
    expect(windowState(policy, at('2026-01-14T01:30:00Z')).open).toBe(true);
    expect(windowState(policy, at('2026-01-14T02:30:00Z')).open).toBe(false);
  });

  it('no windows is always open, with no next change', () => {
    const s = windowState({ tz: 'UTC', windows: [], freezes: [] }, at('2026-05-01T03:00:00Z'));
    expect(s.open).toBe(true);
    expect(s.nextChange).toBeNull();
    expect(s.reason).toMatch(/always open/);
  });

  it('a window starting in a skipped hour opens when the clocks jump', () => {
    // New York springs forward at 02:00 on 2026-03-08: a 02:30 start happens at 03:00 EDT = 07:00Z.
    const policy: WindowPolicy = { tz: 'America/New_York', windows: [{ days: [0], startMin: 150, endMin: 300, label: 'Sun 02:30–05:00' }], freezes: [] };
    const s = windowState(policy, at('2026-03-08T05:00:00Z'));
    expect(new Date(s.nextOpen!).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });
});

describe('isLateWeek', () => {
  it.each([
    ['2026-07-17T13:59:00Z', false], // Friday 14:59 BST
    ['2026-07-17T14:00:00Z', true], // Friday 15:00 BST
    ['2026-07-19T09:00:00Z', true], // Sunday
    ['2026-07-20T09:00:00Z', false], // Monday
  ])('%s → %s', (when, late) => expect(isLateWeek('Europe/London', at(when), 15 * 60)).toBe(late));
});

describe('describeRule', () => {
  it('names days and times', () => expect(describeRule([1, 2], 540, 1020)).toBe('Mon,Tue 09:00–17:00'));
});
