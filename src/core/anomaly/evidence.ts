import type { ChangePoint, Point } from '../change-point.js';
import { roundValue } from '../round.js';
import { scoreSeries } from './series.js';

/**
 * Anomalies of a series that start at or after `fromMs`, as change evidence (the shape change points have):
 * `before` is what the detector expected, `after` the anomalous value, `score` the deviation in robust
 * standard deviations. The points before `fromMs` are the detector's history (it needs a day).
 */
export function anomalyChanges(points: readonly Point[], fromMs = -Infinity): ChangePoint[] {
  if (points.length < 8) return [];
  const { anomalies } = scoreSeries(points);
  return anomalies.filter((a) => a.startMs >= fromMs).map((a) => ({
    atMs: a.startMs,
    index: points.findIndex((p) => p.t === a.startMs),
    before: round(a.expected),
    after: round(a.value),
    direction: a.direction,
    ratio: a.expected !== 0 ? round(a.value / a.expected) : null,
    score: round(a.deviation),
  }));
}

const round = roundValue;
