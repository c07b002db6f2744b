/**
 * ops-manager: dashboard (`/fractary-helm:dashboard`). Reads the central Helm files of every domain —
 * `.fractary/helm/domains.json`, `status/<domain>.json`, `issues/*.json` — and shows each domain's status and
 * one ranked list of open issues. No --env and no AWS. Other domains write these files, so nothing here trusts
 * them: a file that cannot be read is a warning on stderr and an `unreadable` entry, never a crash, and never
 * silently dropped into a healthy verdict.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { loadEnvironments, loadMonitoring, openWorkspace, PATHS, type Workspace } from '../config/load.js';
import { printable } from '../config/explain.js';
import { formatAge, rankIssues, type RankScore, type RankSeverity } from '../core/rank.js';
import { worst, type Verdict } from '../core/verdict.js';
import { isHelmError } from '../errors.js';
import type { Io } from '../io.js';
import { mdEscape, mdTable, paintVerdict, renderTable, type CommandResult } from '../report/render.js';
import { IssueRecord } from '../store/helm.js';
import { automationLines, automationMarkdown, automationOf, automationStatus, type AutomationStatus } from './automation.js';
import type { DashboardRequest } from './requests.js';

/** A domain status older than this is stale: what it says may no longer be true. */
export const STALE_AFTER_MS = 24 * 3600_000;
/** Helm files are small records; anything bigger is not one. */
const MAX_HELM_FILE_BYTES = 1024 * 1024;

export interface DomainRow {
  domain: string;
  /** Effective verdict: a stale or unreadable status never counts as HEALTHY. */
  verdict: Verdict;
  /** What the domain's status file says, when it differs from `verdict`. */
  reported_verdict?: string;
  summary: string;
  updated_at: string | null;
  stale?: boolean;
  registered: boolean;
  plugin?: string;
  status_file: string;
}

export interface IssueRow {
  rank: number;
  id: string;
  domain: string;
  title: string;
  severity: RankSeverity;
  production: boolean;
  /** Where `production` came from: the issue record, environments.json (protected), or the environment name. */
  production_basis: 'issue' | 'environments.json' | 'name' | 'none';
  slo_burn: number | null;
  /** Where `slo_burn` came from: the issue record, or the environment's latest fresh health status. */
  slo_burn_basis: 'issue' | 'status' | null;
  age: string;
  age_seconds: number | null;
  opened_at: string | null;
  status: string;
  environment: string | null;
  resources: string[];
  file: string;
  score: RankScore;
}

export interface Unreadable {
  file: string;
  domain?: string;
  reason: string;
}

// Other domains may number their issues differently or use hyphenated names; the infra store stays strict.
const ForeignIssue = IssueRecord.extend({ id: z.string().regex(/^[a-z][a-z0-9_-]{0,40}-\d{1,9}$/i) });

const DomainEntry = z
  .object({ plugin: z.string().optional(), description: z.string().optional(), status_file: z.string().optional(), issues_prefix: z.string().optional() })
  .passthrough();
const DomainsShape = z.object({ domains: z.record(z.string(), z.unknown()) }).passthrough();

const VERDICT_WORDS: Record<string, Verdict> = {
  healthy: 'HEALTHY', ok: 'HEALTHY', pass: 'HEALTHY', passing: 'HEALTHY', green: 'HEALTHY',
  degraded: 'DEGRADED', warn: 'DEGRADED', warning: 'DEGRADED', yellow: 'DEGRADED',
  unhealthy: 'UNHEALTHY', fail: 'UNHEALTHY', failing: 'UNHEALTHY', critical: 'UNHEALTHY', down: 'UNHEALTHY', red: 'UNHEALTHY', error: 'UNHEALTHY',
  unknown: 'UNKNOWN',
};

export interface DashboardOverrides {
  now?: () => number;
}

