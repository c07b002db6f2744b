/**
 * ops-responder: one remediation through the seven steps — diagnose → propose → impact → confirm → apply →
 * verify → document. Decisions (safety, consent, plan diffing, request reading) are pure modules in
 * src/core; this file sequences them, holds the per-target lock, and records every attempt.
 */
import { ACTION_IDS, loadAction, requestGrammar, type AnyAction } from '../../actions/index.js';
import { DEFAULT_WINDOW_MINUTES, iso, sh, type ActionCtx, type ActionPlan, type Runbook, type State, type Verification } from '../../actions/define.js';
import { closest, expectedText, printable } from '../../config/explain.js';
import { PATHS, type LiveResource } from '../../config/load.js';
import { parseRequest } from '../../core/nl-parse.js';
import { describeChange, formatMinutes, unmetChanges, type Change } from '../../core/plan.js';
import { consentFor, resolveSafety, type Safety } from '../../core/safety.js';
import { HelmError, isHelmError } from '../../errors.js';
import { typeInfo } from '../../resources/index.js';
import { isNone } from '../../resources/types.js';
import type { SkillContext } from '../context.js';
import { appendAction, readActions, type ActionLogRecord, type ActionOutcome } from '../../store/actions-log.js';
import { escalate } from '../../store/escalations.js';
import { canTransition, readIssue, updateIssue, type IssueRecord } from '../../store/helm.js';
import { acquireLock, type Lock } from '../../store/lock.js';

export type RemediationVerdict = 'APPLIED' | 'APPLIED_NOT_EFFECTIVE' | 'ALREADY_IN_TARGET_STATE' | 'PLANNED' | 'REFUSED' | 'FAILED';
export const STEP_NAMES = ['diagnose', 'propose', 'impact', 'confirm', 'apply', 'verify', 'document'] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type StepStatus = 'done' | 'skipped' | 'refused' | 'failed' | 'pending';

export interface Step {
  step: StepName;
  status: StepStatus;
  detail: string;
}

export interface PlanView {
  changes: Change[];
  blastRadius: string;
  reversible: boolean;
  undo: string;
  permissions: string[];
  warnings: string[];
}

export interface Remediation {
  verdict: RemediationVerdict;
  exitCode: number;
  summary: string;
  request: { text: string | null; source: 'flags' | 'text' | 'issue'; reading: string };
  action: string;
  target: string | null;
  params: Record<string, unknown>;
  safety: Safety;
  steps: Step[];
  plan: PlanView | null;
  before: State | null;
  after: State | null;
  verification: Verification | null;
  log: { path: string; line: number } | null;
  issue: { id: string; status: string; proposed: string[]; escalation?: string } | null;
  runbook: Runbook | null;
}

/** One symptom health saw on the resource: an SLO or alarm that was not fine. */
export interface Symptom {
  /** "slo:error_rate_percent" or "alarm:<name>". */
  key: string;
  verdict: 'UNHEALTHY' | 'DEGRADED' | 'HEALTHY' | 'UNKNOWN';
  /** As health words it: "error rate 7.50% > 1.00% (SLO breached)". */
  reason: string;
}

export interface ResponderDeps {
  operator: string;
  sleep?: (ms: number) => Promise<void>;
  /** Adjusts the configured safety (progressive trust, the circuit breaker); notes are shown in the confirm step. */
  gate?: (action: string, safety: Safety) => Promise<{ safety: Safety; notes: string[] }>;
  /**
   * Health's SLOs and alarms of the resource over [fromMs, toMs] (the ops-manager runs ops-monitor). Verify
   * re-reads the symptoms that motivated the action with it: the change landing is not the symptom improving.
   */
  readSymptoms?: (resource: LiveResource, fromMs: number, toMs: number) => Promise<Symptom[]>;
}

/** What to remediate: flags (action, target, params), free text, or an issue whose diagnosis proposes it. */
export interface RemediationInput {
  /** The target itself, when it comes from the command line rather than the registry (kubernetes writes). */
  resource?: LiveResource;
  text?: string;
  action?: string;
  target?: string;
  params: Record<string, string>;
  issue?: string;
  /** The operator consented in advance (--yes). */
  yes: boolean;
}

interface Resolved {
  action: AnyAction;
  resource: LiveResource;
  rawParams: Record<string, unknown>;
  request: Remediation['request'];
  issue: IssueRecord | null;
  proposed: string[];
}

