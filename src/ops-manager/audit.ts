/**
 * ops-manager: audit. Resolves the context, runs the ops-auditor's sections, saves the report (Markdown + JSON)
 * and computes the exit code. Exit: 0 nothing reaches --fail-on · 1 findings reach it, or a section is UNKNOWN
 * (a gate must not pass on what it could not see) · 4 a section lacked permission, or credentials/endpoint
 * failed · 2 bad input.
 */
import { join } from 'node:path';
import { deployTimeline, PATHS } from '../config/load.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import { runAuditor, type AuditRun } from '../skills/ops-auditor/index.js';
import { renderMarkdown, renderTableView, type Header } from '../skills/ops-auditor/render.js';
import { SECTION_NAMES, type SectionName } from '../skills/ops-auditor/types.js';
import { reportStamp, saveReport } from '../store/reports.js';
import { resolveContext, type ContextOverrides } from './context.js';
import type { AuditRequest } from './requests.js';

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
  return `${run.findings.length} finding(s), ${gating} at or above fail-on; ${parts.join(', ')}.`;
}

export async function runAudit(req: AuditRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult> {
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
  const base = `audit-${ctx.env.name}-${reportStamp(now)}`;
  const report = { json: join(PATHS.reports, `${base}.json`), markdown: join(PATHS.reports, `${base}.md`) };
  const sectionsJson = Object.fromEntries(
    Object.entries(run.sections).map(([n, s]) => [n, { verdict: s.verdict, ...(s.reason ? { reason: s.reason } : {}), notes: s.notes, ...s.data }]),
  );
  const json = {
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
    report,
  };
  const header: Header = { environment: ctx.env.name, account: ctx.env.accountId, region: ctx.aws.region, failOn, verdict: run.verdict, summary };
  const markdown = renderMarkdown(header, run);
  const saved = await saveReport(ctx.ws, 'audit', ctx.env.name, { json, markdown }, now);
  header.reportPath = ctx.ws.display(saved.relMarkdown);
  return { exitCode, json, table: (color) => renderTableView(header, run, color), markdown: () => markdown };
}
