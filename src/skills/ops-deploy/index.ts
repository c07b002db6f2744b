/**
 * ops-deploy: release intelligence over the registry faber-cloud writes. Each action gathers its inputs through
 * the context (health, metrics, Lambda/ECS reads, recorded history), judges them with pure core functions
 * (risk score, change windows, canary judge) and returns one outcome: a verdict, an exit code a pipeline can gate
 * on, the evidence, and the inputs used (recorded under `deployments/` by the ops-manager).
 */
import type { CloudWatchApi } from '../../aws/cloudwatch.js';
import type { EcsWriteApi } from '../../aws/ecs-write.js';
import type { LambdaWriteApi } from '../../aws/lambda.js';
import type { LiveResource } from '../../config/load.js';
import type { DeploySection } from '../../config/deploy-schema.js';
import type { Deployment } from '../../config/schemas.js';
import { judgeCanary, type CanaryJudgement } from '../../core/canary-judge.js';
import { describeRule, isLateWeek, parseTimeOfDay, windowState, WEEKDAYS, type WindowPolicy, type WindowState } from '../../core/change-window.js';
import { assessRisk, mentionsMigration, type RiskAssessment } from '../../core/deploy-risk.js';
import { parseLocalOrInstant, formatInstant } from '../../core/time-zone.js';
import type { Verdict } from '../../core/verdict.js';
import { closest, printable } from '../../config/explain.js';
import { HelmError, isHelmError } from '../../errors.js';
import type { ResourceDescriptor } from '../../resources/types.js';
import { compareSides } from './series.js';

export const DEPLOY_ACTIONS = ['assess_risk', 'change_window', 'diff_analysis', 'rollback_check', 'canary_status', 'pre_deploy_checklist', 'post_deploy_verify', 'deploy_timeline'] as const;
export type DeployAction = (typeof DEPLOY_ACTIONS)[number];

/** What health tells the deploy family: the verdict and the smallest remaining error budget. */
export interface HealthSummary {
  verdict: Verdict;
  /** Smallest remaining budget over SLOs with one, percent; undefined when no SLO has a budget. */
  budgetRemainingPercent: number | undefined;
  firingAlarms: string[];
  reasons: string[];
}

/** A recorded assessment/verification (the deployments/ history). */
export interface DeployRecord {
  kind: 'assessment' | 'checklist' | 'canary' | 'verification';
  at: string;
  environment: string;
  project: string;
  deploymentId?: string;
  verdict: string;
  summary: string;
}

export interface DeployContext {
  env: { name: string; protected: boolean };
  project: string;
  /** Every deployment of the project in the environment, oldest first. */
  deployments: Deployment[];
  /** Live resources of the project. */
  resources: LiveResource[];
  policy: DeploySection;
  now: number;
  health(resources: LiveResource[]): Promise<HealthSummary>;
  descriptor(type: string): Promise<ResourceDescriptor | undefined>;
  cloudwatch: () => CloudWatchApi;
  lambda: () => LambdaWriteApi;
  ecs: () => EcsWriteApi;
  history(): Promise<DeployRecord[]>;
  /** Open incidents of the project; null when incidents are not configured. */
  openIncidents(): Promise<number | null>;
  /** Whether someone is on call for the project; null when on-call is not configured. */
  onCall(): Promise<{ who: string[] } | null>;
  /** Reads a target deployment document from a file, or undefined when `ref` is not a file. */
  readTarget(ref: string): Deployment | undefined;
  sleep(ms: number): Promise<void>;
}

export type LineStatus = 'PASS' | 'FAIL' | 'UNKNOWN';
export interface CheckLine {
  id: string;
  label: string;
  status: LineStatus;
  detail: string;
}

export interface DeployOutcome {
  action: DeployAction;
  verdict: string;
  exitCode: number;
  summary: string;
  data: Record<string, unknown>;
  /** Lines for a checklist-like view (JUnit cases, step summary). */
  lines?: CheckLine[];
  /** Milliseconds from the start until each line's reads had answered (JUnit case times). */
  lineMs?: Record<string, number>;
  notes: string[];
  record?: Omit<DeployRecord, 'at' | 'environment' | 'project'>;
}

export interface DeployParams {
  at?: string;
  changes?: string;
  blastRadius?: 'low' | 'medium' | 'high';
  to?: string;
  canary?: string;
  baseline?: string;
  windowMs?: number;
  deployment?: string;
  waitMs?: number;
  sinceMs?: number;
  pollMs?: number;
}