/** Which action, on which registry resource, with which parameters — from flags, free text or an issue. */
async function resolveRequest(ctx: SkillContext, req: RemediationInput): Promise<Resolved> {
  const issue = req.issue ? await readIssue(ctx.ws, req.issue) : null;
  if (issue?.environment && issue.environment !== ctx.env.name) {
    throw new HelmError('input', `issue ${issue.id} is about environment ${issue.environment}, not ${ctx.env.name}`, { keyPath: '--env', fix: `pass --env=${issue.environment}` });
  }
  const proposals = (issue?.diagnosis?.proposed_actions ?? []).map((p) => ({ action: p.action, target: p.target, params: p.params ?? {}, reason: p.reason }));
  const proposed = proposals.map((p) => `${p.action}${p.target ? ` on ${p.target}` : ''}${p.reason ? ` (${p.reason})` : ''}`);
  if (req.text && req.action) throw new HelmError('usage', 'give either a request text or --action, not both', { fix: 'e.g. remediate --action restart_lambda --target NAME, or remediate "restart the orders lambda"' });

  let actionId: string;
  let target = req.target;
  let rawParams: Record<string, unknown> = { ...req.params };
  let request: Remediation['request'];
  if (req.action) {
    actionId = req.action;
    request = { text: null, source: 'flags', reading: `--action ${printable(req.action, 40)}${target ? ` --target ${printable(target, 64)}` : ''}` };
  } else if (req.text) {
    const pool = target ? ctx.resources.filter((r) => r.name === target) : ctx.resources;
    const parsed = parseRequest(req.text, pool.map((r) => ({ name: r.name, type: r.type, project: r.project })), await requestGrammar());
    if (!parsed.ok) {
      const cands = parsed.candidates?.length ? ` Candidates: ${parsed.candidates.slice(0, 10).join('; ')}.` : '';
      const phrasings = parsed.examples.length ? ` Phrasings it reads: ${parsed.examples.slice(0, 5).map((e) => `"${e}"`).join(', ')};` : '';
      throw new HelmError('input', `cannot read the request "${printable(req.text, 100)}": ${parsed.reason}`, {
        fix: `${parsed.fix ? `${parsed.fix}.` : ''}${cands}${phrasings} or use --action/--target/--param`.trim(),
      });
    }
    actionId = parsed.reading.action;
    target = parsed.reading.target;
    rawParams = { ...parsed.reading.params, ...rawParams };
    request = { text: req.text, source: 'text', reading: `read as: ${parsed.reading.readAs}` };
  } else if (issue) {
    const p = proposals.find((x) => (ACTION_IDS as string[]).includes(x.action));
    if (!p) {
      throw new HelmError('input', `issue ${issue.id} proposes no known action${proposals.length ? ` (it proposes: ${proposed.join('; ')})` : ''}`, {
        fix: `pass --action with one of: ${ACTION_IDS.join(', ')}`,
      });
    }
    actionId = p.action;
    target ??= p.target;
    rawParams = { ...Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)])), ...rawParams };
    request = { text: null, source: 'issue', reading: `from issue ${issue.id} diagnosis${issue.diagnosis?.summary ? ` ("${printable(issue.diagnosis.summary, 120)}")` : ''}: ${p.action}${p.target ? ` on ${p.target}` : ''}${p.reason ? ` because ${printable(p.reason, 120)}` : ''}` };
  } else {
    throw new HelmError('usage', 'nothing to remediate', { fix: 'pass --action A --target NAME, a request such as "restart the orders lambda", or --issue infra-NNN' });
  }

  const action = await loadAction(actionId);
  const applicable = ctx.resources.filter((r) => action.appliesTo.includes(r.type));
  let resource: LiveResource | undefined;
  if (req.resource) {
    // A workload named on the command line (kubernetes scale/rollout_restart) that the registry may not hold.
    resource = req.resource;
    if (!action.appliesTo.includes(resource.type)) throw new HelmError('input', `${action.id} does not apply to ${resource.name} (a ${resource.type}); it applies to ${action.appliesTo.join(', ')}`);
  } else if (target) {
    resource = ctx.resources.find((r) => r.name === target);
    if (!resource) {
      const near = closest(target, ctx.resources.map((r) => r.name));
      throw new HelmError('input', `no resource "${printable(target, 64)}" in the registry for ${ctx.env.name}`, {
        keyPath: '--target',
        fix: near ? `did you mean ${near}?` : applicable.length ? `${action.id} applies to: ${applicable.map((r) => r.name).join(', ')}` : `the registry holds no ${action.appliesTo.join('/')} in ${ctx.env.name}`,
      });
    }
    if (!action.appliesTo.includes(resource.type)) {
      throw new HelmError('input', `${action.id} does not apply to ${resource.name} (a ${resource.type}); it applies to ${action.appliesTo.join(', ')}`, { keyPath: '--target' });
    }
  } else if (applicable.length === 1) {
    resource = applicable[0]!;
    request.reading += `; target ${resource.name} (the only ${resource.type} in ${ctx.env.name})`;
  } else {
    throw new HelmError('usage', `${action.id} needs --target`, {
      fix: applicable.length ? `one of: ${applicable.map((r) => r.name).join(', ')}` : `the registry holds no ${action.appliesTo.join('/')} in ${ctx.env.name}`,
    });
  }
  return { action, resource, rawParams, request, issue, proposed };
}

