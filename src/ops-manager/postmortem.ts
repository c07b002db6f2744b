/**
 * Gathers what was recorded around an incident — deploys from the registry, saved health and investigation
 * reports, remediations from actions.jsonl, linked Helm issues, the incident's own events — hands it to the
 * pure builder, and saves the postmortem with the reports (Markdown + JSON).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMonitoring, loadRegistry, PATHS } from '../config/load.js';
import { buildPostmortem, type PmHealth, type PmInput, type Postmortem } from '../core/postmortem.js';
import { readActions } from '../store/actions-log.js';
import { readIssue } from '../store/helm.js';
import { publish } from '../report/publish.js';
import type { SavedReport } from '../store/reports.js';
import { postmortemMarkdown } from '../skills/ops-oncall/render.js';
import type { Oncall } from '../skills/ops-oncall/index.js';
import type { Incident } from '../adapters/oncall/types.js';
import type { Io } from '../io.js';

interface Saved {
  postmortem: Postmortem;
  markdown: string;
  saved: SavedReport;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const text = (h: unknown): string | undefined => {
  if (typeof h === 'string') return h;
  if (h && typeof h === 'object') for (const k of ['title', 'summary', 'cause', 'description']) if (typeof (h as Record<string, unknown>)[k] === 'string') return (h as Record<string, string>)[k];
  return undefined;
};

export async function writePostmortem(oc: Oncall, inc: Incident, opts: { env?: string; lookbackMs: number; tz: string; io: Io }): Promise<Saved> {
  const ws = oc.ws;
  const now = oc.now();
  const created = Date.parse(inc.createdAt);
  const end = inc.resolvedAt ? Date.parse(inc.resolvedAt) : now;
  const from = created - opts.lookbackMs;
  const inWindow = (t: number) => t >= from && t <= end;
  const envOk = (e: unknown) => !opts.env || e === opts.env;

  let monitoring: ReturnType<typeof loadMonitoring> | undefined;
  try {
    monitoring = loadMonitoring(ws);
  } catch {
    monitoring = undefined;
  }
  const period = (type: string): number | undefined => (monitoring?.slos as Record<string, Record<string, number> | undefined> | undefined)?.[type]?.period_days;

  const deploys: PmInput['deploys'] = [];
  if (existsSync(ws.path(PATHS.registry))) {
    try {
      for (const d of loadRegistry(ws).deployments) {
        const at = Date.parse(d.deployed_at);
        if (inWindow(at) && envOk(d.environment)) deploys.push({ at, id: d.id, environment: d.environment, project: d.project, version: d.version, by: d.deployed_by, status: d.status });
      }
    } catch {
      // An unreadable registry leaves the deploy timeline empty; the other sources still count.
    }
  }

  const health: PmHealth[] = [];
  const investigations: PmInput['investigations'] = [];
  const dir = ws.path(PATHS.reports);
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json')) continue;
      const j = readJson(join(dir, f));
      if (!j) continue;
      const at = Date.parse(String(j.generatedAt));
      if (Number.isNaN(at) || !inWindow(at) || !envOk(j.environment)) continue;
      const rel = join(PATHS.reports, f);
      if (j.command === 'health' && Array.isArray(j.resources)) {
        health.push({
          at,
          environment: String(j.environment ?? ''),
          verdict: String(j.verdict),
          report: rel,
          resources: (j.resources as Array<Record<string, unknown>>).map((r) => ({
            id: `${r.type}/${r.name}`,
            verdict: String(r.verdict),
            reasons: Array.isArray(r.reasons) ? (r.reasons as string[]) : [],
            slos: (Array.isArray(r.slos) ? (r.slos as Array<Record<string, unknown>>) : []).map((s) => ({
              key: String(s.key),
              burn1h: ((s.burnRates as Array<{ window: string; rate: number | null }> | undefined) ?? []).find((b) => b.window === '1h')?.rate ?? null,
              periodDays: period(String(r.type)),
              budgetConsumedPercent: typeof s.budgetConsumedPercent === 'number' ? s.budgetConsumedPercent : null,
            })),
          })),
        });
      } else if (j.command === 'investigate') {
        investigations.push({
          at,
          report: rel,
          summary: String(j.summary ?? ''),
          hypotheses: (Array.isArray(j.hypotheses) ? (j.hypotheses as Array<Record<string, unknown>>) : []).map((h) => ({
            title: String(h.title ?? ''),
            confidence: Number(h.confidence ?? 0),
            level: h.level as string | undefined,
            evidence: Array.isArray(h.evidence) ? (h.evidence as Array<{ summary?: string; kind?: string }>) : [],
            proposedAction: h.proposedAction as { action: string; target?: string } | undefined,
          })),
        });
      }
    }
  }

  const actions: PmInput['actions'] = (await readActions(ws))
    .filter((a) => a.outcome !== 'intent' && inWindow(Date.parse(a.time)) && envOk(a.environment))
    .map((a) => ({ at: Date.parse(a.time), action: a.action, target: a.target, outcome: a.outcome, reason: a.reason, environment: a.environment, operator: a.operator, verified: a.verification?.ok }));

  const issues: PmInput['issues'] = [];
  for (const id of inc.issues) {
    try {
      const r = await readIssue(ws, id);
      issues.push({ id, title: r.title, startedAt: r.started_at ? Date.parse(r.started_at) : undefined, hypotheses: (r.diagnosis?.hypotheses ?? []).map(text).filter((s): s is string => Boolean(s)) });
    } catch {
      issues.push({ id, title: '(issue record not readable)', hypotheses: [] });
    }
  }

  const postmortem = buildPostmortem({ incident: inc, now, deploys, health, investigations, actions, alerts: inc.alerts.map((id) => ({ id })), issues });
  const markdown = postmortemMarkdown(postmortem, opts.tz);
  const doc = { json: { schema: 'helm-cloud/postmortem@1', generatedAt: new Date(now).toISOString(), incident: inc, postmortem }, markdown: () => markdown };
  const saved = (await publish(doc, { io: opts.io, save: { ws, kind: 'postmortem', env: opts.env ?? 'all', suffix: inc.id, required: true } }))!;
  return { postmortem, markdown, saved };
}
