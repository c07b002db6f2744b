/**
 * health --anomalies: each resource's SLO series over the baseline, scored by the streaming detector
 * (src/core/anomaly). An anomaly that reaches into the evaluation window makes the resource DEGRADED,
 * never worse on its own: a series behaving unlike itself is a warning, not an outage.
 */
import { scoreSeries, sigmaText, stoppedAt, stopText, type Anomaly } from '../../core/anomaly/index.js';
import { densify } from '../../core/change-point.js';
import { roundValue } from '../../core/round.js';

export interface AnomalyFinding {
  start: string;
  end: string;
  peakAt: string;
  value: number;
  expected: number;
  /** Largest distance from usual in the episode, in robust standard deviations. */
  deviation: number;
  score: number;
  direction: 'up' | 'down';
  beyondRange: boolean;
  /** The episode reaches into the evaluation window (it is what makes the resource DEGRADED). */
  current: boolean;
}

export interface SeriesAnomalies {
  metric: string;
  stat: string;
  points: number;
  /** stopped: scored up to its last point, then nothing for longer than it usually takes (a DEGRADED reason). */
  status: 'scored' | 'stopped' | 'insufficient-history' | 'unreadable';
  reason?: string;
  /** status stopped: the last datapoint. */
  stoppedAt?: string;
  anomalies: AnomalyFinding[];
}

/** At least this much history before the evaluation window for the detector to judge it. */
const MIN_HISTORY_MS = 24 * 3600_000;

export function scoreBaseline(
  metric: string,
  stat: string,
  raw: { t: number; v: number }[],
  opts: { sparse: boolean; startMs: number; endMs: number; windowStartMs: number; periodMs: number },
): SeriesAnomalies {
  const sorted = [...raw].sort((a, b) => a.t - b.t);
  // A count published only when non-zero that published nothing had none: zero throughout, not missing history.
  if (opts.sparse && sorted.length === 0) return { metric, stat, points: 0, status: 'scored', reason: 'none over the baseline (published only when non-zero): zero throughout', anomalies: [] };
  // Sparse metrics (published only when non-zero) are zero between datapoints, up to the last one published.
  const last = sorted.length ? sorted[sorted.length - 1]!.t + opts.periodMs : opts.startMs;
  const points = opts.sparse
    ? densify(sorted.map((p) => p.t), sorted.map((p) => p.v), opts.startMs, Math.min(opts.endMs, last), opts.periodMs, 0)
    : sorted;
  const first = points[0]?.t;
  if (first === undefined || opts.windowStartMs - first < MIN_HISTORY_MS) {
    const have = first === undefined ? 'no datapoints' : `${((opts.windowStartMs - Math.min(first, opts.windowStartMs)) / 3600_000).toFixed(1)} h of history`;
    return { metric, stat, points: points.length, status: 'insufficient-history', reason: `${have} before the window; the detector needs ${MIN_HISTORY_MS / 3600_000} h`, anomalies: [] };
  }
  const { anomalies } = scoreSeries(points);
  const found = anomalies.map((a) => finding(a, opts.windowStartMs));
  // The detector cannot score points that never came: a series that stops (traffic gone, an agent dead) is said.
  // Sparse metrics are silent when nothing happens, so only the others can stop.
  const stop = opts.sparse ? null : stoppedAt(sorted.map((p) => p.t), opts.endMs, opts.periodMs);
  if (stop !== null) return { metric, stat, points: points.length, status: 'stopped', reason: stopText(stop, opts.endMs, 'ago'), stoppedAt: new Date(stop.lastMs).toISOString(), anomalies: found };
  return { metric, stat, points: points.length, status: 'scored', anomalies: found };
}

/** The DEGRADED reason for the current anomalies of a series, or undefined. */
export function anomalyReason(s: SeriesAnomalies): string | undefined {
  if (s.status === 'stopped') return `anomaly: ${s.metric} ${s.stat} stopped: ${s.reason}`;
  const cur = s.anomalies.filter((a) => a.current);
  if (!cur.length) return undefined;
  const a = cur.reduce((x, y) => (y.score > x.score ? y : x));
  const how = a.beyondRange ? `beyond its range so far, ${sigmaText(a.deviation)}` : `${sigmaText(a.deviation)} from usual`;
  return `anomaly: ${s.metric} ${s.stat} ${a.direction} to ${fmt(a.value)} (usual ${fmt(a.expected)}, ${how}, score ${a.score.toFixed(2)}) since ${a.start}`;
}

function finding(a: Anomaly, windowStartMs: number): AnomalyFinding {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    start: iso(a.startMs),
    end: iso(a.endMs),
    peakAt: iso(a.peakMs),
    value: round(a.value),
    expected: round(a.expected),
    deviation: round(a.deviation),
    score: round(a.peakScore),
    direction: a.direction,
    beyondRange: a.beyondRange,
    current: a.endMs >= windowStartMs,
  };
}

const round = roundValue;

function fmt(x: number): string {
  return String(round(x));
}
