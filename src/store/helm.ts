/**
 * Central Helm files: issue records (.fractary/helm/issues/<domain>-NNN.json), domain status
 * (.fractary/helm/status/<domain>.json) and the domain registry (.fractary/helm/domains.json).
 * Other domains write files of the same shape; the dashboard reads them all.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { PATHS, type Workspace } from '../config/load.js';
import { HelmError } from '../errors.js';
import { writeJsonAtomic } from './atomic.js';

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

export function issuePath(ws: Workspace, id: string): string {
  return ws.path(join(PATHS.helmIssues, `${id}.json`));
}

export function readIssue(ws: Workspace, id: string): IssueRecord {
  if (!ISSUE_ID_RE.test(id)) {
    throw new HelmError('input', `"${id.slice(0, 40)}" is not an issue id`, { keyPath: '--issue', expected: 'a domain and a number, e.g. infra-001', fix: 'see `helm-cloud dashboard` for open issues' });
  }
  const path = issuePath(ws, id);
  if (!existsSync(path)) {
    const known = listIssueIds(ws);
    throw new HelmError('input', `no issue record ${id}`, {
      file: ws.display(join(PATHS.helmIssues, `${id}.json`)),
      fix: known.length ? `known issues: ${known.slice(-10).join(', ')}` : 'run `helm-cloud investigate "<symptom>" --env <env>` to open one',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HelmError('config', `invalid JSON: ${(e as Error).message}`, { file: ws.display(join(PATHS.helmIssues, `${id}.json`)), fix: 'restore the file or remove it' });
  }
  const r = IssueRecord.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new HelmError('config', `invalid issue record: ${i.path.join('.')}: ${i.message}`, { file: ws.display(join(PATHS.helmIssues, `${id}.json`)), fix: 'correct the field or remove the record' });
  }
  return r.data;
}

export function listIssueIds(ws: Workspace, domain?: string): string[] {
  const dir = ws.path(PATHS.helmIssues);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((id) => ISSUE_ID_RE.test(id) && (!domain || id.startsWith(domain + '-')))
    .sort();
}

/** Creates a new record with the next free number, reserving the file with O_EXCL so concurrent runs never share an id. */
export type NewIssue = Partial<Omit<IssueRecord, 'id' | 'created_at' | 'updated_at' | 'history'>> & { domain: string; title: string; severity: Severity };

export function createIssue(ws: Workspace, fields: NewIssue, now: number): IssueRecord {
  const dir = ws.path(PATHS.helmIssues);
  mkdirSync(dir, { recursive: true });
  const nums = listIssueIds(ws, fields.domain).map((id) => Number(ISSUE_ID_RE.exec(id)![2]));
  let n = (nums.length ? Math.max(...nums) : 0) + 1;
  const at = new Date(now).toISOString();
  for (let tries = 0; tries < 1000; tries++, n++) {
    const id = `${fields.domain}-${String(n).padStart(3, '0')}`;
    const path = join(dir, `${id}.json`);
    const status = fields.status ?? 'open';
    const record: IssueRecord = IssueRecord.parse({ ...fields, id, status, created_at: at, updated_at: at, history: [{ at, to: status, note: 'opened' }] });
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(record, null, 2) + '\n');
      closeSync(fd);
      return record;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new HelmError('internal', 'could not allocate an issue id');
}

const LOCK_WAIT_MS = 10_000;
/** A holder that crashed mid-update leaves its lock; no update takes this long, so an older lock is abandoned. */
const LOCK_STALE_MS = 30_000;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Serialises read-modify-write of one record across processes (investigate, remediate and escalate may update
 * the same issue at once; without this, the last writer silently drops the others' evidence and actions).
 * The lock is `.<id>.lock` beside the record, created with O_EXCL; it does not end in .json, so readers skip it.
 */
function withIssueLock<T>(ws: Workspace, id: string, f: () => T): T {
  return withFileLock(ws, join(PATHS.helmIssues, `.${id}.lock`), `issue ${id}`, f);
}

/** Runs `f` holding an O_EXCL lock file (path relative to .fractary), waiting up to 10 s for another holder. */
export function withFileLock<T>(ws: Workspace, rel: string, what: string, f: () => T): T {
  const lock = ws.path(rel);
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) unlinkSync(lock);
      } catch {
        // Released (or recovered by another process) between our attempts: retry.
      }
      if (Date.now() > deadline) {
        throw new HelmError('action-failed', `${what} is being updated by another process`, { file: ws.display(rel), fix: 'retry; if no helm-cloud process is running, remove the lock file' });
      }
      Atomics.wait(sleepCell, 0, 0, 5 + Math.floor(Math.random() * 10));
    }
  }
  try {
    return f();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
}

