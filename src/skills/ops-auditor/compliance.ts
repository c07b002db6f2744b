/**
 * Compliance section: AWS Config rules and their compliance, each non-compliant resource mapped to its
 * registry resource with how to fix it; conformance packs summarised where present. Config not recording:
 * UNKNOWN with the reason (rule results would be stale or absent).
 */
import { configService, type ConformancePackSummary, type RecorderStatus } from '../../aws/config.js';
import { guidanceFor } from '../../audit/config-guidance.js';
import { refLabel, resourceMatcher } from '../../audit/resource-match.js';
import { severityRank, type AuditSeverity } from '../../audit/severity.js';
import { mapLimit } from '../../core/concurrency.js';
import type { AuditContext, AuditFinding, SectionOutcome, Unknown } from './types.js';
import { mergeUnknowns, read, readPart, SectionUnknown } from './unknown.js';
import { count } from '../../core/plural.js';

export interface RuleRow {
  name: string;
  compliance: string;
  nonCompliantResources: number;
  source?: string;
  description?: string;
  severity: AuditSeverity;
  guidance: string;
}

export interface NonCompliant {
  rule: string;
  resourceType: string;
  resourceId: string;
  registryResource?: string;
  severity: AuditSeverity;
  annotation?: string;
  guidance: string;
}

export interface ComplianceData {
  recorders: RecorderStatus[];
  rules: RuleRow[];
  nonCompliant: NonCompliant[];
  conformancePacks: ConformancePackSummary[];
  counts: { compliant: number; nonCompliant: number; insufficientData: number; notApplicable: number };
}

