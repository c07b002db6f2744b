/**
 * Mann–Whitney U (Wilcoxon rank-sum) test: does one sample tend to be larger than the other?
 * Rank-based, so it needs no normality and one outlier cannot dominate — the reason Kayenta's judge uses it for
 * canary metrics. Ties get mid-ranks and the variance their correction. Small samples (≤ 20 a side, no ties) use the
 * exact distribution of U; larger ones the normal approximation with continuity correction.
 */

export interface MannWhitney {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counted as ½. */
  u: number;
  /** P(U ≥ u) under H0 — one-sided p-value for "x tends to be larger than y". */
  pGreater: number;
  /** P(U ≤ u) under H0 — one-sided p-value for "x tends to be smaller than y". */
  pLess: number;
  /** Two-sided p-value. */
  pTwoSided: number;
  /** Common-language effect size: P(x > y) + ½ P(x = y), in [0, 1]; 0.5 means no tendency. */
  probabilityGreater: number;
  /** Hodges–Lehmann estimate of the shift x − y: the median of all pairwise differences. */
  shift: number;
  exact: boolean;
}

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney needs two non-empty samples');
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = mid;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let r1 = 0;
  for (let k = 0; k < all.length; k++) if (all[k]!.g === 0) r1 += ranks[k]!;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  let pGreater: number;
  let pLess: number;
  const exact = tieTerm === 0 && n1 <= 20 && n2 <= 20;
  if (exact) {
    const dist = uDistribution(n1, n2);
    // U is an integer without ties.
    const k = Math.round(u);
    let ge = 0;
    let le = 0;
    for (let i = 0; i < dist.length; i++) {
      if (i >= k) ge += dist[i]!;
      if (i <= k) le += dist[i]!;
    }
    pGreater = ge;
    pLess = le;
  } else {
    const mean = (n1 * n2) / 2;
    const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
    if (variance <= 0) {
      pGreater = 1;
      pLess = 1;
    } else {
      const sd = Math.sqrt(variance);
      pGreater = 1 - normalCdf((u - mean - 0.5) / sd);
      pLess = normalCdf((u - mean + 0.5) / sd);
    }
  }
  pGreater = clamp01(pGreater);
  pLess = clamp01(pLess);
  return {
    u,
    pGreater,
    pLess,
    pTwoSided: clamp01(2 * Math.min(pGreater, pLess)),
    probabilityGreater: u / (n1 * n2),
    shift: hodgesLehmann(x, y),
    exact,
  };
}

/** Median of all pairwise differences x_i − y_j (n1·n2 values; samples here are tens to hundreds of points). */
export function hodgesLehmann(x: readonly number[], y: readonly number[]): number {
  const d = new Float64Array(x.length * y.length);
  let k = 0;
  for (const a of x) for (const b of y) d[k++] = a - b;
  d.sort();
  const m = d.length >> 1;
  return d.length % 2 ? d[m]! : (d[m - 1]! + d[m]!) / 2;
}

/** Probability of each U = 0 … n1·n2 under H0 (no ties), by the recurrence of Mann and Whitney (1947). */
function uDistribution(n1: number, n2: number): number[] {
  // count[i][j][u] = number of orderings with U = u; computed row by row to keep memory at (n2+1)·(n1n2+1).
  const max = n1 * n2;
  let prev: number[][] = [];
  for (let j = 0; j <= n2; j++) {
    const row = new Array(max + 1).fill(0);
    row[0] = 1;
    prev.push(row);
  }
  for (let i = 1; i <= n1; i++) {
    const cur: number[][] = [];
    for (let j = 0; j <= n2; j++) {
      const row = new Array(max + 1).fill(0);
      if (j === 0) row[0] = 1;
      else {
        // The largest element comes from x (adds j to U) or from y (adds nothing).
        for (let u = 0; u <= max; u++) row[u] = (u >= j ? prev[j]![u - j]! : 0) + cur[j - 1]![u]!;
      }
      cur.push(row);
    }
    prev = cur;
  }
  const counts = prev[n2]!;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