function parseParams(action: AnyAction, raw: Record<string, unknown>): Record<string, unknown> {
  const r = action.params.safeParse(raw);
  if (r.success) return r.data as Record<string, unknown>;
  const lines = r.error.issues.map((i) => {
    const unknownKeys = (i as { keys?: string[] }).keys;
    if (i.code === 'unrecognized_keys' && unknownKeys) return `unknown parameter(s) ${unknownKeys.map((k) => printable(k, 40)).join(', ')}`;
    return `${i.path.join('.') || 'params'}: expected ${expectedText(i)}`;
  });
  const shape = (action.params as unknown as { shape?: Record<string, unknown> }).shape;
  throw new HelmError('input', `${action.id}: ${lines.join('; ')}`, { keyPath: '--param', fix: shape ? `parameters of ${action.id}: ${Object.keys(shape).join(', ') || 'none'}` : undefined });
}

export function operatorName(env: NodeJS.ProcessEnv, fallback: string): string {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_ACTOR) return `github:${env.GITHUB_ACTOR}`;
  return env.USER || env.LOGNAME || fallback || 'unknown';
}

/**
 * One remediation, in stages: resolve the request → diagnose → plan (propose + impact) → confirm → apply →
 * verify, each stage ending the run (a Remediation) or handing the next one what it needs. Every ending goes
 * through the document step.
 */
export async function respond(ctx: SkillContext, req: RemediationInput, deps: ResponderDeps): Promise<Remediation> {
  const run = await startRun(ctx, req, deps, await resolveRequest(ctx, req));
  // never: print the runbook and touch nothing (no AWS call at all, not even a read).
  if (run.safety.level === 'never') return refuseNever(run);
  const lock = await takeLock(run);
  if ('verdict' in lock) return lock;
  try {
    const actx = await actionContext(run, lock.lock);
    const failed = await diagnoseStage(run, actx);
    if (failed) return failed;
    const plan = await planStage(run, actx);
    if ('verdict' in plan) return plan;
    const refused = await confirmStage(run, plan);
    if (refused) return refused;
    const applied = await applyStage(run, actx, plan);
    if ('verdict' in applied) return applied;
    return await verifyStage(run, actx, plan, applied);
  } finally {
    await (lock as { lock?: Lock }).lock?.release();
  }
}

/** One run's state and the ways it records and ends; the stages share it. */
interface Run {
  ctx: SkillContext;
  req: RemediationInput;
  deps: ResponderDeps;
  r: Resolved;
  action: AnyAction;
  resource: LiveResource;
  issue: IssueRecord | null;
  params: Record<string, unknown>;
  safety: Safety;
  /** Epoch ms when the run started. */
  now: number;
  out: Remediation;
  step(s: StepName, status: StepStatus, detail: string): void;
  /** Marks every step from `from` on that has no status yet as skipped. */
  skipRest(from: StepName, detail: string): void;
  /** The document step: one outcome line, the issue record, and an escalation when the fix did not happen. */
  document(outcome: Exclude<ActionOutcome, 'intent'>, reason: string, opts?: { escalate?: boolean }): Promise<void>;
  record(outcome: ActionOutcome, reason?: string): ActionLogRecord;
  finish(verdict: RemediationVerdict, exitCode: number, summary: string): Remediation;
  runbook(): void;
}

