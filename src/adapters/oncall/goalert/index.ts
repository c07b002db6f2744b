/**
 * GoAlert backend over its GraphQL API (`/api/graphql`, Bearer token). A team maps to a GoAlert schedule,
 * service and escalation policy (ids in `[oncall.teams.T.goalert]`, else looked up by the team's name); an
 * incident is a GoAlert alert (id = alertID). GoAlert escalates unacknowledged alerts itself, so `tick` does
 * nothing. Tokens: `[oncall.goalert] token` (a reference), or `user` + `password` (a reference) for a session.
 */
import { printable } from '../../../config/explain.js';
import type { OncallModel, TeamModel } from '../../../config/oncall.js';
import { HelmError } from '../../../errors.js';
import { resolveSecret } from '../secrets.js';
import type { BackendOptions } from '../index.js';
import type { Incident, IncidentEvent, IncidentStatus, NewIncident, NewOverride, OncallBackend, OnCallPerson, OverrideInfo, ScheduleView, Segment, TierAnswer, WhoIsOnCall } from '../types.js';

const iso = (t: number) => new Date(t).toISOString();
const STATUS: Record<string, IncidentStatus> = { StatusUnacknowledged: 'triggered', StatusAcknowledged: 'acknowledged', StatusClosed: 'resolved' };

interface Shift {
  user: string;
  start: number;
  end: number;
}

export async function openGoAlert(model: OncallModel, opts: BackendOptions): Promise<GoAlertBackend> {
  const cfg = model.section.goalert;
  if (!cfg) throw new HelmError('config', 'backend = "goalert" needs [oncall.goalert] url and token', { file: model.file, keyPath: 'oncall.goalert', fix: '[oncall.goalert] url = "https://goalert.example.com", token = "env:GOALERT_TOKEN"' });
  const f = opts.fetch ?? fetch;
  const url = cfg.url.replace(/\/+$/, '');
  let token: string;
  if (cfg.token) token = await resolveSecret(cfg.token, { file: model.file, keyPath: 'oncall.goalert.token' });
  else if (cfg.user && cfg.password) {
    const password = await resolveSecret(cfg.password, { file: model.file, keyPath: 'oncall.goalert.password' });
    const res = await call(f, `${url}/api/v2/identity/providers/basic?noRedirect=1`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Referer: `${url}/` }, body: new URLSearchParams({ username: cfg.user, password }).toString() }, url);
    if (res.status === 401 || res.status === 403 || res.status === 400) throw new HelmError('aws-access', `GoAlert refused the login of ${cfg.user} (HTTP ${res.status})`, { file: model.file, keyPath: 'oncall.goalert.user', fix: 'check the user and password' });
    token = (await res.text()).trim();
  } else throw new HelmError('config', '[oncall.goalert] needs token, or user and password', { file: model.file, keyPath: 'oncall.goalert', fix: 'token = "env:GOALERT_TOKEN"' });
  return new GoAlertBackend(model, url, token, f, opts.now);
}

