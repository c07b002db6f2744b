/**
 * Progressive trust (pure): an action's safety level per environment — never → confirm → auto — is a trust level
 * with a history. monitoring.toml gives the starting level; changes are recorded beside it (never by rewriting the
 * user's file). Evidence comes from the remediation log: after K verified successes since the last change of
 * level, with no failure or rollback among them, a promotion is suggested (never made on its own); a failed
 * verification demotes the action one level at once. Actions helm-cloud never executes cannot be promoted.
 */
import type { SafetyLevel } from './safety.js';

export const LEVELS: readonly SafetyLevel[] = ['never', 'confirm', 'auto'];

export interface TrustChange {
  env: string;
  action: string;
  at: number;
  from: SafetyLevel;
  to: SafetyLevel;
  reason: string;
  by: 'automatic' | string;
}

/** One remediation outcome as trust sees it (from actions.jsonl). */
export interface TrustEvidence {
  env: string;
  action: string;
  at: number;
  /** verified: applied and the symptom improved; failed: apply or verification failed; rolled_back. */
  result: 'verified' | 'failed' | 'rolled_back' | 'other';
}

export interface TrustView {
  env: string;
  action: string;
  configured: SafetyLevel;
  level: SafetyLevel;
  /** Verified successes since the last change of level (or ever), with no failure after them. */
  streak: number;
  suggestion?: { to: SafetyLevel; reason: string };
  lastChange?: TrustChange;
}

export function up(l: SafetyLevel): SafetyLevel | undefined {
  const i = LEVELS.indexOf(l);
  return LEVELS[i + 1];
}

export function down(l: SafetyLevel): SafetyLevel | undefined {
  const i = LEVELS.indexOf(l);
  return i > 0 ? LEVELS[i - 1] : undefined;
}

/** The level in force: the newest recorded change for (env, action), else the configured level. */
export function currentLevel(configured: SafetyLevel, changes: readonly TrustChange[], env: string, action: string): { level: SafetyLevel; last?: TrustChange } {
  let last: TrustChange | undefined;
  for (const c of changes) if (c.env === env && c.action === action && (!last || c.at >= last.at)) last = c;
  return last ? { level: last.to, last } : { level: configured };
}

export function trustView(p: { env: string; action: string; configured: SafetyLevel; changes: readonly TrustChange[]; evidence: readonly TrustEvidence[]; promoteAfter: number; promotable: boolean }): TrustView {
  const { level, last } = currentLevel(p.configured, p.changes, p.env, p.action);
  const since = last?.at ?? -Infinity;
  let streak = 0;
  for (const e of p.evidence) {
    if (e.env !== p.env || e.action !== p.action || e.at <= since) continue;
    if (e.result === 'verified') streak++;
    else if (e.result === 'failed' || e.result === 'rolled_back') streak = 0;
  }
  const next = up(level);
  const view: TrustView = { env: p.env, action: p.action, configured: p.configured, level, streak, ...(last ? { lastChange: last } : {}) };
  if (next && p.promotable && streak >= p.promoteAfter) {
    view.suggestion = { to: next, reason: `${streak} verified successes with no failure or rollback since ${last ? `the last change (${new Date(last.at).toISOString()})` : 'the start'}` };
  }
  return view;
}

/** The automatic demotion after a failed verification; undefined when already at the floor. */
export function demotionFor(current: SafetyLevel, env: string, action: string, at: number, detail: string): TrustChange | undefined {
  const to = down(current);
  return to ? { env, action, at, from: current, to, reason: `verification failed: ${detail}`, by: 'automatic' } : undefined;
}