async function startRun(ctx: SkillContext, req: RemediationInput, deps: ResponderDeps, r: Resolved): Promise<Run> {
  const { action, resource, issue } = r;
  const params = parseParams(action, r.rawParams);
  const configuredSafety = resolveSafety(action.id, ctx.monitoring.remediation, { name: ctx.env.name, protected: ctx.env.protected }, action.defaultSafety);
  const gated = deps.gate ? await deps.gate(action.id, configuredSafety) : { safety: configuredSafety, notes: [] };
  const safety = gated.safety;
  for (const n of gated.notes) ctx.io.err(`warning: ${n}`);
  const now = ctx.now();
  const steps: Step[] = [];
  const out: Remediation = {
    verdict: 'FAILED',
    exitCode: 3,
    summary: '',
    request: r.request,
    action: action.id,
    target: resource.name,
    params,
    safety,
    steps,
    plan: null,
    before: null,
    after: null,
    verification: null,
    log: null,
    issue: issue ? { id: issue.id, status: issue.status, proposed: r.proposed } : null,
    runbook: null,
  };
  const attempt = `${now.toString(36)}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const run: Run = {
    ctx,
    req,
    deps,
    r,
    action,
    resource,
    issue,
    params,
    safety,
    now,
    out,
    step: (s, status, detail) => void steps.push({ step: s, status, detail }),
    skipRest: (from, detail) => {
      for (const s of STEP_NAMES.slice(STEP_NAMES.indexOf(from))) if (!steps.some((x) => x.step === s)) run.step(s, 'skipped', detail);
    },
    record: (outcome, reason) => ({
      attempt,
      time: iso(ctx.now()),
      operator: deps.operator,
      environment: ctx.env.name,
      action: action.id,
      target: resource.name,
      params,
      outcome,
      ...(reason ? { reason } : {}),
      before: out.before,
      after: out.after,
      verification: out.verification,
      issue: issue?.id ?? null,
      plan: out.plan,
      safety,
      request: r.request,
    }),
    document: (outcome, reason, opts = {}) => documentRun(run, outcome, reason, opts),
    finish: (verdict, exitCode, summary) => {
      out.verdict = verdict;
      out.exitCode = exitCode;
      out.summary = summary;
      return out;
    },
    runbook: () => void (out.runbook = action.runbook(resource, params as never)),
  };
  return run;
}

async function documentRun(run: Run, outcome: Exclude<ActionOutcome, 'intent'>, reason: string, opts: { escalate?: boolean }): Promise<void> {
  const { ctx, out, issue, action, resource } = run;
  if (ctx.dryRun) {
    run.step('document', 'skipped', 'dry run: nothing is logged');
    return;
  }
  out.log = await appendAction(ctx.ws, run.record(outcome, reason));
  const where = `${out.log.path}:${out.log.line}`;
  const notes = [`logged ${outcome} to ${where}`];
  if (issue) {
    try {
      const updated = await updateIssue(
        ctx.ws,
        issue.id,
        (rec) => {
          rec.actions.push({ at: iso(ctx.now()), action: action.id, target: resource.name, outcome, log: `${PATHS.actions}#L${out.log!.line}` });
          if (outcome === 'applied' && out.verification?.status === 'verified' && canTransition(rec.status, 'resolved')) rec.status = 'resolved';
        },
        ctx.now(),
        `${action.id} on ${resource.name}: ${outcome}`,
      );
      out.issue!.status = updated.status;
      notes.push(`issue ${issue.id} is ${updated.status}`);
      if (opts.escalate && updated.status !== 'resolved') {
        const e = await escalate(ctx.ws, issue.id, { reason: `${action.id} on ${resource.name} ${outcome}: ${reason}`, source: 'helm-cloud remediate', evidence: [run.record(outcome, reason)] }, ctx.now());
        out.issue!.escalation = e.path;
        out.issue!.status = 'escalated';
        notes.push(`escalated to the deploy tool (${ctx.ws.display(PATHS.escalations)}/${issue.id}.json)`);
      }
    } catch (e) {
      if (!isHelmError(e)) throw e;
      notes.push(`issue ${issue.id} not updated: ${e.message}`);
    }
  }
  run.step('document', 'done', notes.join('; '));
}

/** Ends the run with a refusal: the steps from `from` on are skipped and the document step records it. */
async function refuse(run: Run, from: StepName, skipped: string, outcome: 'refused' | 'failed', reason: string, opts: { escalate?: boolean } = {}): Promise<void> {
  run.skipRest(from, skipped);
  run.out.steps.pop(); // the document step is added by document()
  await run.document(outcome, reason, opts);
}

