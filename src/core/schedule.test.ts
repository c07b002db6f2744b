import { describe, expect, it } from 'vitest';
import { dueEscalations, handoffs, nextEscalation, onCallAt, onCallUntil, rotationShiftAt, segments, type Layer, type Schedule } from './schedule.js';
import { fromWall, isTimeZone, parseLocalOrInstant, toWall, transitions } from './time-zone.js';

const NY = 'America/New_York';
const z = (s: string) => Date.parse(s);
const wall = (s: string) => Date.parse(s + 'Z');
const layer = (over: Partial<Layer>): Layer => ({
  name: 'primary',
  members: ['alice', 'bob', 'carol'],
  unit: 'weekly',
  length: 1,
  start: parseLocalOrInstant('2025-01-06T09:00', NY)!,
  timeZone: NY,
  restrictions: [],
  ...over,
});
const sched = (layers: Layer[], overrides: Schedule['overrides'] = [], timeZone = NY): Schedule => ({ timeZone, layers, overrides });

describe('time zones', () => {
  it('finds both 2027 DST changes of New York at the instants the clocks change', () => {
    const tr = transitions(NY, z('2027-01-01T00:00:00Z'), z('2028-01-01T00:00:00Z'));
    expect(tr.map((t) => new Date(t.at).toISOString())).toEqual(['2027-03-14T07:00:00.000Z', '2027-11-07T06:00:00.000Z']);
  });

  it('resolves a wall time skipped by spring-forward to the jump, a repeated one to its first or last occurrence', () => {
    expect(new Date(fromWall(NY, wall('2027-03-14T02:30:00'))).toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(new Date(fromWall(NY, wall('2027-11-07T01:30:00'), 'first')).toISOString()).toBe('2027-11-07T05:30:00.000Z');
    expect(new Date(fromWall(NY, wall('2027-11-07T01:30:00'), 'last')).toISOString()).toBe('2027-11-07T06:30:00.000Z');
    expect(new Date(toWall(NY, z('2027-11-07T06:30:00Z'))).toISOString()).toBe('2027-11-07T01:30:00.000Z');
  });

  it('rejects zone names that do not exist', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('../etc/passwd')).toBe(false);
  });
});

describe('rotations', () => {
  it('counts the handoffs of a weekly rotation that started two years ago', () => {
    // 2025-01-06 → 2027-03-15 is 114 weeks: 114 mod 3 = 0 → alice from the 09:00 EDT handoff (13:00Z).
    const l = layer({});
    expect(rotationShiftAt(l, z('2027-03-15T13:00:00Z'))).toMatchObject({ user: 'alice', start: z('2027-03-15T13:00:00Z'), end: z('2027-03-22T13:00:00Z') });
    expect(rotationShiftAt(l, z('2027-03-15T12:59:00Z'))).toMatchObject({ user: 'carol', start: z('2027-03-08T14:00:00Z') });
  });

  it('answers for instants before the rotation starts, counting backwards', () => {
    const l = layer({ unit: 'daily', start: parseLocalOrInstant('2027-01-10T09:00', NY)! });
    expect(rotationShiftAt(l, z('2027-01-09T15:00:00Z'))?.user).toBe('carol');
    expect(rotationShiftAt(l, z('2027-01-08T15:00:00Z'))?.user).toBe('bob');
  });

  it('hands off a daily 02:30 rotation at 03:00 on the spring-forward day', () => {
    const l = layer({ unit: 'daily', start: parseLocalOrInstant('2027-03-10T02:30', NY)! });
    const hs = handoffs(l, z('2027-03-13T00:00:00Z'), z('2027-03-16T00:00:00Z'));
    expect(hs.map((h) => new Date(h).toISOString())).toEqual(['2027-03-13T07:30:00.000Z', '2027-03-14T07:00:00.000Z', '2027-03-15T06:30:00.000Z']);
  });

  it('hands off a daily 01:30 rotation at the first 01:30 on the fall-back day (a 25-hour shift)', () => {
    const l = layer({ unit: 'daily', start: parseLocalOrInstant('2027-11-01T01:30', NY)! });
    const s = rotationShiftAt(l, z('2027-11-07T06:15:00Z'))!; // 01:15 EST, after the first 01:30
    expect(new Date(s.start).toISOString()).toBe('2027-11-07T05:30:00.000Z');
    expect(new Date(s.end).toISOString()).toBe('2027-11-08T06:30:00.000Z');
  });

  it('gives no turn to the hourly shift a DST gap empties', () => {
    const l = layer({ unit: 'hourly', members: ['a', 'b', 'c', 'd'], start: parseLocalOrInstant('2027-03-14T00:00', NY)! });
    // 00:00 a, 01:00 b, (02:00 skipped), 03:00 c, 04:00 d
    expect(['05:00', '06:00', '07:00', '08:00'].map((h) => rotationShiftAt(l, z(`2027-03-14T${h}:00Z`))?.user)).toEqual(['a', 'b', 'c', 'd']);
    // 25 wall hours later, 24 real hours and 24 turns: a again.
    expect(rotationShiftAt(l, z('2027-03-15T05:00:00Z'))?.user).toBe('a');
  });

  it('runs a 12-hour rotation on the wall clock through the fall-back (one 13-hour shift)', () => {
    const l = layer({ unit: 'hourly', length: 12, members: ['x', 'y'], start: parseLocalOrInstant('2027-11-06T20:00', NY)! });
    const s = rotationShiftAt(l, z('2027-11-07T06:30:00Z'))!;
    expect(s.user).toBe('x');
    expect((s.end - s.start) / 3_600_000).toBe(13);
  });
});