// ---- policy --------------------------------------------------------------------------------------------

export function windowPolicy(policy: DeploySection, env: string): WindowPolicy {
  const tz = policy.time_zone;
  const applies = (e?: string[]) => !e || e.includes(env);
  return {
    tz,
    windows: policy.windows.filter((w) => applies(w.environments)).map((w) => {
      const days = w.days.map((d) => WEEKDAYS.indexOf(d));
      const startMin = parseTimeOfDay(w.start)!;
      const endMin = parseTimeOfDay(w.end)!;
      return { days, startMin, endMin, label: describeRule(days, startMin, endMin) };
    }),
    freezes: policy.freezes.filter((f) => applies(f.environments)).map((f) => ({ from: parseLocalOrInstant(f.from, tz)!, to: parseLocalOrInstant(f.to, tz)!, reason: f.reason })),
  };
}

function windowView(policy: DeploySection, st: WindowState) {
  const tz = policy.time_zone;
  const fmt = (t: number | null) => (t === null ? null : formatInstant(tz, t));
  return { open: st.open, reason: st.reason, timeZone: tz, nextOpen: fmt(st.nextOpen), nextClose: fmt(st.nextClose), ...(st.freeze ? { freeze: st.freeze.reason } : {}) };
}

// ---- actions -------------------------------------------------------------------------------------------

export async function runDeployAction(action: DeployAction, p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  switch (action) {
    case 'change_window':
      return changeWindow(p, ctx);
    case 'assess_risk':
      return riskOutcome(p, ctx);
    case 'diff_analysis':
      return diffOutcome(p, ctx);
    case 'rollback_check':
      return rollbackOutcome(p, ctx);
    case 'canary_status':
      return canaryOutcome(p, ctx);
    case 'pre_deploy_checklist':
      return checklist(p, ctx);
    case 'post_deploy_verify':
      return postDeployVerify(p, ctx);
    case 'deploy_timeline':
      return timeline(p, ctx);
  }
}

function changeWindow(p: DeployParams, ctx: DeployContext): DeployOutcome {
  const at = p.at !== undefined ? parseLocalOrInstant(p.at, ctx.policy.time_zone) : ctx.now;
  if (at === undefined) {
    throw new HelmError('usage', `"${printable(p.at)}" is not a time`, { keyPath: '--at', expected: `a real date and time such as 2026-12-24T15:00 (read in ${ctx.policy.time_zone}) or 2026-12-24T15:00:00Z`, fix: 'check the day of the month and the hour' });
  }
  const pol = windowPolicy(ctx.policy, ctx.env.name);
  const st = windowState(pol, at);
  const view = windowView(ctx.policy, st);
  const next = st.open ? (view.nextClose ? `closes ${view.nextClose}` : 'stays open') : view.nextOpen ? `opens ${view.nextOpen}` : 'does not open within a year';
  return {
    action: 'change_window',
    verdict: st.open ? 'OPEN' : 'CLOSED',
    exitCode: st.open ? 0 : 1,
    summary: `change window ${st.open ? 'open' : 'closed'} for ${ctx.env.name} at ${formatInstant(ctx.policy.time_zone, at)}: ${st.reason}; ${next}`,
    data: { at: new Date(at).toISOString(), ...view, windows: pol.windows.map((w) => w.label), freezes: ctx.policy.freezes.filter((f) => !f.environments || f.environments.includes(ctx.env.name)) },
    notes: [],
  };
}

/** Failures among the last N deployments: registry status plus recorded failed verifications. */
async function changeFailure(ctx: DeployContext): Promise<{ deploys: number; failures: number; failed: string[] }> {
  const recent = ctx.deployments.slice(-ctx.policy.change_failure_lookback);
  const history = await ctx.history();
  const failedVerify = new Set(history.filter((h) => h.kind === 'verification' && h.verdict === 'FAIL' && h.deploymentId).map((h) => h.deploymentId!));
  const failed = recent.filter((d) => d.status === 'failed' || d.status === 'rolled_back' || failedVerify.has(d.id)).map((d) => d.id);
  return { deploys: recent.length, failures: failed.length, failed };
}

/** Health, or null when it could not be read; `failed` learns why (a gate reports an access problem as exit 4). */
async function healthOrNull(ctx: DeployContext, failed?: (e: unknown) => void): Promise<HealthSummary | null> {
  try {
    return await ctx.health(ctx.resources);
  } catch (e) {
    failed?.(e);
    return null;
  }
}

