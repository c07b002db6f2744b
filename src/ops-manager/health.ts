/**
 * ops-manager: health. Resolves the context, runs the ops-monitor skill, rolls resources up into the
 * environment verdict, saves the report, updates the central Helm status, and prints (or, with --watch,
 * prints transitions until interrupted).
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closest, printable } from '../config/explain.js';
import { durationMs as parseDurationText } from '../core/duration.js';
import { count } from '../core/plural.js';
import { ExitCode, HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { worst, verdictExitCode, type Verdict } from '../core/verdict.js';
import type { CommandResult, ResultJson } from '../report/render.js';
import { paintVerdict, safeText } from '../report/render.js';
import { monitor, type MonitorResult } from '../skills/ops-monitor/monitor.js';
import { healthJunit, healthMarkdown, healthTable, type HealthView } from '../skills/ops-monitor/render.js';
import { writeFileAtomic } from '../store/atomic.js';
import { registerDomain, writeDomainStatus } from '../store/helm.js';
import { saveReport } from '../store/reports.js';
import { withPrometheusSlos } from './health-prometheus.js';
import { automationLines, automationMarkdown, automationStatus, type AutomationStatus } from './automation.js';
import { resolveContext, type ContextOverrides, type OpsContext } from './context.js';
import type { HealthRequest } from './requests.js';

export const HEALTH_SCHEMA = 'helm-cloud/health@1';
const VERDICTS: Verdict[] = ['HEALTHY', 'DEGRADED', 'UNHEALTHY', 'UNKNOWN'];

/** The report of one check; with --watch, the exit code the watch ended with (130 when interrupted). */
export async function runHealth(req: HealthRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult | number> {
  const ctx = resolveContext(req, io, overrides);
  if (req.resource !== undefined) {
    const names = ctx.resources.map((r) => r.name);
    if (!names.includes(req.resource)) {
      const near = closest(req.resource, names);
      throw new HelmError('input', `no resource "${printable(req.resource)}" is live in ${ctx.env.name}`, {
        keyPath: '--resource',
        fix: near ? `did you mean --resource ${near}?` : names.length ? `use one of: ${names.slice(0, 10).join(', ')}` : 'the registry has no live resources for this environment',
      });
    }
  }
  if (req.watch) return watch(ctx, req);
  const result = withAutomation(await checkOnce(ctx, req), await automationOfEnv(ctx));
  await finish(ctx, req, result);
  return result;
}

/** The environment's circuit breaker and suggested promotions: shown beside the verdict, never part of it. */
async function automationOfEnv(ctx: OpsContext): Promise<AutomationStatus | undefined> {
  try {
    return (await automationStatus(ctx, [ctx.env.name]))[0];
  } catch (e) {
    ctx.io.err(`warning: could not read the circuit breaker and trust state: ${safeText((e as Error).message).slice(0, 200)}`);
    return undefined;
  }
}

function withAutomation(result: CommandResult, a: AutomationStatus | undefined): CommandResult {
  if (!a) return result;
  const { environment: _env, ...automation } = a;
  return {
    ...result,
    json: { ...result.json, automation },
    table: (color) => [result.table(color), '', ...automationLines([a], color)].join('\n'),
    markdown: () => [result.markdown().trimEnd(), '', automationMarkdown([a])].join('\n'),
  };
}

async function checkOnce(ctx: OpsContext, req: HealthRequest): Promise<CommandResult> {
  const windowMs = req.windowMs ?? durationMs(ctx.monitoring.monitoring.default_window);
  const resources = req.resource === undefined ? ctx.resources : ctx.resources.filter((r) => r.name === req.resource);
  const now = ctx.now();
  ctx.io.progress(`health: ${count(resources.length, 'resource')} in ${ctx.env.name}…`);
  const m = await monitor({
    aws: ctx.aws,
    kube: ctx.kube,
    monitoring: ctx.monitoring,
    resources,
    now,
    windowMs,
    burnRate: req.burnRate,
    access: { ...ctx.aws.describe() },
    anomalies: req.anomalies || ctx.monitoring.monitoring.anomaly_detection ? { baselineMs: durationMs(ctx.monitoring.monitoring.anomaly_baseline) } : undefined,
  });
  return buildResult(ctx, req, await withPrometheusSlos(ctx, m, windowMs, now, req.resource), now);
}

export function buildResult(ctx: OpsContext, req: HealthRequest, m: MonitorResult, now: number): CommandResult {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of m.resources) counts[r.verdict]++;
  const verdict = worst(m.resources.map((r) => r.verdict));
  const summary = m.resources.length
    ? `${m.resources.length} resource${m.resources.length === 1 ? '' : 's'}: ` +
      VERDICTS.filter((v) => counts[v])
        .map((v) => `${counts[v]} ${v.toLowerCase()}`)
        .join(', ')
    : `no live resources for ${ctx.env.name} in the registry: nothing to judge`;
  const exitCode = verdictExitCode(verdict, req.failOn);
  const json: ResultJson = {
    schema: HEALTH_SCHEMA,
    command: 'health',
    environment: ctx.env.name,
    generatedAt: new Date(now).toISOString(),
    window: m.window,
    verdict,
    summary,
    exitCode,
    counts,
    resources: m.resources,
    apiCalls: m.apiCalls,
    sloBurn: m.sloBurn,
  };
  const view: HealthView = { environment: ctx.env.name, verdict, summary, window: m.window, resources: m.resources };
  return { json, exitCode, table: (color) => healthTable(view, color), markdown: () => healthMarkdown(view) };
}

