/**
 * ops-manager for the `oncall` and `incident` families: resolves the workspace, the `[oncall]` config and the
 * backend once, runs due escalations first, then the action; returns one CommandResult per action.
 */
import { resolveTeam, resolveUser, resolveZone } from '../config/oncall.js';
import { printable } from '../config/explain.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { parseLocalOrInstant } from '../core/time-zone.js';
import { mdCode, mdEscape, type CommandResult, type ResultJson } from '../report/render.js';
import { createIncident, openOncall, type Oncall } from '../skills/ops-oncall/index.js';
import { incidentDetail, incidentMarkdown, incidentRows, incidentsMarkdown, scheduleMarkdown, scheduleTable, whoMarkdown, whoTable } from '../skills/ops-oncall/render.js';
import type { Incident, IncidentStatus } from '../adapters/oncall/types.js';
import { operator } from './escalate.js';
import type { CommonOptions } from './context.js';
import { count } from '../core/plural.js';

export const ONCALL_ACTIONS: Record<string, string> = {
  who_is_oncall: 'who_is_oncall', 'who-is-oncall': 'who_is_oncall', who: 'who_is_oncall', whoisoncall: 'who_is_oncall',
  schedule: 'schedule', shifts: 'schedule',
  override_oncall: 'override_oncall', 'override-oncall': 'override_oncall', override: 'override_oncall',
  escalate: 'escalate',
};
export const INCIDENT_ACTIONS: Record<string, string> = {
  create: 'create', incident_create: 'create', open: 'create', trigger: 'create',
  list: 'list', incident_list: 'list', ls: 'list',
  show: 'show', incident_show: 'show', get: 'show',
  acknowledge: 'acknowledge', ack: 'acknowledge', incident_acknowledge: 'acknowledge',
  escalate: 'escalate', incident_escalate: 'escalate',
  resolve: 'resolve', close: 'resolve', incident_resolve: 'resolve',
  postmortem: 'postmortem', incident_postmortem: 'postmortem',
};

export interface OncallRequest extends CommonOptions {
  action: string;
  id?: string;
  team?: string;
  at?: string;
  days?: number;
  tz?: string;
  user?: string;
  from?: string;
  to?: string;
  replaces?: string;
  add?: boolean;
  note?: string;
  remove?: string;
  title?: string;
  urgency?: string;
  description?: string;
  service?: string;
  fromAlert?: string;
  issue?: string;
  status?: string;
  since?: number;
}

export interface OncallOverrides {
  now?: () => number;
  fetch?: typeof fetch;
}

function readerZone(req: OncallRequest): string {
  if (req.tz) return resolveZone(req.tz);
  const env = process.env.TZ;
  if (env && resolveZoneSafe(env)) return env;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
function resolveZoneSafe(tz: string): boolean {
  try {
    resolveZone(tz);
    return true;
  } catch {
    return false;
  }
}

function result(command: string, verdict: string, summary: string, data: Record<string, unknown>, table: (c: boolean) => string, markdown: () => string, now: number, exitCode = 0): CommandResult {
  const json: ResultJson = { schema: `helm-cloud/${command}@1`, command, generatedAt: new Date(now).toISOString(), verdict, summary, exitCode, ...data };
  return { json, exitCode, table, markdown };
}

/** Time flags: ISO instants, wall times in `tz` ("2026-12-07T09:00"), or "now". */
function timeFlag(text: string | undefined, flag: string, tz: string, now: number): number | undefined {
  if (text === undefined) return undefined;
  if (text === 'now') return now;
  const rel = /^([+-])(\d+)(m|h|d)$/.exec(text);
  if (rel) return now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[3] as 'm' | 'h' | 'd'];
  const t = parseLocalOrInstant(text, tz);
  if (t === undefined) throw new HelmError('usage', `"${printable(text, 40)}" is not a time`, { keyPath: flag, expected: 'an ISO-8601 time (2026-12-07T09:00:00Z), a wall time in the team zone (2026-12-07T09:00), now, or +2h / -30m', fix: `e.g. ${flag} 2026-12-07T09:00` });
  return t;
}

async function open(req: OncallRequest, overrides: OncallOverrides): Promise<Oncall> {
  return openOncall({ cwd: req.cwd, root: req.root, now: overrides.now, fetch: overrides.fetch });
}

/** Escalations that became due; printed on stderr so every command shows them. */
async function tickAndReport(oc: Oncall, io: Io): Promise<void> {
  for (const m of await oc.backend.tick(oc.now())) io.err(`oncall: ${m.incident.id} unacknowledged: escalated to tier ${m.step.tier} (${m.step.users?.join(', ') || 'nobody on call'})`);
}