/** A gate that could not read AWS (credentials, endpoint, permission) exits 4 like health and audit, report printed. */
function accessProblem(e: unknown): HelmError | undefined {
  return isHelmError(e) && e.exitCode === 4 ? e : undefined;
}

async function riskOutcome(p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const health = await healthOrNull(ctx);
  const st = windowState(windowPolicy(ctx.policy, ctx.env.name), ctx.now);
  const late = isLateWeek(ctx.policy.time_zone, ctx.now, parseTimeOfDay(ctx.policy.late_friday_after)!);
  const cf = await changeFailure(ctx);
  const diff = p.to ? await diffAnalysis(p.to, ctx) : null;
  const incidents = await ctx.openIncidents().catch(() => null);
  const risk: RiskAssessment = assessRisk({
    errorBudgetRemainingPercent: health === null ? null : health.budgetRemainingPercent,
    budgetBlockPercent: ctx.policy.error_budget_block_percent,
    health: health?.verdict ?? null,
    openIncidents: incidents,
    firingAlerts: health ? { critical: health.firingAlarms.length, warning: 0 } : null,
    window: { open: st.open, lateWeek: late, reason: st.reason, ...(st.freeze ? { freeze: st.freeze.reason } : {}) },
    changeFailure: cf,
    diff: diff ? { changes: diff.changes.length, summary: diff.summary } : null,
    protectedEnv: ctx.env.protected,
    ...(p.changes ? { changesText: p.changes } : {}),
    ...(p.blastRadius ? { blastRadius: p.blastRadius } : {}),
  });
  const verdict = risk.level.toUpperCase();
  const exitCode = risk.level === 'low' ? 0 : risk.level === 'medium' ? 1 : 3;
  const summary = risk.blocked ? `release blocked: ${risk.blockers.join('; ')} (score ${risk.score})` : `risk ${risk.level}: score ${risk.score}/100`;
  return {
    action: 'assess_risk',
    verdict,
    exitCode,
    summary,
    data: { score: risk.score, level: risk.level, blocked: risk.blocked, blockers: risk.blockers, factors: risk.factors, ...(diff ? { diff } : {}), changeFailure: cf },
    notes: health === null ? ['health could not be read: its factors count as unknown'] : [],
    record: { kind: 'assessment', verdict, summary, ...(ctx.deployments.length ? { deploymentId: ctx.deployments[ctx.deployments.length - 1]!.id } : {}) },
  };
}

// ---- diff ----------------------------------------------------------------------------------------------

export interface ConfigChange {
  resource: string;
  field: string;
  from: unknown;
  to: unknown;
}

interface DiffResult {
  live: { id: string; version: string } | null;
  target: { id: string; version: string };
  added: string[];
  removed: string[];
  changes: ConfigChange[];
  unknown: string[];
  summary: string;
}

/** Live configuration of a resource as the deploy family compares it; env var names only, never values. */
async function liveConfig(r: LiveResource, ctx: DeployContext): Promise<Record<string, unknown> | { unknown: string }> {
  try {
    if (r.type === 'lambda') {
      const f = await ctx.lambda().getFunction(r.name);
      if (!f) return { unknown: 'function not found' };
      return { memory_mb: f.memoryMb, timeout_s: f.timeoutSeconds, environment_names: Object.keys(f.env).sort() };
    }
    if (r.type === 'ecs_service') {
      const s = await ctx.ecs().describeService(r.cluster ?? 'default', r.name);
      if (!s) return { unknown: 'service not found' };
      return { task_definition: s.taskDefinition, desired_count: s.desiredCount };
    }
  } catch (e) {
    return { unknown: (e as Error).message.split('\n')[0]!.slice(0, 200) };
  }
  return { unknown: `no live configuration read for ${r.type}` };
}

function targetConfig(r: Record<string, unknown>): Record<string, unknown> {
  const c = (r.config ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    // Values of environment variables never leave the file: compare their names.
    if (k === 'environment' && v && typeof v === 'object') out.environment_names = Object.keys(v as object).sort();
    else out[k] = v;
  }
  return out;
}

