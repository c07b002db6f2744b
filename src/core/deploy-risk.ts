/**
 * Deployment risk: a 0–100 score as a sum of named factors, each with the points it adds, its ceiling and the
 * evidence behind it, so the score can be argued with. Two conditions block outright whatever the score, as an
 * SRE error-budget policy and a change freeze say: an exhausted error budget, and an active freeze.
 * A factor whose data could not be read is UNKNOWN and counts half its ceiling: not knowing is a risk, but not the
 * worst case.
 */
import type { Verdict } from './verdict.js';

export interface RiskInputs {
  /** Smallest remaining error budget over the service's SLOs, in percent; undefined = no SLOs; null = unreadable. */
  errorBudgetRemainingPercent: number | null | undefined;
  /** Remaining budget at or below which the policy blocks a release. */
  budgetBlockPercent: number;
  health: Verdict | null;
  /** Open incidents of the project; null = the incident family is not configured or unreadable. */
  openIncidents: number | null;
  firingAlerts: { critical: number; warning: number } | null;
  window: { open: boolean; freeze?: string; lateWeek: boolean; reason: string } | null;
  /** Recent deployments of the project and how many of them failed, were rolled back or failed verification. */
  changeFailure: { deploys: number; failures: number };
  /** Changed items from diff_analysis; null when no target was given. */
  diff: { changes: number; summary: string } | null;
  protectedEnv: boolean;
  changesText?: string;
  blastRadius?: 'low' | 'medium' | 'high';
}

export type FactorStatus = 'ok' | 'risk' | 'block' | 'unknown';

export interface RiskFactor {
  id: string;
  label: string;
  points: number;
  max: number;
  status: FactorStatus;
  detail: string;
}

export type RiskLevel = 'low' | 'medium' | 'high' | 'blocked';

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  blocked: boolean;
  factors: RiskFactor[];
  blockers: string[];
}

const MIGRATION_WORDS = /\b(migrat\w*|schema|alter\s+table|drop\s+(?:table|column|index)|backfill\w*|reindex\w*|rename\s+column|ddl|data\s+fix)\b/i;

function factor(id: string, label: string, max: number, status: FactorStatus, points: number, detail: string): RiskFactor {
  const p = status === 'unknown' ? Math.round(max / 2) : Math.min(max, Math.max(0, Math.round(points)));
  return { id, label, max, status, points: p, detail };
}

export function assessRisk(i: RiskInputs): RiskAssessment {
  const f: RiskFactor[] = [];
  const blockers: string[] = [];

  const b = i.errorBudgetRemainingPercent;
  if (b === undefined) f.push(factor('error_budget', 'error budget', 25, 'ok', 0, 'no SLOs apply to the service'));
  else if (b === null) f.push(factor('error_budget', 'error budget', 25, 'unknown', 0, 'error budget could not be read'));
  else if (b <= i.budgetBlockPercent) {
    f.push(factor('error_budget', 'error budget', 25, 'block', 25, `${fmt(b)}% of the error budget left (policy blocks at ≤ ${i.budgetBlockPercent}%)`));
    blockers.push(`error budget exhausted: ${fmt(b)}% left`);
  } else {
    const pts = b < 25 ? 20 : b < 50 ? 10 : 0;
    f.push(factor('error_budget', 'error budget', 25, pts ? 'risk' : 'ok', pts, `${fmt(b)}% of the error budget left`));
  }

  if (i.health === null) f.push(factor('health', 'current health', 15, 'unknown', 0, 'health could not be read'));
  else {
    const pts = i.health === 'UNHEALTHY' ? 15 : i.health === 'DEGRADED' ? 8 : i.health === 'UNKNOWN' ? 8 : 0;
    f.push(factor('health', 'current health', 15, pts ? 'risk' : 'ok', pts, `health is ${i.health}`));
  }

  if (i.openIncidents === null) f.push(factor('incidents', 'open incidents', 15, 'unknown', 0, 'incidents are not configured or could not be read'));
  else f.push(factor('incidents', 'open incidents', 15, i.openIncidents ? 'risk' : 'ok', i.openIncidents * 10, `${i.openIncidents} open incident${i.openIncidents === 1 ? '' : 's'}`));

  if (i.firingAlerts === null) f.push(factor('alerts', 'firing alerts', 10, 'unknown', 0, 'alerts could not be read'));
  else {
    const { critical, warning } = i.firingAlerts;
    f.push(factor('alerts', 'firing alerts', 10, critical + warning ? 'risk' : 'ok', critical * 10 + warning * 3, `${critical} critical, ${warning} warning firing`));
  }

  if (i.window === null) f.push(factor('timing', 'timing', 20, 'unknown', 0, 'change windows could not be evaluated'));
  else if (i.window.freeze) {
    f.push(factor('timing', 'timing', 20, 'block', 20, `change freeze: ${i.window.freeze}`));
    blockers.push(`change freeze: ${i.window.freeze}`);
  } else {
    const pts = (i.window.open ? 0 : 15) + (i.window.lateWeek ? 10 : 0);
    const why = [i.window.reason, ...(i.window.lateWeek ? ['late in the week (Friday afternoon or weekend)'] : [])].join('; ');
    f.push(factor('timing', 'timing', 20, pts ? 'risk' : 'ok', pts, why));
  }

  const { deploys, failures } = i.changeFailure;
  const rate = deploys ? failures / deploys : 0;
  f.push(
    factor('change_failure_rate', 'recent change-failure rate', 15, rate > 0 ? 'risk' : 'ok', rate * 30, deploys ? `${failures} of the last ${deploys} deployments failed or were rolled back (${fmt(rate * 100)}%)` : 'no earlier deployments'),
  );

  if (i.diff === null) f.push(factor('change_size', 'size of the change', 15, 'unknown', 0, 'no target given: run with --to to weigh the diff'));
  else f.push(factor('change_size', 'size of the change', 15, i.diff.changes ? 'risk' : 'ok', i.diff.changes * 2, i.diff.summary));

  f.push(factor('protected', 'protected environment', 10, i.protectedEnv ? 'risk' : 'ok', i.protectedEnv ? 10 : 0, i.protectedEnv ? 'the environment is protected' : 'not protected'));

  const m = i.changesText ? MIGRATION_WORDS.exec(i.changesText) : null;
  f.push(factor('migration', 'data or schema migration', 15, m ? 'risk' : 'ok', m ? 15 : 0, m ? `the change mentions "${m[0]}"` : i.changesText ? 'no migration named in the change' : 'no change description given'));

  const br = i.blastRadius;
  f.push(factor('blast_radius', 'blast radius', 15, br && br !== 'low' ? 'risk' : 'ok', br === 'high' ? 15 : br === 'medium' ? 7 : 0, br ? `declared ${br}` : 'not declared'));

  const score = Math.min(100, f.reduce((s, x) => s + x.points, 0));
  const level: RiskLevel = blockers.length ? 'blocked' : score >= 60 ? 'high' : score >= 30 ? 'medium' : 'low';
  return { score, level, blocked: blockers.length > 0, factors: f, blockers };
}

export function mentionsMigration(text: string): string | undefined {
  return MIGRATION_WORDS.exec(text)?.[0];
}

function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}
