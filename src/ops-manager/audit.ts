/**
 * ops-manager: audit. Resolves the context, runs the ops-auditor's sections, saves the report (Markdown + JSON)
 * and computes the exit code. Exit: 0 nothing reaches --fail-on · 1 findings reach it, or a section is UNKNOWN
 * (a gate must not pass on what it could not see) · 4 a section lacked permission, or credentials/endpoint
 * failed · 2 bad input.
 */
import { resolve } from 'node:path';
import type { FailOn } from '../audit/severity.js';
import { deployTimeline } from '../config/load.js';
import type { Io } from '../io.js';
import type { JunitCase, JunitSuite } from '../report/junit.js';
import type { CommandResult, ReportPaths, ResultJson } from '../report/model.js';
import { publish } from '../report/publish.js';
import { runAuditor, type AuditRun } from '../skills/ops-auditor/index.js';
import { renderMarkdown, renderTableView, type Header } from '../skills/ops-auditor/render.js';
import { SECTION_NAMES, type SectionName, type SectionVerdict } from '../skills/ops-auditor/types.js';
import { resolveContext, type ContextOverrides } from './context.js';
import type { AuditRequest } from './requests.js';
import { count } from '../core/plural.js';

export function auditExitCode(run: AuditRun): 0 | 1 | 4 {
  const sections = Object.values(run.sections);
  if (sections.some((s) => s.verdict === 'UNKNOWN' && s.accessDenied)) return 4;
  if (sections.some((s) => s.verdict === 'FAIL' || s.verdict === 'UNKNOWN')) return 1;
  return 0;
}

function summarise(run: AuditRun): string {
    // An UNKNOWN section still shows the findings it did read.
  const parts = Object.entries(run.sections).map(([n, s]) => `${n} ${s.verdict} (${s.findings.length})`);
  const gating = run.findings.filter((f) => f.gating).length;
  return `${count(run.findings.length, 'finding')}, ${gating} at or above fail-on; ${parts.join(', ')}.`;
}

/** helm-cloud/audit@1 (docs/audit-json.md). */
export interface AuditJson extends ResultJson {
  environment: string;
  verdict: SectionVerdict;
  failOn: FailOn;
  account?: string;
  region: string;
  sections: Record<string, Record<string, unknown>>;
  findings: AuditRun['findings'];
  report?: ReportPaths;
}

export async function runAudit(req: AuditRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult<AuditJson>> {
  const t0 = performance.now();
  const ctx = resolveContext(req, io, overrides);
  const failOn = req.failOn ?? ctx.monitoring.audit.fail_on;
  const sections: SectionName[] = req.type === 'all' ? [...SECTION_NAMES] : [req.type];
  const now = ctx.now();
  const firstSeen = new Map<string, number>();
  for (const d of deployTimeline(ctx.registry, ctx.env.name)) {
    if (d.status === 'failed') continue;
    for (const r of d.resources) if (!firstSeen.has(`${r.type}:${r.name}`)) firstSeen.set(`${r.type}:${r.name}`, Date.parse(d.deployed_at));
  }
  const run = await runAuditor(
    { aws: ctx.aws, env: ctx.env, resources: ctx.resources, firstSeen, audit: ctx.monitoring.audit, concurrency: ctx.monitoring.monitoring.concurrency, now: () => now, io },
    sections,
    failOn,
  );
  const exitCode = auditExitCode(run);
  const summary = summarise(run);
  const sectionsJson = Object.fromEntries(
    Object.entries(run.sections).map(([n, s]) => [n, { verdict: s.verdict, ...(s.reason ? { reason: s.reason } : {}), notes: s.notes, ...s.data }]),
  );
  const json: AuditJson = {
    schema: 'helm-cloud/audit@1',
    command: 'audit',
    environment: ctx.env.name,
    generatedAt: new Date(now).toISOString(),
    verdict: run.verdict,
    summary,
    exitCode,
    failOn,
    account: ctx.env.accountId,
    region: ctx.aws.region,
    sections: sectionsJson,
    findings: run.findings,
  };
  const header: Header = { environment: ctx.env.name, account: ctx.env.accountId, region: ctx.aws.region, failOn, verdict: run.verdict, summary };
  const elapsedMs = performance.now() - t0;
  const result: CommandResult<AuditJson> = {
    exitCode,
    json,
    table: (color) => renderTableView(header, run, color),
    markdown: () => renderMarkdown(header, run),
    junit: () => auditJunit(run, ctx.env.name, failOn, { startedAt: now, elapsedMs }),
  };
  await publish(result, { io, save: { ws: ctx.ws, kind: 'audit', env: ctx.env.name }, junit: req.junit ? resolve(req.cwd, req.junit) : undefined, stepSummary: true });
  if (json.report) header.reportPath = ctx.ws.display(json.report.markdown);
  return result;
}

/**
 * JUnit, failing where the gate fails: a case per section (FAIL fails; UNKNOWN is an error, as the exit code
 * never passes it) and one per finding (a finding at or above --fail-on fails; one below passes, its text in
 * <system-out>). Case times: how long the finding's section took.
 */
export function auditJunit(run: AuditRun, env: string, failOn: FailOn, t: { startedAt: number; elapsedMs: number }): JunitSuite {
  const sec = (n: string) => (run.sectionMs[n as SectionName] ?? t.elapsedMs) / 1000;
  const cases: JunitCase[] = [];
  for (const [n, s] of Object.entries(run.sections)) {
    const classname = `audit.${env}.${n}`;
    const detail = s.reason ?? `${count(s.findings.length, 'finding')}`;
    cases.push({ classname, name: 'section', timeSeconds: sec(n), ...(s.verdict === 'FAIL' ? { failure: `FAIL: ${detail}` } : s.verdict === 'UNKNOWN' ? { error: `UNKNOWN: ${detail}` } : {}) });
  }
  for (const f of run.findings) {
    const text = `${f.severity}: ${f.title} — ${f.registryResource ?? f.resource}. Remediation: ${f.remediation}`;
    cases.push({ classname: `audit.${env}.${f.section}`, name: f.id, timeSeconds: sec(f.section), ...(f.gating ? { failure: `${text} (at or above --fail-on ${failOn})` } : { output: `${text} (below --fail-on ${failOn})` }) });
  }
  return { name: `helm-cloud audit ${env}`, startedAt: t.startedAt, timeSeconds: t.elapsedMs / 1000, cases };
}
