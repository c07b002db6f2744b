/**
 * ops-manager: the circuit breaker and progressive trust. Builds the Automation state for a workspace, gives
 * remediate its gate and outcome hook, and runs the `circuit` and `trust` commands.
 */
import { ACTION_IDS, defaultSafetyOf, isActionId, loadAllActions } from '../actions/index.js';
import { closest, printable } from '../config/explain.js';
import { AutomationSection } from '../config/automation-schema.js';
import type { Monitoring } from '../config/schemas.js';
import { neverExecuted, resolveSafety, type Safety } from '../core/safety.js';
import { down, up, LEVELS, type TrustChange } from '../core/trust.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { colors, mdTable, paintVerdict, renderTable, safeText, type CommandResult } from '../report/render.js';
import { Automation, evidenceFrom, type AutomationConfig } from '../skills/automation/index.js';
import type { Remediation } from '../skills/ops-responder/index.js';
import { readActions } from '../store/actions-log.js';
import { storeOf } from '../store/index.js';
import { resolveContext, type CommonOptions, type ContextOverrides, type OpsContext } from './context.js';

const UNIT: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };
const ms = (d: string) => Number(d.slice(0, -1)) * UNIT[d.slice(-1)]!;

export function automationConfig(m: Monitoring): AutomationConfig {
  const a = m.automation ?? AutomationSection.parse({});
  return { breaker: { failures: a.circuit_failures, windowMs: ms(a.circuit_window), cooldownMs: ms(a.circuit_cooldown) }, promoteAfter: a.trust_promote_after };
}

export function automationOf(ctx: Pick<OpsContext, 'ws' | 'monitoring' | 'now'>): Automation {
  return new Automation(storeOf(ctx.ws).family('state'), automationConfig(ctx.monitoring), ctx.now);
}

/** Remediate's hooks: the gate before consent, and the outcome after the run. */
export function remediationBrakes(ctx: OpsContext) {
  const automation = automationOf(ctx);
  return {
    gate: (action: string, safety: Safety) => automation.gate({ name: ctx.env.name, protected: ctx.env.config.protected }, action, safety),
    async after(r: Remediation, dryRun: boolean): Promise<string[]> {
      if (dryRun) return [];
      const apply = r.steps.find((s) => s.step === 'apply');
      const ran = apply?.status === 'done' || apply?.status === 'failed';
      const pending = r.verification?.status === 'pending';
      const ok = r.verdict === 'APPLIED' && r.verification?.status === 'verified';
      const res = await automation.record({
        env: ctx.env.name,
        action: r.action,
        applied: ran && !pending,
        ok,
        verificationFailed: apply?.status === 'done' && r.verification !== null && !r.verification.ok,
        automatic: r.safety.level === 'auto',
        detail: r.summary.slice(0, 300),
        configured: resolveSafety(r.action, ctx.monitoring.remediation, { name: ctx.env.name, protected: false }, await defaultSafetyOf(r.action)).configured,
      });
      const notes = res.transitions.map((t) => `circuit breaker ${t.scope}: ${t.from} → ${t.to} (${t.reason})`);
      if (res.demotion) notes.push(`trust: ${r.action} in ${ctx.env.name} demoted ${res.demotion.from} → ${res.demotion.to} (${res.demotion.reason})`);
      return notes;
    },
  };
}

// ---- shown by health and dashboard ---------------------------------------------------------------------

/** An environment's brakes as health and the dashboard show them (`automation` in their JSON). */
export interface AutomationStatus {
  environment: string;
  /** Worst breaker of the environment and its actions: OPEN when any is open, else HALF_OPEN when any is half-open. */
  circuit: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  /** Breakers that are not closed (closed ones, the normal case, are left out). */
  breakers: { scope: string; action: string | null; state: 'open' | 'half_open'; since: string; reason: string; failures: number }[];
  /** Actions whose trust level could go up: verified successes reached `trust_promote_after` (never made on its own). */
  promotions: { action: string; from: string; to: string; streak: number; reason: string }[];
}

