/**
 * On-call schedule math, pure: rotation layers, restrictions, overrides → who is on call at an instant, and the
 * shifts over a window.
 *
 * Rotations hand off on the wall clock of their time zone: shift k starts at the wall time start + k × length
 * (hours, days or weeks), resolved to its first occurrence, or to the jump when a DST gap skips it. A shift
 * that a gap empties (an hourly rotation's 02:00 on the spring-forward day) does not take a member's turn. A
 * rotation that started in the past counts its handoffs from its start; member 0 holds the shift that contains
 * the start. Restrictions (e.g. business hours) mask a layer in the schedule's time zone without pausing the
 * rotation. Layers: the highest (last) layer with someone on call wins. Overrides come last: a plain override puts
 * its user on call instead of everyone; `replaces` swaps one person; `add` puts the user on call alongside.
 * These are GoAlert's semantics for rotations, rules and overrides (compared instant by instant in the oracle
 * test), with PagerDuty's layer precedence.
 */
import { fromWall, toWall, transitions, WALL, wallMidnight, wallWeekday } from './time-zone.js';

export type RotationUnit = 'hourly' | 'daily' | 'weekly';

export interface Restriction {
  /** Days the window starts on, 0 = Sunday. */
  days: number[];
  /** Minutes after midnight. end <= start runs into the next day; start == end is a whole day. */
  start: number;
  end: number;
}

export interface Layer {
  name: string;
  members: string[];
  unit: RotationUnit;
  /** Units per shift (e.g. 2 with daily = two-day shifts). */
  length: number;
  /** Handoff reference: the instant shift 0 starts (member 0's turn). */
  start: number;
  /** Zone of the handoff wall clock. */
  timeZone: string;
  /** Empty: always active. */
  restrictions: Restriction[];
}

export interface Override {
  id: string;
  user: string;
  start: number;
  end: number;
  /** Swap only this person. */
  replaces?: string;
  /** On call alongside the schedule instead of instead of it. */
  add?: boolean;
  /** Later overrides win over earlier ones of the same kind. */
  createdAt?: number;
  note?: string;
}

export interface Schedule {
  /** Zone of the restrictions. */
  timeZone: string;
  layers: Layer[];
  overrides: Override[];
}

const UNIT_MS: Record<RotationUnit, number> = { hourly: WALL.HOUR, daily: WALL.DAY, weekly: 7 * WALL.DAY };

export function shiftMs(layer: Pick<Layer, 'unit' | 'length'>): number {
  return UNIT_MS[layer.unit] * Math.max(1, Math.floor(layer.length));
}

/** Wall time of the rotation start, truncated to the minute (handoffs are whole minutes). */
function startWall(layer: Layer): number {
  return Math.floor(toWall(layer.timeZone, layer.start) / WALL.MINUTE) * WALL.MINUTE;
}

function boundary(layer: Layer, w0: number, len: number, k: number): number {
  return fromWall(layer.timeZone, w0 + k * len, 'first');
}

/** Boundaries k that a DST gap folds onto the same instant as boundary k-1, for k in (k0, k1]. */
function foldedBetween(layer: Layer, w0: number, len: number, kLo: number, kHi: number): number {
  if (kHi <= kLo) return 0;
  // Only shifts no longer than a gap can be emptied by one (a day is longer than any DST gap).
  if (len > 3 * WALL.HOUR) return 0;
  let folded = 0;
  const from = boundary(layer, w0, len, kLo) - WALL.DAY;
  const to = boundary(layer, w0, len, kHi) + WALL.DAY;
  for (const tr of transitions(layer.timeZone, from, to)) {
    if (tr.offsetAfter <= tr.offsetBefore) continue;
    const gapStart = tr.at + tr.offsetBefore;
    const gapEnd = tr.at + tr.offsetAfter;
    // Boundaries with wall times in [gapStart, gapEnd] all resolve to tr.at.
    const first = Math.max(kLo, Math.ceil((gapStart - w0) / len));
    const last = Math.min(kHi, Math.floor((gapEnd - w0) / len));
    if (last > first) folded += last - first;
    // The boundary before `first` may also equal tr.at only if it is in the range, handled by `first`.
  }
  return folded;
}