async function diffAnalysis(ref: string, ctx: DeployContext): Promise<DiffResult> {
  const target = ctx.deployments.find((d) => d.id === ref) ?? ctx.readTarget(ref);
  if (!target) {
    const near = closest(ref, ctx.deployments.map((d) => d.id));
    throw new HelmError('input', `no deployment "${printable(ref)}" of ${ctx.project} in ${ctx.env.name}, and no such file`, { keyPath: '--to', fix: near ? `did you mean --to ${near}?` : 'give a deployment id from the registry or a JSON file holding one deployment' });
  }
  const live = ctx.deployments.length ? ctx.deployments[ctx.deployments.length - 1]! : null;
  const key = (r: { type: string; name: string }) => `${r.type}/${r.name}`;
  const liveKeys = new Set(ctx.resources.map(key));
  const targetKeys = new Set(target.resources.map(key));
  const added = [...targetKeys].filter((k) => !liveKeys.has(k));
  const removed = [...liveKeys].filter((k) => !targetKeys.has(k));
  const changes: ConfigChange[] = [];
  const unknown: string[] = [];
  if (live && live.version !== target.version) changes.push({ resource: '(deployment)', field: 'version', from: live.version, to: target.version });
  for (const tr of target.resources) {
    const lr = ctx.resources.find((r) => key(r) === key(tr));
    const want = targetConfig(tr as unknown as Record<string, unknown>);
    if (!lr || !Object.keys(want).length) continue;
    const have = await liveConfig(lr, ctx);
    if ('unknown' in have) {
      unknown.push(`${key(lr)}: ${have.unknown}`);
      continue;
    }
    for (const [field, to] of Object.entries(want)) {
      const from = have[field];
      if (from === undefined) continue;
      if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ resource: key(lr), field, from, to });
    }
  }
  const parts = [`${changes.length} configuration change${changes.length === 1 ? '' : 's'}`, `${added.length} added`, `${removed.length} removed`];
  return {
    live: live ? { id: live.id, version: live.version } : null,
    target: { id: target.id, version: target.version },
    added,
    removed,
    changes,
    unknown,
    summary: `${live ? `${live.version} → ${target.version}` : `first deployment ${target.version}`}: ${parts.join(', ')}${unknown.length ? `; ${unknown.length} not readable` : ''}`,
  };
}

async function diffOutcome(p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const d = await diffAnalysis(p.to!, ctx);
  const n = d.changes.length + d.added.length + d.removed.length;
  return {
    action: 'diff_analysis',
    verdict: d.unknown.length ? 'PARTIAL' : n ? 'CHANGES' : 'NO_CHANGES',
    exitCode: d.unknown.length || n ? 1 : 0,
    summary: d.summary,
    data: { ...d },
    notes: d.unknown.map((u) => `not compared: ${u}`),
  };
}

// ---- rollback ------------------------------------------------------------------------------------------

interface RollbackTarget {
  resource: string;
  ready: boolean;
  detail: string;
}

async function rollbackCheck(ctx: DeployContext): Promise<{ ready: boolean | null; targets: RollbackTarget[]; blockers: string[]; previous: string | null }> {
  const blockers: string[] = [];
  const live = ctx.deployments[ctx.deployments.length - 1];
  const previous = [...ctx.deployments].reverse().find((d) => d !== live && d.status !== 'failed' && d.status !== 'rolled_back') ?? null;
  if (!previous) blockers.push('the registry has no earlier good deployment of the project to go back to');
  const changes = (live as unknown as { changes?: unknown })?.changes;
  const migration = typeof changes === 'string' ? mentionsMigration(changes) : undefined;
  if (migration) blockers.push(`the live deployment's change names "${migration}": a schema or data migration may not be reversible by a rollback`);
  const targets: RollbackTarget[] = [];
  for (const r of ctx.resources) {
    try {
      if (r.type === 'lambda') {
        const versions = await ctx.lambda().listVersions(r.name);
        const alias = r.alias;
        const current = alias ? await ctx.lambda().getAlias(r.name, alias) : undefined;
        if (alias && !current) {
          targets.push({ resource: `lambda/${r.name}`, ready: false, detail: `alias ${alias} not found` });
          continue;
        }
        const cur = current ? Number(current.version) : versions[versions.length - 1];
        const earlier = versions.filter((v) => cur === undefined || v < cur);
        if (!alias) targets.push({ resource: `lambda/${r.name}`, ready: false, detail: `no alias to move (versions: ${versions.join(', ') || 'none'}); set "alias" on the registry resource` });
        else if (!earlier.length) targets.push({ resource: `lambda/${r.name}`, ready: false, detail: `no published version before ${current!.version} for alias ${alias}` });
        else targets.push({ resource: `lambda/${r.name}`, ready: true, detail: `alias ${alias} can move ${current!.version} → ${earlier[earlier.length - 1]}` });
      } else if (r.type === 'ecs_service') {
        const s = await ctx.ecs().describeService(r.cluster ?? 'default', r.name);
        if (!s) {
          targets.push({ resource: `ecs_service/${r.name}`, ready: false, detail: 'service not found' });
          continue;
        }
        const [family, rev] = s.taskDefinition.split(':');
        const revisions = await ctx.ecs().listRevisions(family!);
        const earlier = revisions.filter((v) => v < Number(rev));
        targets.push(
          earlier.length
            ? { resource: `ecs_service/${r.name}`, ready: true, detail: `task definition ${family}:${rev} → ${family}:${earlier[earlier.length - 1]} (ACTIVE)` }
            : { resource: `ecs_service/${r.name}`, ready: false, detail: `no earlier ACTIVE revision of ${family} than ${rev}` },
        );
      }
    } catch (e) {
      targets.push({ resource: `${r.type}/${r.name}`, ready: false, detail: `could not read: ${(e as Error).message.split('\n')[0]!.slice(0, 160)}` });
    }
  }
  const unreadable = targets.some((t) => t.detail.startsWith('could not read'));
  const ready = blockers.length || targets.some((t) => !t.ready && !t.detail.startsWith('could not read')) ? false : unreadable ? null : true;
  return { ready, targets, blockers, previous: previous?.id ?? null };
}

