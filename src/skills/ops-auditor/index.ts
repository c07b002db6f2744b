/** ops-auditor: runs the requested audit sections and judges each against --fail-on. */
import { reaches, severityRank, type FailOn } from '../../audit/severity.js';
import { auditCompliance, type ComplianceData } from './compliance.js';
import { auditCost, type CostData } from './cost.js';
import { auditSecurity, type SecurityData } from './security.js';
import type { AuditContext, AuditFinding, SectionName, SectionOutcome, SectionVerdict } from './types.js';

export interface SectionReport<T> {
  verdict: SectionVerdict;
  reason?: string;
  accessDenied?: boolean;
  notes: string[];
  data: T;
  findings: AuditFinding[];
}

export interface AuditRun {
  sections: { cost?: SectionReport<CostData>; security?: SectionReport<SecurityData>; compliance?: SectionReport<ComplianceData> };
  findings: (AuditFinding & { gating: boolean })[];
  verdict: SectionVerdict;
  /** Milliseconds each section took (its reads run concurrently with the others'): JUnit case times. */
  sectionMs: Partial<Record<SectionName, number>>;
}

const VERDICT_RANK: Record<SectionVerdict, number> = { PASS: 0, WARN: 1, UNKNOWN: 2, FAIL: 3 };

export function judge<T>(o: SectionOutcome<T>, failOn: FailOn): SectionReport<T> {
  const base = { notes: o.notes, data: o.data, findings: o.findings };
  // Findings that arrived gate even when another part of the section is UNKNOWN; the reason stays in the report.
  if (o.findings.some((f) => reaches(f.severity, failOn))) return { ...base, verdict: 'FAIL', ...(o.unknown ? { reason: o.unknown.reason } : {}) };
  if (o.unknown) return { ...base, verdict: 'UNKNOWN', reason: o.unknown.reason, accessDenied: o.unknown.accessDenied };
  return { ...base, verdict: o.findings.length ? 'WARN' : 'PASS' };
}

/** Worst first: FAIL > UNKNOWN > WARN > PASS. Nothing audited is UNKNOWN. */
export function worstVerdict(vs: SectionVerdict[]): SectionVerdict {
  return vs.reduce<SectionVerdict | undefined>((w, v) => (w === undefined || VERDICT_RANK[v] > VERDICT_RANK[w] ? v : w), undefined) ?? 'UNKNOWN';
}

export async function runAuditor(ctx: AuditContext, sections: readonly SectionName[], failOn: FailOn): Promise<AuditRun> {
  const want = new Set(sections);
  const progress = (s: string) => ctx.io.progress(`audit: ${s}…`);
  const t0 = performance.now();
  const sectionMs: AuditRun['sectionMs'] = {};
  const timed = <T>(name: SectionName, p: Promise<T>) => p.finally(() => (sectionMs[name] = performance.now() - t0));
  const [cost, security, compliance] = await Promise.all([
    want.has('cost') ? (progress('cost'), timed('cost', auditCost(ctx))) : undefined,
    want.has('security') ? (progress('security'), timed('security', auditSecurity(ctx))) : undefined,
    want.has('compliance') ? (progress('compliance'), timed('compliance', auditCompliance(ctx))) : undefined,
  ]);
  const run: AuditRun = { sections: {}, findings: [], verdict: 'UNKNOWN', sectionMs };
  if (cost) run.sections.cost = judge(cost, failOn);
  if (security) run.sections.security = judge(security, failOn);
  if (compliance) run.sections.compliance = judge(compliance, failOn);
  const all = Object.values(run.sections).flatMap((s) => s.findings);
  run.findings = all
    .map((f) => ({ ...f, gating: reaches(f.severity, failOn) }))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || Number(Boolean(b.registryResource)) - Number(Boolean(a.registryResource)) || a.section.localeCompare(b.section) || a.id.localeCompare(b.id));
  run.verdict = worstVerdict(Object.values(run.sections).map((s) => s.verdict));
  return run;
}