export interface LayerShift {
  layer: string;
  user: string;
  /** Position in `members`. */
  index: number;
  start: number;
  end: number;
}

/** The rotation shift that holds `t` (ignoring restrictions), or undefined for an empty layer. */
export function rotationShiftAt(layer: Layer, t: number): LayerShift | undefined {
  if (layer.members.length === 0) return undefined;
  const w0 = startWall(layer);
  const len = shiftMs(layer);
  let k = Math.floor((toWall(layer.timeZone, t) - w0) / len);
  let lo = boundary(layer, w0, len, k);
  let hi = boundary(layer, w0, len, k + 1);
  for (let guard = 0; guard < 8 && hi <= t; guard++) {
    k++;
    lo = hi;
    hi = boundary(layer, w0, len, k + 1);
  }
  for (let guard = 0; guard < 8 && lo > t; guard++) {
    k--;
    hi = lo;
    lo = boundary(layer, w0, len, k);
  }
  // Skip folded (empty) shifts at the ends so [lo, hi) is the real shift.
  while (hi === lo) hi = boundary(layer, w0, len, ++k + 1);
  const turns = k >= 0 ? k - foldedBetween(layer, w0, len, 0, k) : -(-k - foldedBetween(layer, w0, len, k, 0));
  const n = layer.members.length;
  const index = ((turns % n) + n) % n;
  return { layer: layer.name, user: layer.members[index]!, index, start: lo, end: hi };
}

/** Handoff instants with from < at <= to. */
export function handoffs(layer: Layer, from: number, to: number): number[] {
  const out: number[] = [];
  if (!(to > from)) return out;
  const w0 = startWall(layer);
  const len = shiftMs(layer);
  let k = Math.floor((toWall(layer.timeZone, from) - w0) / len) - 1;
  let last = NaN;
  for (let guard = 0; guard < 200_000; guard++, k++) {
    const b = boundary(layer, w0, len, k);
    if (b > to) break;
    if (b > from && b !== last) out.push(b);
    last = b;
  }
  return out;
}

