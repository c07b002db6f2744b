/**
 * Security section: Security Hub findings for the environment's account, by severity and by resource,
 * registry resources first; the security score computed from control findings the way Security Hub does.
 * Security Hub not enabled or not permitted: UNKNOWN with the reason, never "0 findings". Each call stands on its
 * own: an unavailable standards call leaves the findings listed and gating; only the score carries the reason.
 */
import { securityHub, type EnabledStandard, type HubFinding } from '../../aws/securityhub.js';
import { refLabel, resourceMatcher, type RegistryRef } from '../../audit/resource-match.js';
import { fromSecurityHub, SEVERITIES, severityRank, type AuditSeverity } from '../../audit/severity.js';
import { securityScore, type FailingControl } from '../../core/security-score.js';
import type { AuditContext, AuditFinding, SectionOutcome } from './types.js';
import { readPart } from './unknown.js';

export interface SecurityFinding {
  id: string;
  severity: AuditSeverity;
  title: string;
  product?: string;
  controlId?: string;
  complianceStatus?: string;
  workflowStatus?: string;
  resources: { type: string; id: string; registryResource?: string }[];
  remediation: string;
  remediationUrl?: string;
  updatedAt?: string;
}

export interface SecurityData {
  hubArn?: string;
  standards: EnabledStandard[];
  score: { percent: number | null; passed: number; enabled: number; failed: number; noData: number; how: string; reason?: string };
  failingControls: (FailingControl & { registryResources: string[] })[];
  bySeverity: Record<AuditSeverity, number>;
  byResource: { resource: string; type: string; registryResource?: string; total: number; bySeverity: Partial<Record<AuditSeverity, number>> }[];
  findings: SecurityFinding[];
  /** Findings left out: another account, archived, suppressed or resolved, or a passed check. */
  excluded: { otherAccount: number; notActive: number; passed: number };
  pages: number;
}

const emptyBySeverity = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<AuditSeverity, number>;

/** Security Hub answers InvalidAccessException both for "not subscribed" and for some permission problems. */
function notEnabled(code: string, message: string): boolean {
  return /not subscribed|not enabled/i.test(message) || code === 'ResourceNotFoundException';
}