export async function auditCompliance(ctx: AuditContext): Promise<SectionOutcome<ComplianceData>> {
  const cfg = configService(ctx.aws);
  const data: ComplianceData = { recorders: [], rules: [], nonCompliant: [], conformancePacks: [], counts: { compliant: 0, nonCompliant: 0, insufficientData: 0, notApplicable: 0 } };
  const findings: AuditFinding[] = [];
  const notes: string[] = [];
  const unknowns: Unknown[] = [];
  const where = `account ${ctx.env.accountId ?? '(from credentials)'}, ${ctx.aws.region}`;
  try {
    data.recorders = await read(ctx.aws, 'AWS Config recorder (DescribeConfigurationRecorderStatus)', () => cfg.recorderStatus());
    if (data.recorders.length === 0) {
      return { unknown: { reason: `AWS Config has no configuration recorder in ${where}: rules cannot evaluate anything`, accessDenied: false }, data, findings, notes };
    }
    if (!data.recorders.some((r) => r.recording)) {
      const r = data.recorders[0]!;
      const why = r.lastErrorCode ? ` (last error ${r.lastErrorCode}${r.lastErrorMessage ? `: ${r.lastErrorMessage}` : ''})` : r.lastStatus ? ` (last status ${r.lastStatus})` : '';
      return { unknown: { reason: `AWS Config is not recording in ${where}: recorder "${r.name}" is stopped${why}, so rule results are stale or absent`, accessDenied: false }, data, findings, notes };
    }
    const rules = await read(ctx.aws, 'AWS Config rules (DescribeConfigRules)', () => cfg.describeRules());
    // From here each call stands on its own: a failed one makes its part UNKNOWN and keeps the rest.
    const complianceRead = await readPart(ctx.aws, 'AWS Config compliance (DescribeComplianceByConfigRule)', () => cfg.complianceByRule());
    if (!complianceRead.ok) unknowns.push(complianceRead.unknown);
    const byRule = new Map((complianceRead.ok ? complianceRead.value : []).map((c) => [c.rule, c]));
    const nonCompliantRules = rules.filter((r) => byRule.get(r.name)?.compliance === 'NON_COMPLIANT');
    const details = await mapLimit(nonCompliantRules, Math.min(4, ctx.concurrency), (r) =>
      readPart(ctx.aws, `AWS Config results of rule ${r.name} (GetComplianceDetailsByConfigRule)`, () => cfg.nonCompliantResources(r.name)),
    );
    const match = resourceMatcher(ctx.resources);
    const detailsByRule = new Map<string, Awaited<ReturnType<typeof cfg.nonCompliantResources>>>();
    nonCompliantRules.forEach((r, i) => {
      const d = details[i]!;
      if (d.ok) detailsByRule.set(r.name, d.value);
      else {
        unknowns.push(d.unknown);
        notes.push(`rule ${r.name} is NON_COMPLIANT; which resources could not be read`);
      }
    });
    for (const r of rules) {
      const c = byRule.get(r.name);
      // A rule Config has not evaluated has no compliance entry: that is missing data, not compliance.
      const compliance = c?.compliance ?? 'INSUFFICIENT_DATA';
      const g = guidanceFor(r);
      const evals = detailsByRule.get(r.name) ?? [];
      data.rules.push({ name: r.name, compliance, nonCompliantResources: evals.length || c?.nonCompliantCount || 0, source: r.sourceIdentifier, description: r.description, severity: g.severity, guidance: g.fix });
      if (compliance === 'COMPLIANT') data.counts.compliant++;
      else if (compliance === 'NON_COMPLIANT') data.counts.nonCompliant++;
      else if (compliance === 'NOT_APPLICABLE') data.counts.notApplicable++;
      else data.counts.insufficientData++;
      if (compliance === 'NON_COMPLIANT' && evals.length === 0 && detailsByRule.has(r.name)) notes.push(`rule ${r.name} is NON_COMPLIANT but listed no non-compliant resources`);
      if (compliance === 'NON_COMPLIANT' && evals.length === 0) {
        findings.push({ id: `compliance:${r.name}`, section: 'compliance', severity: g.severity, resource: 'account', title: `${r.name}: non-compliant`, remediation: g.fix });
      }
      for (const e of evals) {
        const ref = refLabel(match(e.resourceType, e.resourceId));
        data.nonCompliant.push({ rule: r.name, resourceType: e.resourceType, resourceId: e.resourceId, registryResource: ref, severity: g.severity, annotation: e.annotation, guidance: g.fix });
      }
    }
    const order: Record<string, number> = { NON_COMPLIANT: 0, INSUFFICIENT_DATA: 1, COMPLIANT: 2, NOT_APPLICABLE: 3 };
    data.rules.sort((a, b) => (order[a.compliance] ?? 1) - (order[b.compliance] ?? 1) || a.name.localeCompare(b.name));
    data.nonCompliant.sort((a, b) => Number(Boolean(b.registryResource)) - Number(Boolean(a.registryResource)) || severityRank(b.severity) - severityRank(a.severity) || a.rule.localeCompare(b.rule) || a.resourceId.localeCompare(b.resourceId));
    for (const n of data.nonCompliant) {
      findings.push({
        id: `compliance:${n.rule}:${n.resourceId}`,
        section: 'compliance',
        severity: n.severity,
        resource: n.resourceId,
        registryResource: n.registryResource,
        title: `${n.rule}: ${n.resourceType} ${n.resourceId} non-compliant${n.annotation ? ` (${n.annotation})` : ''}`,
        remediation: n.guidance,
      });
    }
    const packs = await readPart(ctx.aws, 'AWS Config conformance packs (DescribeConformancePacks)', () => cfg.conformancePacks());
    if (!packs.ok) unknowns.push(packs.unknown);
    else {
      const summaries = await readPart(ctx.aws, 'AWS Config conformance pack compliance (GetConformancePackComplianceSummary)', () => cfg.conformancePackSummaries(packs.value));
      if (summaries.ok) data.conformancePacks = summaries.value;
      else unknowns.push(summaries.unknown);
    }
    if (data.counts.insufficientData) notes.push(`${count(data.counts.insufficientData, 'rule')} ${data.counts.insufficientData === 1 ? 'has' : 'have'} insufficient data: not counted as compliant`);
    if (rules.length === 0) {
      // Nothing to judge is not compliance: a gate must not pass on it.
      return { unknown: { reason: `AWS Config records in ${where} but no rules are defined: nothing is checked`, accessDenied: false }, data, findings, notes };
    }
  } catch (e) {
    // Findings gathered before the failure stay in the report.
    if (e instanceof SectionUnknown) return { unknown: mergeUnknowns([...unknowns, e.unknown]), data, findings, notes };
    throw e;
  }
  return { ...(unknowns.length ? { unknown: mergeUnknowns(unknowns) } : {}), data, findings, notes };
}