/** Restriction windows [start, end) that intersect [from, to), in the schedule's zone. */
export function restrictionWindows(tz: string, restrictions: Restriction[], from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const d0 = wallMidnight(toWall(tz, from)) - 2 * WALL.DAY;
  const d1 = wallMidnight(toWall(tz, to)) + WALL.DAY;
  for (let day = d0; day <= d1; day += WALL.DAY) {
    const wd = wallWeekday(day);
    for (const r of restrictions) {
      if (!r.days.includes(wd)) continue;
      const s = fromWall(tz, day + r.start * WALL.MINUTE, 'first');
      const endDay = r.end > r.start ? day : day + WALL.DAY;
      const e = fromWall(tz, endDay + r.end * WALL.MINUTE, 'last');
      if (e > from && s < to && e > s) out.push([s, e]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

export function restrictionActive(tz: string, restrictions: Restriction[], t: number): boolean {
  if (restrictions.length === 0) return true;
  for (const [s, e] of restrictionWindows(tz, restrictions, t, t + 1)) if (s <= t && t < e) return true;
  return false;
}

export interface OnCall {
  /** Sorted, unique. Empty: nobody is on call. */
  users: string[];
  /** The layer that decided (before overrides). */
  layer?: string;
  /** Overrides in effect. */
  overrides: string[];
}

export function layerUserAt(s: Pick<Schedule, 'timeZone'>, layer: Layer, t: number): string | undefined {
  if (!restrictionActive(s.timeZone, layer.restrictions, t)) return undefined;
  return rotationShiftAt(layer, t)?.user;
}

export function onCallAt(s: Schedule, t: number): OnCall {
  let users: string[] = [];
  let layer: string | undefined;
  for (let i = s.layers.length - 1; i >= 0; i--) {
    const u = layerUserAt(s, s.layers[i]!, t);
    if (u !== undefined) {
      users = [u];
      layer = s.layers[i]!.name;
      break;
    }
  }
  const active = s.overrides
    .filter((o) => o.start <= t && t < o.end)
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.start - b.start);
  const applied: string[] = [];
  const whole = active.filter((o) => !o.add && !o.replaces);
  if (whole.length) {
    const o = whole[whole.length - 1]!;
    users = [o.user];
    applied.push(o.id);
  }
  for (const o of active) {
    if (o.replaces && !o.add && users.includes(o.replaces)) {
      users = users.map((u) => (u === o.replaces ? o.user : u));
      applied.push(o.id);
    }
  }
  for (const o of active) {
    if (o.add) {
      users.push(o.user);
      applied.push(o.id);
    }
  }
  return { users: [...new Set(users)].sort(), layer, overrides: applied };
}

export interface Segment {
  start: number;
  end: number;
  users: string[];
  layer?: string;
  overrides: string[];
}

/** Every instant within [from, to) where the answer may change. */
export function changePoints(s: Schedule, from: number, to: number): number[] {
  const pts = new Set<number>([from]);
  for (const l of s.layers) {
    for (const h of handoffs(l, from, to)) if (h < to) pts.add(h);
    for (const [a, b] of restrictionWindows(s.timeZone, l.restrictions, from, to)) {
      if (a > from && a < to) pts.add(a);
      if (b > from && b < to) pts.add(b);
    }
  }
  for (const o of s.overrides) {
    if (o.start > from && o.start < to) pts.add(o.start);
    if (o.end > from && o.end < to) pts.add(o.end);
  }
  return [...pts].sort((a, b) => a - b);
}

/** Who is on call over [from, to), as maximal segments with one answer each. */
export function segments(s: Schedule, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  const pts = changePoints(s, from, to);
  for (let i = 0; i < pts.length; i++) {
    const start = pts[i]!;
    const end = pts[i + 1] ?? to;
    const oc = onCallAt(s, start);
    const prev = out[out.length - 1];
    if (prev && prev.users.join('\n') === oc.users.join('\n') && prev.layer === oc.layer && prev.overrides.join() === oc.overrides.join()) prev.end = end;
    else out.push({ start, end, users: oc.users, layer: oc.layer, overrides: oc.overrides });
  }
  return out;
}

/** When the answer at `t` next changes (bounded look-ahead); undefined when it does not within `horizonMs`. */
export function onCallUntil(s: Schedule, t: number, horizonMs = 35 * WALL.DAY): number | undefined {
  const now = onCallAt(s, t).users.join('\n');
  for (const seg of segments(s, t, t + horizonMs)) if (seg.users.join('\n') !== now) return seg.start;
  return undefined;
}

// ---- escalation policies -----------------------------------------------------------------------------

export interface Tier {
  /** Minutes an unacknowledged incident waits at this tier before moving on. */
  delayMinutes: number;
  targets: string[];
}

export interface Policy {
  tiers: Tier[];
  /** Times the whole policy repeats after its last tier (0 = stop at the last tier). */
  repeat: number;
}

export interface EscalationStep {
  /** Tier index (0-based). */
  tier: number;
  /** Pass through the policy (0 = first). */
  loop: number;
  at: number;
}

/**
 * The tiers an unacknowledged incident reaches by `now`, after the step it last reached (`from`). Each step waits its
 * tier's delay; after the last tier the policy starts over while repeats remain.
 */
export function dueEscalations(policy: Policy, from: EscalationStep, now: number, limit = 100): EscalationStep[] {
  const out: EscalationStep[] = [];
  if (policy.tiers.length === 0) return out;
  let cur = from;
  for (let i = 0; i < limit; i++) {
    const delay = Math.max(0, policy.tiers[cur.tier]?.delayMinutes ?? 0) * WALL.MINUTE;
    let next: EscalationStep;
    if (cur.tier + 1 < policy.tiers.length) next = { tier: cur.tier + 1, loop: cur.loop, at: cur.at + delay };
    else if (cur.loop < policy.repeat) next = { tier: 0, loop: cur.loop + 1, at: cur.at + delay };
    else break;
    if (next.at > now || delay === 0 && next.tier === 0) break;
    out.push(next);
    cur = next;
  }
  return out;
}

/** The step an explicit "escalate now" moves to, or undefined at the end of the policy. */
export function nextEscalation(policy: Policy, from: EscalationStep, now: number): EscalationStep | undefined {
  if (from.tier + 1 < policy.tiers.length) return { tier: from.tier + 1, loop: from.loop, at: now };
  if (from.loop < policy.repeat) return { tier: 0, loop: from.loop + 1, at: now };
  return undefined;
}