async function refuseNever(run: Run): Promise<Remediation> {
  const { action, resource, safety } = run;
  run.step('diagnose', 'skipped', 'never_auto: helm-cloud reads and changes nothing');
  run.step('propose', 'done', `${action.id} on ${resource.name}: manual runbook below`);
  run.step('impact', 'skipped', 'see the runbook');
  run.step('confirm', 'refused', safety.reason);
  run.runbook();
  await refuse(run, 'apply', 'never_auto', 'refused', safety.reason, { escalate: true });
  return run.finish('REFUSED', 3, `refused: ${safety.reason}${/runbook/.test(safety.reason) ? '' : '; follow the runbook'}`);
}

/** The per-target lock (none on a dry run); another remediation holding it refuses this one. */
async function takeLock(run: Run): Promise<{ lock?: Lock } | Remediation> {
  if (run.ctx.dryRun) return {};
  try {
    return { lock: await acquireLock(run.ctx.ws, { env: run.ctx.env.name, operator: run.deps.operator, action: run.action.id, target: run.resource.name }, run.now) };
  } catch (e) {
    if (!isHelmError(e)) throw e;
    run.step('diagnose', 'refused', e.message);
    await refuse(run, 'propose', 'another remediation holds the lock', 'refused', e.message);
    return run.finish('REFUSED', 3, e.message);
  }
}

async function actionContext(run: Run, lock: Lock | undefined): Promise<ActionCtx<Record<string, unknown>>> {
  const { ctx, params, issue, action, resource, now } = run;
  const withinMin = typeof params.within_minutes === 'number' ? params.within_minutes : DEFAULT_WINDOW_MINUTES;
  // An explicit --param within_minutes wins over the issue start: it is how an operator forces a re-run.
  const explicitWithin = run.r.rawParams.within_minutes !== undefined;
  const issueStart = issue && !explicitWithin ? Date.parse(issue.started_at ?? issue.created_at) : NaN;
  const since = Number.isFinite(issueStart) ? issueStart : now - withinMin * 60_000;
  const actx: ActionCtx<Record<string, unknown>> = {
    aws: ctx.aws,
    kube: ctx.kube,
    resource,
    params,
    env: { name: ctx.env.name, protected: ctx.env.protected },
    now,
    since,
    sinceLabel: Number.isFinite(issueStart) ? `the start of ${issue!.id}, ${iso(issueStart)}` : `the last ${formatMinutes(withinMin)}`,
    history: (await readActions(ctx.ws)).filter((x) => x.environment === ctx.env.name && x.action === action.id && x.target === resource.name),
  };
  if (lock?.recovered) ctx.io.err(`recovered a stale lock on ${resource.name} left by ${lock.recovered.operator} (pid ${lock.recovered.pid}, ${lock.recovered.acquiredAt})`);
  return actx;
}

/** 1. diagnose: the state before (into out.before); a failed read ends the run. */
async function diagnoseStage(run: Run, actx: ActionCtx<Record<string, unknown>>): Promise<Remediation | undefined> {
  const { action, resource, out } = run;
  try {
    out.before = await action.diagnose(actx);
  } catch (e) {
    if (!isHelmError(e)) throw e;
    run.step('diagnose', 'failed', e.describe());
    await refuse(run, 'propose', 'diagnose failed', 'failed', e.message, { escalate: e.exitCode !== 2 });
    return run.finish(e.exitCode === 2 ? 'REFUSED' : 'FAILED', e.exitCode, `could not read ${resource.name}: ${e.message}`);
  }
  run.step('diagnose', 'done', `${resource.name} (${resource.type}, ${resource.region}): ${stateLine(out.before)}`);
  return undefined;
}

