/**
 * The action contract. An action is data plus five steps: diagnose (read the current state), plan (the exact
 * change, blast radius, reversibility), apply, verify (re-read and compare), and a manual runbook. Actions
 * never look at --dry-run, the safety level or the TTY: the responder decides whether apply runs at all.
 */
import type { z } from 'zod';
import type { AwsProvider } from '../aws/provider.js';
import type { KubeProvider } from '../adapters/kubernetes/client.js';
import type { LiveResource } from '../config/load.js';
import type { ResourceType } from '../config/schemas.js';
import type { Remedy } from '../core/hypotheses.js';
import type { Phrases } from '../core/nl-parse.js';
import type { Plan, Scalar } from '../core/plan.js';
import type { SafetyLevel } from '../core/safety.js';
import { HelmError } from '../errors.js';
import type { ActionLogRecord } from '../store/actions-log.js';

export type State = Record<string, Scalar | undefined>;

export interface ActionCtx<P> {
  aws: AwsProvider;
  /** Kubernetes clients for k8s_* targets (the resource's context, else the environment's). */
  kube: KubeProvider;
  resource: LiveResource;
  params: P;
  env: { name: string; protected: boolean };
  /** Epoch ms when the run started. */
  now: number;
  /**
   * Start of the idempotency window for per-request actions (restart, flush, rollback): the start
   * with --issue, else now minus within_minutes. A matching change by helm-cloud after it counts as done.
   */
  since: number;
  sinceLabel: string;
  /** helm-cloud's earlier applied attempts of this action on this target in this environment, oldest first. */
  history: ActionLogRecord[];
}

/** A plan as an action proposes it; `refusal` stops the run with the runbook (exit 3) and changes nothing. */
export interface ActionPlan extends Omit<Plan, 'permissions'> {
  refusal?: string;
  /** The change as a helm-cloud call that reverses it, when one exists. */
  undoCall?: { action: string; params: Record<string, string | number | undefined> };
  /** Values the plan decided that apply and verify need (e.g. the apply method of a parameter). */
  data?: Record<string, string | number | boolean>;
}

export interface Verification {
  ok: boolean;
  /**
   * verified: re-read state matches (and the motivating symptom improved, when there was one); pending: accepted,
   * takes effect later, or too early to re-read the symptom; failed: it does not match; not_effective: the
   * change landed but the symptom that motivated it did not improve.
   */
  status: 'verified' | 'pending' | 'failed' | 'not_effective';
  detail: string;
}

export interface Runbook {
  summary: string;
  steps: string[];
  cli: string[];
  console: string;
}

export interface ActionDef<P = Record<string, unknown>> {
  id: string;
  title: string;
  appliesTo: readonly ResourceType[];
  params: z.ZodType<P>;
  /** IAM actions the apply and verify steps call; the --dry-run plan lists them. */
  permissions: string[];
  /**
   * The level the action is meant to run at: `init` writes it into [remediation], doctor and the plan's safety
   * reason name it when [remediation] lists the action nowhere (then it is never_auto, design: unknown actions
   * are never). `never` is a floor: such an action is never executed, whatever [remediation] says.
   */
  defaultSafety: SafetyLevel;
  /** How a remediate request names the action (src/core/nl-parse.ts reads every action's rules); `none` says why it has none. */
  phrases: Phrases | { none: string };
  /** The investigation hypotheses the action remedies, and the params it proposes from their evidence. */
  remedies?: readonly Omit<Remedy, 'action'>[];
  diagnose(ctx: ActionCtx<P>): Promise<State>;
  plan(ctx: ActionCtx<P>, before: State): ActionPlan | Promise<ActionPlan>;
  apply(ctx: ActionCtx<P>, before: State, plan: ActionPlan): Promise<void>;
  /**
   * Waits until verifying is meaningful (a rollout reached its end or its deadline). Without it the
   * responder waits [remediation] settle_seconds.
   */
  settle?(ctx: ActionCtx<P>, before: State, plan: ActionPlan): Promise<void>;
  /** Judges the re-read state; without it, every planned field must read back as planned. */
  verify?(ctx: ActionCtx<P>, before: State, plan: ActionPlan, after: State): Verification;
  runbook(resource: LiveResource | undefined, params: Partial<P>): Runbook;
}

export function defineAction<P>(def: ActionDef<P>): ActionDef<P> {
  return def;
}

/** The registry holds a resource AWS does not: stop with a reason instead of planning against nothing. */
export function notInAws(resource: LiveResource, what: string): HelmError {
  return new HelmError('action-failed', `${what} "${resource.name}" is in the registry but not in AWS (${resource.region})`, {
    fix: 'check the region and account of the environment, or whether it was deleted outside the deploy tool',
  });
}

export function badParam(action: string, message: string, fix: string): HelmError {
  return new HelmError('input', `${action}: ${message}`, { keyPath: '--param', fix });
}

/** The newest applied attempt in the idempotency window, if any. */
export function recentApplied(ctx: ActionCtx<unknown>): ActionLogRecord | undefined {
  return [...ctx.history].reverse().find((r) => r.outcome === 'applied' && Date.parse(r.time) >= ctx.since);
}

export const iso = (ms: number) => new Date(ms).toISOString();

export { sh } from '../core/sh.js';

export const DEFAULT_WINDOW_MINUTES = 30;
