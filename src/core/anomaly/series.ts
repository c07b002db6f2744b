import { Detector, type DetectorOptions, type PointScore } from './detector.js';

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

function dir(v: number, expected: number): 'up' | 'down' {
  return v >= expected ? 'up' : 'down';
}

function isSorted(points: readonly SeriesPoint[]): boolean {
  for (let i = 1; i < points.length; i++) if ((points[i] as SeriesPoint).t < (points[i - 1] as SeriesPoint).t) return false;
  return true;
}