describe('layers, restrictions and overrides', () => {
  const base = layer({ name: 'base', unit: 'weekly', members: ['night1', 'night2'] });
  const business = layer({ name: 'business', unit: 'daily', members: ['day1', 'day2'], restrictions: [{ days: [1, 2, 3, 4, 5], start: 9 * 60, end: 17 * 60 }] });

  it('lets the higher layer win inside its restriction and the base layer outside it', () => {
    const s = sched([base, business]);
    expect(onCallAt(s, z('2027-03-16T14:00:00Z'))).toMatchObject({ layer: 'business' }); // Tue 10:00 EDT
    expect(onCallAt(s, z('2027-03-16T22:00:00Z'))).toMatchObject({ layer: 'base' }); // Tue 18:00 EDT
    expect(onCallAt(s, z('2027-03-20T14:00:00Z'))).toMatchObject({ layer: 'base' }); // Saturday
  });

  it('runs an overnight restriction into the next morning', () => {
    const night = layer({ name: 'night', members: ['owl'], timeZone: 'Europe/Berlin', restrictions: [{ days: [5], start: 22 * 60, end: 6 * 60 }] });
    const s = sched([night], [], 'Europe/Berlin');
    expect(onCallAt(s, z('2027-06-12T03:00:00Z')).users).toEqual(['owl']); // Sat 05:00 CEST, from Friday's window
    expect(onCallAt(s, z('2027-06-12T05:00:00Z')).users).toEqual([]); // Sat 07:00
    expect(onCallAt(s, z('2027-06-11T19:30:00Z')).users).toEqual([]); // Fri 21:30
  });

  it('puts a plain override on call across a handoff, and a "replaces" override only over that person', () => {
    const l = layer({ unit: 'daily', start: parseLocalOrInstant('2027-01-01T09:00', NY)! });
    const handoff = z('2027-01-02T14:00:00Z');
    const before = rotationShiftAt(l, handoff - 1)!.user;
    const after = rotationShiftAt(l, handoff)!.user;
    expect(before).not.toBe(after);
    const whole = sched([l], [{ id: 'O1', user: 'dave', start: handoff - 3_600_000, end: handoff + 3_600_000 }]);
    expect(onCallAt(whole, handoff - 60_000).users).toEqual(['dave']);
    expect(onCallAt(whole, handoff + 60_000).users).toEqual(['dave']);
    const swap = sched([l], [{ id: 'O2', user: 'dave', replaces: before, start: handoff - 3_600_000, end: handoff + 3_600_000 }]);
    expect(onCallAt(swap, handoff - 60_000).users).toEqual(['dave']);
    expect(onCallAt(swap, handoff + 60_000).users).toEqual([after]);
    const add = sched([l], [{ id: 'O3', user: 'dave', add: true, start: handoff - 3_600_000, end: handoff }]);
    expect(onCallAt(add, handoff - 60_000).users).toEqual([before, 'dave'].sort());
  });

  it('lists segments that change exactly at handoffs and override edges, and says until when', () => {
    const l = layer({ unit: 'daily', start: parseLocalOrInstant('2027-01-01T09:00', NY)! });
    const s = sched([l], [{ id: 'O1', user: 'dave', start: z('2027-01-03T20:00:00Z'), end: z('2027-01-04T02:00:00Z') }]);
    const segs = segments(s, z('2027-01-03T00:00:00Z'), z('2027-01-05T00:00:00Z'));
    expect(segs.map((g) => [new Date(g.start).toISOString().slice(11, 16), g.users.join()])).toEqual([
      ['00:00', rotationShiftAt(l, z('2027-01-03T00:00:00Z'))!.user],
      ['14:00', rotationShiftAt(l, z('2027-01-03T14:00:00Z'))!.user],
      ['20:00', 'dave'],
      ['02:00', rotationShiftAt(l, z('2027-01-04T02:00:00Z'))!.user],
      ['14:00', rotationShiftAt(l, z('2027-01-04T14:00:00Z'))!.user],
    ]);
    expect(onCallUntil(s, z('2027-01-03T15:00:00Z'))).toBe(z('2027-01-03T20:00:00Z'));
  });
});