/** 2. propose + 3. impact: the action's plan; a refusal or nothing to change ends the run here. */
async function planStage(run: Run, actx: ActionCtx<Record<string, unknown>>): Promise<ActionPlan | Remediation> {
  const { action, resource, issue, out } = run;
  let plan: ActionPlan;
  try {
    plan = await action.plan(actx, out.before!);
  } catch (e) {
    if (!isHelmError(e)) throw e;
    run.step('propose', 'refused', e.describe());
    await refuse(run, 'impact', 'no plan', e.exitCode === 2 ? 'refused' : 'failed', e.message, { escalate: e.exitCode !== 2 });
    return run.finish(e.exitCode === 2 ? 'REFUSED' : 'FAILED', e.exitCode, `${action.id} on ${resource.name}: ${e.message}`);
  }
  out.plan = planView(plan, { action: action.id, permissions: action.permissions, resource, env: run.ctx.env.name });
  const cite = issue ? ` (proposed by ${issue.id}${run.r.proposed.length ? `: ${run.r.proposed[0]}` : ''})` : '';
  run.step('propose', 'done', plan.changes.length ? `${action.id} on ${resource.name}${cite}: ${plan.changes.map(describeChange).join('; ')}` : `${action.id} on ${resource.name}${cite}: no change needed`);
  run.step('impact', 'done', `${plan.blastRadius}; ${plan.reversible ? 'reversible' : 'not reversible'}${plan.warnings.length ? `; warning: ${plan.warnings.join('; ')}` : ''}`);

  if (plan.refusal) {
    run.step('confirm', 'refused', plan.refusal);
    run.runbook();
    await refuse(run, 'apply', 'refused', 'refused', plan.refusal, { escalate: true });
    return run.finish('REFUSED', 3, `refused: ${plan.refusal}; follow the runbook`);
  }
  if (!plan.changes.length) {
    const why = plan.noopReason ?? 'already in the target state';
    run.skipRest('confirm', 'already in the target state');
    run.out.steps.pop();
    await run.document('skipped', `already in the target state: ${why}`);
    // A change helm-cloud made inside the window counts as done; say how to run the action again anyway.
    const shape = (action.params as unknown as { shape?: Record<string, unknown> }).shape ?? {};
    const force = 'within_minutes' in shape && /by helm-cloud at/.test(why) ? `; to ${action.id} again now, re-run with --param within_minutes=0` : '';
    return run.finish('ALREADY_IN_TARGET_STATE', 0, `already in the target state: ${why}${force}`);
  }
  return plan;
}

/** The plan as the report shows it: the undo as a helm-cloud call when there is one, the IAM this target needs. */
export function planView(plan: ActionPlan, o: { action: string; permissions: readonly string[]; resource: Pick<LiveResource, 'name' | 'type'>; env: string }): PlanView {
  const undoCall = plan.undoCall
    ? `helm-cloud remediate --action ${plan.undoCall.action} --target ${sh(o.resource.name)} --env ${o.env}${Object.entries(plan.undoCall.params)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` --param ${k}=${sh(String(v))}`)
        .join('')}`
    : '';
  return {
    changes: plan.changes,
    blastRadius: plan.blastRadius,
    reversible: plan.reversible,
    undo: undoCall ? `${plan.undo}: ${undoCall}` : plan.undo,
    permissions: permissionsFor(o.permissions, o.resource.type),
    warnings: plan.warnings,
  };
}

/** 4. confirm: consent from the safety level, --yes, the terminal, or the dry run; undefined when apply may go on. */
async function confirmStage(run: Run, plan: ActionPlan): Promise<Remediation | undefined> {
  const { ctx, req, action, resource, safety } = run;
  const consent = consentFor(safety.level, { dryRun: ctx.dryRun, yes: req.yes, interactive: ctx.io.stdinIsTTY });
  if (consent === 'plan-only') {
    run.step('confirm', 'skipped', 'dry run: stopping after the plan');
    run.skipRest('apply', 'dry run');
    return run.finish('PLANNED', 0, `dry run: ${action.id} on ${resource.name} would change ${plan.changes.map(describeChange).join('; ')}`);
  }
  if (consent === 'needs-yes') {
    const why = `${safety.reason}; this run is not interactive, so confirmation needs --yes`;
    run.step('confirm', 'refused', why);
    await refuse(run, 'apply', 'not confirmed', 'refused', why);
    return run.finish('REFUSED', 2, `not applied: ${action.id} needs confirmation; re-run with --yes (or on a terminal) to apply`);
  }
  if (consent === 'ask') {
    // The operator sees the whole plan before the question, on the terminal the question is asked on.
    const shown = run.out.plan!;
    const details = [
      `plan: ${action.id} on ${resource.name} in ${ctx.env.name}${safety.protected ? ' (protected)' : ''}`,
      ...shown.changes.map((c) => `  change      ${describeChange(c)}`),
      `  impact      ${shown.blastRadius}`,
      `  reversible  ${shown.reversible ? 'yes' : 'no'}`,
      `  undo        ${shown.undo}`,
      `  needs IAM   ${shown.permissions.join(', ')}`,
      ...shown.warnings.map((w) => `  warning     ${w}`),
      '',
    ].map((l) => printable(l, 400));
    const yes = await ctx.io.confirm(`${safety.protected ? `[${ctx.env.name} is protected] ` : ''}Apply ${action.id} to ${resource.name}?`, details);
    if (!yes) {
      run.step('confirm', 'refused', 'declined by the operator');
      await refuse(run, 'apply', 'declined', 'refused', 'declined by the operator');
      return run.finish('REFUSED', 3, `not applied: declined by the operator`);
    }
    run.step('confirm', 'done', 'confirmed by the operator');
  } else {
    run.step('confirm', 'done', req.yes && safety.level === 'confirm' ? `--yes (${safety.reason})` : safety.reason);
  }
  return undefined;
}

