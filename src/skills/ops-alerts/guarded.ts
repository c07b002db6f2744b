/**
 * A write of the alerts family to AWS (alarm actions on/off, generated SLO alarms) through the remediation
 * safety path: the per-target lock, the consent policy of src/core/safety (a protected environment asks on a
 * terminal, needs --yes without one, never prompts where nobody can answer), and actions.jsonl with an intent
 * line before the change and the outcome (with the state before and after) once it is re-read. A target already
 * in the wanted state is `skipped`, so running it again changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Workspace } from '../../config/load.js';
import { consentFor } from '../../core/safety.js';
import { HelmError, isHelmError } from '../../errors.js';
import type { Io } from '../../io.js';
import { appendAction, type ActionOutcome } from '../../store/actions-log.js';
import { acquireLock } from '../../store/lock.js';

export interface GuardedWrite<S> {
  ws: Workspace;
  env: { name: string; protected: boolean };
  io: Io;
  operator: string;
  /** --yes: consent given on the command line. */
  yes: boolean;
  /** Plan only: nothing is locked, written or logged. */
  dryRun?: boolean;
  /**
   * Consent given earlier for this very change (the silence that disabled alarm actions asked for their
   * re-enabling when it ends): no question, still locked and logged.
   */
  preauthorized?: string;
  /** Logged action id, e.g. cloudwatch.disable_alarm_actions. */
  action: string;
  target: string;
  params: Record<string, unknown>;
  now: () => number;
  read(): Promise<S>;
  /** What the log keeps of a state read (default: the state itself). */
  summarize?(state: S): unknown;
  /** The change the state still needs, one line each; empty: already in the target state. */
  plan(before: S): string[];
  apply(before: S): Promise<void>;
  /** Judges the re-read state. */
  verify(after: S): { ok: boolean; detail: string };
}

export interface GuardedResult<S> {
  outcome: Exclude<ActionOutcome, 'intent'> | 'planned';
  detail: string;
  changes: string[];
  before: S | null;
  after: S | null;
  log: { path: string; line: number } | null;
}

/**
 * Runs the write. A refusal (no consent, the lock held elsewhere) is logged and thrown as a HelmError: exit 2
 * when --yes would have let it through, 3 when the operator declined or another change holds the target.
 */
export async function guardedWrite<S>(w: GuardedWrite<S>): Promise<GuardedResult<S>> {
  const attempt = randomUUID();
  const res: GuardedResult<S> = { outcome: 'failed', detail: '', changes: [], before: null, after: null, log: null };
  const log = async (outcome: ActionOutcome, reason?: string) => {
    const l = await appendAction(w.ws, {
      attempt,
      time: new Date(w.now()).toISOString(),
      operator: w.operator,
      environment: w.env.name,
      action: w.action,
      target: w.target,
      params: w.params,
      outcome,
      ...(reason ? { reason } : {}),
      before: res.before !== null && w.summarize ? w.summarize(res.before) : res.before,
      after: res.after !== null && w.summarize ? w.summarize(res.after) : res.after,
      verification: null,
      issue: null,
      plan: res.changes.length ? { changes: res.changes } : null,
      safety: { level: w.env.protected && !w.preauthorized ? 'confirm' : 'auto', protected: w.env.protected, reason: w.preauthorized ?? (w.env.protected ? `${w.env.name} is protected` : 'alerts family write') },
    });
    if (outcome !== 'intent') res.log = l;
  };
  const done = (outcome: GuardedResult<S>['outcome'], detail: string) => Object.assign(res, { outcome, detail });

  if (w.dryRun) {
    res.before = await w.read();
    res.changes = w.plan(res.before);
    return done(res.changes.length ? 'planned' : 'skipped', res.changes.length ? `dry run: would ${res.changes.join('; ')}` : 'already in the target state');
  }
  let lock;
  try {
    lock = await acquireLock(w.ws, { env: w.env.name, operator: w.operator, action: w.action, target: w.target }, w.now());
  } catch (e) {
    if (!isHelmError(e)) throw e;
    await log('refused', e.message);
    throw e;
  }
  try {
    res.before = await w.read();
    res.changes = w.plan(res.before);
    if (!res.changes.length) {
      await log('skipped', 'already in the target state');
      return done('skipped', 'already in the target state');
    }
    const consent = consentFor(w.env.protected && !w.preauthorized ? 'confirm' : 'auto', { dryRun: false, yes: w.yes, interactive: w.io.stdinIsTTY });
    if (consent === 'needs-yes') {
      const why = `${w.env.name} is protected and this run is not interactive, so confirmation needs --yes`;
      await log('refused', why);
      throw new HelmError('usage', `not applied: ${w.action} on ${w.target}: ${why}`, { fix: 're-run with --yes (or on a terminal) to apply' });
    }
    if (consent === 'ask') {
      const yes = await w.io.confirm(`[${w.env.name} is protected] ${w.action} on ${w.target}?`, [`plan: ${w.action} on ${w.target} in ${w.env.name} (protected)`, ...res.changes.map((c) => `  change  ${c}`), '']);
      if (!yes) {
        await log('refused', 'declined by the operator');
        throw new HelmError('action-failed', `not applied: ${w.action} on ${w.target} was declined`, { fix: 'nothing was changed' });
      }
    }
    await log('intent');
    try {
      await w.apply(res.before);
    } catch (e) {
      res.after = await w.read().catch(() => null);
      await log('failed', (e as Error).message.slice(0, 500));
      throw e;
    }
    res.after = await w.read();
    const v = w.verify(res.after);
    await log(v.ok ? 'applied' : 'failed', v.detail);
    if (!v.ok) throw new HelmError('action-failed', `${w.action} on ${w.target} was sent but the re-read state disagrees: ${v.detail}`, { fix: 'check the target in the console; the attempt is in actions.jsonl' });
    return done('applied', v.detail);
  } finally {
    await lock.release();
  }
}