async function rollbackOutcome(_p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const r = await rollbackCheck(ctx);
  const verdict = r.ready === null ? 'UNKNOWN' : r.ready ? 'READY' : 'NOT_READY';
  const reasons = [...r.blockers, ...r.targets.filter((t) => !t.ready).map((t) => `${t.resource}: ${t.detail}`)];
  return {
    action: 'rollback_check',
    verdict,
    exitCode: r.ready ? 0 : r.ready === null ? 1 : 3,
    summary: r.ready ? `rollback ready to ${r.previous}` : `rollback ${verdict === 'UNKNOWN' ? 'readiness unknown' : 'not ready'}: ${reasons.join('; ') || 'no rollback targets'}`,
    data: r,
    notes: [],
  };
}

// ---- canary --------------------------------------------------------------------------------------------

/** "fn@5" or "fn:alias@5" (Lambda ExecutedVersion). */
function parseRef(ref: string, ctx: DeployContext): { resource: LiveResource; alias?: string; version: string } {
  const m = /^([^:@\s]+)(?::([^@\s]+))?@([A-Za-z0-9$._-]+)$/.exec(ref.trim());
  const names = ctx.resources.map((r) => r.name);
  if (!m) throw new HelmError('usage', `"${printable(ref)}" is not a canary reference`, { expected: 'FUNCTION@VERSION or FUNCTION:ALIAS@VERSION', fix: `e.g. ${names[0] ?? 'orders-api'}@5` });
  const resource = ctx.resources.find((r) => r.name === m[1]);
  if (!resource) {
    const near = closest(m[1]!, names);
    throw new HelmError('input', `no resource "${printable(m[1]!)}" is live for ${ctx.project} in ${ctx.env.name}`, { fix: near ? `did you mean ${near}?` : `use one of: ${names.join(', ') || '(none)'}` });
  }
  return { resource, ...(m[2] ?? resource.alias ? { alias: m[2] ?? resource.alias } : {}), version: m[3]! };
}

function judgeOptions(ctx: DeployContext) {
  const c = ctx.policy.canary;
  return { alpha: c.alpha, pass: c.pass_score, marginal: c.marginal_score, minPoints: c.min_points, minEvents: c.min_events, minEffect: c.min_effect_percent / 100 };
}

function judgementExit(j: CanaryJudgement): number {
  return j.judgement === 'PASS' ? 0 : j.judgement === 'FAIL' ? 3 : 1;
}