export async function auditSecurity(ctx: AuditContext): Promise<SectionOutcome<SecurityData>> {
  const sh = securityHub(ctx.aws);
  const accountId = ctx.env.accountId;
  const data: SecurityData = {
    standards: [],
    score: { percent: null, passed: 0, enabled: 0, failed: 0, noData: 0, how: '' },
    failingControls: [],
    bySeverity: emptyBySeverity(),
    byResource: [],
    findings: [],
    excluded: { otherAccount: 0, notActive: 0, passed: 0 },
    pages: 0,
  };
  const findings: AuditFinding[] = [];
  const notes: string[] = [];
  const where = `account ${accountId ?? '(from credentials)'}, ${ctx.aws.region}`;
  // Each call is read on its own: one that fails makes only its part UNKNOWN (standards → the score's
  // explanation; findings → the section), never the data the others returned.
  const hub = await readPart(ctx.aws, 'Security Hub (DescribeHub)', () => sh.describeHub(), (f) =>
    notEnabled(f.code, f.message) ? { reason: `Security Hub is not enabled in ${where} (${f.code}): enable it to audit security`, accessDenied: false } : undefined,
  );
  // Not enabled: no other call can answer.
  if (!hub.ok && /is not enabled/.test(hub.unknown.reason)) return { unknown: hub.unknown, data, findings, notes };
  if (hub.ok) data.hubArn = hub.value.hubArn;
  else notes.push(`hub details unavailable: ${hub.unknown.reason}`);
  const standards = await readPart(ctx.aws, 'Security Hub standards (GetEnabledStandards)', () => sh.getEnabledStandards());
  if (standards.ok) data.standards = standards.value;
  else notes.push(`enabled standards unavailable (${standards.unknown.reason}); the score is computed from the control findings alone`);
  const got = await readPart(ctx.aws, 'Security Hub findings (GetFindings)', () => sh.getFindings({ accountId }));
  if (!got.ok) return { unknown: got.unknown, data, findings, notes };
  const raw: HubFinding[] = got.value.findings;
  data.pages = got.value.pages;

  const match = resourceMatcher(ctx.resources);
  const active: HubFinding[] = [];
  for (const f of raw) {
    // GetFindings filters are applied again here: an endpoint may ignore them.
    if (accountId && f.accountId && f.accountId !== accountId) data.excluded.otherAccount++;
    else if (f.recordState !== 'ACTIVE') data.excluded.notActive++;
    else active.push(f);
  }

  const score = securityScore(
    active.map((f) => ({
      controlId: f.controlId,
      title: f.title,
      complianceStatus: f.complianceStatus,
      recordState: f.recordState,
      workflowStatus: f.workflowStatus,
      severity: fromSecurityHub(f.severityLabel, f.severityNormalized),
      resourceId: f.resources[0]?.id,
    })),
  );
  const enabledStandards = data.standards.filter((s) => s.status === 'READY' || s.status === 'PENDING' || s.status === 'INCOMPLETE');
  data.score = {
    percent: score.percent,
    passed: score.passed,
    enabled: score.enabled,
    failed: score.failed,
    noData: score.noData,
    how: score.how,
    ...(score.percent === null
      ? {
          reason: !standards.ok
            ? `no control has a PASSED or FAILED finding, and the enabled standards could not be read (${standards.unknown.reason})`
            : enabledStandards.length
              ? 'no control has a PASSED or FAILED finding yet (checks run up to 24 hours after enabling)'
              : 'no security standard is enabled, so there are no control findings to score',
        }
      : {}),
  };
  const refOf = (r: { type: string; id: string }): RegistryRef | undefined => match(r.type, r.id);
  data.failingControls = score.failing.map((c) => ({
    ...c,
    registryResources: c.failedResources.map((id) => refLabel(match('', id))).filter((x): x is string => Boolean(x)),
  }));

  const byRes = new Map<string, SecurityData['byResource'][number]>();
  for (const f of active) {
    const status = (f.complianceStatus ?? '').toUpperCase();
    // A passed or not-applicable check is not a finding to act on; suppressed and resolved ones were decided.
    if (status === 'PASSED' || status === 'NOT_AVAILABLE' || f.workflowStatus === 'SUPPRESSED' || f.workflowStatus === 'RESOLVED') {
      data.excluded.passed++;
      continue;
    }
    const severity = fromSecurityHub(f.severityLabel, f.severityNormalized);
    const resources = f.resources.map((r) => ({ type: r.type, id: r.id, registryResource: refLabel(refOf(r)) }));
    const remediation = f.remediationText ? `${f.remediationText}${f.remediationUrl ? ` (${f.remediationUrl})` : ''}` : f.remediationUrl ?? 'see the finding in Security Hub';
    data.findings.push({ id: f.id, severity, title: f.title, product: f.productName, controlId: f.controlId, complianceStatus: f.complianceStatus, workflowStatus: f.workflowStatus, resources, remediation, remediationUrl: f.remediationUrl, updatedAt: f.updatedAt });
    data.bySeverity[severity]++;
    for (const r of resources) {
      const e = byRes.get(r.id) ?? { resource: r.id, type: r.type, registryResource: r.registryResource, total: 0, bySeverity: {} };
      e.total++;
      e.bySeverity[severity] = (e.bySeverity[severity] ?? 0) + 1;
      byRes.set(r.id, e);
    }
  }
  const inRegistry = (f: SecurityFinding) => f.resources.some((r) => r.registryResource);
  data.findings.sort((a, b) => Number(inRegistry(b)) - Number(inRegistry(a)) || severityRank(b.severity) - severityRank(a.severity) || a.title.localeCompare(b.title));
  data.byResource = [...byRes.values()].sort((a, b) => Number(Boolean(b.registryResource)) - Number(Boolean(a.registryResource)) || b.total - a.total || a.resource.localeCompare(b.resource));
  for (const f of data.findings) {
    const primary = f.resources.find((r) => r.registryResource) ?? f.resources[0];
    findings.push({
      id: `security:${f.id}`,
      section: 'security',
      severity: f.severity,
      resource: primary?.id ?? 'account',
      registryResource: primary?.registryResource,
      title: f.controlId ? `${f.controlId} ${f.title}` : f.title,
      remediation: f.remediation,
    });
  }
  if (data.score.percent === null) {
    // Without control results there is no score; the findings that did come in are still reported.
    return { unknown: { reason: `no security score: ${data.score.reason}`, accessDenied: !standards.ok && standards.unknown.accessDenied }, data, findings, notes };
  }
  return { data, findings, notes };
}
