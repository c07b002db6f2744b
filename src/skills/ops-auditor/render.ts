/** Table and Markdown views of the audit report. Every AWS- or user-supplied string goes through mdEscape/safeText. */
import { colors, mdEscape, mdTable, paintVerdict, renderTable } from '../../report/render.js';
import type { AuditRun, SectionReport } from './index.js';
import type { ComplianceData } from './compliance.js';
import type { CostData } from './cost.js';
import type { SecurityData } from './security.js';
import { count } from '../../core/plural.js';

const money = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `$${n.toFixed(2)}`);
const pct = (n: number | null | undefined) => (n === null || n === undefined ? 'n/a' : `${n > 0 ? '+' : ''}${n}%`);
const MD_ROWS = 50;

export interface Header {
  environment: string;
  account?: string;
  region: string;
  failOn: string;
  verdict: string;
  summary: string;
  reportPath?: string;
}

function sectionLine(name: string, s: SectionReport<unknown>): string[] {
  const gating = s.findings.length;
  return [name, s.verdict, s.reason ?? `${count(gating, 'finding')}`];
}

export function renderTableView(h: Header, run: AuditRun, color: boolean): string {
  const out: string[] = [];
  out.push(`${colors.bold('helm-cloud audit', color)} ${h.environment} (account ${h.account ?? '?'}, ${h.region}) — fail-on ${h.failOn}: ${paintVerdict(h.verdict === 'FAIL' ? 'FAIL' : h.verdict, color)}`);
  out.push('');
  out.push(renderTable(['SECTION', 'VERDICT', 'DETAIL'], Object.entries(run.sections).map(([n, s]) => { const l = sectionLine(n, s); l[1] = paintVerdict(l[1]!, color); return l; }), { color, maxWidth: 100 }));
  const c = run.sections.cost;
  if (c?.data.total) {
    out.push('');
    out.push(`cost: ${money(c.data.total.current)} (${c.data.period.current.start}…${c.data.period.current.end}) vs ${money(c.data.total.previous)} before, ${pct(c.data.total.changePercent)}; forecast ${c.data.forecast?.available ? money(c.data.forecast.amount) : 'n/a'}; savings found ~${money(c.data.estimatedMonthlySaving)}/month`);
  }
  const s = run.sections.security;
  if (s && s.data.score.percent !== null) out.push(`security score: ${s.data.score.percent}% (${s.data.score.passed}/${s.data.score.enabled} controls passed)`);
  if (run.findings.length) {
    out.push('');
    // The Markdown table's columns; the remediation wraps under its header when the terminal is narrow.
    const rows = run.findings.slice(0, 25).map((f) => [f.severity.toUpperCase(), f.gating ? 'yes' : 'no', f.section, f.registryResource ?? f.resource, f.title, f.remediation]);
    out.push(renderTable(['severity', 'gates', 'section', 'resource', 'finding', 'remediation'], rows, { color, maxWidth: 100 }));
    if (run.findings.length > 25) out.push(`… ${run.findings.length - 25} more in the report`);
  }
  out.push('');
  out.push(h.summary);
  if (h.reportPath) out.push(colors.grey(`report: ${h.reportPath}`, color));
  return out.join('\n');
}

function costMd(c: SectionReport<CostData>): string[] {
  const d = c.data;
  const out = [`## Cost — ${c.verdict}`, ''];
  if (c.reason) out.push(`**Unknown:** ${mdEscape(c.reason)}`, '');
  const scope = [d.filter.accountId ? `account ${d.filter.accountId}` : 'all visible accounts', d.filter.tag ? `tag ${d.filter.tag.key}=${d.filter.tag.value}` : undefined].filter(Boolean).join(', ');
  out.push(`Period ${d.period.current.start} to ${d.period.current.end} (exclusive) against ${d.period.previous.start} to ${d.period.previous.end}; ${mdEscape(scope)}.`, '');
  if (d.total) out.push(`Total: **${money(d.total.current)}** against ${money(d.total.previous)} (${pct(d.total.changePercent)}).`, '');
  if (d.byService.length) out.push('### By service', '', mdTable(['Service', 'This period', 'Previous', 'Change'], d.byService.slice(0, MD_ROWS).map((t) => [t.key, money(t.current), money(t.previous), pct(t.changePercent)])), '');
  if (d.byProject.length) out.push('### By registry project', '', mdTable(['Project', 'In registry', 'This period', 'Previous', 'Change'], d.byProject.slice(0, MD_ROWS).map((t) => [t.key, t.registered ? 'yes' : 'no', money(t.current), money(t.previous), pct(t.changePercent)])), '');
  if (d.anomalies.length) out.push('### Anomalies', '', mdTable(['Severity', 'Since', 'Impact', 'Root cause'], d.anomalies.map((a) => [a.severity, a.start ?? '', `${money(a.totalImpact)}${a.impactPercent !== undefined ? ` (${pct(a.impactPercent)})` : ''}`, a.rootCauses.map((r) => [r.service, r.usageType, r.region].filter(Boolean).join(' / ')).join('; ')])), '');
  if (d.forecast) out.push(d.forecast.available ? `Forecast ${d.forecast.start} to ${d.forecast.end}: **${money(d.forecast.amount)}**${d.forecast.lower !== undefined ? ` (80% interval ${money(d.forecast.lower)}–${money(d.forecast.upper)})` : ''}.` : `Forecast: ${mdEscape(d.forecast.reason)}.`, '');
  if (d.optimisations.length) {
    out.push('### Optimisations', '', `Estimated saving: **${money(d.estimatedMonthlySaving)}/month**.`, '');
    out.push(mdTable(['Resource', 'Finding', 'Saving/month', 'How estimated'], d.optimisations.map((o) => [o.project ? `${o.project}/${o.resource}` : o.resource, o.finding, money(o.monthlySaving), o.how])), '');
  }
  if (d.unmeasured.length) out.push('### Not measured', '', mdTable(['Check', 'Resource', 'Why'], d.unmeasured.slice(0, MD_ROWS).map((u) => [u.check, u.resource, u.reason])), '');
  return out;
}

