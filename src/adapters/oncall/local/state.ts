/**
 * Local on-call state in the `oncall` family of the store (`.fractary/plugins/helm-cloud/oncall/`):
 * `incidents.jsonl` and `overrides.jsonl`, append-only (one JSON event per record, like actions.jsonl), every
 * write under one lock so ids are unique and escalations are applied once. Current state is the fold of the
 * events; a torn record is skipped by the store.
 */
import type { Workspace } from '../../../config/load.js';
import { storeOf, type Store } from '../../../store/index.js';
import type { Incident, IncidentEvent, Urgency } from '../types.js';

export { INCIDENTS_FILE, OVERRIDES_FILE } from './paths.js';

const INCIDENTS = 'incidents.jsonl';
const OVERRIDES = 'overrides.jsonl';

export interface IncidentLine extends IncidentEvent {
  incident: string;
  /** On "created" only. */
  fields?: { title: string; urgency: Urgency; team?: string; service?: string; description?: string; alerts: string[]; issues: string[] };
}

export interface OverrideLine {
  type: 'add' | 'remove';
  id: string;
  at: string;
  by: string;
  team: string;
  user?: string;
  start?: string;
  end?: string;
  replaces?: string;
  add?: boolean;
  note?: string;
}

export function oncallStore(ws: Workspace | Store): Store {
  return storeOf(ws).family('oncall');
}

export function withOncallLock<T>(ws: Workspace | Store, f: () => Promise<T> | T): Promise<T> {
  return oncallStore(ws).withLock('state', f, { what: 'the on-call state' });
}

export async function appendIncidentLine(ws: Workspace | Store, line: IncidentLine): Promise<void> {
  await oncallStore(ws).append(INCIDENTS, line);
}

export async function appendOverrideLine(ws: Workspace | Store, line: OverrideLine): Promise<void> {
  await oncallStore(ws).append(OVERRIDES, line);
}

const isOverride = (l: unknown): l is OverrideLine => !!l && typeof l === 'object' && ((l as OverrideLine).type === 'add' || (l as OverrideLine).type === 'remove') && typeof (l as OverrideLine).id === 'string';
const isIncident = (l: unknown): l is IncidentLine => !!l && typeof l === 'object' && typeof (l as IncidentLine).incident === 'string' && typeof (l as IncidentLine).type === 'string';

export function readOverrideLines(ws: Workspace | Store): Promise<OverrideLine[]> {
  return oncallStore(ws).readLog(OVERRIDES, isOverride);
}

/** True when an incident was ever recorded (a directory listing, no log read). */
export async function hasIncidentLog(ws: Workspace | Store): Promise<boolean> {
  return (await oncallStore(ws).list()).includes(INCIDENTS);
}

/** Incidents by id, in creation order. */
export async function readIncidents(ws: Workspace | Store): Promise<Map<string, Incident>> {
  const out = new Map<string, Incident>();
  for (const l of await oncallStore(ws).readLog(INCIDENTS, isIncident)) {
    const { incident: id, fields, ...event } = l;
    if (l.type === 'created' && fields) {
      out.set(id, {
        id,
        title: fields.title,
        urgency: fields.urgency,
        status: 'triggered',
        team: fields.team,
        service: fields.service,
        description: fields.description,
        createdAt: l.at,
        tier: 1,
        loop: 0,
        assigned: [],
        alerts: fields.alerts ?? [],
        issues: fields.issues ?? [],
        events: [event],
        backend: 'local',
      });
      continue;
    }
    const inc = out.get(id);
    if (!inc) continue;
    inc.events.push(event);
    switch (l.type) {
      case 'paged':
      case 'escalated':
        if (l.tier !== undefined) inc.tier = l.tier;
        if (l.loop !== undefined) inc.loop = l.loop;
        if (l.users) inc.assigned = l.users;
        break;
      case 'acknowledged':
        if (inc.status === 'triggered') {
          inc.status = 'acknowledged';
          inc.acknowledgedAt = l.at;
        }
        break;
      case 'resolved':
        inc.status = 'resolved';
        inc.resolvedAt = l.at;
        break;
      case 'linked':
        if (l.note?.startsWith('issue:') && !inc.issues.includes(l.note.slice(6))) inc.issues.push(l.note.slice(6));
        if (l.note?.startsWith('alert:') && !inc.alerts.includes(l.note.slice(6))) inc.alerts.push(l.note.slice(6));
        break;
    }
  }
  return out;
}