/** Side effects of a finished check: report files, Helm status, JUnit, GitHub step summary. */
async function finish(ctx: OpsContext, req: HealthRequest, result: CommandResult): Promise<void> {
  const now = Date.parse(String(result.json.generatedAt));
  const suffix = req.resource === undefined ? '' : req.resource;
  try {
    const saved = await saveReport(ctx.ws, 'health', ctx.env.name, { json: result.json, markdown: result.markdown() }, now, suffix);
    result.json.report = { json: saved.relJson, markdown: saved.relMarkdown };
    // A single-resource check says nothing about the whole environment: keep it out of the dashboard.
    if (req.resource === undefined) {
      await registerDomain(ctx.ws, 'infra', { plugin: 'fractary-helm-cloud', description: 'AWS infrastructure health, incidents and remediation (helm-cloud)' });
      await writeDomainStatus(
        ctx.ws,
        'infra',
        ctx.env.name,
        { verdict: String(result.json.verdict), summary: String(result.json.summary), report: saved.relJson, production: ctx.env.config.protected, slo_burn: (result.json.sloBurn as number | null) ?? undefined },
        now,
      );
    }
  } catch (e) {
    // The verdict stands even when the report cannot be written; say so on stderr.
    ctx.io.err(`warning: could not save the health report: ${safeText((e as Error).message).slice(0, 200)}`);
  }
  if (req.junit) {
    const view = result.json as unknown as HealthView & { environment: string };
    writeFileAtomic(resolve(req.cwd, req.junit), healthJunit({ ...view, environment: ctx.env.name }));
  }
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      appendFileSync(summaryFile, result.markdown() + '\n');
    } catch (e) {
      ctx.io.err(`warning: could not append to GITHUB_STEP_SUMMARY: ${safeText((e as Error).message).slice(0, 200)}`);
    }
  }
}

/**
 * --watch: re-check every health_check_interval; print each resource's verdict changes (the first run prints
 * them all); stop cleanly on SIGINT/SIGTERM. Reports are saved when something changed, not on every tick.
 */
async function watch(ctx: OpsContext, req: HealthRequest): Promise<number> {
  const intervalText = ctx.monitoring.monitoring.health_check_interval;
  const interval = durationMs(intervalText);
  // One banner, then only changes: the per-check progress line shows on the first check alone.
  ctx.io.err(`watching ${ctx.env.name} every ${intervalText} ([monitoring] health_check_interval); verdict changes print as they happen. Stop with Ctrl-C (exit ${ExitCode.interrupted}).`);
  const quiet: OpsContext = { ...ctx, io: { ...ctx.io, progress: () => undefined } };
  let ticks = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const last = new Map<string, Verdict>();
  let lastEnv: Verdict | undefined;
  try {
    while (!stopped) {
      let result: CommandResult | undefined;
      try {
        result = await checkOnce(ticks++ === 0 ? ctx : quiet, req);
      } catch (e) {
        // A failed tick (e.g. credentials expired mid-watch) is reported and retried, not fatal.
        ctx.io.err(`health: check failed: ${(e as Error).message}`);
      }
      if (result && !stopped) {
        const at = String(result.json.generatedAt);
        const lines: string[] = [];
        for (const r of result.json.resources as MonitorResult['resources']) {
          const key = `${r.type}/${r.name}`;
          const before = last.get(key);
          if (before !== r.verdict) {
            lines.push(req.output === 'json'
              ? JSON.stringify({ at, resource: key, from: before ?? null, to: r.verdict, reasons: r.reasons })
              : `${at}  ${safeText(key)}  ${before ? paintVerdict(before, ctx.io.color) : 'start'} → ${paintVerdict(r.verdict, ctx.io.color)}${r.reasons[0] ? `  (${safeText(r.reasons[0])})` : ''}`);
            last.set(key, r.verdict);
          }
        }
        const envVerdict = result.json.verdict as Verdict;
        if (envVerdict !== lastEnv) {
          lines.push(req.output === 'json'
            ? JSON.stringify({ at, environment: ctx.env.name, from: lastEnv ?? null, to: envVerdict, summary: result.json.summary })
            : `${at}  environment ${safeText(ctx.env.name)}  ${lastEnv ? paintVerdict(lastEnv, ctx.io.color) : 'start'} → ${paintVerdict(envVerdict, ctx.io.color)}  (${safeText(result.json.summary)})`);
          lastEnv = envVerdict;
        }
        if (lines.length) {
          ctx.io.out(lines.join('\n'));
          await finish(ctx, { ...req, junit: undefined }, result);
        }
      }
      if (stopped) break;
      await new Promise<void>((r) => {
        const t = setTimeout(r, interval);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  ctx.io.err(`stopped watching ${ctx.env.name} after ${ticks} check${ticks === 1 ? '' : 's'}`);
  return ExitCode.interrupted;
}

/** A duration the config schema already validated (DURATION_RE) → milliseconds. */
function durationMs(text: string): number {
  return parseDurationText(text)!;
}
