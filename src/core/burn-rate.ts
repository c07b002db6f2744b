/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs", recipe 6).
 * A burn rate is the bad-event ratio divided by the ratio the SLO allows: 1 spends the budget exactly over the
 * SLO period. An alert fires when both its long and its short window burn faster than the threshold.
 * For a 30-day objective: page 14.4× over 1h and 5m (2 % of the budget in an hour), page 6× over 6h and 30m
 * (5 % in six hours), ticket 1× over 3d and 6h (10 % in three days). For another period the same budget shares
 * give threshold = share × period / long window.
 */
import { verdictRank, type Verdict } from './verdict.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface BurnRule {
  alert: 'page' | 'ticket';
  longMs: number;
  shortMs: number;
  /** Share of the period's error budget that the long window may spend before the alert fires. */
  budgetShare: number;
}

export const WORKBOOK_RULES: readonly BurnRule[] = [
  { alert: 'page', longMs: HOUR, shortMs: 5 * MIN, budgetShare: 0.02 },
  { alert: 'page', longMs: 6 * HOUR, shortMs: 30 * MIN, budgetShare: 0.05 },
  { alert: 'ticket', longMs: 3 * DAY, shortMs: 6 * HOUR, budgetShare: 0.1 },
];

/** Every window any rule reads, shortest first. */
export const BURN_WINDOWS_MS: readonly number[] = [...new Set(WORKBOOK_RULES.flatMap((r) => [r.longMs, r.shortMs]))].sort((a, b) => a - b);

export function threshold(rule: BurnRule, periodDays: number): number {
  return Math.round(((rule.budgetShare * periodDays * DAY) / rule.longMs) * 100) / 100;
}

export function windowLabel(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MIN === 0) return `${ms / MIN}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** Bad and total events over one window; `covered` is false when the data does not reach back over the window. */
export interface WindowEvents {
  windowMs: number;
  bad: number;
  total: number;
  covered: boolean;
}

export interface BurnRateEntry {
  window: string;
  /** Burn rate (× budget); null when the window has insufficient data. */
  rate: number | null;
  threshold: number;
  alert: 'page' | 'ticket';
  /** The rule's pair of windows, e.g. "1h+5m". */
  rule: string;
  status: 'ok' | 'exceeded' | 'insufficient data';
}

export interface BurnAlert {
  alert: 'page' | 'ticket';
  rule: string;
  firing: boolean;
  /** Some window of the rule lacked data, so the rule could not be judged. */
  insufficient: boolean;
  reason?: string;
}

export interface BurnResult {
  entries: BurnRateEntry[];
  alerts: BurnAlert[];
  /** The largest burn rate over the 1h window (null without data): the dashboard's "slo_burn". */
  hourRate: number | null;
}

/**
 * `allowedBadRatio` is the bad-event share the SLO allows (0.01 for "error rate ≤ 1 %", 0.001 for
 * "availability ≥ 99.9 %"). Windows missing from `events` count as insufficient data.
 */
export function burnRates(allowedBadRatio: number, periodDays: number, events: readonly WindowEvents[]): BurnResult {
  const byWindow = new Map(events.map((e) => [e.windowMs, e]));
  const rate = (ms: number): number | null => {
    const e = byWindow.get(ms);
    // Counts that are not numbers (NaN from 0/0 upstream, ±Inf) are no data, never a burn rate of "ok".
    if (!e || !e.covered || !(e.total > 0) || !Number.isFinite(e.total) || !Number.isFinite(e.bad) || e.bad < 0) return null;
    const ratio = e.bad / e.total;
    if (allowedBadRatio <= 0) return ratio > 0 ? Infinity : 0;
    return Math.round((ratio / allowedBadRatio) * 100) / 100;
  };
  const entries: BurnRateEntry[] = [];
  const alerts: BurnAlert[] = [];
  for (const rule of WORKBOOK_RULES) {
    const t = threshold(rule, periodDays);
    const name = `${windowLabel(rule.longMs)}+${windowLabel(rule.shortMs)}`;
    const pair = [rule.longMs, rule.shortMs].map((ms) => ({ ms, r: rate(ms) }));
    for (const { ms, r } of pair) {
      entries.push({
        window: windowLabel(ms),
        rate: r === null ? null : Number.isFinite(r) ? r : null,
        threshold: t,
        alert: rule.alert,
        rule: name,
        status: r === null ? 'insufficient data' : r >= t ? 'exceeded' : 'ok',
      });
    }
    const insufficient = pair.some((p) => p.r === null);
    const firing = !insufficient && pair.every((p) => p.r! >= t);
    const shown = pair.map((p) => `${p.r === null ? '?' : Number.isFinite(p.r) ? p.r : '∞'}× over ${windowLabel(p.ms)}`).join(' and ');
    alerts.push({
      alert: rule.alert,
      rule: name,
      firing,
      insufficient,
      reason: firing ? `${rule.alert}-level burn: ${shown} (≥ ${t}×)` : insufficient ? `burn rate ${name}: insufficient data` : undefined,
    });
  }
  return { entries, alerts, hourRate: rate(HOUR) === null ? null : Number.isFinite(rate(HOUR)!) ? rate(HOUR) : null };
}

/**
 * A firing burn alert makes its SLO at least DEGRADED, with the alerts' reasons after the objective's own; it never
 * makes it worse (a breach is the objective's to decide). One rule for registry and PromQL SLOs alike.
 */
export function raiseForBurn(outcome: { verdict: Verdict; reason?: string }, alerts: readonly BurnAlert[], label: string): void {
  const firing = alerts.filter((a) => a.firing);
  if (!firing.length) return;
  const why = firing.map((a) => a.reason).join('; ');
  if (verdictRank(outcome.verdict) < verdictRank('DEGRADED')) {
    outcome.verdict = 'DEGRADED';
    outcome.reason = `${label}: ${why}`;
  } else if (outcome.reason) outcome.reason += `; ${why}`;
}
