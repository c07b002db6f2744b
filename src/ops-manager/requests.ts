/** Typed requests that commands hand to the ops-manager. No logic here. */
import type { RemediationInput } from '../skills/ops-responder/index.js';
import type { CommonOptions } from './context.js';

export interface HealthRequest extends CommonOptions {
  windowMs?: number;
  burnRate: boolean;
  failOn: 'degraded' | 'unhealthy';
  junit?: string;
  resource?: string;
  watch: boolean;
  /** Score each SLO series over the baseline with the anomaly detector (also [monitoring] anomaly_detection). */
  anomalies?: boolean;
}

export interface InvestigateRequest extends CommonOptions {
  text?: string;
  issue?: string;
  sinceMs?: number;
  fromMs?: number;
  toMs?: number;
  maxLines?: number;
}

/** The responder's own input (what to remediate) plus the command's options. */
export interface RemediateRequest extends CommonOptions, RemediationInput {
  dryRun: boolean;
}

export type AuditType = 'cost' | 'security' | 'compliance' | 'all';
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface AuditRequest extends CommonOptions {
  type: AuditType;
  failOn?: Severity;
  junit?: string;
}

export interface DashboardRequest extends CommonOptions {}

export interface EscalateRequest extends CommonOptions {
  issue: string;
  /** The operator's words; the record always says who asked. */
  reason?: string;
}

export interface DoctorRequest extends CommonOptions {}

export interface AnalyzeRequest extends CommonOptions {
  resource: string;
  metric?: string;
  sinceMs: number;
  /** Terminal width for the chart. */
  width?: number;
}
