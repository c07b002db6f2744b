/**
 * alerts rules list|check|generate: CloudWatch alarms and Prometheus rules in one list; rule files checked by
 * promtool; the SLOs of monitoring.toml turned into multi-window multi-burn-rate alerting: Prometheus rules from
 * the PromQL SLOs (validated by promtool before they are shown or written) and, with --env, CloudWatch
 * metric-math alarms from the ratio SLOs of the environment's resources, shown as a diff against the alarms
 * that exist and applied only with --apply (through the guarded write: lock, protected-environment consent,
 * actions.jsonl).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PrometheusClient } from '../adapters/prometheus/client.js';
import { checkRules } from '../adapters/prometheus/promtool.js';
import { cloudWatch } from '../aws/cloudwatch.js';
import { windowLabel } from '../core/burn-rate.js';
import type { PromSloDef } from '../core/promql-slo.js';
import { CW_ALARM_PREFIX, prometheusSloRules, type CwAlarmSpec } from '../core/slo-rules.js';
import { applySloAlarms, diffSloAlarms, sloAlarmPlan } from '../skills/ops-alerts/slo-alarms.js';
import { reenableExpiredActions } from './alert-holds.js';
import { operator } from './prometheus.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { mdCode, mdTable, renderTable, safeText, type ActionJson, type CommandResult } from '../report/render.js';
import { writeFileAtomic } from '../store/atomic.js';
import { ALERTS_SCHEMA } from './alerts.js';
import { resolveContext, type CommonOptions } from './context.js';
import { resolveServers } from './servers.js';

export interface RulesRequest extends CommonOptions {
  sub: 'list' | 'check' | 'generate';
  files?: string[];
  out?: string;
  timeoutMs?: number;
  /** generate: create/update the CloudWatch alarms (default: show the diff only). */
  apply?: boolean;
  yes?: boolean;
}

function res(req: RulesRequest, now: number, summary: string, data: Record<string, unknown>, headers: string[], rows: string[][], exitCode = 0, extra: string[] = []): CommandResult<ActionJson> {
  return {
    json: { schema: ALERTS_SCHEMA, command: 'alerts', action: `rules ${req.sub}`, generatedAt: new Date(now).toISOString(), verdict: exitCode ? 'FINDINGS' : 'OK', summary, exitCode, ...data },
    exitCode,
    table: (color) => [safeText(summary), '', renderTable(headers, rows, { color, maxWidth: 80 }), ...extra].join('\n'),
    markdown: () => [`## alerts rules ${req.sub}: ${safeText(summary)}`, '', mdTable(headers, rows), ...extra.map((l) => `    ${l}`)].join('\n') + '\n',
  };
}