async function call(f: typeof fetch, target: string, init: RequestInit, base: string): Promise<Response> {
  try {
    return await f(target, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new HelmError('aws-access', `GoAlert at ${base} is not reachable (${String((e as Error).message).split('\n')[0]})`, { fix: 'check [oncall.goalert] url and that the server is up' });
  }
}

export class GoAlertBackend implements OncallBackend {
  readonly kind = 'goalert' as const;
  private ids = new Map<string, string>();
  constructor(
    private readonly model: OncallModel,
    private readonly url: string,
    private readonly token: string,
    private readonly f: typeof fetch,
    private readonly now: () => number,
  ) {}

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await call(this.f, `${this.url}/api/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }) }, this.url);
    // GoAlert answers a malformed token with 400 "invalid token header format", an unknown one with 401.
    const refused = res.status === 401 || res.status === 403 || (res.status === 400 && /token/i.test(await res.clone().text()));
    if (refused) throw new HelmError('aws-access', `GoAlert refused the token (HTTP ${res.status})`, { file: this.model.file, keyPath: 'oncall.goalert.token', fix: 'use a valid session or API token' });
    const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length) {
      const msg = body.errors.map((e) => e.message).join('; ');
      if (/not found|no rows/i.test(msg)) throw new HelmError('input', `GoAlert: ${printable(msg, 200)}`, { fix: 'check the id' });
      throw new HelmError('action-failed', `GoAlert: ${printable(msg, 300)}`);
    }
    if (!res.ok || !body.data) throw new HelmError('action-failed', `GoAlert answered HTTP ${res.status}`);
    return body.data;
  }

  /** The GoAlert id of a team's schedule/service/policy: configured, else found by the team's name. */
  private async idOf(team: TeamModel, kind: 'schedule' | 'service' | 'escalation_policy'): Promise<string> {
    const configured = team.remote.goalert?.[kind];
    if (configured && /^[0-9a-f-]{36}$/i.test(configured)) return configured;
    const name = configured ?? team.name;
    const key = `${kind}:${name}`;
    const hit = this.ids.get(key);
    if (hit) return hit;
    const q = { schedule: 'schedules', service: 'services', escalation_policy: 'escalationPolicies' }[kind];
    const r = await this.gql<Record<string, { nodes: Array<{ id: string; name: string }> }>>(`query($s:String!){${q}(input:{search:$s,first:50}){nodes{id name}}}`, { s: name });
    const found = r[q]!.nodes.find((n) => n.name === name);
    if (!found) throw new HelmError('input', `GoAlert has no ${kind.replace('_', ' ')} named "${printable(name, 60)}" for team ${team.name}`, { file: this.model.file, keyPath: `oncall.teams.${team.name}.goalert.${kind}`, fix: `set its id there, or name it "${team.name}" in GoAlert (found: ${r[q]!.nodes.map((n) => n.name).slice(0, 8).join(', ') || 'none'})` });
    this.ids.set(key, found.id);
    return found.id;
  }

  private async shifts(scheduleID: string, from: number, to: number): Promise<Shift[]> {
    const out: Shift[] = [];
    for (let a = from; a < to; a += 45 * 86_400_000) {
      const b = Math.min(to, a + 45 * 86_400_000);
      const r = await this.gql<{ schedule: { shifts: Array<{ user: { name: string } | null; userID: string; start: string; end: string }> } }>('query($id:ID!,$s:ISOTimestamp!,$e:ISOTimestamp!){schedule(id:$id){shifts(start:$s,end:$e){userID user{name} start end}}}', { id: scheduleID, s: iso(a), e: iso(b) });
      for (const s of r.schedule.shifts) out.push({ user: s.user?.name ?? s.userID, start: Date.parse(s.start), end: Date.parse(s.end) });
    }
    // Shifts cut at a window edge continue in the next window: join them.
    out.sort((x, y) => x.start - y.start);
    const joined: Shift[] = [];
    for (const s of out) {
      const prev = joined.find((p) => p.user === s.user && p.end === s.start);
      if (prev) prev.end = Math.max(prev.end, s.end);
      else if (!joined.some((p) => p.user === s.user && p.start <= s.start && p.end >= s.end)) joined.push({ ...s });
    }
    return joined;
  }

  async whoIsOnCall(team: TeamModel, at: number): Promise<WhoIsOnCall> {
    const epID = await this.idOf(team, 'escalation_policy');
    const ep = await this.gql<{ escalationPolicy: { repeat: number; steps: Array<{ stepNumber: number; delayMinutes: number; targets: Array<{ id: string; type: string; name: string }> }> } }>('query($id:ID!){escalationPolicy(id:$id){repeat steps{stepNumber delayMinutes targets{id type name}}}}', { id: epID });
    const tiers: TierAnswer[] = [];
    for (const step of ep.escalationPolicy.steps) {
      const people: OnCallPerson[] = [];
      for (const t of step.targets) {
        if (t.type === 'user') people.push({ user: t.name });
        else if (t.type === 'schedule') {
          const sh = await this.shifts(t.id, at, at + 35 * 86_400_000);
          for (const s of sh) if (s.start <= at + 60_000 && at < s.end) people.push({ user: s.user, until: iso(s.end) });
        } else if (t.type === 'rotation') {
          const r = await this.gql<{ rotation: { activeUserIndex: number; users: Array<{ name: string }>; nextHandoffTimes: string[] } }>('query($id:ID!){rotation(id:$id){activeUserIndex users{name} nextHandoffTimes(num:1)}}', { id: t.id });
          const u = r.rotation.users[r.rotation.activeUserIndex];
          if (u) people.push({ user: u.name, until: r.rotation.nextHandoffTimes[0] });
        }
      }
      tiers.push({ tier: step.stepNumber + 1, delayMinutes: step.delayMinutes, targets: step.targets.map((t) => `${t.type}:${t.name}`), oncall: [...new Map(people.map((p) => [p.user, p])).values()] });
    }
    return { team: team.name, at: iso(at), tiers };
  }

  async schedule(team: TeamModel, from: number, to: number): Promise<ScheduleView> {
    const id = await this.idOf(team, 'schedule');
    const sh = await this.shifts(id, from, to);
    const pts = [...new Set([from, ...sh.flatMap((s) => [s.start, s.end]).filter((t) => t > from && t < to)])].sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[i + 1] ?? to;
      const users = [...new Set(sh.filter((s) => s.start <= a && a < s.end).map((s) => s.user))].sort();
      const prev = segments[segments.length - 1];
      if (prev && prev.users.join() === users.join()) prev.end = iso(b);
      else segments.push({ start: iso(a), end: iso(b), users, overrides: [] });
    }
    const ov = await this.gql<{ userOverrides: { nodes: Array<{ id: string; start: string; end: string; addUser: { name: string } | null; removeUser: { name: string } | null }> } }>('query($id:ID!,$s:ISOTimestamp!,$e:ISOTimestamp!){userOverrides(input:{scheduleID:$id,start:$s,end:$e,first:100}){nodes{id start end addUser{name} removeUser{name}}}}', { id, s: iso(from), e: iso(to) });
    const overrides: OverrideInfo[] = ov.userOverrides.nodes.map((o) => ({ id: o.id, team: team.name, user: o.addUser?.name ?? `(remove ${o.removeUser?.name})`, start: o.start, end: o.end, ...(o.addUser && o.removeUser ? { replaces: o.removeUser.name } : {}), ...(o.addUser && !o.removeUser ? { add: true } : {}), source: 'remote' as const }));
    return { team: team.name, from: iso(from), to: iso(to), segments, overrides };
  }

  private async userId(name: string): Promise<string> {
    const r = await this.gql<{ users: { nodes: Array<{ id: string; name: string; email: string }> } }>('query($s:String!){users(search:$s,first:20){nodes{id name email}}}', { s: name });
    const u = r.users.nodes.find((n) => n.name === name || n.email === name || n.email === this.model.users[name]?.email);
    if (!u) throw new HelmError('input', `GoAlert has no user "${printable(name, 40)}"`, { keyPath: '--user', fix: `users matching: ${r.users.nodes.map((n) => n.name).join(', ') || 'none'}` });
    return u.id;
  }

  async addOverride(team: TeamModel, o: NewOverride, _by: string): Promise<OverrideInfo> {
    const scheduleID = await this.idOf(team, 'schedule');
    const span = { scheduleID, start: iso(o.start), end: iso(o.end) };
    const add = await this.userId(o.user);
    const inputs: Array<Record<string, unknown>> = [];
    if (o.add) inputs.push({ ...span, addUserID: add });
    else if (o.replaces) inputs.push({ ...span, addUserID: add, removeUserID: await this.userId(o.replaces) });
    else {
      // "Instead of the schedule": add the user and remove everyone the schedule has on call in the span.
      inputs.push({ ...span, addUserID: add });
      const others = [...new Set((await this.shifts(scheduleID, o.start, o.end)).map((s) => s.user))].filter((u) => u !== o.user);
      for (const u of others) inputs.push({ ...span, removeUserID: await this.userId(u) });
    }
    const ids: string[] = [];
    for (const i of inputs) ids.push((await this.gql<{ createUserOverride: { id: string } }>('mutation($i:CreateUserOverrideInput!){createUserOverride(input:$i){id}}', { i })).createUserOverride.id);
    return { id: ids.join(','), team: team.name, user: o.user, start: span.start, end: span.end, replaces: o.replaces, add: o.add, source: 'remote' };
  }

  async removeOverride(team: TeamModel, id: string, _by: string): Promise<OverrideInfo> {
    const parts = id.split(',').filter(Boolean);
    const first = await this.gql<{ userOverride: { id: string; start: string; end: string; addUser: { name: string } | null } | null }>('query($id:ID!){userOverride(id:$id){id start end addUser{name}}}', { id: parts[0] }).catch(() => ({ userOverride: null }));
    if (!first.userOverride) throw new HelmError('input', `GoAlert has no override ${printable(id, 80)}`, { keyPath: '--remove', fix: '`helm-cloud oncall schedule --team ' + team.name + '` lists the overrides' });
    await this.gql('mutation($i:[TargetInput!]){deleteAll(input:$i)}', { i: parts.map((p) => ({ id: p, type: 'userOverride' })) });
    return { id, team: team.name, user: first.userOverride.addUser?.name ?? '?', start: first.userOverride.start, end: first.userOverride.end, source: 'remote' };
  }

  private toIncident(a: { alertID: number; status: string; summary: string; details: string; createdAt: string; service?: { name: string } | null; state?: { stepNumber: number; repeatCount: number } | null; recentEvents?: { nodes: Array<{ timestamp: string; message: string }> } }): Incident {
    const events: IncidentEvent[] = (a.recentEvents?.nodes ?? [])
      .map((e): IncidentEvent => {
        const m = e.message;
        const type = /^created/i.test(m) ? 'created' : /acknowledged/i.test(m) ? 'acknowledged' : /^escalated to step/i.test(m) ? 'escalated' : /closed/i.test(m) ? 'resolved' : /^notification sent|^sent to/i.test(m) ? 'paged' : 'note';
        return { at: e.timestamp, type, note: m };
      })
      .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
    const meta = /^urgency: (high|low)/m.exec(a.details);
    const team = [...this.model.teams.values()].find((t) => t.remote.goalert?.service === a.service?.name || t.name === a.service?.name);
    return {
      id: String(a.alertID),
      title: a.summary,
      urgency: (meta?.[1] as 'high' | 'low') ?? 'high',
      status: STATUS[a.status] ?? 'triggered',
      team: team?.name,
      service: a.service?.name,
      description: a.details,
      createdAt: a.createdAt,
      acknowledgedAt: events.find((e) => e.type === 'acknowledged')?.at,
      resolvedAt: events.find((e) => e.type === 'resolved')?.at,
      tier: (a.state?.stepNumber ?? 0) + 1,
      loop: a.state?.repeatCount ?? 0,
      assigned: [],
      alerts: [...a.details.matchAll(/^alert: (\S+)/gm)].map((m) => m[1]!),
      issues: [...a.details.matchAll(/^issue: (\S+)/gm)].map((m) => m[1]!),
      events,
      backend: 'goalert',
      url: `${this.url}/alerts/${a.alertID}`,
    };
  }

  private static FIELDS = 'alertID status summary details createdAt service{name} state{stepNumber repeatCount}';

  async createIncident(team: TeamModel, i: NewIncident): Promise<Incident> {
    const serviceID = await this.idOf(team, 'service');
    const details = [i.description ?? '', `urgency: ${i.urgency}`, ...(i.fromAlert ? [`alert: ${i.fromAlert}`] : []), ...(i.issue ? [`issue: ${i.issue}`] : []), `opened by: ${i.by} (helm-cloud)`].filter(Boolean).join('\n');
    const r = await this.gql<{ createAlert: { alertID: number } }>('mutation($i:CreateAlertInput!){createAlert(input:$i){alertID}}', { i: { serviceID, summary: i.title, details, sanitize: true } });
    return this.getIncident(String(r.createAlert.alertID));
  }

  async listIncidents(filter: { status?: IncidentStatus[]; team?: string }): Promise<Incident[]> {
    const want = filter.status?.map((s) => Object.entries(STATUS).find(([, v]) => v === s)![0]);
    const svc = filter.team ? [await this.idOf(this.model.teams.get(filter.team)!, 'service')] : undefined;
    const r = await this.gql<{ alerts: { nodes: Array<Parameters<GoAlertBackend['toIncident']>[0]> } }>(`query($st:[AlertStatus!],$svc:[ID!]){alerts(input:{filterByStatus:$st,filterByServiceID:$svc,first:100,includeNotified:true}){nodes{${GoAlertBackend.FIELDS}}}}`, { st: want ?? null, svc: svc ?? null });
    return r.alerts.nodes.map((a) => this.toIncident(a));
  }

  async getIncident(id: string): Promise<Incident> {
    if (!/^\d{1,10}$/.test(id)) throw new HelmError('input', `"${printable(id, 40)}" is not a GoAlert alert id`, { fix: 'GoAlert ids are numbers: `helm-cloud incident list` shows them' });
    const r = await this.gql<{ alert: Parameters<GoAlertBackend['toIncident']>[0] | null }>(`query($id:Int!){alert(id:$id){${GoAlertBackend.FIELDS} recentEvents(input:{limit:100}){nodes{timestamp message}}}}`, { id: Number(id) });
    if (!r.alert) throw new HelmError('input', `GoAlert has no alert ${id}`, { fix: '`helm-cloud incident list` shows them' });
    return this.toIncident(r.alert);
  }

  private async setStatus(id: string, status: 'StatusAcknowledged' | 'StatusClosed'): Promise<Incident> {
    const cur = await this.getIncident(id);
    if (cur.status === 'resolved' && status === 'StatusAcknowledged') throw new HelmError('input', `${id} is closed; there is nothing to acknowledge`, { fix: 'open a new incident if the problem is back' });
    await this.gql('mutation($i:UpdateAlertsInput!){updateAlerts(input:$i){alertID}}', { i: { alertIDs: [Number(id)], newStatus: status } });
    return this.getIncident(id);
  }

  acknowledge(id: string): Promise<Incident> {
    return this.setStatus(id, 'StatusAcknowledged');
  }

  resolve(id: string): Promise<Incident> {
    return this.setStatus(id, 'StatusClosed');
  }

  async escalate(id: string): Promise<Incident> {
    const cur = await this.getIncident(id);
    if (cur.status === 'resolved') throw new HelmError('input', `${id} is closed; there is nothing to escalate`, { fix: 'open a new incident if the problem is back' });
    // A request made before GoAlert's engine has run the alert's first step is absorbed by that step: wait for it.
    for (let i = 0; i < 40 && !(await this.lastEscalation(id)); i++) await new Promise((r) => setTimeout(r, 250));
    await this.gql('mutation($ids:[Int!]){escalateAlerts(input:$ids){alertID}}', { ids: [Number(id)] });
    // GoAlert applies the escalation on its next engine cycle.
    for (let i = 0; i < 60; i++) {
      const now = await this.getIncident(id);
      if (now.tier !== cur.tier || now.loop !== cur.loop) return now;
      await new Promise((r) => setTimeout(r, 250));
    }
    return this.getIncident(id);
  }

  private async lastEscalation(id: string): Promise<string | null> {
    const r = await this.gql<{ alert: { state: { lastEscalation: string | null } | null } | null }>('query($id:Int!){alert(id:$id){state{lastEscalation}}}', { id: Number(id) });
    return r.alert?.state?.lastEscalation ?? null;
  }

  async tick(): Promise<Array<{ incident: Incident; step: IncidentEvent }>> {
    return [];
  }
}