describe('escalation policies', () => {
  const policy = { tiers: [{ delayMinutes: 5, targets: ['oncall'] }, { delayMinutes: 10, targets: ['user:lead'] }], repeat: 1 };
  const t0 = z('2027-01-01T00:00:00Z');

  it('moves to the next tier after each delay, repeats the policy, then stops', () => {
    const steps = dueEscalations(policy, { tier: 0, loop: 0, at: t0 }, t0 + 60 * 60_000);
    expect(steps.map((s) => [s.tier, s.loop, (s.at - t0) / 60_000])).toEqual([
      [1, 0, 5],
      [0, 1, 15],
      [1, 1, 20],
    ]);
    expect(dueEscalations(policy, { tier: 0, loop: 0, at: t0 }, t0 + 4 * 60_000)).toEqual([]);
  });

  it('escalates now to the next tier, and not past the end', () => {
    expect(nextEscalation(policy, { tier: 0, loop: 0, at: t0 }, t0 + 1)).toEqual({ tier: 1, loop: 0, at: t0 + 1 });
    expect(nextEscalation(policy, { tier: 1, loop: 1, at: t0 }, t0 + 1)).toBeUndefined();
  });
});

describe('rotations in unusual zones (internal consistency)', () => {
  // Half-hour DST (Lord Howe), midnight transitions (Santiago), +12:45 (Chatham), no DST (Kolkata), DST ending
  // in winter (Dublin's negative DST in tzdata): each shift holds t, starts at a handoff, and turns advance by one.
  const zones = ['Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham', 'Asia/Kolkata', 'Europe/Dublin', 'America/St_Johns'];
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  it.each(zones.flatMap((tz) => (['hourly', 'daily'] as const).map((unit) => [tz, unit] as const)))('%s %s', (tz, unit) => {
    const l = layer({ timeZone: tz, unit, members: ['a', 'b', 'c', 'd', 'e'], start: parseLocalOrInstant('2026-09-01T00:30', tz)! });
    for (let i = 0; i < 60; i++) {
      const t = z('2027-01-01T00:00:00Z') + Math.floor(rnd() * 365 * 86_400_000);
      const s = rotationShiftAt(l, t)!;
      expect(s.start <= t && t < s.end).toBe(true);
      const hs = handoffs(l, s.start - 1, s.end);
      expect(hs).toEqual([s.start, s.end]);
      const next = rotationShiftAt(l, s.end)!;
      expect(next.index).toBe((s.index + 1) % 5);
      expect(next.start).toBe(s.end);
    }
  });
});