export async function runOncall(req: OncallRequest, io: Io, overrides: OncallOverrides = {}): Promise<CommandResult> {
  const action = ONCALL_ACTIONS[req.action]!;
  const oc = await open(req, overrides);
  const now = oc.now();
  const tz = readerZone(req);
  if (action !== 'escalate') await tickAndReport(oc, io);
  switch (action) {
    case 'who_is_oncall': {
      const team = resolveTeam(oc.model, req.team);
      const at = timeFlag(req.at, '--at', team.timeZone, now) ?? now;
      const w = await oc.backend.whoIsOnCall(team, at);
      const first = w.tiers[0]?.oncall ?? [];
      const summary = first.length ? `${team.name}: ${first.map((p) => p.user).join(', ')} on call (tier 1)${first[0]?.until ? ` until ${first[0].until}` : ''}` : `${team.name}: nobody on call at tier 1`;
      return result('oncall', first.length ? 'OK' : 'NOBODY', summary, { backend: oc.backend.kind, action, timeZone: tz, ...w }, (c) => whoTable(w, tz, c), () => whoMarkdown(w, tz), now, first.length ? 0 : 1);
    }
    case 'schedule': {
      const team = resolveTeam(oc.model, req.team);
      const from = timeFlag(req.from ?? req.at, '--from', team.timeZone, now) ?? now;
      const days = req.days ?? 7;
      const s = await oc.backend.schedule(team, from, from + days * 86_400_000);
      const gaps = s.segments.filter((g) => g.users.length === 0);
      const summary = `${team.name}: ${count(s.segments.length, 'shift')} over ${count(days, 'day')}${gaps.length ? `, ${gaps.length} with nobody on call` : ''}, ${count(s.overrides.length, 'override')}`;
      return result('oncall', gaps.length ? 'GAPS' : 'OK', summary, { backend: oc.backend.kind, action, timeZone: tz, ...s }, (c) => scheduleTable(s, tz, c, io.stdoutIsTTY), () => scheduleMarkdown(s, tz), now);
    }
    case 'override_oncall': {
      const team = resolveTeam(oc.model, req.team);
      const who = operator();
      if (req.remove) {
        const o = await oc.backend.removeOverride(team, req.remove, who);
        return result('oncall', 'REMOVED', `override ${o.id} (${o.user}) removed from ${team.name}`, { backend: oc.backend.kind, action, team: team.name, override: o, removed: true }, () => `removed ${o.id}: ${o.user} ${o.start} → ${o.end}`, () => mdEscape(`Removed override ${o.id} (${o.user}).`), now);
      }
      if (!req.user) throw new HelmError('usage', 'override_oncall needs --user (or --remove ID)', { keyPath: '--user', fix: 'e.g. --user alice --from 2026-12-07T09:00 --to 2026-12-07T17:00' });
      const members = [...new Set(team.schedule.layers.flatMap((l) => l.members))];
      const user = resolveUser(oc.model, req.user, '--user', members);
      if (req.replaces) resolveUser(oc.model, req.replaces, '--replaces', members);
      const from = timeFlag(req.from, '--from', team.timeZone, now) ?? now;
      const to = timeFlag(req.to, '--to', team.timeZone, now);
      if (to === undefined) throw new HelmError('usage', 'override_oncall needs --to', { keyPath: '--to', fix: 'e.g. --to 2026-12-07T17:00 or --to +8h' });
      if (to <= from) throw new HelmError('input', `the override ends (${new Date(to).toISOString()}) before it starts (${new Date(from).toISOString()})`, { keyPath: '--to', fix: 'give a --to later than --from' });
      const o = await oc.backend.addOverride(team, { user, start: from, end: to, replaces: req.replaces, add: req.add, note: req.note }, who);
      return result('oncall', 'RECORDED', `override ${o.id}: ${o.user} on call for ${team.name} ${o.start} → ${o.end} (undo: --remove ${o.id})`, { backend: oc.backend.kind, action, team: team.name, override: o }, () => `override ${o.id}: ${o.user} on call for ${team.name} from ${o.start} to ${o.end}${o.replaces ? ` instead of ${o.replaces}` : o.add ? ' alongside the schedule' : ''}\nundo: helm-cloud oncall override_oncall --team ${team.name} --remove ${o.id}`, () => `${mdEscape(`Override ${o.id}: ${o.user} on call for ${team.name} ${o.start} → ${o.end}.`)}\n\nTo undo:\n\n${mdCode(`helm-cloud oncall override_oncall --team ${team.name} --remove ${o.id}`, 'sh')}\n`, now);
    }
    default: {
      const moved = await oc.backend.tick(now);
      const open = await oc.backend.listIncidents({ status: ['triggered'] });
      const summary = moved.length ? `${count(moved.length, 'escalation')} applied` : `no escalation due (${count(open.length, 'unacknowledged incident')})`;
      return result('oncall', moved.length ? 'ESCALATED' : 'OK', summary, { backend: oc.backend.kind, action: 'escalate', escalations: moved.map((m) => ({ incident: m.incident.id, tier: m.step.tier, users: m.step.users ?? [], at: m.step.at })), unacknowledged: open.map((i) => i.id) }, () => [summary, ...moved.map((m) => `  ${m.incident.id} → tier ${m.step.tier}: ${m.step.users?.join(', ') || 'nobody on call'} (due ${m.step.at})`)].join('\n'), () => `- ${mdEscape(summary)}`, now);
    }
  }
}