/** Read only: nothing is written (a cool-down that ended shows as half-open; `circuit status` records it). */
export async function automationStatus(ctx: Pick<OpsContext, 'ws' | 'monitoring' | 'now'>, envs: readonly string[]): Promise<AutomationStatus[]> {
  const automation = automationOf(ctx);
  const breakers = await automation.snapshot();
  const unreadable = await automation.unreadable();
  const evidence = evidenceFrom(await readActions(ctx.ws));
  const out: AutomationStatus[] = [];
  const defaults = Object.fromEntries((await loadAllActions()).map((a) => [a.id, a.defaultSafety]));
  for (const env of envs) {
    const mine = Object.entries(breakers).filter(([s, b]) => (s === env || s.startsWith(`${env}/`)) && b.state !== 'closed');
    if (unreadable) mine.unshift([env, unreadableBreaker(unreadable, env, ctx.now())]);
    const configured = (a: string) => resolveSafety(a, ctx.monitoring.remediation, { name: env, protected: false }, defaults[a]).configured;
    // Only actions with evidence in this environment can have earned a promotion.
    const used = [...new Set(evidence.filter((e) => e.env === env).map((e) => e.action))].filter(isActionId).sort();
    const views = await Promise.all(used.map((a) => automation.view(env, a, configured(a), evidence)));
    out.push({
      environment: env,
      circuit: mine.some(([, b]) => b.state === 'open') ? 'OPEN' : mine.length ? 'HALF_OPEN' : 'CLOSED',
      breakers: mine.map(([scope, b]) => ({ scope, action: scope.includes('/') ? scope.slice(env.length + 1) : null, state: b.state as 'open' | 'half_open', since: new Date(b.since).toISOString(), reason: b.reason, failures: b.failures.length })),
      promotions: views.filter((v) => v.suggestion).map((v) => ({ action: v.action, from: v.level, to: v.suggestion!.to, streak: v.streak, reason: v.suggestion!.reason })),
    });
  }
  return out;
}

/** Table lines: one per environment with a breaker not closed or a promotion suggested, one for all the rest. */
export function automationLines(all: readonly AutomationStatus[], color: boolean): string[] {
  const lines: string[] = [];
  const quiet = all.filter((s) => s.circuit === 'CLOSED' && !s.promotions.length).map((s) => safeText(s.environment));
  for (const s of all) {
    if (s.circuit === 'CLOSED' && !s.promotions.length) continue;
    const word = s.circuit === 'CLOSED' ? 'closed' : s.circuit === 'OPEN' ? 'OPEN' : 'HALF-OPEN';
    const painted = s.circuit === 'CLOSED' ? word : paintVerdict(s.circuit === 'OPEN' ? 'FAIL' : 'WARN', color).replace(/FAIL|WARN/, word);
    lines.push(`automation ${safeText(s.environment)}: circuit breaker ${painted}${s.circuit === 'OPEN' ? ' (no automatic remediation runs)' : s.circuit === 'HALF_OPEN' ? ' (the next automatic remediation is a trial)' : ''}${s.promotions.length ? `; promotion suggested for ${s.promotions.map((p) => `${p.action} (${p.from} → ${p.to})`).join(', ')}` : ''}`);
    for (const b of s.breakers) lines.push(`  ${safeText(b.scope)} ${b.state.replace('_', '-')} since ${b.since}: ${safeText(b.reason)}`);
    for (const p of s.promotions) lines.push(`  trust ${p.action}: ${safeText(p.reason)} (helm-cloud trust promote ${p.action} --env ${safeText(s.environment)})`);
  }
  if (quiet.length) lines.push(`automation ${quiet.join(', ')}: circuit breaker closed, no promotion suggested`);
  return lines;
}

export function automationMarkdown(all: readonly AutomationStatus[]): string {
  const rows = all.flatMap((s) => [
    [s.environment, 'circuit breaker', s.circuit, s.circuit === 'CLOSED' ? 'automatic remediation allowed' : s.circuit === 'OPEN' ? 'no automatic remediation runs' : 'the next automatic remediation is a trial'],
    ...s.breakers.map((b) => [s.environment, `breaker ${b.scope}`, b.state.toUpperCase(), `since ${b.since}: ${b.reason}`]),
    ...s.promotions.map((p) => [s.environment, `trust ${p.action}`, `${p.from} → ${p.to} suggested`, p.reason]),
  ]);
  return ['### Automation', '', mdTable(['environment', 'what', 'state', 'detail'], rows), ''].join('\n');
}

