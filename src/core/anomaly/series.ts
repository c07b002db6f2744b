import { DEVIATION_CAP, Detector, type DetectorOptions, type PointScore } from './detector.js';

export interface SeriesPoint {
  /** Epoch milliseconds. */
  t: number;
  v: number;
}

/** One anomalous episode of a series. */
export interface Anomaly {
  /** First anomalous point. */
  startMs: number;
  /** Last point of the episode still unusual (deviation ≥ UNUSUAL_SIGMA) or anomalous. */
  endMs: number;
  /** The point with the highest score. */
  peakMs: number;
  peakScore: number;
  value: number;
  expected: number;
  /** Largest deviation in the episode, in robust standard deviations. */
  deviation: number;
  direction: 'up' | 'down';
  /** The episode left the range of every earlier value. */
  beyondRange: boolean;
  /** Points in the episode. */
  points: number;
}

export interface ScoredSeries {
  /** One entry per input point (null where the detector gave none: NaN, repeated timestamp). */
  scores: (PointScore | null)[];
  anomalies: Anomaly[];
  threshold: number;
}

/** A point this far from usual keeps an episode open. */
export const UNUSUAL_SIGMA = 3;

/**
 * Score a whole series in one pass (points sorted by time; unsorted input is sorted first) with a
 * fresh detector, and group anomalous points into episodes. The same detector, same options, as
 * streaming callers use; exported for range queries (CloudWatch, PromQL).
 */
export function scoreSeries(points: readonly SeriesPoint[], options: DetectorOptions = {}): ScoredSeries {
  const sorted = isSorted(points) ? points : [...points].sort((a, b) => a.t - b.t);
  const detector = new Detector(options);
  const scores: (PointScore | null)[] = [];
  const anomalies: Anomaly[] = [];
  let open: Anomaly | null = null;
  for (const p of sorted) {
    const s = detector.update(p.t, p.v);
    scores.push(s);
    if (s === null) continue;
    if (open !== null && (s.anomalous || s.deviation >= UNUSUAL_SIGMA)) {
      open.endMs = p.t;
      open.points++;
      open.beyondRange ||= s.beyondRange;
      if (s.deviation > open.deviation) open.deviation = s.deviation;
      if (s.score > open.peakScore) Object.assign(open, { peakMs: p.t, peakScore: s.score, value: p.v, expected: s.expected, direction: dir(p.v, s.expected) });
      continue;
    }
    open = null;
    if (s.anomalous) {
      open = { startMs: p.t, endMs: p.t, peakMs: p.t, peakScore: s.score, value: p.v, expected: s.expected, deviation: s.deviation, direction: dir(p.v, s.expected), beyondRange: s.beyondRange, points: 1 };
      anomalies.push(open);
    }
  }
  return { scores, anomalies, threshold: detector.threshold };
}

/** A series is stopped when nothing came for this many of its own usual intervals... */
const STOP_INTERVALS = 3;
/** ...and for at least this long (CloudWatch publishes minutes late), or three periods on coarse ranges. */
const STOP_MIN_MS = 3_600_000;

export interface Stop {
  /** The last datapoint. */
  lastMs: number;
  /** The usual spacing of its points (the median gap); 0 with a single point. */
  usualMs: number;
}

/**
 * Whether a series stopped before `endMs`: nothing for longer than STOP_INTERVALS of its usual spacing (the
 * median gap, so an hourly or daily metric is not stopped between its points), than any earlier silence in the
 * range (a service idle every night), and than STOP_MIN_MS or three periods. Null while it still reports. The detector cannot see points that never came: a series that stopped has
 * no anomaly after its last point, which must not read as "nothing unusual". Only for series that publish when
 * idle: sparse counts (errors) are silent when nothing happens.
 */
export function stoppedAt(times: readonly number[], endMs: number, periodMs: number): Stop | null {
  if (times.length === 0) return null;
  const sorted = [...times].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! > sorted[i - 1]!) gaps.push(sorted[i]! - sorted[i - 1]!);
  gaps.sort((a, b) => a - b);
  const usualMs = gaps.length ? gaps[gaps.length >> 1]! : 0;
  // A series quiet every night (traffic metrics publish nothing without requests) has been silent this long
  // before: only a silence longer than any earlier one in the range is a stop.
  const longestMs = gaps.length ? gaps[gaps.length - 1]! : 0;
  const lastMs = sorted[sorted.length - 1]!;
  return endMs - lastMs > Math.max(STOP_INTERVALS * usualMs, longestMs, STOP_MIN_MS, 3 * periodMs) ? { lastMs, usualMs } : null;
}

/** "no datapoints since T (6.2 h before E; it reported every 5 min before)". */
export function stopText(stop: Stop, endMs: number, before = 'before the end of the range'): string {
  const h = (endMs - stop.lastMs) / 3_600_000;
  const ago = h >= 48 ? `${Math.round(h / 24)} days` : `${Math.round(h * 10) / 10} h`;
  const m = stop.usualMs / 60_000;
  const every = stop.usualMs === 0 ? 'a single datapoint before' : `it reported every ${m >= 120 ? `${Math.round((m / 60) * 10) / 10} h` : `${Math.round(m)} min`} until then`;
  return `no datapoints since ${new Date(stop.lastMs).toISOString()} (${ago} ${before}; ${every})`;
}

/** A deviation as people read it: "4.2σ", or "≥1000σ" at the cap (a series that had never moved). */
export function sigmaText(deviation: number): string {
  if (deviation >= DEVIATION_CAP) return `≥${DEVIATION_CAP}σ`;
  return `${Math.abs(deviation) >= 100 ? Math.round(deviation * 10) / 10 : Math.round(deviation * 1000) / 1000}σ`;
}

function dir(v: number, expected: number): 'up' | 'down' {
  return v >= expected ? 'up' : 'down';
}

function isSorted(points: readonly SeriesPoint[]): boolean {
  for (let i = 1; i < points.length; i++) if ((points[i] as SeriesPoint).t < (points[i - 1] as SeriesPoint).t) return false;
  return true;
}