/** Read-modify-write of one record under a per-issue lock; status changes are checked and recorded in history. */
export function updateIssue(ws: Workspace, id: string, change: (r: IssueRecord) => void, now: number, statusNote?: string): IssueRecord {
  // Validates the id (it becomes part of the lock's file name) and reports a missing record before locking.
  readIssue(ws, id);
  return withIssueLock(ws, id, () => updateIssueLocked(ws, id, change, now, statusNote));
}

function updateIssueLocked(ws: Workspace, id: string, change: (r: IssueRecord) => void, now: number, statusNote?: string): IssueRecord {
  const r = readIssue(ws, id);
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
  writeJsonAtomic(issuePath(ws, id), IssueRecord.parse(r));
  return r;
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

export function registerDomain(ws: Workspace, domain: string, info: { plugin: string; description: string }): void {
  // Every domain's plugin registers itself in this one file, possibly at the same moment.
  withFileLock(ws, join(PATHS.helm, '.domains.lock'), 'domains.json', () => registerDomainLocked(ws, domain, info));
}

function registerDomainLocked(ws: Workspace, domain: string, info: { plugin: string; description: string }): void {
  const path = ws.path(PATHS.helmDomains);
  let doc: { domains: Record<string, unknown> } = { domains: {} };
  if (existsSync(path)) {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { domains?: Record<string, unknown> };
      doc = { ...parsed, domains: parsed.domains ?? {} };
    } catch {
      throw new HelmError('config', 'invalid JSON', { file: ws.display(PATHS.helmDomains), fix: 'fix or remove the file; helm-cloud re-registers itself' });
    }
  }
  const cur = doc.domains[domain] as Record<string, unknown> | undefined;
  if (cur && cur.plugin === info.plugin && cur.status_file) return;
  doc.domains[domain] = { ...info, status_file: `status/${domain}.json`, issues_prefix: `${domain}-` };
  writeJsonAtomic(path, doc);
}

/** Merges one environment's latest verdict into the domain status file. */
export function writeDomainStatus(ws: Workspace, domain: string, env: string, entry: { verdict: string; summary: string; report?: string; production?: boolean; slo_burn?: number }, now: number): void {
  // Health runs for different environments merge into one file; without the lock one run drops the other's entry.
  withFileLock(ws, join(PATHS.helmStatus, `.${domain}.lock`), `status of ${domain}`, () => writeDomainStatusLocked(ws, domain, env, entry, now));
}

function writeDomainStatusLocked(ws: Workspace, domain: string, env: string, entry: { verdict: string; summary: string; report?: string; production?: boolean; slo_burn?: number }, now: number): void {
  const path = ws.path(join(PATHS.helmStatus, `${domain}.json`));
  let status: DomainStatus = { domain, updated_at: '', verdict: 'UNKNOWN', summary: '', environments: {} };
  if (existsSync(path)) {
    try {
      status = JSON.parse(readFileSync(path, 'utf8')) as DomainStatus;
    } catch {
      // A corrupt status file is rebuilt from this run; it holds no history of its own.
    }
  }
  const at = new Date(now).toISOString();
  status.environments = { ...(status.environments ?? {}), [env]: { ...entry, updated_at: at } };
  const order = ['HEALTHY', 'DEGRADED', 'UNKNOWN', 'UNHEALTHY'];
  const verdicts = Object.values(status.environments).map((e) => e.verdict);
  status.verdict = verdicts.reduce((w, v) => (order.indexOf(v) > order.indexOf(w) ? v : w), 'HEALTHY');
  status.summary = Object.entries(status.environments)
    .map(([e, s]) => `${e}: ${s.verdict}`)
    .join(', ');
  status.updated_at = at;
  writeJsonAtomic(path, status);
}
