/**
 * The one on-call/incident interface every backend implements (local, GoAlert, PagerDuty). Times are ISO-8601
 * strings in results, epoch milliseconds in arguments. Incident ids are `INC-<n>` locally, the backend's own
 * id otherwise.
 */
import type { TeamModel } from '../../config/oncall.js';

export type BackendKind = 'local' | 'goalert' | 'pagerduty';
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Urgency = 'high' | 'low';

export interface OnCallPerson {
  user: string;
  name?: string;
  email?: string;
  /** When this person's turn ends (absent: not known within the look-ahead, or a fixed target). */
  until?: string;
}

export interface TierAnswer {
  /** 1-based, as people say it. */
  tier: number;
  delayMinutes: number;
  targets: string[];
  oncall: OnCallPerson[];
}

export interface WhoIsOnCall {
  team: string;
  at: string;
  tiers: TierAnswer[];
}

export interface Segment {
  start: string;
  end: string;
  users: string[];
  layer?: string;
  overrides: string[];
}

export interface OverrideInfo {
  id: string;
  team: string;
  user: string;
  start: string;
  end: string;
  replaces?: string;
  add?: boolean;
  /** config: written in the config file; recorded: created with override_oncall; remote: the backend's. */
  source: 'config' | 'recorded' | 'remote';
  by?: string;
  createdAt?: string;
  note?: string;
}

export interface ScheduleView {
  team: string;
  from: string;
  to: string;
  segments: Segment[];
  /** Rotation handoffs in the window (local backend; servers report shifts only). */
  handoffs?: Array<{ at: string; layer: string; from: string; to: string }>;
  overrides: OverrideInfo[];
}

export type IncidentEventType = 'created' | 'paged' | 'acknowledged' | 'escalated' | 'resolved' | 'note' | 'linked';

export interface IncidentEvent {
  at: string;
  type: IncidentEventType;
  by?: string;
  tier?: number;
  loop?: number;
  users?: string[];
  note?: string;
  /** Escalated by policy (not by a person). */
  auto?: boolean;
  /** When it was written (escalations found late are recorded at their due time). */
  recordedAt?: string;
}

export interface Incident {
  id: string;
  title: string;
  urgency: Urgency;
  status: IncidentStatus;
  team?: string;
  service?: string;
  description?: string;
  createdAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  /** Current tier, 1-based, and pass through the policy (0 = first). */
  tier: number;
  loop: number;
  assigned: string[];
  alerts: string[];
  issues: string[];
  events: IncidentEvent[];
  backend: BackendKind;
  url?: string;
}

export interface NewIncident {
  title: string;
  urgency: Urgency;
  description?: string;
  service?: string;
  fromAlert?: string;
  issue?: string;
  by: string;
}

export interface NewOverride {
  user: string;
  start: number;
  end: number;
  replaces?: string;
  add?: boolean;
  note?: string;
}

export interface OncallBackend {
  readonly kind: BackendKind;
  whoIsOnCall(team: TeamModel, at: number): Promise<WhoIsOnCall>;
  schedule(team: TeamModel, from: number, to: number): Promise<ScheduleView>;
  addOverride(team: TeamModel, o: NewOverride, by: string): Promise<OverrideInfo>;
  removeOverride(team: TeamModel, id: string, by: string): Promise<OverrideInfo>;
  createIncident(team: TeamModel, i: NewIncident): Promise<Incident>;
  listIncidents(filter: { status?: IncidentStatus[]; team?: string }): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident>;
  acknowledge(id: string, by: string): Promise<Incident>;
  escalate(id: string, by: string): Promise<Incident>;
  resolve(id: string, by: string, note?: string): Promise<Incident>;
  /** Applies escalations that are due (local mode; servers escalate by themselves). Returns what moved. */
  tick(now: number): Promise<Array<{ incident: Incident; step: IncidentEvent }>>;
}
