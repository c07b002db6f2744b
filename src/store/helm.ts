/**
 * Central Helm files: issue records (.fractary/helm/issues/<domain>-NNN.json), domain status
 * (.fractary/helm/status/<domain>.json) and the domain registry (.fractary/helm/domains.json).
 * Other domains write files of the same shape; the dashboard reads them all.
 */
import { z } from 'zod';
import { PATHS, type Workspace } from '../config/load.js';
import { configProblem, explainZod } from '../config/explain.js';
import { parseJsonStrict } from '../config/json-strict.js';
import { HelmError } from '../errors.js';
import { storeOf, type Store } from './index.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const ISSUE_STATES = ['open', 'investigating', 'remediating', 'escalated', 'resolved'] as const;
export type IssueState = (typeof ISSUE_STATES)[number];
export type Severity = (typeof SEVERITIES)[number];

export const ISSUE_ID_RE = /^([a-z][a-z0-9]{0,15})-(\d{3,6})$/;

const Evidence = z.object({ kind: z.string(), summary: z.string(), at: z.string().optional(), ref: z.string().optional() }).passthrough();
const ActionRef = z
  .object({ at: z.string(), action: z.string(), target: z.string().optional(), outcome: z.string(), log: z.string().optional() })
  .passthrough();

export const IssueRecord = z
  .object({
    id: z.string().regex(ISSUE_ID_RE),
    domain: z.string(),
    title: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(ISSUE_STATES),
    environment: z.string().optional(),
    production: z.boolean().optional(),
    resources: z.array(z.string()).default([]),
    evidence: z.array(Evidence).default([]),
    actions: z.array(ActionRef).default([]),
    reports: z.array(z.string()).default([]),
    /** Fraction of error budget burn rate at the time of the last update (1 = burning exactly on budget). */
    slo_burn: z.number().optional(),
    /** Free-form diagnosis that remediation can read (proposed actions). */
    diagnosis: z
      .object({ summary: z.string(), hypotheses: z.array(z.any()).optional(), proposed_actions: z.array(z.object({ action: z.string(), target: z.string().optional(), params: z.record(z.string(), z.any()).optional(), reason: z.string().optional() }).passthrough()).optional() })
      .passthrough()
      .optional(),
    started_at: z.string().optional(),
    created_at: z.string(),
    updated_at: z.string(),
    resolved_at: z.string().optional(),
    history: z.array(z.object({ at: z.string(), from: z.string().optional(), to: z.string(), note: z.string().optional() })).default([]),
  })
  .passthrough();
export type IssueRecord = z.infer<typeof IssueRecord>;

/** Allowed status changes; anything may escalate, a resolved issue may reopen. */
const TRANSITIONS: Record<IssueState, IssueState[]> = {
  open: ['investigating', 'remediating', 'escalated', 'resolved'],
  investigating: ['remediating', 'escalated', 'resolved', 'open'],
  remediating: ['investigating', 'escalated', 'resolved', 'open'],
  escalated: ['investigating', 'remediating', 'resolved'],
  resolved: ['open'],
};

export function canTransition(from: IssueState, to: IssueState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** Key of an issue record, relative to .fractary. */
export function issueKey(id: string): string {
  return `${PATHS.helmIssues}/${id}.json`;
}

export function issuePath(ws: Workspace | Store, id: string): string {
  return storeOf(ws).location(issueKey(id));
}

export async function readIssue(ws: Workspace | Store, id: string): Promise<IssueRecord> {
  if (!ISSUE_ID_RE.test(id)) {
    throw new HelmError('input', `"${id.slice(0, 40)}" is not an issue id`, { keyPath: '--issue', expected: 'a domain and a number, e.g. infra-001', fix: 'see `helm-cloud dashboard` for open issues' });
  }
  const store = storeOf(ws);
  const key = issueKey(id);
  const text = await store.read(key);
  if (text === undefined) {
    const known = await listIssueIds(store);
    throw new HelmError('input', `no issue record ${id}`, {
      file: store.display(key),
      fix: known.length ? `known issues: ${known.slice(-10).join(', ')}` : 'run `helm-cloud investigate "<symptom>" --env <env>` to open one',
    });
  }
  return parseIssue(store, key, text);
}

function parseIssue(store: Store, key: string, text: string): IssueRecord {
  let data: unknown;
  const file = store.display(key);
  // Other domains' tools write these records too: the same reading as any shared file (BOM, duplicate keys,
  // positions; every problem with its key path, in our words rather than the validator's).
  const parsed = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    const p = parsed.problem;
    throw new HelmError('config', `${p.message} at line ${p.line}, column ${p.column}`, { file, keyPath: p.keyPath, fix: 'restore the file or remove it' });
  }
  data = parsed.value;
  const r = IssueRecord.safeParse(data);
  if (!r.success) throw configProblem(file, explainZod(file, r.error, data, IssueRecord));
  return r.data;
}

export async function listIssueIds(ws: Workspace | Store, domain?: string): Promise<string[]> {
  return (await storeOf(ws).list(PATHS.helmIssues))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((id) => ISSUE_ID_RE.test(id) && (!domain || id.startsWith(domain + '-')))
    .sort();
}

