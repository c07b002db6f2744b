/**
 * ops-manager: health. Resolves the context, runs the ops-monitor skill, rolls resources up into the
 * environment verdict, saves the report, updates the central Helm status, and prints (or, with --watch,
 * prints transitions until interrupted).
 */
import { resolve } from 'node:path';
import { closest, printable } from '../config/explain.js';
import { durationMs as parseDurationText } from '../core/duration.js';
import { count } from '../core/plural.js';
import { ExitCode, HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { worst, verdictExitCode, type Verdict } from '../core/verdict.js';
import type { CommandResult, ReportPaths, ResultJson } from '../report/model.js';
import { publish } from '../report/publish.js';
import { paintVerdict, safeText } from '../report/text.js';
import { monitor, type MonitorResult, type ResourceHealth } from '../skills/ops-monitor/monitor.js';
import { healthJunit, healthMarkdown, healthTable } from '../skills/ops-monitor/render.js';
import { withPrometheusSlos } from './health-prometheus.js';
import { automationLines, automationMarkdown, automationStatus, type AutomationStatus } from './automation.js';
import { resolveContext, type ContextOverrides, type OpsContext } from './context.js';
import type { HealthRequest } from './requests.js';

export const HEALTH_SCHEMA = 'helm-cloud/health@1';
const VERDICTS: Verdict[] = ['HEALTHY', 'DEGRADED', 'UNHEALTHY', 'UNKNOWN'];

/** helm-cloud/health@1 (docs/health-json.md). */
export interface HealthJson extends ResultJson {
  environment: string;
  window: { start: string; end: string };
  verdict: Verdict;
  counts: Record<Verdict, number>;
  resources: ResourceHealth[];
  apiCalls: MonitorResult['apiCalls'];
  sloBurn: number | null;
  /** The environment's circuit breaker and suggested trust promotions (docs/automation.md): beside the verdict, never part of it. */
  automation?: Omit<AutomationStatus, 'environment'>;
  report?: ReportPaths;
}
export type HealthResult = CommandResult<HealthJson>;

/** The report of one check; with --watch, the exit code the watch ended with (130 when interrupted). */
export async function runHealth(req: HealthRequest, io: Io, overrides: ContextOverrides = {}): Promise<HealthResult | number> {
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

function withAutomation(result: HealthResult, a: AutomationStatus | undefined): HealthResult {
  if (!a) return result;
  const { environment: _env, ...automation } = a;
  return {
    ...result,
    json: { ...result.json, automation },
    table: (color) => [result.table(color), '', ...automationLines([a], color)].join('\n'),
    markdown: () => [result.markdown().trimEnd(), '', automationMarkdown([a])].join('\n'),
  };
}

async function checkOnce(ctx: OpsContext, req: HealthRequest): Promise<HealthResult> {
  const t0 = performance.now();
  const windowMs = req.windowMs ?? durationMs(ctx.monitoring.monitoring.default_window);
  const resources = req.resource === undefined ? ctx.resources : ctx.resources.filter((r) => r.name === req.resource);
  const now = ctx.now();
  // PromQL SLOs add their services only once their queries answer, so they are announced, not counted, here.
  const promSlos = ctx.monitoring.slos.prometheus?.length ?? 0;
  ctx.io.progress(`health: ${count(resources.length, 'registry resource')}${promSlos ? ` and ${count(promSlos, 'PromQL SLO')}` : ''} in ${ctx.env.name}…`);
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
  const judged = await withPrometheusSlos(ctx, m, windowMs, now, req.resource);
  return buildResult(ctx, req, judged, now, { elapsedMs: performance.now() - t0, readMs: m.readMs });
}

function buildResult(ctx: OpsContext, req: HealthRequest, m: MonitorResult, now: number, run: { elapsedMs: number; readMs?: MonitorResult['readMs'] }): HealthResult {
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
  const json: HealthJson = {
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
  return {
    json,
    exitCode,
    table: (color) => healthTable(json, color),
    markdown: () => healthMarkdown(json),
    junit: () => healthJunit(json, req.failOn, { startedAt: now, ...run }),
  };
}

/** A finished check leaves the process through publish: report files, Helm status, JUnit, step summary. */
async function finish(ctx: OpsContext, req: HealthRequest, result: HealthResult): Promise<void> {
  await publish(result, {
    io: ctx.io,
    save: { ws: ctx.ws, kind: 'health', env: ctx.env.name, suffix: req.resource ?? '' },
    // A single-resource check says nothing about the whole environment: keep it out of the dashboard.
    status: req.resource === undefined ? { env: ctx.env.name, production: ctx.env.config.protected, sloBurn: result.json.sloBurn ?? undefined } : undefined,
    junit: req.junit ? resolve(req.cwd, req.junit) : undefined,
    stepSummary: true,
  });
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
      let result: HealthResult | undefined;
      try {
        result = await checkOnce(ticks++ === 0 ? ctx : quiet, req);
      } catch (e) {
        // A failed tick (e.g. credentials expired mid-watch) is reported and retried, not fatal.
        ctx.io.err(`health: check failed: ${(e as Error).message}`);
      }
      if (result && !stopped) {
        const at = String(result.json.generatedAt);
        const lines: string[] = [];
        for (const r of result.json.resources) {
          const key = `${r.type}/${r.name}`;
          const before = last.get(key);
          if (before !== r.verdict) {
            lines.push(req.output === 'json'
              ? JSON.stringify({ at, resource: key, from: before ?? null, to: r.verdict, reasons: r.reasons })
              : `${at}  ${safeText(key)}  ${before ? paintVerdict(before, ctx.io.color) : 'start'} → ${paintVerdict(r.verdict, ctx.io.color)}${r.reasons[0] ? `  (${safeText(r.reasons[0])})` : ''}`);
            last.set(key, r.verdict);
          }
        }
        const envVerdict = result.json.verdict;
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