async function canaryOutcome(p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const canary = parseRef(p.canary!, ctx);
  const baseline = parseRef(p.baseline!, ctx);
  if (canary.resource.type !== 'lambda' || baseline.resource.type !== 'lambda') {
    throw new HelmError('usage', 'canary_status compares versions of a Lambda function (its ExecutedVersion metrics)', { fix: 'name two versions: --canary fn@5 --baseline fn@4' });
  }
  const d = (await ctx.descriptor('lambda'))!;
  const windowMs = p.windowMs ?? 3600_000;
  const end = Math.floor(ctx.now / 60_000) * 60_000;
  const side = (r: typeof canary, label: string) => ({
    label,
    resource: r.resource,
    extraDims: [...(r.alias ? [{ name: 'Resource', value: `${r.resource.name}:${r.alias}` }] : []), { name: 'ExecutedVersion', value: r.version }],
    startMs: end - windowMs,
    endMs: end,
  });
  const cmp = await compareSides(ctx.cloudwatch(), d, side(canary, `canary ${p.canary}`), side(baseline, `baseline ${p.baseline}`));
  const j = judgeCanary(cmp.metrics, judgeOptions(ctx));
  return {
    action: 'canary_status',
    verdict: j.judgement,
    exitCode: judgementExit(j),
    summary: `canary ${p.canary} vs baseline ${p.baseline}: ${j.judgement}${j.score !== null ? ` (score ${j.score})` : ''} — ${j.reason}`,
    data: { canary: p.canary, baseline: p.baseline, window: { start: new Date(end - windowMs).toISOString(), end: new Date(end).toISOString() }, score: j.score, thresholds: j.thresholds, metrics: j.metrics, apiCalls: cmp.calls },
    notes: cmp.notes,
    record: { kind: 'canary', verdict: j.judgement, summary: j.reason },
  };
}

// ---- post-deploy verification --------------------------------------------------------------------------

async function postDeployVerify(p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const dep = p.deployment ? ctx.deployments.find((d) => d.id === p.deployment) : ctx.deployments[ctx.deployments.length - 1];
  if (!dep) {
    const near = p.deployment ? closest(p.deployment, ctx.deployments.map((d) => d.id)) : undefined;
    throw new HelmError('input', p.deployment ? `no deployment "${printable(p.deployment)}" of ${ctx.project} in ${ctx.env.name}` : `${ctx.project} has no deployment in ${ctx.env.name}`, { keyPath: '--deployment', fix: near ? `did you mean --deployment ${near}?` : 'see helm-cloud deploy deploy_timeline' });
  }
  const deployedAt = Date.parse(dep.deployed_at);
  const deadline = ctx.now + (p.waitMs ?? 0);
  let now = ctx.now;
  for (;;) {
    const out = await verifyOnce(dep, deployedAt, now, p, ctx);
    const confident = out.verdict === 'PASS' || out.verdict === 'FAIL';
    if (confident || now >= deadline) {
      if (!confident && p.waitMs) out.summary += ` (waited ${Math.round(p.waitMs / 60_000)} min)`;
      return out;
    }
    const step = Math.min(p.pollMs ?? 60_000, deadline - now);
    await ctx.sleep(step);
    now += step;
  }
}

