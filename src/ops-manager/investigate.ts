/**
 * ops-manager: investigate. Resolves the context and the scope (free text or an issue record), runs the
 * ops-investigator skill, writes the report, and opens or updates the Helm issue record.
 * Exit codes: 0 nothing found (all sources read), 1 findings or UNKNOWN (a source missing), 2 bad input,
 * 4 AWS access.
 */
import { count } from '../core/plural.js';
import { DURATION_RE } from '../config/schemas.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { LiveResource, Workspace } from '../config/load.js';
import { resolveScope } from '../core/scope.js';
import { typeWords } from '../resources/index.js';
import type { CommandResult, ResultJson } from '../report/model.js';
import { publish } from '../report/publish.js';
import type { HealthSignal } from '../core/hypotheses.js';
import { investigate, type InvestigationData } from '../skills/ops-investigator/investigate.js';
import { monitor, type ResourceHealth } from '../skills/ops-monitor/monitor.js';
import { investigateMarkdown, investigateTable, type InvestigateView } from '../skills/ops-investigator/render.js';
import { createIssue, listIssueIds, readIssue, updateIssue, type IssueRecord, type Severity } from '../store/helm.js';
import { resolveContext, skillContext, type ContextOverrides } from './context.js';
import type { InvestigateRequest } from './requests.js';

/** helm-cloud/investigate@1 (docs/investigate-json.md): the common fields and what the views read. */
export type InvestigateJson = ResultJson & InvestigateView;

