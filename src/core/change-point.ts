/**
 * Change points in a metric series: where its level shifts (error rate up after a deploy, latency stepping up).
 * Binary segmentation on the mean: the split that removes the most squared error, kept only when the shift
 * is both statistically clear (a Welch-style t above `minT`) and large in practice (relative and absolute
 * floors), then each side is searched again. Pure; points must be evenly spaced (see `densify`).
 */

import { roundValue } from './round.js';

export interface Point {
  t: number;
  v: number;
}

export interface ChangePoint {
  /** Timestamp of the first point of the new level. */
  atMs: number;
  index: number;
  before: number;
  after: number;
  direction: 'up' | 'down';
  /** after / before; null when before is 0 (a level appearing from nothing). */
  ratio: number | null;
  /** Strength of the shift in pooled standard deviations (capped, for ranking). */
  score: number;
}

export interface ChangePointOptions {
  /** Fewest points on each side of a split. Default 3. */
  minSegment?: number;
  /** Most change points reported. Default 3. */
  maxChanges?: number;
  /** Shift in standard errors needed. Default 4. */
  minT?: number;
  /** |after − before| / max(|before|, |after|) needed. Default 0.3. */
  minRelative?: number;
  /** |after − before| needed in the metric's unit. Default 0. */
  minAbsolute?: number;
}

const SCORE_CAP = 1000;

function stats(v: readonly number[], a: number, b: number): { n: number; mean: number; sse: number } {
  let s = 0;
  for (let i = a; i < b; i++) s += v[i]!;
  const n = b - a;
  const mean = n ? s / n : 0;
  let sse = 0;
  for (let i = a; i < b; i++) sse += (v[i]! - mean) ** 2;
  return { n, mean, sse };
}

/** Mean of v[a, b) without the one point farthest from `from`. */
function meanWithoutFarthest(v: readonly number[], a: number, b: number, from: number): number {
  let sum = 0;
  let far = a;
  for (let i = a; i < b; i++) {
    sum += v[i]!;
    if (Math.abs(v[i]! - from) > Math.abs(v[far]! - from)) far = i;
  }
  return b - a < 2 ? sum / Math.max(1, b - a) : (sum - v[far]!) / (b - a - 1);
}

export function detectChangePoints(points: readonly Point[], opts: ChangePointOptions = {}): ChangePoint[] {
  const minSeg = Math.max(1, opts.minSegment ?? 3);
  const maxChanges = Math.max(1, opts.maxChanges ?? 3);
  const minT = opts.minT ?? 4;
  const minRel = opts.minRelative ?? 0.3;
  const minAbs = opts.minAbsolute ?? 0;
  const v = points.map((p) => p.v);
  const found: ChangePoint[] = [];

  const search = (a: number, b: number, depth: number) => {
    if (found.length >= maxChanges || depth > 4 || b - a < 2 * minSeg) return;
    const all = stats(v, a, b);
    let best: { k: number; gain: number } | undefined;
    for (let k = a + minSeg; k <= b - minSeg; k++) {
      const gain = all.sse - stats(v, a, k).sse - stats(v, k, b).sse;
      if (!best || gain > best.gain + 1e-12) best = { k, gain };
    }
    if (!best) return;
    const L = stats(v, a, best.k);
    const R = stats(v, best.k, b);
    const delta = R.mean - L.mean;
    const scale = Math.max(Math.abs(L.mean), Math.abs(R.mean));
    const pooled = Math.sqrt((L.sse + R.sse) / Math.max(1, L.n + R.n - 2));
    // A perfectly flat series has no noise: floor the noise at 1% of the level so t stays finite.
    const sigma = Math.max(pooled, 0.01 * scale, 1e-9);
    const t = Math.abs(delta) / (sigma * Math.sqrt(1 / L.n + 1 / R.n));
    // A level shift is carried by its points, not by one of them: without each side's single most extreme point
    // (a lone error burst in a 3-point edge segment) the shift must keep its direction and half its size.
    const robust = meanWithoutFarthest(v, best.k, b, L.mean) - meanWithoutFarthest(v, a, best.k, R.mean);
    const carried = Math.sign(robust) === Math.sign(delta) && Math.abs(robust) >= 0.5 * Math.abs(delta);
    const significant = t >= minT && scale > 0 && Math.abs(delta) / scale >= minRel && Math.abs(delta) >= minAbs && carried;
    if (!significant) return;
    found.push({
      atMs: points[best.k]!.t,
      index: best.k,
      before: round(L.mean),
      after: round(R.mean),
      direction: delta > 0 ? 'up' : 'down',
      ratio: L.mean === 0 ? null : round(R.mean / L.mean),
      score: round(Math.min(SCORE_CAP, t)),
    });
    search(a, best.k, depth + 1);
    search(best.k, b, depth + 1);
  };
  search(0, v.length, 0);
  return found.sort((x, y) => x.atMs - y.atMs);
}

/**
 * Evenly spaced points over [fromMs, toMs) at `periodMs`. CloudWatch omits periods without datapoints:
 * for counts (Sum) that means zero, so pass fill = 0; for levels (Average, Maximum) a missing period is
 * unknown, so leave fill undefined and the period is skipped.
 */
export function densify(timestamps: readonly number[], values: readonly number[], fromMs: number, toMs: number, periodMs: number, fill?: number): Point[] {
  const start = Math.floor(fromMs / periodMs) * periodMs;
  const byBucket = new Map<number, number>();
  timestamps.forEach((t, i) => {
    const b = Math.floor(t / periodMs) * periodMs;
    const cur = byBucket.get(b);
    // Counts add up within a period; levels keep their worst (largest) value.
    byBucket.set(b, cur === undefined ? values[i]! : fill !== undefined ? cur + values[i]! : Math.max(cur, values[i]!));
  });
  const out: Point[] = [];
  for (let b = start; b < toMs; b += periodMs) {
    const v = byBucket.get(b);
    if (v !== undefined) out.push({ t: b, v });
    else if (fill !== undefined) out.push({ t: b, v: fill });
  }
  return out;
}

const round = roundValue;
