/**
 * The Security Hub security score, computed the way Security Hub computes it: over controls, not findings.
 * A control is the set of control findings sharing a SecurityControlId (consolidated control findings) or, for
 * standard-specific findings, the control id in the GeneratorId. Only ACTIVE findings whose workflow is not
 * SUPPRESSED count. Per control: any FAILED finding → failed; otherwise all PASSED → passed; otherwise
 * (only WARNING / NOT_AVAILABLE) → no data, left out. Score = passed / (passed + failed).
 */

export interface ControlFindingInput {
  controlId?: string;
  title?: string;
  complianceStatus?: string;
  recordState?: string;
  workflowStatus?: string;
  severity: string;
  resourceId?: string;
}

export interface FailingControl {
  controlId: string;
  title: string;
  severity: string;
  failedResources: string[];
}

export interface SecurityScore {
  /** Whole percent, or null when no control has data. */
  percent: number | null;
  passed: number;
  /** Controls with a PASSED/FAILED verdict (the score's denominator). */
  enabled: number;
  failed: number;
  /** Controls whose findings are only WARNING / NOT_AVAILABLE. */
  noData: number;
  failing: FailingControl[];
  how: string;
}

const SEV_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

export const SCORE_HOW =
  'passed controls ÷ (passed + failed) controls, as Security Hub computes it: a control fails when any of its active, ' +
  'unsuppressed control findings is FAILED and passes when all are PASSED; controls with only WARNING or NOT_AVAILABLE ' +
  'findings, archived findings and suppressed findings are left out; rounded down to a whole percent';

/** The control a finding belongs to, or undefined if it is not a control finding. */
export function controlIdOf(f: { SecurityControlId?: string; ProductFieldsControlId?: string; GeneratorId?: string }): string | undefined {
  if (f.SecurityControlId) return f.SecurityControlId;
  if (f.ProductFieldsControlId) return f.ProductFieldsControlId;
  const g = f.GeneratorId ?? '';
  // aws-foundational-security-best-practices/v/1.0.0/S3.1 · arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.10
  const std = /\/v\/[\d.]+\/(?:rule\/)?([^/]+)$/.exec(g);
  return std ? std[1] : undefined;
}

export function securityScore(findings: readonly ControlFindingInput[]): SecurityScore {
  const controls = new Map<string, { statuses: Set<string>; title: string; severity: string; failed: Set<string> }>();
  for (const f of findings) {
    if (!f.controlId || !f.complianceStatus) continue;
    if ((f.recordState ?? 'ACTIVE') !== 'ACTIVE') continue;
    if (f.workflowStatus === 'SUPPRESSED') continue;
    const c = controls.get(f.controlId) ?? { statuses: new Set<string>(), title: f.title ?? f.controlId, severity: f.severity, failed: new Set<string>() };
    const status = f.complianceStatus.toUpperCase();
    c.statuses.add(status);
    if (status === 'FAILED') {
      if (f.resourceId) c.failed.add(f.resourceId);
      if (SEV_ORDER.indexOf(f.severity) < SEV_ORDER.indexOf(c.severity)) c.severity = f.severity;
    }
    controls.set(f.controlId, c);
  }
  let passed = 0;
  let noData = 0;
  const failing: FailingControl[] = [];
  for (const [controlId, c] of controls) {
    if (c.statuses.has('FAILED')) failing.push({ controlId, title: c.title, severity: c.severity, failedResources: [...c.failed].sort() });
    else if ([...c.statuses].every((s) => s === 'PASSED')) passed++;
    else noData++;
  }
  failing.sort((a, b) => SEV_ORDER.indexOf(a.severity) - SEV_ORDER.indexOf(b.severity) || a.controlId.localeCompare(b.controlId, 'en', { numeric: true }));
  const enabled = passed + failing.length;
  return { percent: enabled ? Math.floor((passed / enabled) * 100) : null, passed, enabled, failed: failing.length, noData, failing, how: SCORE_HOW };
}