export async function runInvestigate(req: InvestigateRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult<InvestigateJson>> {
  const ctx = resolveContext(req, io, overrides);
  const now = ctx.now();
  const cfg = ctx.monitoring.investigate;
  const issue = req.issue ? await readIssue(ctx.ws, req.issue) : undefined;
  if (issue?.environment && issue.environment !== ctx.env.name) {
    throw new HelmError('input', `issue ${issue.id} belongs to environment ${issue.environment}, not ${ctx.env.name}`, { keyPath: '--env', fix: `run with --env ${issue.environment}` });
  }
  const res = resolveScope<LiveResource>({
    text: req.text,
    resources: ctx.resources,
    env: ctx.env.name,
    issue: issue ? { title: issue.title, resources: issue.resources, startedAtMs: issue.started_at ? Date.parse(issue.started_at) : undefined } : undefined,
    now,
    sinceMs: req.sinceMs,
    fromMs: req.fromMs,
    toMs: req.toMs,
    defaultWindowMs: durationMs(cfg.default_window),
    typeWords: typeWords('scope'),
  });
  if (!res.ok) throw new HelmError(res.problem === 'nothing-given' ? 'usage' : 'input', res.message, { fix: res.fix });
  const scope = res.scope;
  io.progress(`investigating ${count(scope.targets.length, 'resource')}: ${scope.targets.map((t) => t.name).join(', ')}`);

  // Health over the same targets and window, read alongside the logs: what it calls UNHEALTHY or DEGRADED is a
  // finding here too.
  const judging = monitor({
    aws: ctx.aws,
    // Kubernetes workloads are judged through the API server: without the client every k8s_* target read UNKNOWN.
    kube: ctx.kube,
    monitoring: ctx.monitoring,
    resources: scope.targets,
    now: scope.window.toMs,
    windowMs: Math.max(60_000, scope.window.toMs - scope.window.fromMs),
    burnRate: false,
    access: { ...ctx.aws.describe() },
  });
  const signals = judging.then((m) => healthSignals(m.resources));
  // Awaited by the investigator; keep an early failure from surfacing as an unhandled rejection meanwhile.
  signals.catch(() => undefined);
  const data = await investigate(skillContext(ctx), scope, { maxLines: req.maxLines ?? cfg.max_lines, queryTimeoutMs: cfg.query_timeout_seconds * 1000, health: signals });
  const judged = await judging;

  const blocking = data.gaps.filter((g) => g.blocking);
  const verdict = data.hypotheses.length ? 'FINDINGS' : blocking.length ? 'UNKNOWN' : 'NO_FINDINGS';
  const exitCode = verdict === 'NO_FINDINGS' ? 0 : 1;
  const summary = summarize(verdict, data, blocking.map((g) => `${g.what}: ${g.reason}`));
  const iso = (ms: number) => new Date(ms).toISOString();

  const json = {
    schema: 'helm-cloud/investigate@1',
    command: 'investigate',
    environment: ctx.env.name,
    generatedAt: iso(now),
    verdict,
    summary,
    exitCode,
    scope: {
      text: scope.text,
      matches: scope.matches.map((m) => ({ phrase: m.phrase, resource: m.resource.name, type: m.resource.type, project: m.resource.project, how: m.how })),
      symptom: scope.symptoms[0] ?? null,
      symptoms: scope.symptoms,
      unmatched: scope.unmatched,
      window: { from: iso(scope.window.fromMs), to: iso(scope.window.toMs), source: scope.window.source },
    },
    logs: data.logs,
    patterns: data.patterns.map((p) => ({ ...p, firstSeen: p.firstSeen !== undefined ? iso(p.firstSeen) : undefined, lastSeen: p.lastSeen !== undefined ? iso(p.lastSeen) : undefined })),
    changePoints: data.changes.map(({ atMs, index: _i, ...c }) => ({ ...c, at: iso(atMs) })),
    metrics: data.metrics,
    deployments: data.deployments.map(({ atMs, ...d }) => ({ ...d, at: iso(atMs) })),
    alarms: data.alarms,
    timeline: data.timeline.map(({ atMs, ...t }) => ({ at: iso(atMs), ...t })),
    health: judged.resources.map((r) => ({ target: r.name, verdict: r.verdict, reasons: r.reasons, ...(r.idle ? { idle: true } : {}) })),
    hypotheses: data.hypotheses,
    gaps: data.gaps,
    issue: null as { id: string; action: 'created' | 'updated' } | null,
    report: null as { json: string; markdown: string } | null,
  };

  // Issue record: an existing one gains the findings; a new one is opened only when something was found.
  let record: IssueRecord | undefined;
  // Re-running an investigation of the same incident must not open a second issue for it.
  const same = !issue && verdict === 'FINDINGS' ? await openIssueFor(ctx.ws, ctx.env.name, data.hypotheses[0]!.id) : undefined;
  const target = issue ?? same;
  if (target) json.issue = { id: target.id, action: 'updated' };
  else if (verdict === 'FINDINGS') {
    record = await createIssue(
      ctx.ws,
      {
        domain: 'infra',
        title: data.hypotheses[0]!.title,
        severity: severityOf(data.hypotheses[0]!.confidence, ctx.env.config.protected),
        status: 'investigating',
        environment: ctx.env.name,
        production: ctx.env.config.protected,
        resources: [...new Set(data.hypotheses.map((h) => h.target))],
        evidence: evidenceOf(data),
        diagnosis: diagnosisOf(data),
        started_at: startOf(data, scope.window.fromMs),
      },
      now,
    );
    json.issue = { id: record.id, action: 'created' };
  }

  const result: CommandResult<InvestigateJson> = {
    exitCode,
    json,
    table: (color) => investigateTable(json, color),
    markdown: () => investigateMarkdown(json),
  };
  // The saved JSON names itself too (`report`), so a copy found later says where it came from.
  await publish(result, { io, save: { ws: ctx.ws, kind: 'investigation', env: ctx.env.name, suffix: json.issue?.id ?? '' } });

  const reports = json.report ? [json.report.markdown, json.report.json] : [];
  if (target) {
    await updateIssue(
      ctx.ws,
      target.id,
      (r) => {
        if (r.status !== 'resolved') r.status = 'investigating';
        const known = new Set(r.evidence.map((e) => `${e.kind}|${e.summary}`));
        for (const e of evidenceOf(data)) if (!known.has(`${e.kind}|${e.summary}`)) r.evidence.push(e);
        if (data.hypotheses.length) r.diagnosis = diagnosisOf(data);
        else r.diagnosis = { ...(r.diagnosis ?? {}), summary: summary };
        for (const p of reports) if (!r.reports.includes(p)) r.reports.push(p);
        for (const t of scope.targets) if (!r.resources.includes(t.name)) r.resources.push(t.name);
      },
      now,
      `investigated: ${verdict}`,
    );
  } else if (record) {
    await updateIssue(ctx.ws, record.id, (r) => r.reports.push(...reports), now);
  }

  return result;
}

/** Health's findings per target, each citing what was observed against its target. */
export function healthSignals(resources: ResourceHealth[]): { signals: HealthSignal[]; unknown: Map<string, string> } {
  const signals: HealthSignal[] = [];
  const unknown = new Map<string, string>();
  for (const r of resources) {
    if (r.verdict === 'UNKNOWN') unknown.set(r.name, r.reasons[0] ?? 'health could not judge it');
    const own: HealthSignal[] = [];
    for (const s of r.slos) if (s.verdict === 'UNHEALTHY' || s.verdict === 'DEGRADED') own.push({ target: r.name, verdict: s.verdict, source: 'slo', summary: s.reason ?? s.key });
    for (const a of r.alarms) if (a.state === 'ALARM') own.push({ target: r.name, verdict: 'UNHEALTHY', source: 'alarm', summary: `alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ''}` });
    if (r.verdict === 'UNHEALTHY' || r.verdict === 'DEGRADED') {
      // Whatever else made it bad (state, not found, expect_traffic): the reasons not already cited.
      const cited = new Set([...r.slos.map((s) => s.reason), ...r.alarms.map((a) => `alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ''}`)]);
      const rest = r.reasons.filter((x) => !cited.has(x) && !x.startsWith('idle:') && !/^(state|alarms): /.test(x) && !x.includes(': no data'));
      if (!own.length && rest.length) own.push({ target: r.name, verdict: r.verdict, source: 'state', summary: rest[0]! });
      else if (rest.length && own.every((o) => o.verdict !== r.verdict)) own.push({ target: r.name, verdict: r.verdict, source: 'state', summary: rest[0]! });
    }
    signals.push(...own);
  }
  return { signals, unknown };
}

function summarize(verdict: string, d: InvestigationData, blocking: string[]): string {
  const read = `${count(d.logs.lines, 'log line')} read, ${count(d.patterns.length, 'pattern')}, ${count(d.changes.filter((c) => c.adverse).length, 'adverse metric change')}`;
  if (verdict === 'FINDINGS') {
    const h = d.hypotheses[0]!;
    return `most likely: ${h.title} (confidence ${h.confidence.toFixed(2)}); ${count(d.hypotheses.length, 'hypothesis', 'hypotheses')}; ${read}`;
  }
  if (verdict === 'UNKNOWN') return `no cause found, but evidence is missing: ${blocking.slice(0, 3).join('; ')}; ${read}`;
  return `nothing abnormal found: ${read}; no new error patterns, no adverse change points`;
}

async function openIssueFor(ws: Workspace, env: string, hypothesisId: string): Promise<IssueRecord | undefined> {
  for (const id of (await listIssueIds(ws, 'infra')).reverse()) {
    let r: IssueRecord;
    try {
      r = await readIssue(ws, id);
    } catch {
      continue; // a broken record is not ours to judge here
    }
    const top = (r.diagnosis?.hypotheses?.[0] as { id?: string } | undefined)?.id;
    if (r.status !== 'resolved' && r.environment === env && top === hypothesisId) return r;
  }
  return undefined;
}

function severityOf(confidence: number, production: boolean): Severity {
  const order: Severity[] = ['low', 'medium', 'high', 'critical'];
  let i = confidence >= 0.7 ? 2 : confidence >= 0.4 ? 1 : 0;
  if (production) i++;
  return order[Math.min(3, i)]!;
}

function evidenceOf(d: InvestigationData): { kind: string; summary: string; at?: string; ref?: string }[] {
  return d.hypotheses.slice(0, 3).flatMap((h) => h.evidence.slice(0, 3).map((e) => ({ kind: e.kind, summary: `${h.kind} ${h.target}: ${e.summary}`.slice(0, 400), ...(e.at ? { at: e.at } : {}), ref: h.id })));
}

function diagnosisOf(d: InvestigationData) {
  const top = d.hypotheses[0]!;
  return {
    summary: `${top.title} (confidence ${top.confidence.toFixed(2)})`,
    hypotheses: d.hypotheses.slice(0, 5).map((h) => ({ id: h.id, title: h.title, confidence: h.confidence, refuted_by: h.refutedBy })),
    proposed_actions: d.hypotheses
      .filter((h) => h.proposedAction)
      .slice(0, 3)
      .map((h) => ({ action: h.proposedAction!.action, target: h.proposedAction!.target, params: h.proposedAction!.params, reason: `${h.proposedAction!.reason} (${h.id}, confidence ${h.confidence.toFixed(2)})` })),
  };
}

function startOf(d: InvestigationData, fallback: number): string {
  const onsets = d.timeline.filter((t) => t.kind !== 'deployment').map((t) => t.atMs);
  return new Date(onsets.length ? Math.min(...onsets) : fallback).toISOString();
}

function durationMs(s: string): number {
  const m = DURATION_RE.exec(s);
  if (!m) return 3600_000;
  const unit: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
  return Number(m[1]) * unit[m[2]!]!;
}
