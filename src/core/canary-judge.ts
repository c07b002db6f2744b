/**
 * Canary judgement in the manner of Kayenta's NetflixACAJudge: each metric is classified by comparing the canary's
 * samples with the baseline's over the same window — a Mann–Whitney U test for "worse in the bad direction" plus an
 * effect-size floor, so a statistically significant but tiny difference does not fail a release and a large
 * difference on a handful of noisy points does not either. Metrics are combined into a 0–100 score (weighted share
 * of metrics that pass); a failing critical metric fails the whole judgement.
 *
 * Significance is corrected for the number of metrics (Bonferroni), so the chance that an identical canary fails
 * stays at or below `alpha` however many metrics are judged.
 */
import { mannWhitney } from './mann-whitney.js';

export type MetricDirection = 'increase' | 'decrease' | 'either';

export interface CanaryMetric {
  name: string;
  canary: readonly number[];
  baseline: readonly number[];
  /** Which change is bad: "increase" for errors and latency (the default), "decrease" for success rate. */
  direction?: MetricDirection;
  /** A failing critical metric fails the judgement whatever the score. */
  critical?: boolean;
  weight?: number;
  /** Smallest relative change of the median that counts (0.1 = 10 %); below it a metric passes. */
  minEffect?: number;
  /** Events behind the canary's samples (requests); below `minEvents` the metric is inconclusive. */
  canaryEvents?: number;
  baselineEvents?: number;
}

export interface JudgeThresholds {
  /** Family-wise false-failure rate. */
  alpha: number;
  /** Score at or above which the canary passes. */
  pass: number;
  /** Score at or above which it is marginal (below: fail). */
  marginal: number;
  /** Samples needed on each side. */
  minPoints: number;
  /** Events needed on each side, where events are given. */
  minEvents: number;
  /** Default effect-size floor for metrics that do not set one. */
  minEffect: number;
}

export const DEFAULT_THRESHOLDS: JudgeThresholds = { alpha: 0.05, pass: 95, marginal: 75, minPoints: 10, minEvents: 100, minEffect: 0.1 };

export type MetricClass = 'PASS' | 'HIGH' | 'LOW' | 'NODATA';
export type Judgement = 'PASS' | 'MARGINAL' | 'FAIL' | 'INCONCLUSIVE';

export interface MetricVerdict {
  name: string;
  classification: MetricClass;
  /** Whether this metric counts against the canary. */
  failed: boolean;
  critical: boolean;
  weight: number;
  canaryMedian: number | null;
  baselineMedian: number | null;
  /** canary median / baseline median − 1; null when the baseline median is 0 and the canary's too. */
  relativeChange: number | null;
  pValue: number | null;
  /** Hodges–Lehmann shift, canary − baseline. */
  shift: number | null;
  points: { canary: number; baseline: number };
  reason: string;
}

export interface CanaryJudgement {
  judgement: Judgement;
  /** 0–100; null when nothing could be judged. */
  score: number | null;
  metrics: MetricVerdict[];
  thresholds: JudgeThresholds;
  reason: string;
}

export function judgeCanary(metrics: readonly CanaryMetric[], thresholds: Partial<JudgeThresholds> = {}): CanaryJudgement {
  const t: JudgeThresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const judged = metrics.length;
  const perMetricAlpha = judged > 0 ? t.alpha / judged : t.alpha;
  const verdicts = metrics.map((m) => classify(m, t, perMetricAlpha));
  const scored = verdicts.filter((v) => v.classification !== 'NODATA');
  if (scored.length === 0) {
    return {
      judgement: 'INCONCLUSIVE',
      score: null,
      metrics: verdicts,
      thresholds: t,
      reason: judged === 0 ? 'no metrics to judge' : 'too little data on every metric to judge',
    };
  }
  const total = scored.reduce((a, v) => a + v.weight, 0);
  const passed = scored.filter((v) => !v.failed).reduce((a, v) => a + v.weight, 0);
  const score = Math.round((passed / total) * 1000) / 10;
  const criticalFail = scored.find((v) => v.failed && v.critical);
  const missing = verdicts.filter((v) => v.classification === 'NODATA');
  let judgement: Judgement;
  let reason: string;
  if (criticalFail) {
    judgement = 'FAIL';
    reason = `critical metric ${criticalFail.name} failed: ${criticalFail.reason}`;
  } else if (score >= t.pass) {
    // A pass that left metrics unjudged is not a pass: say what is missing.
    judgement = missing.length ? 'INCONCLUSIVE' : 'PASS';
    reason = missing.length
      ? `score ${score} on ${scored.length} of ${judged} metrics; too little data for ${missing.map((v) => v.name).join(', ')}`
      : `score ${score} ≥ ${t.pass}`;
  } else if (score >= t.marginal) {
    judgement = 'MARGINAL';
    reason = `score ${score} between ${t.marginal} and ${t.pass}`;
  } else {
    judgement = 'FAIL';
    reason = `score ${score} < ${t.marginal}: ${scored.filter((v) => v.failed).map((v) => `${v.name} ${v.reason}`).join('; ')}`;
  }
  return { judgement, score, metrics: verdicts, thresholds: t, reason };
}

