/**
 * The append-only remediation log, `.fractary/plugins/helm-cloud/actions.jsonl`: one JSON object per line.
 * An "intent" line is written before any change is applied and the outcome line after, both with the same
 * attempt id, so a run killed mid-apply leaves a parseable intent with no outcome (visible as unfinished).
 * Readers skip lines they cannot parse (a torn tail after a crash) instead of failing.
 */
import { PATHS, type Workspace } from '../config/load.js';
import { storeOf, type Store } from './index.js';

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

/** Appends one record; `line` is its 1-based position in the log (0 if it cannot be found). */
export async function appendAction(ws: Workspace | Store, record: ActionLogRecord): Promise<{ path: string; line: number }> {
  const store = storeOf(ws);
  const { seq } = await store.append(PATHS.actions, record);
  return { path: store.display(PATHS.actions), line: seq };
}

function isAction(r: unknown): r is ActionLogRecord {
  const o = r as ActionLogRecord | null;
  return Boolean(o) && typeof o === 'object' && typeof o!.action === 'string' && typeof o!.outcome === 'string';
}

/** Every parseable record, oldest first. */
export function readActions(ws: Workspace | Store): Promise<ActionLogRecord[]> {
  return storeOf(ws).readLog(PATHS.actions, isAction);
}