export async function runIncident(req: OncallRequest, io: Io, overrides: OncallOverrides = {}): Promise<CommandResult> {
  const action = INCIDENT_ACTIONS[req.action]!;
  const oc = await open(req, overrides);
  const tz = readerZone(req);
  await tickAndReport(oc, io);
  const now = oc.now();
  const who = operator();
  const one = (i: Incident, verdict: string, summary: string, exitCode = 0) =>
    result('incident', verdict, summary, { backend: oc.backend.kind, action, incident: i }, (c) => incidentDetail(i, tz, c), () => incidentMarkdown(i, tz), now, exitCode);
  const need = () => {
    if (!req.id) throw new HelmError('usage', `incident ${action} needs an incident id`, { fix: `e.g. helm-cloud incident ${action} INC-1 (\`helm-cloud incident list\` shows them)` });
    return req.id;
  };
  switch (action) {
    case 'create': {
      if (!req.title) throw new HelmError('usage', 'incident create needs --title', { keyPath: '--title', fix: 'e.g. --title "checkout 5xx" --urgency high' });
      const urgency = (req.urgency ?? 'high') as 'high' | 'low';
      if (urgency !== 'high' && urgency !== 'low') throw new HelmError('usage', `urgency "${printable(req.urgency, 20)}" is not high or low`, { keyPath: '--urgency', fix: '--urgency high or --urgency low' });
      const inc = await createIncident(oc, req.team, { title: req.title, urgency, description: req.description, service: req.service, fromAlert: req.fromAlert, issue: req.issue, by: who });
      // Locally we know who was paged: nobody is a finding (exit 1), not a success. Servers page on their own.
      const nobody = oc.backend.kind === 'local' && inc.assigned.length === 0;
      return one(inc, nobody ? 'UNPAGED' : 'TRIGGERED', `${inc.id} opened for ${inc.team ?? '?'}: ${nobody ? 'nobody is on call at tier 1: no one was paged' : `paged tier 1 (${inc.assigned.join(', ') || 'by the backend'})`}`, nobody ? 1 : 0);
    }
    case 'list': {
      const status = req.status ? (req.status.split(',') as IncidentStatus[]) : undefined;
      for (const s of status ?? []) if (!['triggered', 'acknowledged', 'resolved'].includes(s)) throw new HelmError('usage', `status "${printable(s, 20)}" is not triggered, acknowledged or resolved`, { keyPath: '--status' });
      const list = await oc.backend.listIncidents({ status: status ?? (req.status === undefined ? ['triggered', 'acknowledged'] : undefined), team: req.team });
      const summary = `${count(list.length, 'incident')}${req.status ? ` (${req.status})` : ' open'}`;
      return result('incident', 'OK', summary, { backend: oc.backend.kind, action, incidents: list }, (c) => (list.length ? incidentRows(list, tz, c) : summary), () => (list.length ? incidentsMarkdown(list, tz, summary) : mdEscape(summary)), now);
    }
    case 'show': {
      const inc = await oc.backend.getIncident(need());
      return one(inc, inc.status.toUpperCase(), `${inc.id} ${inc.status}: ${inc.title}`);
    }
    case 'acknowledge': {
      const inc = await oc.backend.acknowledge(need(), who);
      return one(inc, 'ACKNOWLEDGED', `${inc.id} acknowledged; escalation stopped`);
    }
    case 'escalate': {
      const inc = await oc.backend.escalate(need(), who);
      return one(inc, 'ESCALATED', `${inc.id} escalated to tier ${inc.tier}: ${inc.assigned.join(', ') || 'nobody on call'}`);
    }
    case 'resolve': {
      const inc = await oc.backend.resolve(need(), who, req.note);
      return one(inc, 'RESOLVED', `${inc.id} resolved`);
    }
    default: {
      const { writePostmortem } = await import('./postmortem.js');
      const inc = await oc.backend.getIncident(need());
      const pm = await writePostmortem(oc, inc, { env: req.env, lookbackMs: req.since ?? 2 * 3_600_000, tz, io });
      return result('incident', 'WRITTEN', `postmortem of ${inc.id} saved: ${pm.saved.relMarkdown}`, { backend: oc.backend.kind, action, postmortem: pm.postmortem, report: { json: pm.saved.relJson, markdown: pm.saved.relMarkdown } }, () => pm.markdown, () => pm.markdown, now);
    }
  }
}