async function verifyOnce(dep: Deployment, deployedAt: number, now: number, p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const end = Math.floor(now / 60_000) * 60_000;
  const span = Math.min(p.windowMs ?? 3600_000, end - deployedAt);
  const notes: string[] = [];
  const perResource: { resource: string; judgement: CanaryJudgement; notes: string[] }[] = [];
  if (span < 60_000) notes.push(`the deployment is ${Math.round((end - deployedAt) / 1000)} s old: no full minute after it to compare yet`);
  else {
    for (const r of ctx.resources.filter((x) => x.deploymentId === dep.id || dep.resources.some((y) => y.name === x.name && y.type === x.type))) {
      const d = await ctx.descriptor(r.type);
      if (!d) continue;
      const cmp = await compareSides(ctx.cloudwatch(), d, { label: 'after', resource: r, startMs: deployedAt, endMs: deployedAt + span }, { label: 'before', resource: r, startMs: deployedAt - span, endMs: deployedAt });
      if (!cmp.metrics.length) continue;
      perResource.push({ resource: `${r.type}/${r.name}`, judgement: judgeCanary(cmp.metrics, judgeOptions(ctx)), notes: cmp.notes });
    }
  }
  let healthError: unknown;
  const health = await healthOrNull(ctx, (e) => (healthError = e));
  const judgements = perResource.map((x) => x.judgement.judgement);
  const failed = perResource.filter((x) => x.judgement.judgement === 'FAIL');
  let verdict: 'PASS' | 'FAIL' | 'INCONCLUSIVE';
  if (failed.length || health?.verdict === 'UNHEALTHY') verdict = 'FAIL';
  else if (perResource.length && judgements.every((j) => j === 'PASS') && health && health.verdict !== 'UNKNOWN') verdict = 'PASS';
  else verdict = 'INCONCLUSIVE';
  const why =
    verdict === 'FAIL'
      ? [...failed.map((f) => `${f.resource}: ${f.judgement.reason}`), ...(health?.verdict === 'UNHEALTHY' ? [`health UNHEALTHY: ${health.reasons.slice(0, 2).join('; ')}`] : [])].join('; ')
      : verdict === 'PASS'
        ? `after the deploy matches the ${Math.round(span / 60_000)} min before it on ${perResource.length} resource${perResource.length === 1 ? '' : 's'}; health ${health!.verdict}`
        : !perResource.length
          ? 'no metrics to compare yet'
          : health === null
            ? `health could not be read${healthError ? `: ${printable((healthError as Error).message)}` : ''}`
            : `not confident: ${perResource.filter((x) => x.judgement.judgement !== 'PASS').map((x) => `${x.resource} ${x.judgement.judgement} (${x.judgement.reason})`).join('; ') || `health ${health.verdict}`}`;
  const suggestion = verdict === 'FAIL' ? `helm-cloud remediate --action rollback --target ${ctx.resources[0]?.name ?? '<resource>'} --env ${ctx.env.name} --dry-run` : undefined;
  return {
    action: 'post_deploy_verify',
    verdict,
    exitCode: accessProblem(healthError) ? 4 : verdict === 'PASS' ? 0 : verdict === 'FAIL' ? 3 : 1,
    summary: `${dep.id} (${dep.version}): ${verdict} — ${why}`,
    data: {
      deployment: { id: dep.id, version: dep.version, deployedAt: dep.deployed_at },
      window: { before: { start: new Date(deployedAt - span).toISOString(), end: new Date(deployedAt).toISOString() }, after: { start: new Date(deployedAt).toISOString(), end: new Date(deployedAt + Math.max(span, 0)).toISOString() } },
      health: health ? { verdict: health.verdict, reasons: health.reasons } : null,
      resources: perResource.map((x) => ({ resource: x.resource, judgement: x.judgement.judgement, score: x.judgement.score, reason: x.judgement.reason, metrics: x.judgement.metrics, notes: x.notes })),
      ...(suggestion ? { suggestedRemediation: suggestion } : {}),
    },
    notes: [...notes, ...perResource.flatMap((x) => x.notes.map((n) => `${x.resource}: ${n}`)), ...(suggestion ? [`to roll back (never run automatically): ${suggestion}`] : [])],
    record: { kind: 'verification', verdict, summary: why, deploymentId: dep.id },
  };
}

// ---- checklist -----------------------------------------------------------------------------------------