export async function runAlertRules(req: RulesRequest, io: Io): Promise<CommandResult> {
  const now = Date.now();
  await reenableExpiredActions({ cwd: req.cwd, root: req.root, io, now, profile: req.profile });
  if (req.apply && (req.sub !== 'generate' || !req.env)) throw new HelmError('usage', '--apply goes with rules generate --env E', { keyPath: '--apply', fix: 'e.g. helm-cloud alerts rules generate --env prod --apply' });
  if (req.sub === 'check') {
    if (!req.files?.length) throw new HelmError('usage', 'rules check needs rule files', { fix: 'e.g. helm-cloud alerts rules check rules/*.yml' });
    for (const f of req.files) if (!existsSync(resolve(req.cwd, f))) throw new HelmError('input', `no such file: ${f}`, { keyPath: 'rules check' });
    const checks = checkRules(req.files.map((f) => resolve(req.cwd, f)));
    const bad = checks.filter((c) => !c.ok);
    return res(req, now, bad.length ? `${bad.length} of ${checks.length} rule files failed promtool check rules` : `${checks.length} rule file${checks.length === 1 ? '' : 's'} passed promtool check rules`, { checks }, ['file', 'result', 'promtool'], checks.map((c) => [c.file, c.ok ? 'PASS' : 'FAIL', c.output.split('\n').slice(-2).join(' ')]), bad.length ? 1 : 0);
  }
  const servers = resolveServers(req, io);
  if (req.sub === 'generate') return generate(req, io, now, servers.monitoring?.slos.prometheus ?? []);
  // list
  const rows: string[][] = [];
  const problems: string[] = [];
  const items: Record<string, unknown>[] = [];
  if (servers.prometheus) {
    try {
      const g = await new PrometheusClient(servers.prometheus).rules();
      for (const grp of g.data.groups) for (const r of grp.rules) {
        items.push({ source: 'prometheus', group: grp.name, type: r.type, name: r.name, health: r.health, state: r.state ?? null, query: r.query });
        rows.push(['prometheus', grp.name, r.type, r.name, r.health, r.state ?? '']);
      }
    } catch (e) {
      problems.push(`prometheus: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (req.env) {
    try {
      const ctx = resolveContext(req, io);
      for (const a of await cloudWatch(ctx.aws).describeAlarms()) {
        items.push({ source: 'cloudwatch', type: 'alarm', name: a.name, state: a.state, metric: a.metricName ?? null, namespace: a.namespace ?? null });
        rows.push(['cloudwatch', a.namespace ?? '', 'alarm', a.name, '', a.state]);
      }
    } catch (e) {
      problems.push(`cloudwatch: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  for (const p of problems) io.err(`warning: source unavailable: ${safeText(p)}`);
  return res(req, now, `${rows.length} rules and alarms`, { rules: items, problems }, ['source', 'group', 'type', 'name', 'health', 'state'], rows);
}

/** A minimal line diff (+/−) between the old and new file, for review before a rule file changes. */
function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const setA = new Set(a);
  const setB = new Set(b);
  return [...a.filter((l) => !setB.has(l)).map((l) => `- ${l}`), ...b.filter((l) => !setA.has(l)).map((l) => `+ ${l}`)];
}

async function generate(req: RulesRequest, io: Io, now: number, promSlos: PromSloDef[]): Promise<CommandResult> {
  if (!promSlos.length && !req.env) throw new HelmError('config', 'no [[slos.prometheus]] in monitoring.toml and no --env: nothing to generate', { fix: 'declare PromQL SLOs (docs/prometheus.md), or pass --env E for the CloudWatch alarms of its resources\' SLOs' });
  // Prometheus: rule YAML checked by promtool.
  let yaml = '';
  let check: { ok: boolean; output: string } | undefined;
  let diff: string[] = [];
  if (promSlos.length) {
    yaml = prometheusSloRules(promSlos);
    const dir = mkdtempSync(join(tmpdir(), 'helm-cloud-rules-'));
    try {
      writeFileSync(join(dir, 'slo-rules.yml'), yaml);
      check = checkRules([join(dir, 'slo-rules.yml')])[0]!;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (!check.ok) throw new HelmError('internal', `the generated rules fail promtool check rules: ${check.output.slice(0, 400)}`);
    if (req.out) {
      const target = resolve(req.cwd, req.out);
      const before = existsSync(target) ? readFileSync(target, 'utf8') : '';
      diff = lineDiff(before, yaml);
      writeFileAtomic(target, yaml);
    }
  }
  // CloudWatch: burn-rate alarms of the environment's resources, diffed against what exists.
  let cloudwatch: Record<string, unknown> | undefined;
  const cwLines: string[] = [];
  let cwSummary = '';
  if (req.env) {
    const ctx = resolveContext(req, io);
    const plan = await sloAlarmPlan(ctx.resources, ctx.monitoring.slos as unknown as Record<string, Partial<Record<string, number>> | undefined>);
    const { diff: d } = await diffSloAlarms(ctx.aws, plan.alarms);
    const pending = d.create.length + d.update.length;
    let applied: Awaited<ReturnType<typeof applySloAlarms>> | undefined;
    if (req.apply && pending) {
      applied = await applySloAlarms({ aws: ctx.aws, ws: ctx.ws, env: { name: ctx.env.name, protected: Boolean(ctx.env.config.protected) }, io, operator: operator(), yes: Boolean(req.yes), now: () => Date.now(), desired: plan.alarms });
    }
    for (const a of d.create) cwLines.push(`+ ${describeAlarm(a)}`);
    for (const u of d.update) cwLines.push(`~ ${describeAlarm(u.spec)}`, `    ${u.changes.join('; ')}`);
    if (d.unchanged.length) cwLines.push(`= ${d.unchanged.length} alarm${d.unchanged.length === 1 ? '' : 's'} unchanged`);
    for (const n of d.stale) cwLines.push(`? ${n}: no configured SLO asks for it any more (left in place; delete it by hand if it is obsolete)`);
    for (const k of plan.skipped) cwLines.push(`! ${k.resource} ${k.key}: not generated: ${k.reason}`);
    const state = !pending ? 'no change' : applied ? `applied (${d.create.length} created, ${d.update.length} updated)` : `dry run: ${d.create.length} to create, ${d.update.length} to update (apply with --apply)`;
    cwSummary = `${plan.alarms.length} CloudWatch alarms for ${plan.slos.length} SLO${plan.slos.length === 1 ? '' : 's'} in ${ctx.env.name}: ${state}`;
    cloudwatch = {
      environment: ctx.env.name,
      slos: plan.slos.map((s) => ({ resource: s.resource, key: s.key, objective: s.objective, periodDays: s.periodDays })),
      alarms: plan.alarms,
      diff: { create: d.create.map((a) => a.name), update: d.update.map((u) => ({ name: u.spec.name, changes: u.changes })), unchanged: d.unchanged, stale: d.stale },
      skipped: plan.skipped,
      applied: Boolean(applied),
      outcome: applied ? applied.outcome : pending ? 'planned' : 'skipped',
      log: applied?.log ?? null,
    };
  }
  const rules = yaml.split('\n').filter((l) => /^\s+- (alert|record):/.test(l)).length;
  const parts = [...(promSlos.length ? [`${rules} Prometheus rules for ${promSlos.length} SLO${promSlos.length === 1 ? '' : 's'}, promtool check rules passed${req.out ? `; written to ${req.out}` : ''}`] : []), ...(cwSummary ? [cwSummary] : [])];
  const extra = [
    ...(promSlos.length ? ['', ...(req.out ? (diff.length ? diff : ['(no change)']) : yaml.trimEnd().split('\n'))] : []),
    ...(cloudwatch ? ['', `CloudWatch alarms (${CW_ALARM_PREFIX}…):`, ...cwLines] : []),
  ];
  const r = res(req, now, parts.join('; '), { yaml, promtool: check?.output ?? null, diff, ...(cloudwatch ? { cloudwatch } : {}) }, ['slo', 'objective', 'period'], promSlos.map((s) => [s.name, `${s.objective}%`, `${s.period_days}d`]), 0, extra);
  r.markdown = () => [`## alerts rules generate: ${safeText(parts.join('; '))}`, '', ...(yaml ? [mdCode(yaml, 'yaml'), ''] : []), ...(cloudwatch ? [mdCode(cwLines.join('\n'), 'diff'), ''] : [])].join('\n');
  return r;
}

/** One line per alarm for the diff: what it watches and when it fires. */
function describeAlarm(a: CwAlarmSpec): string {
  if (a.kind === 'composite') return `${a.name}  composite: ${a.rule}`;
  const burn = a.metrics.find((q) => q.returnData)?.expression ?? '';
  const period = a.metrics.find((q) => q.metricStat)?.metricStat?.period ?? 0;
  return `${a.name}  ${burn} over ${windowLabel(period * 1000)} ≥ ${a.threshold}`;
}