interface Applied {
  appliedAt: number;
  /** The symptoms that motivated the action, as health saw them before the apply; verify re-reads these. */
  motivating: Symptom[];
}

/** 5. apply — the intent line goes first so a run killed here leaves a record. */
async function applyStage(run: Run, actx: ActionCtx<Record<string, unknown>>, plan: ActionPlan): Promise<Applied | Remediation> {
  const { ctx, deps, action, resource, issue, out, now } = run;
  // What motivated the action, as health sees it now (over the default window); verify re-reads these.
  const windowMs = durationToMs(ctx.monitoring.monitoring.default_window);
  const motivating = deps.readSymptoms ? (await deps.readSymptoms(resource, now - windowMs, now).catch(() => [] as Symptom[])).filter((x) => x.verdict === 'UNHEALTHY' || x.verdict === 'DEGRADED') : [];

  await appendAction(ctx.ws, run.record('intent'));
  if (issue && out.issue && issue.status !== 'remediating' && canTransition(issue.status, 'remediating')) {
    try {
      out.issue.status = (await updateIssue(ctx.ws, issue.id, (rec) => void (rec.status = 'remediating'), ctx.now(), `remediating: ${action.id} on ${resource.name}`)).status;
    } catch (e) {
      if (!isHelmError(e)) throw e;
    }
  }
  const appliedAt = ctx.now();
  try {
    await action.apply(actx, out.before!, plan);
  } catch (e) {
    if (!isHelmError(e)) throw e;
    run.step('apply', 'failed', e.describe());
    out.after = await action.diagnose(actx).catch(() => null);
    // The call may have landed even though its answer was lost (timeout, torn body): say which, so the log
    // never reads "failed" for a resource that did change without saying so.
    let landed = '';
    if (out.after) {
      const v = action.verify ? action.verify(actx, out.before!, plan, out.after) : genericVerify(plan.changes, out.after);
      landed = v.ok ? '; the state re-read after the error shows the change DID land' : '; the state re-read after the error shows no change';
    } else landed = '; the state could not be re-read, so whether the change landed is unknown';
    run.step('verify', 'skipped', `apply failed${landed}`);
    await run.document('failed', e.message + landed, { escalate: true });
    return run.finish('FAILED', e.exitCode === 4 ? 4 : 3, `${action.id} on ${resource.name} failed: ${e.message}`);
  }
  run.step('apply', 'done', plan.changes.map(describeChange).join('; '));
  return { appliedAt, motivating };
}

/** 6. verify: re-read after the settle time from [remediation], then whether the symptom improved. */
async function verifyStage(run: Run, actx: ActionCtx<Record<string, unknown>>, plan: ActionPlan, applied: Applied): Promise<Remediation> {
  const { ctx, deps, action, resource, issue, out } = run;
  const settle = ctx.monitoring.remediation.settle_seconds;
  if (action.settle) await action.settle(actx, out.before!, plan).catch(() => undefined); // verify re-reads and judges
  else if (settle > 0) await (deps.sleep ?? ((ms: number) => new Promise((res) => setTimeout(res, ms))))(settle * 1000);
  try {
    out.after = await action.diagnose(actx);
    out.verification = action.verify ? action.verify(actx, out.before!, plan, out.after) : genericVerify(plan.changes, out.after);
  } catch (e) {
    if (!isHelmError(e)) throw e;
    out.verification = { ok: false, status: 'failed', detail: `could not re-read the state, so the change is unconfirmed: ${e.message}` };
  }
  // The change landed; did the symptom improve? Re-read what motivated the action, over data after the apply.
  if (out.verification.ok && applied.motivating.length && deps.readSymptoms) {
    const readAt = ctx.now();
    const after = await deps.readSymptoms(resource, applied.appliedAt, readAt).catch(() => [] as Symptom[]);
    const judged = judgeSymptoms(out.verification, applied.motivating, after, { waitedS: Math.round((readAt - applied.appliedAt) / 1000), settleS: settle, resource: resource.name, env: ctx.env.name });
    out.verification = judged.verification;
    if (judged.worse) {
      run.step('verify', 'failed', judged.verification.detail);
      await run.document('failed', `applied but not effective: ${judged.verification.detail}`, { escalate: true });
      const next = issue ? `helm-cloud investigate --issue ${issue.id} --env ${ctx.env.name}` : `helm-cloud investigate "errors in ${resource.name}" --env ${ctx.env.name}`;
      return run.finish('APPLIED_NOT_EFFECTIVE', 3, `${action.id} on ${resource.name} was applied but did not help: ${judged.worse}; next: ${next} to find the cause, or undo it (${out.plan?.undo ?? 'see the plan'})`);
    }
  }
  run.step('verify', out.verification.ok ? (out.verification.status === 'pending' ? 'pending' : 'done') : 'failed', out.verification.detail);
  if (!out.verification.ok) {
    await run.document('failed', `verification failed: ${out.verification.detail}`, { escalate: true });
    return run.finish('FAILED', 3, `${action.id} on ${resource.name} was applied but verification failed: ${out.verification.detail}`);
  }
  await run.document('applied', out.verification.detail);
  return run.finish('APPLIED', 0, `${action.id} on ${resource.name}: ${plan.changes.map(describeChange).join('; ')} — ${out.verification.status}${out.verification.status === 'pending' ? ` (${out.verification.detail})` : ''}`);
}