export async function runDashboard(req: DashboardRequest, io: Io, overrides: DashboardOverrides = {}): Promise<CommandResult> {
  const ws = openWorkspace(req.cwd, req.root);
  const now = (overrides.now ?? Date.now)();
  const unreadable: Unreadable[] = [];
  const bad = (rel: string, reason: string, domain?: string) => {
    unreadable.push({ file: ws.display(rel), ...(domain ? { domain } : {}), reason });
    io.err(`warning: ${ws.display(rel)}: ${reason}; listed as unreadable`);
  };

  const registry = readDomains(ws, bad);
  const burns: EnvBurns = new Map();
  const domains = readStatuses(ws, registry, now, bad, burns);
  const protectedEnvs = readProtected(ws, io);
  const issues = readIssues(ws, registry, protectedEnvs, burns, now, bad);
  const automation = await readAutomation(ws, [...protectedEnvs.keys()], now, io);

  const verdict: Verdict = domains.length === 0 ? 'UNKNOWN' : worst([...domains.map((d) => d.verdict), ...(unreadable.length ? (['UNKNOWN'] as Verdict[]) : [])]);
  const urgent = issues.filter((i) => i.severity === 'critical' || i.severity === 'high');
  const allHealthy = domains.length > 0 && domains.every((d) => d.verdict === 'HEALTHY');
  const exitCode = allHealthy && urgent.length === 0 && unreadable.length === 0 ? 0 : 1;
  const summary = summarize(domains, issues, unreadable);

  const json = {
    schema: 'helm-cloud/dashboard@1',
    command: 'dashboard',
    generatedAt: new Date(now).toISOString(),
    verdict,
    summary,
    exitCode,
    stale_after_seconds: STALE_AFTER_MS / 1000,
    domains,
    issues,
    unreadable,
    automation,
  };

  return {
    json,
    exitCode,
    table: (color) => [renderDashboardTable(json.verdict, summary, domains, issues, unreadable, color), ...(automation.length ? ['', ...automationLines(automation, color)] : [])].join('\n'),
    markdown: () => renderDashboardMarkdown(verdict, summary, json.generatedAt, domains, issues, unreadable) + (automation.length ? '\n' + automationMarkdown(automation) : ''),
  };
}

/**
 * Circuit breakers and suggested promotions of every environment (environments.json, plus any with a breaker on
 * record). Automation state is shown, never judged: it does not change the dashboard's verdict or exit code.
 */
async function readAutomation(ws: Workspace, envs: string[], now: number, io: Io): Promise<AutomationStatus[]> {
  try {
    const monitoring = loadMonitoring(ws);
    const ctx = { ws, monitoring, now: () => now };
    const onRecord = Object.keys(await automationOf(ctx).snapshot()).map((s) => s.split('/')[0]!);
    return await automationStatus(ctx, [...new Set([...envs, ...onRecord])].sort());
  } catch (e) {
    io.err(`warning: circuit breakers and trust not shown: ${isHelmError(e) ? e.describe() : printable((e as Error).message, 160)}`);
    return [];
  }
}

// ---- reading ------------------------------------------------------------------------------------------

interface RegisteredDomain {
  name: string;
  plugin?: string;
  statusRel: string;
  prefix: string;
  registered: boolean;
}

type Bad = (rel: string, reason: string, domain?: string) => void;

