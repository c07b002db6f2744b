/**
 * Change windows and freezes in an IANA time zone. A window is a weekly rule in wall-clock time ("Mon–Thu
 * 09:00–16:00 Europe/London"), so it follows DST: 09:00 is 09:00 local on both sides of a change. A window whose
 * end is before its start runs overnight into the next day. Freezes are absolute intervals and win over windows.
 * No windows at all means "always open" (freezes still apply).
 */
import { fromWall, toWall, wallMidnight, wallWeekday, WALL } from './time-zone.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WindowRule {
  /** Days the window starts on (0 = Sunday). */
  days: readonly number[];
  /** Minutes after local midnight. */
  startMin: number;
  endMin: number;
  label: string;
}

export interface Freeze {
  from: number;
  to: number;
  reason: string;
}

export interface WindowPolicy {
  tz: string;
  windows: readonly WindowRule[];
  freezes: readonly Freeze[];
}

export interface WindowState {
  open: boolean;
  /** Why it is open or closed, for people. */
  reason: string;
  freeze?: Freeze;
  window?: WindowRule;
  /** Next instant the state flips; null when it does not within the horizon. */
  nextChange: number | null;
  nextOpen: number | null;
  nextClose: number | null;
}

/** How far ahead transitions are searched. */
const HORIZON_DAYS = 400;

/** "09:00" → minutes; undefined when not a time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  return text.trim() === '24:00' ? 1440 : undefined;
}

function activeRule(policy: WindowPolicy, t: number): WindowRule | undefined {
  const wall = toWall(policy.tz, t);
  const minute = Math.floor((wall - wallMidnight(wall)) / WALL.MINUTE);
  const day = wallWeekday(wall);
  const yesterday = (day + 6) % 7;
  return policy.windows.find((w) => {
    if (w.startMin === w.endMin || (w.startMin === 0 && w.endMin === 1440)) return w.days.includes(day);
    if (w.startMin < w.endMin) return w.days.includes(day) && minute >= w.startMin && minute < w.endMin;
    return (w.days.includes(day) && minute >= w.startMin) || (w.days.includes(yesterday) && minute < w.endMin);
  });
}

function activeFreeze(policy: WindowPolicy, t: number): Freeze | undefined {
  return policy.freezes.find((f) => t >= f.from && t < f.to);
}

export function isOpen(policy: WindowPolicy, t: number): boolean {
  if (activeFreeze(policy, t)) return false;
  return policy.windows.length === 0 || activeRule(policy, t) !== undefined;
}

/** Instants in days [fromDay, toDay) after `at` where the state may change, sorted. */
function boundaries(policy: WindowPolicy, at: number, firstMidnight: number, fromDay: number, toDay: number): number[] {
  const out = new Set<number>();
  for (let d = fromDay; d < toDay && policy.windows.length; d++) {
    const midnight = firstMidnight + d * WALL.DAY;
    for (const w of policy.windows) {
      for (const minute of [w.startMin, w.endMin]) {
        const t = fromWall(policy.tz, midnight + minute * WALL.MINUTE, 'first');
        if (t > at) out.add(t);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

export function windowState(policy: WindowPolicy, at: number): WindowState {
  const open = isOpen(policy, at);
  const freeze = activeFreeze(policy, at);
  const window = activeRule(policy, at);
  let nextChange: number | null = null;
  let nextOpen: number | null = null;
  let nextClose: number | null = null;
  let state = open;
  const visit = (b: number) => {
    const s = isOpen(policy, b);
    if (s === state) return;
    if (nextChange === null) nextChange = b;
    if (s) nextOpen ??= b;
    else nextClose ??= b;
    state = s;
  };
  // Walk a week at a time so the common case (next change within days) reads a few days of boundaries, not a year.
  const firstMidnight = wallMidnight(toWall(policy.tz, at)) - WALL.DAY;
  const freezeMarks = policy.freezes.flatMap((f) => [f.from, f.to]).filter((t) => t > at);
  let lastEnd = at;
  for (let d = 0; d <= HORIZON_DAYS && (nextOpen === null || nextClose === null); d += 7) {
    const chunkEnd = fromWall(policy.tz, firstMidnight + (d + 7) * WALL.DAY, 'first');
    const marks = [...boundaries(policy, at, firstMidnight, d, d + 7), ...freezeMarks.filter((t) => t > lastEnd && t <= chunkEnd)].sort((a, b) => a - b);
    for (const b of marks) {
      visit(b);
      if (nextOpen !== null && nextClose !== null) break;
    }
    lastEnd = chunkEnd;
  }
  const reason = freeze
    ? `freeze: ${freeze.reason}`
    : policy.windows.length === 0
      ? 'no change windows configured: always open'
      : window
        ? `inside window ${window.label}`
        : 'outside every change window';
  return { open, reason, ...(freeze ? { freeze } : {}), ...(window && !freeze ? { window } : {}), nextChange, nextOpen, nextClose };
}

/** "Mon–Fri 09:00–17:00" for a rule. */
export function describeRule(days: readonly number[], startMin: number, endMin: number): string {
  const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const names = days.map((d) => WEEKDAYS[d]!.charAt(0).toUpperCase() + WEEKDAYS[d]!.slice(1));
  return `${names.join(',')} ${hm(startMin)}–${hm(endMin)}`;
}

/** True on Friday at or after `afterMin` local, and all weekend: the hours nobody wants to debug a release. */
export function isLateWeek(tz: string, t: number, afterMin: number): boolean {
  const wall = toWall(tz, t);
  const day = wallWeekday(wall);
  const minute = Math.floor((wall - wallMidnight(wall)) / WALL.MINUTE);
  return day === 6 || day === 0 || (day === 5 && minute >= afterMin);
}
