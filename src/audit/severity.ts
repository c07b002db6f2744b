/**
 * Audit severities, lowest to highest. Security Hub's INFORMATIONAL becomes `info`, which is below every
 * --fail-on level: it is reported but never gates a release.
 */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type AuditSeverity = (typeof SEVERITIES)[number];
export type FailOn = Exclude<AuditSeverity, 'info'>;

export function severityRank(s: AuditSeverity): number {
  return SEVERITIES.indexOf(s);
}

export function reaches(s: AuditSeverity, failOn: FailOn): boolean {
  return severityRank(s) >= severityRank(failOn);
}

/** Security Hub Severity.Label (or a numeric Normalized score when the label is absent). */
export function fromSecurityHub(label: string | undefined, normalized?: number): AuditSeverity {
  switch ((label ?? '').toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
      return 'high';
    case 'MEDIUM':
      return 'medium';
    case 'LOW':
      return 'low';
    case 'INFORMATIONAL':
      return 'info';
  }
  // The documented Normalized → Label bands.
  if (normalized === undefined || !Number.isFinite(normalized)) return 'medium';
  if (normalized >= 90) return 'critical';
  if (normalized >= 70) return 'high';
  if (normalized >= 40) return 'medium';
  if (normalized >= 1) return 'low';
  return 'info';
}