async function checklist(_p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const lines: CheckLine[] = [];
  const t0 = performance.now();
  const lineMs: Record<string, number> = {};
  const mark = () => lines.forEach((l) => (lineMs[l.id] ??= performance.now() - t0));
  let healthError: unknown;
  const health = await healthOrNull(ctx, (e) => (healthError = e));
  const unread = `health could not be read${healthError ? `: ${printable((healthError as Error).message)}` : ''}`;
  lines.push(
    health === null
      ? { id: 'health', label: 'health is not UNHEALTHY', status: 'UNKNOWN', detail: unread }
      : health.verdict === 'UNKNOWN'
        ? { id: 'health', label: 'health is not UNHEALTHY', status: 'UNKNOWN', detail: `health is UNKNOWN: ${health.reasons.slice(0, 2).join('; ')}` }
        : { id: 'health', label: 'health is not UNHEALTHY', status: health.verdict === 'UNHEALTHY' ? 'FAIL' : 'PASS', detail: `health is ${health.verdict}${health.reasons.length ? `: ${health.reasons.slice(0, 2).join('; ')}` : ''}` },
  );
  mark();
  lines.push(
    health === null
      ? { id: 'alerts', label: 'no critical alert firing', status: 'UNKNOWN', detail: unread.replace(/^health/, 'alarms') }
      : { id: 'alerts', label: 'no critical alert firing', status: health.firingAlarms.length ? 'FAIL' : 'PASS', detail: health.firingAlarms.length ? `in ALARM: ${health.firingAlarms.join(', ')}` : 'no alarm of the project is in ALARM' },
  );
  mark();
  const incidents = await ctx.openIncidents().catch(() => null);
  lines.push(
    incidents === null
      ? { id: 'incidents', label: 'no open incident', status: 'UNKNOWN', detail: 'incidents are not configured ([oncall] in monitoring.toml)' }
      : { id: 'incidents', label: 'no open incident', status: incidents ? 'FAIL' : 'PASS', detail: `${incidents} open incident${incidents === 1 ? '' : 's'}` },
  );
  mark();
  const budget = health?.budgetRemainingPercent;
  lines.push(
    health === null
      ? { id: 'error_budget', label: 'error budget above policy', status: 'UNKNOWN', detail: 'error budget could not be read' }
      : budget === undefined
        ? { id: 'error_budget', label: 'error budget above policy', status: 'UNKNOWN', detail: 'no SLO with an error budget applies to the project' }
        : { id: 'error_budget', label: 'error budget above policy', status: budget > ctx.policy.error_budget_block_percent ? 'PASS' : 'FAIL', detail: `${Math.round(budget * 10) / 10}% left (policy blocks at ≤ ${ctx.policy.error_budget_block_percent}%)` },
  );
  mark();
  const st = windowState(windowPolicy(ctx.policy, ctx.env.name), ctx.now);
  const wv = windowView(ctx.policy, st);
  lines.push({ id: 'change_window', label: 'change window open', status: st.open ? 'PASS' : 'FAIL', detail: `${st.reason}${st.open ? '' : wv.nextOpen ? `; opens ${wv.nextOpen}` : ''}` });
  mark();
  const rb = await rollbackCheck(ctx);
  lines.push({ id: 'rollback', label: 'rollback ready', status: rb.ready === null ? 'UNKNOWN' : rb.ready ? 'PASS' : 'FAIL', detail: rb.ready ? `back to ${rb.previous}` : [...rb.blockers, ...rb.targets.filter((t) => !t.ready).map((t) => `${t.resource}: ${t.detail}`)].join('; ') || 'no rollback targets' });
  mark();
  const oc = await ctx.onCall().catch(() => null);
  lines.push(
    oc === null
      ? { id: 'on_call', label: 'someone is on call', status: 'UNKNOWN', detail: 'on-call is not configured ([oncall] in monitoring.toml)' }
      : { id: 'on_call', label: 'someone is on call', status: oc.who.length ? 'PASS' : 'FAIL', detail: oc.who.length ? `on call: ${oc.who.join(', ')}` : 'nobody is on call now' },
  );
  mark();
  const fails = lines.filter((l) => l.status === 'FAIL');
  const unknown = lines.filter((l) => l.status === 'UNKNOWN');
  const verdict = fails.length ? 'FAIL' : unknown.length ? 'UNKNOWN' : 'PASS';
  const summary = `pre-deploy checklist for ${ctx.project} in ${ctx.env.name}: ${lines.length - fails.length - unknown.length} PASS, ${fails.length} FAIL, ${unknown.length} UNKNOWN`;
  return {
    action: 'pre_deploy_checklist',
    verdict,
    exitCode: accessProblem(healthError) ? 4 : fails.length ? 3 : unknown.length ? 1 : 0,
    summary,
    data: { lines },
    lines,
    lineMs,
    notes: [],
    record: { kind: 'checklist', verdict, summary },
  };
}

// ---- timeline ------------------------------------------------------------------------------------------

async function timeline(p: DeployParams, ctx: DeployContext): Promise<DeployOutcome> {
  const since = ctx.now - (p.sinceMs ?? 7 * 86400_000);
  const history = await ctx.history();
  const deps = ctx.deployments.filter((d) => Date.parse(d.deployed_at) >= since);
  const rows = deps.map((d, i) => {
    const start = Date.parse(d.deployed_at);
    const next = deps[i + 1] ? Date.parse(deps[i + 1]!.deployed_at) : Infinity;
    const around = history.filter((h) => h.deploymentId === d.id || (Date.parse(h.at) >= start && Date.parse(h.at) < next));
    return {
      id: d.id,
      version: d.version,
      deployedAt: d.deployed_at,
      status: d.status ?? 'succeeded',
      ...(d.deployed_by ? { deployedBy: d.deployed_by } : {}),
      records: around.map((h) => ({ at: h.at, kind: h.kind, verdict: h.verdict, summary: h.summary })),
    };
  });
  return {
    action: 'deploy_timeline',
    verdict: 'OK',
    exitCode: 0,
    summary: `${rows.length} deployment${rows.length === 1 ? '' : 's'} of ${ctx.project} in ${ctx.env.name} since ${new Date(since).toISOString().slice(0, 16)}Z`,
    data: { since: new Date(since).toISOString(), deployments: rows },
    notes: [],
  };
}