function classify(m: CanaryMetric, t: JudgeThresholds, alpha: number): MetricVerdict {
  const canary = m.canary.filter(Number.isFinite);
  const baseline = m.baseline.filter(Number.isFinite);
  const direction = m.direction ?? 'increase';
  const base = {
    name: m.name,
    critical: m.critical ?? false,
    weight: m.weight ?? 1,
    points: { canary: canary.length, baseline: baseline.length },
  };
  const short =
    canary.length < t.minPoints || baseline.length < t.minPoints
      ? `${canary.length} canary and ${baseline.length} baseline points (need ${t.minPoints} each)`
      : (m.canaryEvents !== undefined && m.canaryEvents < t.minEvents) || (m.baselineEvents !== undefined && m.baselineEvents < t.minEvents)
        ? `${m.canaryEvents ?? '?'} canary and ${m.baselineEvents ?? '?'} baseline events (need ${t.minEvents} each)`
        : undefined;
  if (short) {
    return {
      ...base,
      classification: 'NODATA',
      failed: false,
      canaryMedian: canary.length ? median(canary) : null,
      baselineMedian: baseline.length ? median(baseline) : null,
      relativeChange: null,
      pValue: null,
      shift: null,
      reason: `too little data: ${short}`,
    };
  }
  const cm = median(canary);
  const bm = median(baseline);
  const mw = mannWhitney(canary, baseline);
  // Relative change of the centre; with a zero baseline, any canary level counts as a full change.
  const rel = bm !== 0 ? cm / bm - 1 : cm === 0 ? 0 : Math.sign(cm);
  const relMean = relativeMeanChange(canary, baseline);
  const effect = Math.max(Math.abs(rel), Math.abs(relMean));
  const minEffect = m.minEffect ?? t.minEffect;
  const high = mw.pGreater < alpha && mw.shift > 0;
  const low = mw.pLess < alpha && mw.shift < 0;
  const classification: MetricClass = high && effect >= minEffect ? 'HIGH' : low && effect >= minEffect ? 'LOW' : 'PASS';
  const failed = (classification === 'HIGH' && direction !== 'decrease') || (classification === 'LOW' && direction !== 'increase');
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 1000) / 10}%`;
  // Off a zero baseline a relative change is infinite: say where it started instead of a made-up +100 %.
  const change = bm === 0 && cm !== 0 ? 'from 0' : pct(rel);
  const p = classification === 'LOW' ? mw.pLess : classification === 'HIGH' ? mw.pGreater : Math.min(mw.pGreater, mw.pLess);
  const reason =
    classification === 'PASS'
      ? `no significant ${direction === 'decrease' ? 'drop' : direction === 'increase' ? 'rise' : 'change'} (median ${fmt(cm)} vs ${fmt(bm)}, ${change}, p=${fmtP(p)})`
      : `${classification === 'HIGH' ? 'higher' : 'lower'} than baseline: median ${fmt(cm)} vs ${fmt(bm)} (${change}), p=${fmtP(p)} < ${fmtP(alpha)}${failed ? '' : ', in the good direction'}`;
  return {
    ...base,
    classification,
    failed,
    canaryMedian: cm,
    baselineMedian: bm,
    relativeChange: bm !== 0 ? rel : null,
    pValue: p,
    shift: mw.shift,
    reason,
  };
}

function relativeMeanChange(a: readonly number[], b: readonly number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  return mb !== 0 ? ma / mb - 1 : ma === 0 ? 0 : Math.sign(ma);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? String(Math.round(x)) : String(Math.round(x * 1000) / 1000);
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Math.round(p * 1000) / 1000);
}