/**
 * Did the symptoms that motivated the action improve after it landed? `landed` is the state check's verdict.
 * Not effective when any symptom is as bad or worse (`worse` names the first); pending when one has no data
 * after the apply yet (with how long to wait); verified when every one improved. Pure.
 */
export function judgeSymptoms(
  landed: Verification,
  motivating: readonly Symptom[],
  after: readonly Symptom[],
  o: { waitedS: number; settleS: number; resource: string; env: string },
): { verification: Verification; worse?: string } {
  const judged = motivating.map((m) => ({ m, a: after.find((x) => x.key === m.key) }));
  const unread = judged.filter((j) => !j.a || j.a.verdict === 'UNKNOWN');
  const worse = judged.filter((j) => j.a && j.a.verdict !== 'UNKNOWN' && rankOf(j.a.verdict) >= rankOf(j.m.verdict));
  if (worse.length) {
    const detail = `${landed.detail}; but the symptom did not improve after ${o.waitedS}s: ${worse.map((j) => `${j.m.reason} → now ${j.a!.reason || j.a!.verdict}`).join('; ')}`;
    return { verification: { ok: false, status: 'not_effective', detail }, worse: worse[0]!.a!.reason || worse[0]!.m.reason };
  }
  if (unread.length) {
    // Too early: no data after the apply yet. Say how long to wait instead of claiming success.
    const need = Math.max(60, o.settleS);
    return {
      verification: {
        ok: true,
        status: 'pending',
        detail: `${landed.detail}; the symptom (${unread.map((j) => j.m.reason).join('; ')}) has no data after the apply yet (${o.waitedS}s after it): re-check with \`helm-cloud health --resource ${o.resource} --env ${o.env}\` in about ${need}s, or set [remediation] settle_seconds = ${need}`,
      },
    };
  }
  return { verification: { ok: true, status: 'verified', detail: `${landed.detail}; symptom improved: ${judged.map((j) => `${j.m.reason} → ${j.a!.reason || j.a!.verdict}`).join('; ')}` } };
}

const RANK: Record<Symptom['verdict'], number> = { HEALTHY: 0, DEGRADED: 1, UNKNOWN: 2, UNHEALTHY: 3 };
const rankOf = (v: Symptom['verdict']) => RANK[v];

function durationToMs(s: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(s);
  const unit: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
  return m ? Number(m[1]) * unit[m[2]!]! : 3600_000;
}

function genericVerify(changes: readonly Change[], after: State): Verification {
  const unmet = unmetChanges(changes, after);
  return unmet.length
    ? { ok: false, status: 'failed', detail: unmet.map((c) => `${c.field} reads ${String(after[c.field] ?? null)}, expected ${String(c.to)}`).join('; ') }
    : { ok: true, status: 'verified', detail: changes.map((c) => `${c.field} reads ${String(c.to)}`).join('; ') };
}

function stateLine(s: State): string {
  const parts = Object.entries(s)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(', ') || 'no state to read';
}

/** The IAM actions this target needs: an action spanning services lists only its target's service (the type's IAM prefix). */
function permissionsFor(all: readonly string[], type: string): string[] {
  const prefix = typeInfo(type)?.iamPrefix;
  if (prefix === undefined || isNone(prefix)) return [...all];
  const mine = all.filter((p) => p.startsWith(`${prefix}:`));
  return mine.length ? mine : [...all];
}