function readHelmJson(ws: Workspace, rel: string): { ok: true; value: unknown } | { ok: false; reason: string } | undefined {
  const abs = ws.path(rel);
  if (!existsSync(abs)) return undefined;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > MAX_HELM_FILE_BYTES) return { ok: false, reason: `${st.size} bytes; a Helm record is at most ${MAX_HELM_FILE_BYTES}` };
    return { ok: true, value: JSON.parse(readFileSync(abs, 'utf8').replace(/^\uFEFF/, '')) };
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${printable((e as Error).message, 100)}` };
  }
}

function zodReason(error: z.ZodError): string {
  const i = error.issues[0]!;
  return `${i.path.length ? i.path.join('.') + ': ' : ''}${printable(i.message, 100)}`;
}

/** `status_file` is relative to .fractary/helm/ and must stay inside it (a registry entry is not trusted). */
function statusRelFor(name: string, statusFile: string | undefined): string | undefined {
  const file = statusFile ?? `status/${name}.json`;
  const base = resolve('/', PATHS.helm);
  const abs = resolve(base, file);
  if (!abs.startsWith(base + sep)) return undefined;
  return join(PATHS.helm, abs.slice(base.length + 1));
}

function readDomains(ws: Workspace, bad: Bad): RegisteredDomain[] {
  const out: RegisteredDomain[] = [];
  const seen = new Set<string>();
  const read = readHelmJson(ws, PATHS.helmDomains);
  if (read && !read.ok) bad(PATHS.helmDomains, read.reason);
  else if (read?.ok) {
    const doc = DomainsShape.safeParse(read.value);
    if (!doc.success) bad(PATHS.helmDomains, `not a domain registry: ${zodReason(doc.error)} (expected {"domains":{"<name>":{"plugin","status_file","issues_prefix"}}})`);
    else {
      // Entries are judged one by one: a broken entry of one domain must not unregister the others.
      for (const [name, raw] of Object.entries(doc.data.domains)) {
        const parsed = DomainEntry.safeParse(raw);
        if (!parsed.success) {
          bad(PATHS.helmDomains, `domain "${printable(name, 40)}": ${zodReason(parsed.error)}`, name);
          continue;
        }
        const entry = parsed.data;
        const statusRel = statusRelFor(name, entry.status_file);
        if (!statusRel) {
          bad(PATHS.helmDomains, `domain "${printable(name, 40)}": status_file "${printable(entry.status_file, 60)}" points outside .fractary/helm/`, name);
          continue;
        }
        out.push({ name, plugin: entry.plugin, statusRel, prefix: entry.issues_prefix ?? `${name}-`, registered: true });
        seen.add(name);
      }
    }
  }
  // A domain that writes status but never registered still shows up: hiding it would hide its verdict.
  const dir = ws.path(PATHS.helmStatus);
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.json') || f.startsWith('.')) continue;
      const name = f.slice(0, -5);
      const rel = join(PATHS.helmStatus, f);
      if (seen.has(name) || out.some((d) => d.statusRel === rel)) continue;
      out.push({ name, statusRel: rel, prefix: `${name}-`, registered: false });
      seen.add(name);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const StatusDoc = z.object({ verdict: z.string(), summary: z.string().optional(), updated_at: z.string().optional() }).passthrough();
const EnvStatus = z.object({ slo_burn: z.number().nonnegative().optional(), updated_at: z.string().optional() }).passthrough();

/** `${domain}\u0000${environment}` → that environment's SLO burn from a fresh status. */
type EnvBurns = Map<string, number>;
const burnKey = (domain: string, env: string) => `${domain}\u0000${env}`;

/** Issues rarely carry their own burn; the environment's latest health run does. Stale burns are not used. */
function collectBurns(domain: string, doc: Record<string, unknown>, now: number, burns: EnvBurns): void {
  const envs = doc.environments;
  if (!envs || typeof envs !== 'object' || Array.isArray(envs)) return;
  for (const [env, raw] of Object.entries(envs as Record<string, unknown>)) {
    const e = EnvStatus.safeParse(raw);
    if (!e.success || e.data.slo_burn === undefined || e.data.updated_at === undefined) continue;
    const at = Date.parse(e.data.updated_at);
    if (!Number.isNaN(at) && now - at <= STALE_AFTER_MS) burns.set(burnKey(domain, env), e.data.slo_burn);
  }
}

function readStatuses(ws: Workspace, registry: RegisteredDomain[], now: number, bad: Bad, burns: EnvBurns): DomainRow[] {
  return registry.map((d) => {
    const base = { domain: d.name, registered: d.registered, status_file: ws.display(d.statusRel), ...(d.plugin ? { plugin: d.plugin } : {}) };
    const read = readHelmJson(ws, d.statusRel);
    if (!read) return { ...base, verdict: 'UNKNOWN', summary: 'no status reported yet', updated_at: null };
    if (!read.ok) {
      bad(d.statusRel, read.reason, d.name);
      return { ...base, verdict: 'UNKNOWN', summary: `status unreadable: ${read.reason}`, updated_at: null };
    }
    const doc = StatusDoc.safeParse(read.value);
    if (!doc.success) {
      const reason = `not a domain status: ${zodReason(doc.error)}`;
      bad(d.statusRel, reason, d.name);
      return { ...base, verdict: 'UNKNOWN', summary: `status unreadable: ${reason}`, updated_at: null };
    }
    collectBurns(d.name, doc.data, now, burns);
    const reported = doc.data.verdict;
    const known = VERDICT_WORDS[reported.trim().toLowerCase()];
    const at = doc.data.updated_at !== undefined ? Date.parse(doc.data.updated_at) : Number.NaN;
    const text = printable(doc.data.summary ?? '', 200);
    if (!known) return { ...base, verdict: 'UNKNOWN', reported_verdict: printable(reported, 40), summary: `unrecognised verdict "${printable(reported, 40)}"${text ? `; ${text}` : ''}`, updated_at: doc.data.updated_at ?? null };
    if (Number.isNaN(at)) return { ...base, verdict: worst([known, 'UNKNOWN']), reported_verdict: known, summary: `status has no valid updated_at, so its age is unknown${text ? `; ${text}` : ''}`, updated_at: doc.data.updated_at ?? null };
    const age = Math.max(0, now - at);
    if (age > STALE_AFTER_MS) {
      const eff = worst([known, 'UNKNOWN']);
      return { ...base, verdict: eff, ...(eff !== known ? { reported_verdict: known } : {}), stale: true, summary: `stale: last reported ${known} ${formatAge(Math.floor(age / 1000))} ago${text ? `; ${text}` : ''}`, updated_at: doc.data.updated_at! };
    }
    return { ...base, verdict: known, ...(known !== reported ? { reported_verdict: printable(reported, 40) } : {}), summary: text, updated_at: doc.data.updated_at! };
  });
}

/** Protected environments count as production; the dashboard still works without environments.json. */
function readProtected(ws: Workspace, io: Io): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (!existsSync(ws.path(PATHS.environments))) return out;
  try {
    for (const [name, env] of Object.entries(loadEnvironments(ws).environments)) out.set(name, Boolean((env as { protected?: boolean }).protected));
  } catch (e) {
    io.err(`warning: ${isHelmError(e) ? e.describe() : printable((e as Error).message, 120)}; production is judged from issue records and environment names only`);
  }
  return out;
}

const PROD_NAME = /(^|[-_.])(prod|production|prd|live)($|[-_.])/i;

function productionOf(r: IssueRecord, protectedEnvs: Map<string, boolean>): Pick<IssueRow, 'production' | 'production_basis'> {
  if (typeof r.production === 'boolean') return { production: r.production, production_basis: 'issue' };
  if (!r.environment) return { production: false, production_basis: 'none' };
  const p = protectedEnvs.get(r.environment);
  if (p !== undefined) return { production: p, production_basis: 'environments.json' };
  return { production: PROD_NAME.test(r.environment), production_basis: 'name' };
}

function readIssues(ws: Workspace, registry: RegisteredDomain[], protectedEnvs: Map<string, boolean>, burns: EnvBurns, now: number, bad: Bad): IssueRow[] {
  const dir = ws.path(PATHS.helmIssues);
  if (!existsSync(dir)) return [];
  // Longest prefix first, so "infra-db-" wins over "infra-" when both are registered.
  const prefixes = [...registry].sort((a, b) => b.prefix.length - a.prefix.length);
  const records: { r: IssueRecord; rel: string }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json') || f.startsWith('.')) continue;
    const rel = join(PATHS.helmIssues, f);
    const stem = f.slice(0, -5);
    const owner = prefixes.find((d) => stem.startsWith(d.prefix))?.name;
    const read = readHelmJson(ws, rel);
    if (!read) continue;
    if (!read.ok) {
      bad(rel, read.reason, owner);
      continue;
    }
    const raw = normalizeIssue(read.value, owner ?? stem.replace(/-\d+$/, ''));
    const parsed = ForeignIssue.safeParse(raw);
    if (!parsed.success) {
      bad(rel, `not an issue record: ${zodReason(parsed.error)}`, owner);
      continue;
    }
    if (parsed.data.id !== stem) {
      bad(rel, `id "${printable(parsed.data.id, 40)}" does not match the file name`, owner);
      continue;
    }
    records.push({ r: parsed.data as IssueRecord, rel });
  }
  const inputs = records.map(({ r, rel }) => {
    const opened = Date.parse(r.started_at ?? r.created_at);
    const envBurn = r.environment === undefined ? undefined : burns.get(burnKey(r.domain, r.environment));
    const own = typeof r.slo_burn === 'number' && Number.isFinite(r.slo_burn) && r.slo_burn >= 0;
    return {
      id: r.id,
      severity: r.severity,
      status: r.status,
      ...productionOf(r, protectedEnvs),
      slo_burn: own ? r.slo_burn : envBurn,
      burn_basis: own ? ('issue' as const) : envBurn !== undefined ? ('status' as const) : null,
      opened_at: Number.isNaN(opened) ? undefined : opened,
      record: r,
      rel,
    };
  });
  return rankIssues(inputs, now).map(({ rank, item, score }) => ({
    rank,
    id: item.id,
    domain: item.record.domain,
    title: item.record.title,
    severity: item.severity,
    production: item.production,
    production_basis: item.production_basis,
    slo_burn: score.slo_burn,
    slo_burn_basis: item.burn_basis,
    age: formatAge(score.age_seconds),
    age_seconds: score.age_seconds,
    opened_at: item.opened_at === undefined ? null : new Date(item.opened_at).toISOString(),
    status: item.status,
    environment: item.record.environment ?? null,
    resources: item.record.resources,
    file: ws.display(item.rel),
    score,
  }));
}

/** Other tools write "High" or "OPEN"; case is not meaning. A missing domain comes from the file's prefix. */
function normalizeIssue(value: unknown, domain: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = { ...(value as Record<string, unknown>) };
  for (const k of ['severity', 'status'] as const) if (typeof v[k] === 'string') v[k] = (v[k] as string).trim().toLowerCase();
  if (v.domain === undefined) v.domain = domain;
  return v;
}

// ---- rendering ----------------------------------------------------------------------------------------

function summarize(domains: DomainRow[], issues: IssueRow[], unreadable: Unreadable[]): string {
  const parts: string[] = [];
  if (domains.length === 0) parts.push('no domains registered (.fractary/helm/domains.json); `helm-cloud health --env <env>` registers infra');
  else {
    const byVerdict = new Map<string, number>();
    for (const d of domains) byVerdict.set(d.verdict, (byVerdict.get(d.verdict) ?? 0) + 1);
    const stale = domains.filter((d) => d.stale).length;
    parts.push(`${domains.length} domain${domains.length === 1 ? '' : 's'}: ${[...byVerdict].map(([v, n]) => `${n} ${v}`).join(', ')}${stale ? ` (${stale} stale)` : ''}`);
  }
  if (issues.length === 0) parts.push('no open issues');
  else {
    const sev = (['critical', 'high', 'medium', 'low'] as const).map((s) => [s, issues.filter((i) => i.severity === s).length] as const).filter(([, n]) => n > 0);
    parts.push(`${issues.length} open issue${issues.length === 1 ? '' : 's'} (${sev.map(([s, n]) => `${n} ${s}`).join(', ')})`);
  }
  if (unreadable.length) parts.push(`${unreadable.length} unreadable file${unreadable.length === 1 ? '' : 's'}`);
  return parts.join('; ');
}

const burnText = (b: number | null) => (b === null ? '-' : `${Number(b.toFixed(2))}×`);

function renderDashboardTable(verdict: string, summary: string, domains: DomainRow[], issues: IssueRow[], unreadable: Unreadable[], color: boolean): string {
  const out = [`Helm dashboard: ${paintVerdict(verdict, color)} — ${summary}`, ''];
  if (domains.length) {
    out.push(
      renderTable(
        ['DOMAIN', 'VERDICT', 'UPDATED', 'SUMMARY'],
        domains.map((d) => [d.domain + (d.registered ? '' : ' (unregistered)'), paintVerdict(d.verdict, color), d.updated_at ?? '-', d.summary]),
        { color, maxWidth: 70 },
      ),
      '',
    );
  }
  if (issues.length) {
    out.push(
      renderTable(
        ['#', 'ISSUE', 'SEVERITY', 'PROD', 'BURN', 'AGE', 'STATUS', 'ENV', 'TITLE'],
        issues.map((i) => [String(i.rank), i.id, i.severity, i.production ? 'yes' : 'no', burnText(i.slo_burn), i.age, i.status, i.environment ?? '-', i.title]),
        { color, maxWidth: 60 },
      ),
      '',
    );
  }
  if (unreadable.length) out.push('Unreadable:', ...unreadable.map((u) => `  ${u.file}: ${u.reason}`), '');
  return out.join('\n').trimEnd();
}

function renderDashboardMarkdown(verdict: string, summary: string, at: string, domains: DomainRow[], issues: IssueRow[], unreadable: Unreadable[]): string {
  const out = [`# Helm dashboard: ${verdict}`, '', mdEscape(summary), '', `Generated ${at}.`, '', '## Domains', ''];
  out.push(domains.length ? mdTable(['Domain', 'Verdict', 'Updated', 'Summary'], domains.map((d) => [d.domain + (d.registered ? '' : ' (unregistered)'), d.verdict + (d.stale ? ' (stale)' : ''), d.updated_at ?? '-', d.summary])) : '_No domains registered._');
  out.push('', '## Open issues (ranked)', '');
  out.push(
    issues.length
      ? mdTable(
          ['#', 'Issue', 'Domain', 'Severity', 'Production', 'SLO burn', 'Age', 'Status', 'Environment', 'Title', 'Why this rank'],
          issues.map((i) => [String(i.rank), i.id, i.domain, i.severity, i.production ? 'yes' : 'no', burnText(i.slo_burn), i.age, i.status, i.environment ?? '-', i.title, i.score.explain]),
        )
      : '_No open issues._',
  );
  if (unreadable.length) out.push('', '## Unreadable files', '', mdTable(['File', 'Reason'], unreadable.map((u) => [u.file, u.reason])));
  return out.join('\n') + '\n';
}
