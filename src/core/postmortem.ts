/**
 * A blameless postmortem from what was recorded, pure: the caller gathers the incident's events, alerts,
 * deploys, health reports, investigation findings, remediations and linked issues; this module orders them into
 * one timeline, measures detection and response, estimates the SLO budget the incident consumed, and lists
 * contributing factors and action items. Missing data is said to be missing, never counted as zero.
 */
import { count } from './plural.js';
export interface PmEvent {
  at: string;
  type: string;
  by?: string;
  tier?: number;
  users?: string[];
  note?: string;
  auto?: boolean;
}

export interface PmIncident {
  id: string;
  title: string;
  urgency: string;
  status: string;
  team?: string;
  service?: string;
  description?: string;
  createdAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  alerts: string[];
  issues: string[];
  events: PmEvent[];
}

export interface PmHealth {
  at: number;
  environment: string;
  verdict: string;
  report: string;
  resources: Array<{ id: string; verdict: string; reasons: string[]; slos: Array<{ key: string; burn1h: number | null; periodDays?: number; budgetConsumedPercent: number | null }> }>;
}

export interface PmInput {
  incident: PmIncident;
  now: number;
  deploys: Array<{ at: number; id: string; environment: string; project: string; version: string; by?: string; status?: string }>;
  health: PmHealth[];
  investigations: Array<{ at: number; report: string; summary: string; hypotheses: Array<{ title: string; confidence: number; level?: string; evidence: Array<{ summary?: string; kind?: string }>; proposedAction?: { action: string; target?: string } }> }>;
  actions: Array<{ at: number; action: string; target: string | null; outcome: string; reason?: string; environment: string; operator: string; verified?: boolean }>;
  alerts: Array<{ id: string; at?: number; summary?: string }>;
  issues: Array<{ id: string; title: string; startedAt?: number; hypotheses: string[] }>;
}

export interface TimelineEntry {
  at: string;
  kind: 'alert' | 'deploy' | 'health' | 'finding' | 'remediation' | 'incident' | 'page' | 'acknowledge' | 'escalation' | 'resolve' | 'note';
  text: string;
  ref?: string;
}

export interface Postmortem {
  id: string;
  title: string;
  status: string;
  window: { from: string; to: string };
  timeline: TimelineEntry[];
  times: { detectMinutes: number | null; acknowledgeMinutes: number | null; mitigateMinutes: number | null; resolveMinutes: number | null; firstSymptom: string | null; mitigatedAt: string | null };
  impact: { slos: Array<{ slo: string; consumedPercent: number | null; basis: string }>; note: string };
  factors: Array<{ title: string; confidence: number | null; evidence: string[]; source: string }>;
  actionItems: string[];
}

const iso = (t: number) => new Date(t).toISOString();
const minutes = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) ? null : Math.round(((b - a) / 60_000) * 10) / 10);