/** Creates a new record with the next free number, reserving it with a create-if-absent so concurrent runs never share an id. */
export type NewIssue = Partial<Omit<IssueRecord, 'id' | 'created_at' | 'updated_at' | 'history'>> & { domain: string; title: string; severity: Severity };

export async function createIssue(ws: Workspace | Store, fields: NewIssue, now: number): Promise<IssueRecord> {
  const store = storeOf(ws);
  const nums = (await listIssueIds(store, fields.domain)).map((id) => Number(ISSUE_ID_RE.exec(id)![2]));
  let n = (nums.length ? Math.max(...nums) : 0) + 1;
  const at = new Date(now).toISOString();
  for (let tries = 0; tries < 1000; tries++, n++) {
    const id = `${fields.domain}-${String(n).padStart(3, '0')}`;
    const status = fields.status ?? 'open';
    const record: IssueRecord = IssueRecord.parse({ ...fields, id, status, created_at: at, updated_at: at, history: [{ at, to: status, note: 'opened' }] });
    if (await store.createJson(issueKey(id), record)) return record;
  }
  throw new HelmError('internal', 'could not allocate an issue id');
}

/**
 * Read-modify-write of one record under the record's lock (investigate, remediate and escalate may update the
 * same issue at once; without it, the last writer silently drops the others' evidence and actions). Status
 * changes are checked and recorded in history.
 */
export async function updateIssue(ws: Workspace | Store, id: string, change: (r: IssueRecord) => void, now: number, statusNote?: string): Promise<IssueRecord> {
  const store = storeOf(ws);
  // Validates the id (it becomes part of the lock's name) and reports a missing record before locking.
  await readIssue(store, id);
  const key = issueKey(id);
  let out!: IssueRecord;
  await store.update(
    key,
    (text) => {
      const r = parseIssue(store, key, text ?? 'null');
      const before = r.status;
      change(r);
      if (r.status !== before) {
        if (!canTransition(before, r.status)) {
          throw new HelmError('input', `issue ${id} cannot go from ${before} to ${r.status}`, { fix: `allowed from ${before}: ${TRANSITIONS[before].join(', ')}` });
        }
        r.history.push({ at: new Date(now).toISOString(), from: before, to: r.status, note: statusNote });
        if (r.status === 'resolved') r.resolved_at = new Date(now).toISOString();
      }
      r.updated_at = new Date(now).toISOString();
      out = r;
      return JSON.stringify(IssueRecord.parse(r), null, 2) + '\n';
    },
    { what: `issue ${id}` },
  );
  return out;
}

// ---- domains and status -------------------------------------------------------------------------------

export interface DomainStatus {
  domain: string;
  updated_at: string;
  verdict: string;
  summary: string;
  environments?: Record<string, { verdict: string; summary: string; updated_at: string; report?: string }>;
  [k: string]: unknown;
}

export async function registerDomain(ws: Workspace | Store, domain: string, info: { plugin: string; description: string }): Promise<void> {
  const store = storeOf(ws);
  // Every domain's plugin registers itself in this one file, possibly at the same moment.
  await store.update(
    PATHS.helmDomains,
    (text) => {
      let doc: { domains: Record<string, unknown> } = { domains: {} };
      if (text !== undefined) {
        try {
          const parsed = JSON.parse(text) as { domains?: Record<string, unknown> };
          doc = { ...parsed, domains: parsed.domains ?? {} };
        } catch {
          throw new HelmError('config', 'invalid JSON', { file: store.display(PATHS.helmDomains), fix: 'fix or remove the file; helm-cloud re-registers itself' });
        }
      }
      const cur = doc.domains[domain] as Record<string, unknown> | undefined;
      if (cur && cur.plugin === info.plugin && cur.status_file) return undefined;
      doc.domains[domain] = { ...info, status_file: `status/${domain}.json`, issues_prefix: `${domain}-` };
      return JSON.stringify(doc, null, 2) + '\n';
    },
    { what: 'domains.json' },
  );
}

/** Merges one environment's latest verdict into the domain status file. */
export async function writeDomainStatus(ws: Workspace | Store, domain: string, env: string, entry: { verdict: string; summary: string; report?: string; production?: boolean; slo_burn?: number }, now: number): Promise<void> {
  // Health runs for different environments merge into one file; without the lock one run drops the other's entry.
  await storeOf(ws).updateJson<DomainStatus>(
    `${PATHS.helmStatus}/${domain}.json`,
    // A corrupt status file is rebuilt from this run; it holds no history of its own.
    (cur) => {
      const status: DomainStatus = cur ?? { domain, updated_at: '', verdict: 'UNKNOWN', summary: '', environments: {} };
      const at = new Date(now).toISOString();
      status.environments = { ...(status.environments ?? {}), [env]: { ...entry, updated_at: at } };
      const order = ['HEALTHY', 'DEGRADED', 'UNKNOWN', 'UNHEALTHY'];
      const verdicts = Object.values(status.environments).map((e) => e.verdict);
      status.verdict = verdicts.reduce((w, v) => (order.indexOf(v) > order.indexOf(w) ? v : w), 'HEALTHY');
      status.summary = Object.entries(status.environments)
        .map(([e, s]) => `${e}: ${s.verdict}`)
        .join(', ');
      status.updated_at = at;
      return status;
    },
    { what: `status of ${domain}`, onInvalid: 'reset' },
  );
}
