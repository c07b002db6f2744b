/**
 * Local on-call state under `.fractary/plugins/helm-cloud/oncall/`: `incidents.jsonl` and `overrides.jsonl`,
 * append-only (one JSON event per line, like actions.jsonl), every write under one lock so ids are unique and
 * escalations are applied once. Current state is the fold of the events; a torn last line is skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Workspace } from '../../../config/load.js';
import { appendJsonLine } from '../../../store/atomic.js';
import { withFileLock } from '../../../store/helm.js';
import type { Incident, IncidentEvent, Urgency } from '../types.js';

import { INCIDENTS_FILE, ONCALL_LOCK as LOCK, OVERRIDES_FILE } from './paths.js';

export { INCIDENTS_FILE, OVERRIDES_FILE } from './paths.js';

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

function readLines<T>(ws: Workspace, rel: string): T[] {
  const path = ws.path(rel);
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A torn last line from a killed run; the rest of the log is still good.
    }
  }
  return out;
}

export function withOncallLock<T>(ws: Workspace, f: () => T): T {
  return withFileLock(ws, LOCK, 'the on-call state', f);
}

export function appendIncidentLine(ws: Workspace, line: IncidentLine): void {
  appendJsonLine(ws.path(INCIDENTS_FILE), line);
}

export function appendOverrideLine(ws: Workspace, line: OverrideLine): void {
  appendJsonLine(ws.path(OVERRIDES_FILE), line);
}

export function readOverrideLines(ws: Workspace): OverrideLine[] {
  return readLines<OverrideLine>(ws, OVERRIDES_FILE).filter((l) => l && (l.type === 'add' || l.type === 'remove') && typeof l.id === 'string');
}

/** Incidents by id, in creation order. */
export function readIncidents(ws: Workspace): Map<string, Incident> {
  const out = new Map<string, Incident>();
  for (const l of readLines<IncidentLine>(ws, INCIDENTS_FILE)) {
    if (!l || typeof l.incident !== 'string' || typeof l.type !== 'string') continue;
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

export function hasIncidentLog(ws: Workspace): boolean {
  return existsSync(ws.path(INCIDENTS_FILE));
}
