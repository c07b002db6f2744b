/**
 * The alert lifecycle model: alerts from every source (CloudWatch alarms, Alertmanager, hand-made) with a
 * stable id and fingerprint, overlaid with helm-cloud's own append-only event log (acknowledgements, local
 * silences, escalations, notes, groups, resolutions). Pure: sources and events in, one list out.
 */
import { createHash } from 'node:crypto';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];
export const STATUSES = ['firing', 'acknowledged', 'silenced', 'resolved', 'unknown'] as const;
export type AlertStatus = (typeof STATUSES)[number];
export const SOURCES = ['cloudwatch', 'alertmanager', 'local'] as const;
export type AlertSource = (typeof SOURCES)[number];

/** What a source says about one alert, before helm-cloud's overlay. */
export interface SourceAlert {
  source: AlertSource;
  fingerprint: string;
  name: string;
  severity: AlertSeverity;
  /** The source's own state: ALARM/OK/INSUFFICIENT_DATA, active/suppressed, firing/resolved. */
  sourceState: string;
  /** firing, resolved, silenced (muted at the source) or unknown (the source cannot tell). */
  state: 'firing' | 'resolved' | 'silenced' | 'unknown';
  description: string;
  labels: Record<string, string>;
  resource?: string;
  project?: string;
  /** When the current firing began (ms). */
  startsAt: number;
  endsAt?: number;
  /** Source-side details kept for silences and history (alarm name, Alertmanager silence ids). */
  ref: Record<string, unknown>;
}

export type AlertEvent =
  | { kind: 'create'; id: string; at: string; by: string; name: string; severity: AlertSeverity; description: string; labels: Record<string, string>; resource?: string; posted?: boolean }
  | { kind: 'ack'; id: string; at: string; by: string; note?: string }
  | { kind: 'silence'; id: string; at: string; by: string; until: string; comment?: string; silenceId?: string; disabledActions?: boolean; alarm?: string; env?: string; region?: string }
  | { kind: 'actions-enabled'; id: string; at: string; by: string; alarm: string; env?: string }
  | { kind: 'escalate'; id: string; at: string; by: string; from: AlertSeverity; to: AlertSeverity; team?: string; issue?: string; paged?: string }
  | { kind: 'resolve'; id: string; at: string; by: string; note?: string; owned: boolean }
  | { kind: 'note'; id: string; at: string; by: string; note: string }
  | { kind: 'group'; id: string; at: string; by: string; group: string };

export interface Alert {
  id: string;
  fingerprint: string;
  source: AlertSource;
  name: string;
  severity: AlertSeverity;
  status: AlertStatus;
  sourceState: string;
  description: string;
  labels: Record<string, string>;
  resource?: string;
  project?: string;
  startsAt: string;
  acknowledged?: { by: string; at: string; note?: string };
  silenced?: { until: string; by: string; silenceId?: string; local: boolean };
  escalation?: { severity: AlertSeverity; team?: string; issue?: string; at: string };
  resolution?: { by: string; at: string; note?: string };
  groups: string[];
  notes: { at: string; by: string; note: string }[];
  ref: Record<string, unknown>;
}

export function alertId(source: AlertSource, fingerprint: string): string {
  return `A-${createHash('sha1').update(`${source}|${fingerprint}`).digest('hex').slice(0, 8)}`;
}

