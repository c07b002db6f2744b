/** What the ops-auditor's sections produce; the ops-manager turns them into the helm-cloud/audit@1 report. */
import type { AwsProvider } from '../../aws/provider.js';
import type { LiveResource, ResolvedEnvironment } from '../../config/load.js';
import type { Monitoring } from '../../config/schemas.js';
import type { Io } from '../../io.js';
import type { AuditSeverity } from '../../audit/severity.js';

export type SectionName = 'cost' | 'security' | 'compliance';
export const SECTION_NAMES: readonly SectionName[] = ['cost', 'security', 'compliance'];

/** PASS no findings · WARN findings below --fail-on · FAIL findings at/above it · UNKNOWN could not audit. */
export type SectionVerdict = 'PASS' | 'WARN' | 'FAIL' | 'UNKNOWN';

export interface AuditFinding {
  /** Stable within a report: "<section>:<source id>". */
  id: string;
  section: SectionName;
  severity: AuditSeverity;
  /** The AWS resource id or ARN the finding is about ("account" for account-wide ones). */
  resource: string;
  /** "project/name" when the resource is in the registry. */
  registryResource?: string;
  title: string;
  remediation: string;
}

export interface AuditContext {
  aws: AwsProvider;
  env: ResolvedEnvironment;
  resources: readonly LiveResource[];
  /** "<type>:<name>" → when the registry first deployed it in this environment (epoch ms). */
  firstSeen: ReadonlyMap<string, number>;
  audit: Monitoring['audit'];
  concurrency: number;
  now: () => number;
  io: Io;
}

/** A section that could not be audited: its verdict is UNKNOWN with this reason. */
export interface Unknown {
  reason: string;
  /** The cause was a missing permission (the command exits 4). */
  accessDenied: boolean;
}

export interface SectionOutcome<T> {
  unknown?: Unknown;
  /** Present even when unknown, with whatever was read before the failure. */
  data: T;
  findings: AuditFinding[];
  /** Notes that qualify the data without making it unknown (e.g. estimated costs). */
  notes: string[];
}
