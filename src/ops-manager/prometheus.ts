/**
 * ops-manager: the prometheus family. Resolves the servers, runs one ops-prometheus action, prints the
 * server's warnings on stderr (and keeps them in JSON), and for the Alertmanager writes (silence_create,
 * silence_expire) asks on protected environments and logs intent and outcome in actions.jsonl.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { safeText, type CommandResult } from '../report/render.js';
import { runPromAction, type PromAction, type PromParams } from '../skills/ops-prometheus/index.js';
import { asMarkdown, asTable } from '../skills/ops-prometheus/render.js';
import { appendAction } from '../store/actions-log.js';
import { resolveServers, type ServerOptions } from './servers.js';

export const PROMETHEUS_SCHEMA = 'helm-cloud/prometheus@1';
const WRITES: PromAction[] = ['silence_create', 'silence_expire'];

export interface PromRequest extends ServerOptions {
  action: PromAction;
  params: Omit<PromParams, 'nowMs' | 'charts'>;
  yes?: boolean;
}

export function operator(): string {
  try {
    return process.env.HELM_CLOUD_OPERATOR || userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function runPrometheus(req: PromRequest, io: Io, overrides: { now?: () => number } = {}): Promise<CommandResult> {
  const ctx = resolveServers(req, io, overrides);
  const now = ctx.now();
  const kind = req.action.startsWith('silence') ? 'alertmanager' : 'prometheus';
  const endpoint = ctx.need(kind);
  const write = WRITES.includes(req.action);
  const params: PromParams = { ...req.params, nowMs: now, charts: io.stdoutIsTTY && req.output === 'table', author: req.params.author ?? operator() };
  let attempt: string | undefined;
  if (write) {
    if (ctx.env?.config.protected && !req.yes) {
      // As remediate: without a terminal nobody can answer, so the call is incomplete (2); a "no" is a refusal (3).
      if (!io.stdinIsTTY) {
        throw new HelmError('usage', `${req.action} on the protected environment ${ctx.env.name} needs confirmation and this run is not interactive`, { fix: 'pass --yes to confirm without a terminal' });
      }
      if (!(await io.confirm(`${req.action} on ${endpoint.url} for the protected environment ${ctx.env.name}?`))) {
        throw new HelmError('action-failed', `${req.action} not confirmed for the protected environment ${ctx.env.name}`, { fix: 'nothing was changed' });
      }
    }
    if (ctx.ws) {
      attempt = randomUUID();
      await appendAction(ctx.ws, logRecord(attempt, 'intent', req, endpoint.url, ctx.env?.name, now));
    }
  }
  let outcome;
  try {
    outcome = await runPromAction(req.action, params, { prometheus: () => endpoint, alertmanager: () => endpoint });
  } catch (e) {
    if (attempt && ctx.ws) await appendAction(ctx.ws, { ...logRecord(attempt, 'failed', req, endpoint.url, ctx.env?.name, ctx.now()), reason: (e as Error).message.slice(0, 500) });
    throw e;
  }
  if (attempt && ctx.ws && outcome.change) {
    await appendAction(ctx.ws, { ...logRecord(attempt, outcome.change.outcome, req, endpoint.url, ctx.env?.name, ctx.now()), reason: outcome.change.detail, after: outcome.data, target: outcome.change.id ?? null });
  }
  for (const w of outcome.warnings) io.err(`warning: ${endpoint.kind}: ${safeText(w)}`);
  const json = {
    schema: PROMETHEUS_SCHEMA,
    command: 'prometheus',
    action: req.action,
    ...(ctx.env ? { environment: ctx.env.name } : {}),
    generatedAt: new Date(now).toISOString(),
    verdict: 'OK',
    summary: outcome.summary,
    exitCode: 0,
    server: outcome.server,
    warnings: outcome.warnings,
    requests: outcome.requests,
    data: outcome.data,
    ...(outcome.change ? { change: outcome.change } : {}),
  };
  const warn = outcome.warnings.map((w) => `warning: ${safeText(w)}`);
  return {
    json,
    exitCode: 0,
    table: (color) => [`${safeText(outcome.summary)} — ${outcome.server}`, '', asTable(outcome.view, color), ...warn].join('\n'),
    markdown: () => [`## ${req.action}: ${safeText(outcome.summary)}`, '', asMarkdown(outcome.view), ...warn.map((w) => `> ${w}`)].join('\n'),
  };
}

function logRecord(attempt: string, outcome: 'intent' | 'applied' | 'skipped' | 'failed', req: PromRequest, server: string, env: string | undefined, now: number) {
  return {
    attempt,
    time: new Date(now).toISOString(),
    operator: operator(),
    environment: env ?? '-',
    action: `alertmanager.${req.action}`,
    target: req.params.id ?? null,
    params: { server, matchers: req.params.matchers, durationMs: req.params.durationMs, comment: req.params.comment, id: req.params.id },
    outcome,
    before: null,
    after: null,
    verification: null,
    issue: null,
    plan: null,
    safety: null,
  };
}
