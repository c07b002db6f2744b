/**
 * IANA time zones without a date library: wall-clock ("naive") times are plain numbers — the milliseconds a
 * UTC clock would show for the same calendar date and time — and every conversion goes through Intl.
 * A wall time that a DST gap skips resolves to the instant the clocks jump; a wall time that a fall-back
 * repeats resolves to its first (`first`) or last (`last`) occurrence. These are the rules GoAlert and most
 * on-call tools use, so a handoff at 02:30 on the spring-forward day happens at 03:00.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name (case as written; "utc" is accepted like Intl does). */
export function isTimeZone(tz: string): boolean {
  if (!tz || /[^A-Za-z0-9_+\-/]/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Zone names for "did you mean". */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? [...intl.supportedValuesOf('timeZone'), 'UTC'] : ['UTC'];
}

/** Wall-clock time of `t` in `tz`, as naive milliseconds. */
export function toWall(tz: string, t: number): number {
  const parts = formatter(tz).formatToParts(new Date(t));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
    }
  }
  const ms = ((t % 1000) + 1000) % 1000;
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - y : y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/** UTC offset of `tz` at instant `t`, in milliseconds (wall − instant). */
export function offsetAt(tz: string, t: number): number {
  return toWall(tz, t) - t;
}

/** The instant a wall time names: first or last occurrence; a skipped time maps to the jump. */
export function fromWall(tz: string, wall: number, which: 'first' | 'last' = 'first'): number {
  const candidates = new Set<number>();
  for (const probe of [wall - 2 * DAY, wall - DAY, wall, wall + DAY, wall + 2 * DAY]) candidates.add(wall - offsetAt(tz, probe));
  const valid = [...candidates].filter((t) => toWall(tz, t) === wall).sort((a, b) => a - b);
  if (valid.length) return which === 'first' ? valid[0]! : valid[valid.length - 1]!;
  // In a gap: the first instant whose wall time is past `wall` is the jump itself.
  const sorted = [...candidates].sort((a, b) => a - b);
  let lo = sorted[0]!;
  let hi = sorted[sorted.length - 1]!;
  if (!(toWall(tz, lo) < wall && toWall(tz, hi) > wall)) return wall - offsetAt(tz, wall);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (toWall(tz, mid) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface Transition {
  /** The instant the offset changes. */
  at: number;
  offsetBefore: number;
  offsetAfter: number;
}

const transitionCache = new Map<string, Transition[]>();

function transitionsOfYear(tz: string, year: number): Transition[] {
  const key = `${tz}@${year}`;
  const hit = transitionCache.get(key);
  if (hit) return hit;
  const start = Date.UTC(year, 0, 1) - DAY;
  const end = Date.UTC(year + 1, 0, 1) + DAY;
  const out: Transition[] = [];
  const step = 6 * HOUR;
  let prev = offsetAt(tz, start);
  for (let t = start + step; t <= end; t += step) {
    const cur = offsetAt(tz, t);
    if (cur !== prev) {
      let lo = t - step;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2 / 1000) * 1000;
        if (mid <= lo || mid >= hi) break;
        if (offsetAt(tz, mid) === prev) lo = mid;
        else hi = mid;
      }
      const at = Date.UTC(year, 0, 1) <= hi && hi < Date.UTC(year + 1, 0, 1) ? hi : NaN;
      if (!Number.isNaN(at)) out.push({ at, offsetBefore: prev, offsetAfter: cur });
      prev = cur;
    }
  }
  transitionCache.set(key, out);
  return out;
}

/** Offset changes (DST and others) with `from <= at < to`, oldest first. */
export function transitions(tz: string, from: number, to: number): Transition[] {
  if (!(to > from)) return [];
  const y0 = new Date(from).getUTCFullYear();
  const y1 = new Date(to).getUTCFullYear();
  const out: Transition[] = [];
  for (let y = y0; y <= y1; y++) for (const tr of transitionsOfYear(tz, y)) if (tr.at >= from && tr.at < to) out.push(tr);
  return out;
}

export const WALL = { MINUTE, HOUR, DAY } as const;

/** Day of week (0 = Sunday) of a wall time. */
export function wallWeekday(wall: number): number {
  return new Date(wall).getUTCDay();
}

/** Midnight of the wall time's calendar day. */
export function wallMidnight(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}

/** "2026-03-08 03:00" for a wall time. */
export function formatWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 16).replace('T', ' ');
}

/** An instant as local ISO-8601 with offset, e.g. 2026-03-08T03:00:00-04:00. */
export function formatInstant(tz: string, t: number): string {
  const wall = toWall(tz, t);
  const off = Math.round((wall - t) / MINUTE);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const suffix = off === 0 && (tz === 'UTC' || tz === 'Etc/UTC') ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return new Date(wall).toISOString().slice(0, 19) + suffix;
}

/**
 * Parses "2026-01-05T09:00" (a wall time in `tz`) or a time with "Z"/an offset (an instant). Returns the
 * instant, or undefined when the text is not such a time.
 */
export function parseLocalOrInstant(text: string, tz: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (!zone) return fromWall(tz, wall, 'first');
  if (zone === 'Z') return wall;
  const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const off = (Number(zm[2]) * 60 + Number(zm[3])) * MINUTE * (zm[1] === '-' ? -1 : 1);
  return wall - off;
}