function securityMd(s: SectionReport<SecurityData>): string[] {
  const d = s.data;
  const out = [`## Security — ${s.verdict}`, ''];
  if (s.reason) out.push(`**Unknown:** ${mdEscape(s.reason)}`, '');
  if (d.hubArn) {
    out.push(d.score.percent === null ? `Security score: n/a (${mdEscape(d.score.reason ?? '')}).` : `Security score: **${d.score.percent}%** — ${d.score.passed} of ${d.score.enabled} controls passed.`, '');
    if (d.score.how) out.push(`_How: ${mdEscape(d.score.how)}._`, '');
    out.push(`Standards enabled: ${d.standards.length ? d.standards.map((x) => mdEscape(x.arn.split('/').slice(-3).join('/'))).join(', ') : 'none'}.`, '');
    out.push(mdTable(['Critical', 'High', 'Medium', 'Low', 'Info'], [[String(d.bySeverity.critical), String(d.bySeverity.high), String(d.bySeverity.medium), String(d.bySeverity.low), String(d.bySeverity.info)]]), '');
  }
  if (d.failingControls.length) out.push('### Failing controls', '', mdTable(['Control', 'Severity', 'Title', 'Registry resources'], d.failingControls.map((c) => [c.controlId, c.severity, c.title, c.registryResources.join(', ')])), '');
  if (d.byResource.length) out.push('### By resource (registry first)', '', mdTable(['Resource', 'Registry', 'Findings', 'Worst'], d.byResource.slice(0, MD_ROWS).map((r) => [r.resource, r.registryResource ?? '', String(r.total), (['critical', 'high', 'medium', 'low', 'info'] as const).find((k) => r.bySeverity[k]) ?? ''])), '');
  return out;
}

function complianceMd(c: SectionReport<ComplianceData>): string[] {
  const d = c.data;
  const out = [`## Compliance — ${c.verdict}`, ''];
  if (c.reason) out.push(`**Unknown:** ${mdEscape(c.reason)}`, '');
  if (d.rules.length) out.push(`Rules: ${d.counts.compliant} compliant, ${d.counts.nonCompliant} non-compliant, ${d.counts.insufficientData} insufficient data, ${d.counts.notApplicable} not applicable.`, '', mdTable(['Rule', 'Compliance', 'Non-compliant', 'Severity'], d.rules.map((r) => [r.name, r.compliance, String(r.nonCompliantResources), r.severity])), '');
  if (d.nonCompliant.length) out.push('### Non-compliant resources (registry first)', '', mdTable(['Rule', 'Resource', 'Registry', 'How to fix'], d.nonCompliant.slice(0, MD_ROWS).map((n) => [n.rule, `${n.resourceType} ${n.resourceId}`, n.registryResource ?? '', n.guidance])), '');
  if (d.conformancePacks.length) out.push('### Conformance packs', '', mdTable(['Pack', 'Compliance'], d.conformancePacks.map((p) => [p.name, p.compliance])), '');
  return out;
}

export function renderMarkdown(h: Header, run: AuditRun): string {
  const out = [`# helm-cloud audit: ${mdEscape(h.environment)} — ${h.verdict}`, '', `${mdEscape(h.summary)} Fail-on: **${h.failOn}**. Account ${mdEscape(h.account ?? 'unknown')}, ${mdEscape(h.region)}.`, ''];
  out.push(mdTable(['Section', 'Verdict', 'Detail'], Object.entries(run.sections).map(([n, s]) => sectionLine(n, s))), '');
  for (const s of Object.values(run.sections)) for (const n of s.notes) out.push(`- Note: ${mdEscape(n)}`);
  out.push('');
  if (run.findings.length) {
    out.push('## Findings', '', mdTable(['Severity', 'Gates', 'Section', 'Resource', 'Finding', 'Remediation'], run.findings.slice(0, 200).map((f) => [f.severity, f.gating ? 'yes' : 'no', f.section, f.registryResource ?? f.resource, f.title, f.remediation])), '');
    if (run.findings.length > 200) out.push(`${run.findings.length - 200} more findings in the JSON report.`, '');
  }
  if (run.sections.cost) out.push(...costMd(run.sections.cost));
  if (run.sections.security) out.push(...securityMd(run.sections.security));
  if (run.sections.compliance) out.push(...complianceMd(run.sections.compliance));
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