/** How an unreadable breaker state shows: open (it fails closed), with the way out. */
function unreadableBreaker(why: string, env: string, now: number) {
  return { state: 'open' as const, since: now, reason: `the breaker state cannot be read (${why}): no automatic remediation runs; \`helm-cloud circuit reset --env ${env}\` starts it afresh`, failures: [] };
}

// ---- commands ------------------------------------------------------------------------------------------

export const CIRCUIT_SCHEMA = 'helm-cloud/circuit@1';
export const TRUST_SCHEMA = 'helm-cloud/trust@1';

export interface CircuitRequest extends CommonOptions {
  op: 'status' | 'open' | 'close' | 'reset';
  action?: string;
  reason?: string;
  operator: string;
}

function checkAction(action: string | undefined): void {
  if (action !== undefined && !isActionId(action)) {
    const near = closest(action, ACTION_IDS);
    throw new HelmError('usage', `unknown action "${printable(action)}"`, { keyPath: '--action', fix: near ? `did you mean ${near}?` : `use one of: ${ACTION_IDS.join(', ')}` });
  }
}

export async function runCircuit(req: CircuitRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult> {
  checkAction(req.action);
  const ctx = resolveContext({ ...req, profile: req.profile }, io, overrides);
  const automation = automationOf(ctx);
  const scope = req.action ? `${ctx.env.name}/${req.action}` : ctx.env.name;
  let changed: string | undefined;
  if (req.op !== 'status') {
    const t = await automation.operate(scope, req.op, req.operator, req.reason);
    changed = t ? `${scope}: ${t.from} → ${t.to} (${t.reason})` : `${scope} was already ${req.op === 'open' ? 'open' : 'closed'}`;
  }
  const breakers = await automation.breakers();
  const unreadable = await automation.unreadable();
  const mine = Object.entries(breakers).filter(([s]) => s === ctx.env.name || s.startsWith(`${ctx.env.name}/`));
  if (unreadable) mine.unshift([ctx.env.name, unreadableBreaker(unreadable, ctx.env.name, ctx.now())]);
  if (!mine.some(([s]) => s === ctx.env.name)) mine.unshift([ctx.env.name, { state: 'closed', since: 0, reason: 'no failures recorded', failures: [] }]);
  const history = (await automation.transitions()).filter((t) => t.scope === ctx.env.name || t.scope.startsWith(`${ctx.env.name}/`)).slice(-20);
  const open = mine.filter(([, b]) => b.state !== 'closed');
  const verdict = open.some(([, b]) => b.state === 'open') ? 'OPEN' : open.length ? 'HALF_OPEN' : 'CLOSED';
  const summary = changed ?? (unreadable ? `${ctx.env.name}: ${mine[0]![1].reason}` : `${ctx.env.name}: ${open.length ? open.map(([s, b]) => `${s} ${b.state}`).join(', ') : 'all breakers closed'}`);
  const cfg = automationConfig(ctx.monitoring).breaker;
  const rows = mine.map(([s, b]) => [s, b.state.toUpperCase(), b.since ? new Date(b.since).toISOString() : '—', String(b.failures.length), b.reason]);
  const json = {
    schema: CIRCUIT_SCHEMA,
    command: 'circuit',
    environment: ctx.env.name,
    generatedAt: new Date(ctx.now()).toISOString(),
    verdict,
    summary,
    exitCode: 0,
    config: cfg,
    breakers: Object.fromEntries(mine),
    history,
  };
  const headers = ['scope', 'state', 'since', 'failures', 'reason'];
  return {
    json,
    exitCode: 0,
    table: (color) => [`${colors.bold('circuit', color)} ${ctx.env.name}: ${paintVerdict(verdict === 'CLOSED' ? 'OK' : verdict === 'OPEN' ? 'FAIL' : 'WARN', color).replace(/OK|FAIL|WARN/, verdict)}  ${safeText(summary)}`, '', renderTable(headers, rows, { color }), '', `opens after ${cfg.failures} failed remediations within ${cfg.windowMs / 60_000} min; half-open after ${cfg.cooldownMs / 60_000} min`].join('\n'),
    markdown: () => [`## circuit breaker — ${ctx.env.name}: ${verdict}`, '', safeText(summary), '', mdTable(headers, rows), ''].join('\n'),
  };
}

export interface TrustRequest extends CommonOptions {
  op: 'level' | 'history' | 'promote' | 'demote';
  action?: string;
  reason?: string;
  yes: boolean;
  operator: string;
}

export async function runTrust(req: TrustRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult> {
  checkAction(req.action);
  if ((req.op === 'promote' || req.op === 'demote') && !req.action) throw new HelmError('usage', `trust ${req.op} needs an action`, { fix: `e.g. helm-cloud trust ${req.op} restart_lambda --env ${req.env ?? 'test'}` });
  const ctx = resolveContext(req, io, overrides);
  const automation = automationOf(ctx);
  const env = ctx.env.name;
  const evidence = evidenceFrom(await readActions(ctx.ws));
  const defaults = Object.fromEntries((await loadAllActions()).map((a) => [a.id, a.defaultSafety]));
  const configured = (a: string) => resolveSafety(a, ctx.monitoring.remediation, { name: env, protected: false }, defaults[a]).configured;
  let change: TrustChange | undefined;
  if (req.op === 'promote' || req.op === 'demote') {
    const a = req.action!;
    const view = await automation.view(env, a, configured(a), evidence);
    const to = req.op === 'promote' ? up(view.level) : down(view.level);
    if (!to) throw new HelmError('usage', `${a} in ${env} is already at ${view.level}: nothing to ${req.op}`, { fix: `levels are ${LEVELS.join(' → ')}` });
    if (req.op === 'promote' && neverExecuted(defaults[a])) {
      throw new HelmError('usage', `${a} is never executed by helm-cloud and cannot be promoted`, { fix: 'follow its runbook' });
    }
    if (req.op === 'promote' && ctx.env.config.protected && !req.yes) {
      const question = `Promote ${a} in the protected environment ${env} from ${view.level} to ${to}? (${view.streak} verified successes since the last change)`;
      if (!io.stdinIsTTY) throw new HelmError('usage', `promoting ${a} in the protected environment ${env} needs confirmation`, { fix: 'run it on a terminal, or pass --yes' });
      if (!(await io.confirm(question))) throw new HelmError('action-failed', `promotion of ${a} in ${env} not confirmed`, { fix: 'answer y to go ahead' });
    }
    change = { env, action: a, at: ctx.now(), from: view.level, to, reason: req.reason ?? (req.op === 'promote' ? view.suggestion?.reason ?? `promoted by ${req.operator}` : `demoted by ${req.operator}`), by: req.operator };
    await automation.setLevel(change);
  }
  const actions = req.action ? [req.action] : ACTION_IDS;
  const views = await Promise.all(actions.map((a) => automation.view(env, a, configured(a), evidence)));
  const history = (await automation.trustChanges()).filter((c) => c.env === env && (!req.action || c.action === req.action));
  const suggestions = views.filter((v) => v.suggestion);
  const summary = change
    ? `${change.action} in ${env}: ${change.from} → ${change.to}`
    : req.op === 'history'
      ? `${history.length} trust change${history.length === 1 ? '' : 's'} in ${env}`
      : suggestions.length
        ? `promotion suggested for ${suggestions.map((v) => `${v.action} (→ ${v.suggestion!.to})`).join(', ')}`
        : `no promotion suggested in ${env}`;
  const json = { schema: TRUST_SCHEMA, command: 'trust', environment: env, generatedAt: new Date(ctx.now()).toISOString(), verdict: 'OK', summary, exitCode: 0, levels: views, history, ...(change ? { change } : {}) };
  const headers = req.op === 'history' ? ['at', 'action', 'from', 'to', 'by', 'reason'] : ['action', 'configured', 'level', 'verified streak', 'suggestion'];
  const rows =
    req.op === 'history'
      ? history.map((c) => [new Date(c.at).toISOString(), c.action, c.from, c.to, c.by, c.reason])
      : views.map((v) => [v.action, v.configured, v.level, String(v.streak), v.suggestion ? `promote to ${v.suggestion.to}: ${v.suggestion.reason}` : '—']);
  return {
    json,
    exitCode: 0,
    table: (color) => [`${colors.bold('trust', color)} ${env}: ${safeText(summary)}`, '', renderTable(headers, rows, { color })].join('\n'),
    markdown: () => [`## trust — ${env}`, '', safeText(summary), '', mdTable(headers, rows), ''].join('\n'),
  };
}
