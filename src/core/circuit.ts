/**
 * The automation circuit breaker (pure). One breaker per scope — an environment, and an environment plus an
 * action — in the classic three states:
 * - closed: automatic remediations run; each failed or rolled-back one is remembered; N of them within the window
 *   open the breaker;
 * - open: no automatic remediation runs (a person may still run one, with confirmation and a warning); after the
 *   cool-down it becomes half-open;
 * - half-open: one automatic remediation is let through as a trial; its verification closes the breaker, its
 *   failure re-opens it for another cool-down.
 * An operator can open or close a breaker by hand; a hand-opened breaker stays open until closed by hand.
 * Every change of state is a transition with its reason, for the history.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerConfig {
  /** Failures within `windowMs` that open the breaker. */
  failures: number;
  windowMs: number;
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = { failures: 3, windowMs: 3600_000, cooldownMs: 1800_000 };

export interface Breaker {
  state: BreakerState;
  /** When the current state began (ms). */
  since: number;
  reason: string;
  /** Times of failures counted towards opening (closed state only). */
  failures: number[];
  /** Opened by an operator: no automatic half-open. */
  manual?: boolean;
  /** A half-open trial is under way (taken by a run, not yet judged). */
  trial?: boolean;
}

export interface Transition {
  scope: string;
  at: number;
  from: BreakerState;
  to: BreakerState;
  reason: string;
  by: 'automatic' | string;
}

export const closedBreaker = (now: number): Breaker => ({ state: 'closed', since: now, reason: 'no failures recorded', failures: [] });

function move(scope: string, b: Breaker, to: BreakerState, at: number, reason: string, by: Transition['by'], extra: Partial<Breaker> = {}): { breaker: Breaker; transition?: Transition } {
  const next: Breaker = { state: to, since: at, reason, failures: to === 'closed' ? [] : b.failures, ...extra };
  if (to !== 'half_open') delete next.trial;
  if (to !== 'open') delete next.manual;
  return { breaker: next, ...(b.state !== to ? { transition: { scope, at, from: b.state, to, reason, by } } : {}) };
}

/** Time passing: an automatically opened breaker is half-open once its cool-down is over. */
export function tick(scope: string, b: Breaker, now: number, cfg: BreakerConfig): { breaker: Breaker; transition?: Transition } {
  if (b.state === 'open' && !b.manual && now - b.since >= cfg.cooldownMs) {
    return move(scope, b, 'half_open', b.since + cfg.cooldownMs, `cool-down of ${Math.round(cfg.cooldownMs / 60_000)} min over: one automatic remediation may run as a trial`, 'automatic');
  }
  return { breaker: b };
}

export type Admission = { allowed: true; trial: boolean } | { allowed: false; reason: string };

/** May an automatic remediation run now? A half-open breaker admits exactly one trial. */
export function admit(b: Breaker): Admission {
  if (b.state === 'closed') return { allowed: true, trial: false };
  if (b.state === 'half_open' && !b.trial) return { allowed: true, trial: true };
  if (b.state === 'half_open') return { allowed: false, reason: 'half-open: a trial remediation is already under way' };
  return { allowed: false, reason: `open since ${new Date(b.since).toISOString()}: ${b.reason}` };
}

/** The outcome of a remediation that ran through this breaker. */
export function record(scope: string, b: Breaker, outcome: { ok: boolean; detail: string; automatic: boolean }, now: number, cfg: BreakerConfig): { breaker: Breaker; transition?: Transition } {
  if (b.state === 'half_open') {
    if (!b.trial && !outcome.automatic) return { breaker: b };
    return outcome.ok
      ? move(scope, b, 'closed', now, `trial remediation verified: ${outcome.detail}`, 'automatic')
      : move(scope, b, 'open', now, `trial remediation failed: ${outcome.detail}`, 'automatic', { failures: [...b.failures, now] });
  }
  if (outcome.ok) return { breaker: b };
  const recent = [...b.failures, now].filter((t) => now - t < cfg.windowMs);
  if (b.state === 'closed' && recent.length >= cfg.failures) {
    return move(scope, b, 'open', now, `${recent.length} failed or rolled-back remediations within ${Math.round(cfg.windowMs / 60_000)} min (last: ${outcome.detail})`, 'automatic', { failures: recent });
  }
  return { breaker: { ...b, failures: recent } };
}

/** An operator's command. `reset` forgets counted failures and closes. */
export function operate(scope: string, b: Breaker, op: 'open' | 'close' | 'reset', now: number, who: string, why?: string): { breaker: Breaker; transition?: Transition } {
  if (op === 'open') return move(scope, b, 'open', now, why ?? `opened by ${who}`, who, { manual: true });
  const res = move(scope, b, 'closed', now, why ?? `${op === 'reset' ? 'reset' : 'closed'} by ${who}`, who);
  // A reset on an already closed breaker still forgets its failures; show it in the history.
  if (op === 'reset' && !res.transition) return { breaker: res.breaker, transition: { scope, at: now, from: b.state, to: 'closed', reason: res.breaker.reason, by: who } };
  return res;
}

/** Scopes a remediation passes through, broadest first. */
export function scopesFor(env: string, action: string): string[] {
  return [env, `${env}/${action}`];
}