export function buildPostmortem(input: PmInput): Postmortem {
  const inc = input.incident;
  const created = Date.parse(inc.createdAt);
  const end = inc.resolvedAt ? Date.parse(inc.resolvedAt) : input.now;
  const tl: TimelineEntry[] = [];
  for (const a of input.alerts) tl.push({ at: a.at !== undefined ? iso(a.at) : inc.createdAt, kind: 'alert', text: `alert ${a.id}${a.summary ? `: ${a.summary}` : ''}${a.at === undefined ? ' (firing time not recorded; shown at incident creation)' : ''}`, ref: a.id });
  for (const d of input.deploys) tl.push({ at: iso(d.at), kind: 'deploy', text: `deploy ${d.project} ${d.version} to ${d.environment}${d.by ? ` by ${d.by}` : ''}${d.status && d.status !== 'succeeded' ? ` (${d.status})` : ''}`, ref: d.id });
  // Health: the first report and every change of verdict (environment or resource).
  const last = new Map<string, string>();
  for (const h of [...input.health].sort((a, b) => a.at - b.at)) {
    const envKey = `env:${h.environment}`;
    if (last.get(envKey) !== h.verdict) {
      const bad = h.resources.filter((r) => r.verdict !== 'HEALTHY');
      tl.push({ at: iso(h.at), kind: 'health', text: `health ${h.environment}: ${last.get(envKey) ? `${last.get(envKey)} → ` : ''}${h.verdict}${bad.length ? ` (${bad.slice(0, 3).map((r) => `${r.id} ${r.verdict}${r.reasons[0] ? `: ${r.reasons[0]}` : ''}`).join('; ')})` : ''}`, ref: h.report });
      last.set(envKey, h.verdict);
    }
    for (const r of h.resources) {
      const k = `${h.environment}/${r.id}`;
      const prev = last.get(k);
      if (prev !== undefined && prev !== r.verdict) tl.push({ at: iso(h.at), kind: 'health', text: `${r.id}: ${prev} → ${r.verdict}`, ref: h.report });
      last.set(k, r.verdict);
    }
  }
  for (const inv of input.investigations) {
    const top = [...inv.hypotheses].sort((a, b) => b.confidence - a.confidence)[0];
    tl.push({ at: iso(inv.at), kind: 'finding', text: top ? `investigation: ${top.title} (confidence ${Math.round(top.confidence * 100)}%${top.evidence[0]?.summary ? `; evidence: ${top.evidence[0].summary}` : ''})` : `investigation: ${inv.summary}`, ref: inv.report });
  }
  for (const a of input.actions) tl.push({ at: iso(a.at), kind: 'remediation', text: `${a.action}${a.target ? ` on ${a.target}` : ''} in ${a.environment}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''} — ${a.operator}`, ref: 'actions.jsonl' });
  for (const e of inc.events) {
    const who = e.users?.length ? e.users.join(', ') : 'nobody (no one on call)';
    switch (e.type) {
      case 'created': tl.push({ at: e.at, kind: 'incident', text: `incident ${inc.id} opened (${inc.urgency})${e.by ? ` by ${e.by}` : ''}` }); break;
      case 'paged': tl.push({ at: e.at, kind: 'page', text: `paged tier ${e.tier ?? 1}: ${who}` }); break;
      case 'escalated': tl.push({ at: e.at, kind: 'escalation', text: `escalated to tier ${e.tier}${e.auto ? ' (unacknowledged, by policy)' : e.by ? ` by ${e.by}` : ''}: ${who}` }); break;
      case 'acknowledged': tl.push({ at: e.at, kind: 'acknowledge', text: `acknowledged${e.by ? ` by ${e.by}` : ''}` }); break;
      case 'resolved': tl.push({ at: e.at, kind: 'resolve', text: `resolved${e.by ? ` by ${e.by}` : ''}${e.note ? `: ${e.note}` : ''}` }); break;
      case 'note': case 'linked': tl.push({ at: e.at, kind: 'note', text: e.note ?? e.type }); break;
    }
  }
  tl.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  // Detection and response.
  const symptoms: number[] = [];
  for (const a of input.alerts) if (a.at !== undefined) symptoms.push(a.at);
  for (const h of input.health) if (h.verdict !== 'HEALTHY' && h.at <= created) symptoms.push(h.at);
  for (const i of input.issues) if (i.startedAt !== undefined) symptoms.push(i.startedAt);
  const firstSymptom = symptoms.length ? Math.min(...symptoms) : undefined;
  const acked = inc.acknowledgedAt ? Date.parse(inc.acknowledgedAt) : undefined;
  const mitigations: number[] = [];
  for (const a of input.actions) if (a.at >= created && a.outcome === 'applied' && a.verified !== false) mitigations.push(a.at);
  for (const h of input.health) if (h.at > created && h.verdict === 'HEALTHY') mitigations.push(h.at);
  const mitigated = mitigations.length ? Math.min(...mitigations) : undefined;
  const times = {
    detectMinutes: firstSymptom !== undefined ? minutes(firstSymptom, created) : null,
    acknowledgeMinutes: minutes(created, acked),
    mitigateMinutes: minutes(created, mitigated),
    resolveMinutes: inc.resolvedAt ? minutes(created, end) : null,
    firstSymptom: firstSymptom !== undefined ? iso(firstSymptom) : null,
    mitigatedAt: mitigated !== undefined ? iso(mitigated) : null,
  };

  // Impact: budget consumed = ∫ burn rate dt / SLO period, from the health reports between the first symptom and the end.
  const from = Math.min(created, firstSymptom ?? created);
  const reports = [...input.health].filter((h) => h.at >= from - 3_600_000 && h.at <= end).sort((a, b) => a.at - b.at);
  const slos = new Map<string, { sum: number; known: number; unknown: number }>();
  for (let i = 0; i < reports.length; i++) {
    const h = reports[i]!;
    const a = Math.max(from, h.at);
    const b = Math.min(end, reports[i + 1]?.at ?? end);
    if (b <= a) continue;
    for (const r of h.resources) {
      for (const s of r.slos) {
        const key = `${r.id} ${s.key}`;
        const acc = slos.get(key) ?? { sum: 0, known: 0, unknown: 0 };
        if (s.burn1h === null || !s.periodDays) acc.unknown += b - a;
        else {
          acc.sum += (s.burn1h * (b - a)) / (s.periodDays * 86_400_000);
          acc.known += b - a;
        }
        slos.set(key, acc);
      }
    }
  }
  const impactSlos = [...slos.entries()]
    .map(([slo, v]) => ({
      slo,
      consumedPercent: v.known ? Math.round(v.sum * 10000) / 100 : null,
      basis: v.known ? `burn rates of ${count(reports.length, 'health report')} over ${Math.round(v.known / 60_000)} min${v.unknown ? `, ${Math.round(v.unknown / 60_000)} min without a burn rate` : ''}` : 'no burn rate recorded (no data, or no period_days for this SLO)',
    }))
    .filter((s) => s.consumedPercent === null || s.consumedPercent > 0)
    .sort((a, b) => (b.consumedPercent ?? -1) - (a.consumedPercent ?? -1));
  const note = reports.length ? `from ${count(reports.length, 'health report')} between ${iso(from)} and ${iso(end)}` : 'unknown: no health reports were saved during the incident (run `helm-cloud health --env ENV` or --watch during incidents)';

  // Contributing factors: hypotheses from investigations and linked issues, most confident first.
  const factors: Postmortem['factors'] = [];
  for (const inv of input.investigations) for (const h of inv.hypotheses) factors.push({ title: h.title, confidence: h.confidence, evidence: h.evidence.map((e) => e.summary ?? e.kind ?? '').filter(Boolean).slice(0, 4), source: inv.report });
  for (const i of input.issues) for (const h of i.hypotheses) if (!factors.some((f) => f.title === h)) factors.push({ title: h, confidence: null, evidence: [], source: i.id });
  factors.sort((a, b) => (b.confidence ?? -1) - (a.confidence ?? -1));

  const items: string[] = [];
  for (const a of input.actions) if (a.outcome === 'failed' || a.outcome === 'refused') items.push(`Make ${a.action}${a.target ? ` on ${a.target}` : ''} work or document the manual step (it was ${a.outcome}${a.reason ? `: ${a.reason}` : ''})`);
  if (times.acknowledgeMinutes === null) items.push('Find out why the incident was never acknowledged (paging, contact methods, tier delays)');
  else if (times.acknowledgeMinutes > 15) items.push(`Review paging: acknowledging took ${times.acknowledgeMinutes} min`);
  if (times.detectMinutes !== null && times.detectMinutes > 10) items.push(`Detect sooner: the first symptom came ${times.detectMinutes} min before the incident was opened (an alert on it?)`);
  for (const f of factors.slice(0, 3)) items.push(`Address: ${f.title}`);
  if (!inc.events.some((e) => e.type === 'acknowledged') && inc.events.some((e) => e.type === 'escalated' && e.auto)) items.push('Check the escalation tiers: the policy had to escalate');
  items.push('(owner, due date) — add the follow-ups the team agrees on');

  return {
    id: inc.id,
    title: inc.title,
    status: inc.status,
    window: { from: iso(from), to: iso(end) },
    timeline: tl,
    times,
    impact: { slos: impactSlos, note },
    factors,
    actionItems: items,
  };
}
