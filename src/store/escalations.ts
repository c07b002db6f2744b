/**
 * FABER escalations: `.fractary/faber/escalations/<issue-id>.json`, picked up by the deploy tool (faber-cloud).
 * One file per issue: a second escalation of the same issue rewrites the record and keeps the earlier ones in
 * `history`, so the deploy tool never sees duplicates. Escalating marks the issue `escalated`.
 */
import { PATHS, type Workspace } from '../config/load.js';
import { HelmError } from '../errors.js';
import { issueKey, readIssue, updateIssue, type IssueRecord } from './helm.js';
import { storeOf, type Store } from './index.js';

export const ESCALATION_SCHEMA = 'faber/escalation@1';

export interface EscalationInput {
  reason: string;
  evidence?: unknown[];
  suggested_change?: string;
  source: string;
}

export interface EscalationEntry {
  at: string;
  reason: string;
  source: string;
  suggested_change: string;
  /** Status the issue was in when this escalation was made. */
  issue_status: string;
}

export interface EscalationRecord {
  schema: typeof ESCALATION_SCHEMA;
  id: string;
  issue: IssueRecord;
  reason: string;
  evidence: unknown[];
  suggested_change: string;
  source: string;
  created_at: string;
  updated_at: string;
  status: 'pending';
  /** Every escalation of this issue, oldest first (the newest is also the top-level fields). */
  history: EscalationEntry[];
}

export function escalationRelPath(issueId: string): string {
  return `${PATHS.escalations}/${issueId}.json`;
}

/** What the deploy tool should change: the diagnosis's proposed actions, else its best hypothesis, else a sentence. */
export function suggestChange(issue: IssueRecord): string {
  const d = issue.diagnosis;
  const actions = d?.proposed_actions ?? [];
  if (actions.length) {
    return actions
      .map((a) => {
        const params = a.params && Object.keys(a.params).length ? ` (${Object.entries(a.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')})` : '';
        return `${a.action}${a.target ? ` on ${a.target}` : ''}${params}${a.reason ? `: ${a.reason}` : ''}`;
      })
      .join('; ');
  }
  const hyps = (d?.hypotheses ?? []).map(hypothesisText).filter((s): s is string => Boolean(s));
  if (hyps.length) return `Address the likely cause: ${hyps[0]}`;
  const where = issue.resources.length ? ` of ${issue.resources.join(', ')}` : '';
  const env = issue.environment ? ` in ${issue.environment}` : '';
  return `Review the configuration and the latest deployment${where}${env}; automatic remediation did not resolve "${issue.title}".`;
}

function hypothesisText(h: unknown): string | undefined {
  if (typeof h === 'string') return h;
  if (h && typeof h === 'object') {
    const o = h as Record<string, unknown>;
    for (const k of ['suggested_change', 'fix', 'summary', 'title', 'cause', 'description', 'text']) {
      if (typeof o[k] === 'string' && o[k]) return o[k] as string;
    }
  }
  return undefined;
}

async function readExisting(store: Store, issueId: string): Promise<EscalationRecord | undefined> {
  // A corrupt record is replaced by this escalation; the issue record still carries the full history.
  const data = await store.readJson<Partial<EscalationRecord>>(escalationRelPath(issueId), () => undefined);
  return data && typeof data === 'object' && data.id === issueId ? (data as EscalationRecord) : undefined;
}

export async function escalate(ws: Workspace | Store, issueId: string, input: EscalationInput, now: number): Promise<{ id: string; path: string }> {
  const store = storeOf(ws);
  const current = await readIssue(store, issueId);
  if (current.status === 'resolved') {
    throw new HelmError('input', `issue ${issueId} is resolved; there is nothing to escalate`, {
      file: store.display(issueKey(issueId)),
      fix: 'reopen it (status "open") if the problem is back, or open a new issue with `helm-cloud investigate`',
    });
  }
  const rel = escalationRelPath(issueId);
  // One escalation of an issue at a time, so concurrent escalations each land in the record's history.
  return store.withLock(rel, () => write(store, issueId, rel, input, now), { what: `escalation ${issueId}` });
}

async function write(store: Store, issueId: string, rel: string, input: EscalationInput, now: number): Promise<{ id: string; path: string }> {
  const at = new Date(now).toISOString();
  let fromStatus: string = '';
  const issue = await updateIssue(
    store,
    issueId,
    (r) => {
      fromStatus = r.status;
      r.status = 'escalated';
      r.actions.push({ at, action: 'escalate', outcome: 'escalated', log: rel, reason: input.reason, source: input.source });
    },
    now,
    `${input.source}: ${input.reason}`,
  );
  const suggested = input.suggested_change ?? suggestChange(issue);
  const evidence = input.evidence ?? issue.evidence;
  const prev = await readExisting(store, issueId);
  const entry: EscalationEntry = { at, reason: input.reason, source: input.source, suggested_change: suggested, issue_status: fromStatus };
  const record: EscalationRecord = {
    schema: ESCALATION_SCHEMA,
    id: issueId,
    issue,
    reason: input.reason,
    evidence,
    suggested_change: suggested,
    source: input.source,
    created_at: prev?.created_at ?? at,
    updated_at: at,
    status: 'pending',
    history: [...(Array.isArray(prev?.history) ? prev!.history : []), entry],
  };
  await store.replaceJson(rel, record);
  return { id: issueId, path: store.location(rel) };
}
