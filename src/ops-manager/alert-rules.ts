/**
 * alerts rules list|check|generate: CloudWatch alarms and Prometheus rules in one list; rule files checked by
 * promtool; the PromQL SLOs of monitoring.toml turned into multi-window multi-burn-rate Prometheus rules,
 * validated by promtool before they are shown or written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PrometheusClient } from '../adapters/prometheus/client.js';
import { checkRules } from '../adapters/prometheus/promtool.js';
import { cloudWatch } from '../aws/cloudwatch.js';
import { prometheusSloRules } from '../core/slo-rules.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { mdCode, mdTable, renderTable, safeText, type CommandResult } from '../report/render.js';
import { writeFileAtomic } from '../store/atomic.js';
import { ALERTS_SCHEMA } from './alerts.js';
import { resolveContext, type CommonOptions } from './context.js';
import { resolveServers } from './servers.js';

export interface RulesRequest extends CommonOptions {
  sub: 'list' | 'check' | 'generate';
  files?: string[];
  out?: string;
  timeoutMs?: number;
}

function res(req: RulesRequest, now: number, summary: string, data: Record<string, unknown>, headers: string[], rows: string[][], exitCode = 0, extra: string[] = []): CommandResult {
  return {
    json: { schema: ALERTS_SCHEMA, command: 'alerts', action: `rules ${req.sub}`, generatedAt: new Date(now).toISOString(), verdict: exitCode ? 'FINDINGS' : 'OK', summary, exitCode, ...data },
    exitCode,
    table: (color) => [safeText(summary), '', renderTable(headers, rows, { color, maxWidth: 80 }), ...extra].join('\n'),
    markdown: () => [`## alerts rules ${req.sub}: ${safeText(summary)}`, '', mdTable(headers, rows), ...extra.map((l) => `    ${l}`)].join('\n') + '\n',
  };
}

export async function runAlertRules(req: RulesRequest, io: Io): Promise<CommandResult> {
  const now = Date.now();
  if (req.sub === 'check') {
    if (!req.files?.length) throw new HelmError('usage', 'rules check needs rule files', { fix: 'e.g. helm-cloud alerts rules check rules/*.yml' });
    for (const f of req.files) if (!existsSync(resolve(req.cwd, f))) throw new HelmError('input', `no such file: ${f}`, { keyPath: 'rules check' });
    const checks = checkRules(req.files.map((f) => resolve(req.cwd, f)));
    const bad = checks.filter((c) => !c.ok);
    return res(req, now, bad.length ? `${bad.length} of ${checks.length} rule files failed promtool check rules` : `${checks.length} rule file${checks.length === 1 ? '' : 's'} passed promtool check rules`, { checks }, ['file', 'result', 'promtool'], checks.map((c) => [c.file, c.ok ? 'PASS' : 'FAIL', c.output.split('\n').slice(-2).join(' ')]), bad.length ? 1 : 0);
  }
  const servers = resolveServers(req, io);
  if (req.sub === 'generate') {
    const slos = servers.monitoring?.slos.prometheus ?? [];
    if (!slos.length) throw new HelmError('config', 'no [[slos.prometheus]] in monitoring.toml: nothing to generate', { fix: 'declare PromQL SLOs (docs/prometheus.md)' });
    const yaml = prometheusSloRules(slos);
    const dir = mkdtempSync(join(tmpdir(), 'helm-cloud-rules-'));
    let check;
    try {
      writeFileSync(join(dir, 'slo-rules.yml'), yaml);
      check = checkRules([join(dir, 'slo-rules.yml')])[0]!;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (!check.ok) throw new HelmError('internal', `the generated rules fail promtool check rules: ${check.output.slice(0, 400)}`);
    let diff: string[] = [];
    if (req.out) {
      const target = resolve(req.cwd, req.out);
      const before = existsSync(target) ? readFileSync(target, 'utf8') : '';
      diff = lineDiff(before, yaml);
      writeFileAtomic(target, yaml);
    }
    const rules = yaml.split('\n').filter((l) => /^\s+- (alert|record):/.test(l)).length;
    const r = res(req, now, `${rules} rules for ${slos.length} SLO${slos.length === 1 ? '' : 's'}, promtool check rules passed${req.out ? `; written to ${req.out}` : ''}`, { yaml, promtool: check.output, diff }, ['slo', 'objective', 'period'], slos.map((s) => [s.name, `${s.objective}%`, `${s.period_days}d`]), 0, ['', ...(req.out ? (diff.length ? diff : ['(no change)']) : yaml.trimEnd().split('\n'))]);
    r.markdown = () => `## alerts rules generate\n\n${mdCode(yaml, 'yaml')}\n`;
    return r;
  }
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