/** A hand-made alert's fingerprint: its name and labels (so the same alert created twice is one alert). */
export function localFingerprint(name: string, labels: Record<string, string>, resource?: string): string {
  const body = JSON.stringify([name, resource ?? '', Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash('sha1').update(body).digest('hex').slice(0, 16);
}

const rank = (s: AlertSeverity) => SEVERITIES.indexOf(s);
export const raise = (s: AlertSeverity): AlertSeverity => SEVERITIES[Math.min(SEVERITIES.length - 1, rank(s) + 1)]!;
export const severityAtLeast = (a: AlertSeverity, b: AlertSeverity) => rank(a) >= rank(b);

/** Merges sources and the event log into one list. Alertmanager copies of hand-made alerts fold into them. */
export function buildAlerts(sources: readonly SourceAlert[], events: readonly AlertEvent[], now: number): Alert[] {
  const byId = new Map<string, Alert>();
  const copies = new Map<string, SourceAlert>();
  for (const s of sources) {
    const own = s.source === 'alertmanager' ? s.labels.helm_cloud_id : undefined;
    if (own) {
      copies.set(own, s);
      continue;
    }
    const id = alertId(s.source, s.fingerprint);
    byId.set(id, { id, fingerprint: s.fingerprint, source: s.source, name: s.name, severity: s.severity, status: 'firing', sourceState: s.sourceState, description: s.description, labels: s.labels, resource: s.resource, project: s.project, startsAt: new Date(s.startsAt).toISOString(), groups: [], notes: [], ref: { ...s.ref, state: s.state } });
  }
  for (const e of events) {
    if (e.kind !== 'create' || byId.has(e.id)) continue;
    const copy = copies.get(e.id);
    byId.set(e.id, {
      id: e.id,
      fingerprint: localFingerprint(e.name, e.labels, e.resource),
      source: 'local',
      name: e.name,
      severity: e.severity,
      status: 'firing',
      sourceState: copy ? `alertmanager ${copy.sourceState}` : 'local',
      description: e.description,
      labels: e.labels,
      resource: e.resource,
      startsAt: e.at,
      groups: [],
      notes: [],
      ref: { state: copy?.state === 'silenced' ? 'silenced' : 'firing', posted: Boolean(e.posted), ...(copy ? { alertmanager: copy.ref } : {}) },
    });
  }
  for (const e of events) {
    const a = byId.get(e.id);
    if (!a) continue;
    switch (e.kind) {
      case 'ack':
        // An acknowledgement covers the current firing only: one made before it (re)started does not count.
        if (Date.parse(e.at) >= Date.parse(a.startsAt) - 1000) a.acknowledged = { by: e.by, at: e.at, note: e.note };
        break;
      case 'silence':
        a.silenced = { until: e.until, by: e.by, silenceId: e.silenceId, local: !e.silenceId };
        break;
      case 'escalate':
        a.severity = severityAtLeast(a.severity, e.to) ? a.severity : e.to;
        a.escalation = { severity: e.to, team: e.team, issue: e.issue ?? a.escalation?.issue, at: e.at };
        break;
      case 'resolve':
        a.resolution = { by: e.by, at: e.at, note: e.note };
        if (e.note) a.notes.push({ at: e.at, by: e.by, note: `resolution: ${e.note}` });
        break;
      case 'note':
        a.notes.push({ at: e.at, by: e.by, note: e.note });
        break;
      case 'group':
        if (!a.groups.includes(e.group)) a.groups.push(e.group);
        break;
    }
  }
  for (const a of byId.values()) {
    const state = a.ref.state as SourceAlert['state'];
    const localResolved = a.source === 'local' && a.resolution;
    if (localResolved || state === 'resolved') a.status = 'resolved';
    else if (state === 'silenced' || (a.silenced && Date.parse(a.silenced.until) > now)) a.status = 'silenced';
    else if (state === 'unknown') a.status = 'unknown';
    else if (a.acknowledged) a.status = 'acknowledged';
    else a.status = 'firing';
    if (a.status === 'resolved') a.acknowledged = undefined; // an ack ends when the alert resolves
    if (a.silenced && Date.parse(a.silenced.until) <= now && state !== 'silenced') a.silenced = undefined;
  }
  return [...byId.values()].sort((x, y) => rank(y.severity) - rank(x.severity) || Date.parse(x.startsAt) - Date.parse(y.startsAt) || x.id.localeCompare(y.id));
}

/**
 * Alarm actions helm-cloud disabled for a silence and has not re-enabled yet. A hold opens with a silence that
 * disabled the actions, is extended by later such silences of the same alert, and closes with `actions-enabled`.
 * Actions that were already off when the silence came are not held: their owner turned them off, not us.
 */
export interface ActionsHold {
  id: string;
  alarm: string;
  env?: string;
  region?: string;
  since: string;
  until: string;
}

export function actionHolds(events: readonly AlertEvent[]): ActionsHold[] {
  const open = new Map<string, ActionsHold>();
  for (const e of events) {
    if (e.kind === 'silence' && e.disabledActions && e.alarm) {
      const h = open.get(e.id);
      if (h) h.until = Date.parse(e.until) > Date.parse(h.until) ? e.until : h.until;
      else open.set(e.id, { id: e.id, alarm: e.alarm, env: e.env, region: e.region, since: e.at, until: e.until });
    } else if (e.kind === 'actions-enabled') open.delete(e.id);
  }
  return [...open.values()];
}

/** Holds whose silence has ended: their alarm actions are due to be re-enabled. */
export const expiredHolds = (events: readonly AlertEvent[], now: number): ActionsHold[] => actionHolds(events).filter((h) => Date.parse(h.until) <= now);
