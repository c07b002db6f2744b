/**
 * SLO evaluation: plain numbers in, verdicts out. No AWS, no clock.
 *
 * Error budget consumed, by the kind of objective:
 * - "max" (error rate ≤ 1 %, latency ≤ 1000 ms, connections ≤ 500): observed / target.
 * - "min" on a good-event ratio (availability ≥ 99.9 %): the budget is the allowed bad share,
 *   (100 − observed) / (100 − target).
 * - "min" on a level (free storage ≥ 5 GB, running tasks ≥ 100 %): target / observed, i.e. how much of the
 *   headroom above zero is gone.
 * A target of 0 leaves no budget: any bad observation breaches it, and the consumed share is reported as null.
 */
import type { Verdict } from './verdict.js';

export interface SloObjective {
  key: string;
  target: number;
  unit: string;
  direction: 'max' | 'min';
  /** "ratio": a percentage of good or bad events; "level": any other quantity. */
  scale: 'ratio' | 'level';
  /** Human name used in reasons: "error rate", "p95 latency". */
  label: string;
}

export interface SloOutcome {
  key: string;
  target: number;
  observed: number | null;
  unit: string;
  /** Share of the error budget used over the window, in percent; null without data or when the budget is 0. */
  budgetConsumedPercent: number | null;
  verdict: Verdict;
  reason?: string;
}

export function budgetConsumed(o: Pick<SloObjective, 'target' | 'direction' | 'scale'>, observed: number): number {
  if (o.direction === 'max') {
    if (o.target === 0) return observed > 0 ? Infinity : 0;
    return (Math.max(0, observed) / o.target) * 100;
  }
  if (o.scale === 'ratio') {
    const budget = 100 - o.target;
    const used = Math.max(0, 100 - observed);
    if (budget <= 0) return used > 0 ? Infinity : 0;
    return (used / budget) * 100;
  }
  if (o.target === 0) return 0;
  if (observed <= 0) return Infinity;
  return (o.target / observed) * 100;
}

export function isBreached(o: Pick<SloObjective, 'target' | 'direction'>, observed: number): boolean {
  return o.direction === 'max' ? observed > o.target : observed < o.target;
}

export function formatValue(v: number, unit: string): string {
  const abs = Math.abs(v);
  const n = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : abs === 0 ? '0' : v.toPrecision(2);
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/**
 * Judges one SLO. `observed` null means no data; `noDataReason` says why (the caller knows: no datapoints,
 * access denied, a failed query). Budget at or above `degradedPercent` without a breach is DEGRADED.
 */
export function evaluateSlo(o: SloObjective, observed: number | null, degradedPercent: number, noDataReason = 'no data'): SloOutcome {
  const base = { key: o.key, target: o.target, unit: o.unit };
  if (observed === null || !Number.isFinite(observed)) {
    return { ...base, observed: null, budgetConsumedPercent: null, verdict: 'UNKNOWN', reason: `${o.label}: ${noDataReason}` };
  }
  const consumed = budgetConsumed(o, observed);
  const pct = Number.isFinite(consumed) ? Math.round(consumed * 10) / 10 : null;
  const obs = round(observed);
  const cmp = o.direction === 'max' ? '>' : '<';
  const shown = `${o.label} ${formatValue(observed, o.unit)}`;
  if (isBreached(o, observed)) {
    return { ...base, observed: obs, budgetConsumedPercent: pct, verdict: 'UNHEALTHY', reason: `${shown} ${cmp} ${formatValue(o.target, o.unit)} (SLO breached)` };
  }
  if (pct !== null && pct >= degradedPercent) {
    return {
      ...base,
      observed: obs,
      budgetConsumedPercent: pct,
      verdict: 'DEGRADED',
      reason: `${shown} has used ${pct}% of its error budget (target ${o.direction === 'max' ? '≤' : '≥'} ${formatValue(o.target, o.unit)})`,
    };
  }
  return { ...base, observed: obs, budgetConsumedPercent: pct, verdict: 'HEALTHY' };
}

function round(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const digits = Math.max(0, 4 - Math.floor(Math.log10(Math.abs(v))));
  return Number(v.toFixed(Math.min(digits, 8)));
}
