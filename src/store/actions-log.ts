/**
 * The append-only remediation log, `.fractary/plugins/helm-cloud/actions.jsonl`: one JSON object per line.
 * An "intent" line is written before any change is applied and the outcome line after, both with the same
 * attempt id, so a run killed mid-apply leaves a parseable intent with no outcome (visible as unfinished).
 * Readers skip lines they cannot parse (a torn tail after a crash) instead of failing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PATHS, type Workspace } from '../config/load.js';
import { appendJsonLine } from './atomic.js';

export const ACTION_OUTCOMES = ['intent', 'applied', 'skipped', 'refused', 'failed'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

export interface ActionLogRecord {
  /** Same for the intent and the outcome line of one attempt. */
  attempt: string;
  time: string;
  operator: string;
  environment: string;
  action: string;
  target: string | null;
  params: Record<string, unknown>;
  outcome: ActionOutcome;
  /** Why: the refusal, the failure, or "already in the target state". */
  reason?: string;
  before: unknown;
  after: unknown;
  verification: { ok: boolean; status: string; detail: string } | null;
  issue: string | null;
  plan: unknown;
  safety: unknown;
  request?: unknown;
}

export function appendAction(ws: Workspace, record: ActionLogRecord): { path: string; line: number } {
  const path = ws.path(PATHS.actions);
  appendJsonLine(path, record);
  return { path: ws.display(PATHS.actions), line: lineOf(path, record.attempt, record.outcome) };
}

/** 1-based line number of the newest line of this attempt and outcome (0 if it cannot be found). */
function lineOf(path: string, attempt: string, outcome: string): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const needle = `"attempt":${JSON.stringify(attempt)}`;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.includes(needle) && l.includes(`"outcome":${JSON.stringify(outcome)}`)) return i + 1;
  }
  return 0;
}

/** Every parseable record, oldest first. */
export function readActions(ws: Workspace): ActionLogRecord[] {
  const path = ws.path(PATHS.actions);
  if (!existsSync(path)) return [];
  const out: ActionLogRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as ActionLogRecord;
      if (r && typeof r === 'object' && typeof r.action === 'string' && typeof r.outcome === 'string') out.push(r);
    } catch {
      // A torn last line from a killed run; the rest of the log is still good.
    }
  }
  return out;
}
