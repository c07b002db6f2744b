/**
 * PagerDuty backend: REST API v2 (on-calls, schedules, overrides, escalation policies, incidents, log entries;
 * writes carry the `From` header) and Events API v2 (`enqueue`) for pages that come from alerts. A team maps
 * to PagerDuty ids in `[oncall.teams.T.pagerduty]` (schedule, escalation_policy, service). The token comes from
 * `[oncall.pagerduty] token` — a reference (env:, file:, keychain:), never the token. PagerDuty escalates by
 * itself, so `tick` does nothing.
 */
import { printable } from '../../../config/explain.js';
import type { OncallModel, TeamModel } from '../../../config/oncall.js';
import { HelmError } from '../../../errors.js';
import { resolveSecret } from '../secrets.js';
import type { BackendOptions } from '../index.js';
import type { Incident, IncidentEvent, IncidentStatus, NewIncident, NewOverride, OncallBackend, OnCallPerson, OverrideInfo, ScheduleView, Segment, TierAnswer, WhoIsOnCall } from '../types.js';

const iso = (t: number) => new Date(t).toISOString();
type Query = Record<string, string | number | boolean | Array<string> | undefined>;

export async function openPagerDuty(model: OncallModel, opts: BackendOptions): Promise<PagerDutyBackend> {
  const cfg = model.section.pagerduty;
  if (!cfg) throw new HelmError('config', 'backend = "pagerduty" needs [oncall.pagerduty]', { file: model.file, keyPath: 'oncall.pagerduty', fix: '[oncall.pagerduty] token = "env:PAGERDUTY_TOKEN", from = "you@example.com"' });
  const token = await resolveSecret(cfg.token, { file: model.file, keyPath: 'oncall.pagerduty.token' });
  const routingKey = cfg.routing_key ? await resolveSecret(cfg.routing_key, { file: model.file, keyPath: 'oncall.pagerduty.routing_key' }) : undefined;
  return new PagerDutyBackend(model, { url: cfg.url.replace(/\/+$/, ''), eventsUrl: cfg.events_url.replace(/\/+$/, ''), token, from: cfg.from, routingKey }, opts.fetch ?? fetch, opts.now);
}

interface PdConfig {
  url: string;
  eventsUrl: string;
  token: string;
  from?: string;
  routingKey?: string;
}

interface PdIncident {
  id: string;
  incident_number?: number;
  title?: string;
  summary?: string;
  status: string;
  urgency?: string;
  created_at: string;
  html_url?: string;
  service?: { id: string; summary?: string };
  escalation_policy?: { id: string };
  assignments?: Array<{ assignee: { id: string; summary?: string } }>;
  last_status_change_at?: string;
  incident_key?: string;
  /** An object in PagerDuty's schema; older integrations wrote a string. */
  body?: { details?: string | Record<string, unknown> };
}

function violationText(header: string): string | undefined {
  try {
    const v = JSON.parse(header) as Array<{ location?: string[]; message?: string }>;
    return v.map((x) => `${(x.location ?? []).join('.')}: ${x.message}`).join('; ') || undefined;
  } catch {
    return undefined;
  }
}

export class PagerDutyBackend implements OncallBackend {
  readonly kind = 'pagerduty' as const;
  constructor(
    private readonly model: OncallModel,
    private readonly cfg: PdConfig,
    private readonly f: typeof fetch,
    private readonly now: () => number,
  ) {}

  /** One REST call. Arrays go out as `key[]=a&key[]=b`, the form PagerDuty documents. */
  async rest<T>(method: string, path: string, opts: { query?: Query; body?: unknown; write?: boolean } = {}): Promise<T> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const x of v) qs.append(`${k}[]`, x);
      else qs.append(k, String(v));
    }
    // The vendor type selects API v2; application/json names the body type (validating mocks negotiate on it).
    const headers: Record<string, string> = { Accept: 'application/vnd.pagerduty+json;version=2, application/json', 'Content-Type': 'application/json', Authorization: `Token token=${this.cfg.token}` };
    if (opts.write) {
      if (!this.cfg.from) throw new HelmError('config', 'PagerDuty write calls need the From header: set [oncall.pagerduty] from', { file: this.model.file, keyPath: 'oncall.pagerduty.from', fix: 'from = "the email of a PagerDuty user"' });
      headers.From = this.cfg.from;
    }
    const target = `${this.cfg.url}${path}${qs.size ? `?${qs}` : ''}`;
    let res: Response;
    try {
      res = await this.f(target, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new HelmError('aws-access', `PagerDuty at ${this.cfg.url} is not reachable (${String((e as Error).message).split('\n')[0]})`, { fix: 'check the network and [oncall.pagerduty] url' });
    }
    return this.answer<T>(res, `${method} ${path}`);
  }

  private async answer<T>(res: Response, what: string): Promise<T> {
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (res.status === 401 || res.status === 403) throw new HelmError('aws-access', `PagerDuty refused ${what} (HTTP ${res.status})`, { file: this.model.file, keyPath: 'oncall.pagerduty.token', fix: 'check that the token is valid and may do this' });
    if (res.status === 404) throw new HelmError('input', `PagerDuty: not found (${what})`, { fix: 'check the id' });
    if (!res.ok) {
      const b = body as { error?: { message?: string; errors?: string[] }; title?: string; detail?: string; validation?: Array<{ message?: string; location?: string[] }> };
      // A validating proxy or mock names the schema violations in `sl-violations`; they say more than its example error.
      const violations = res.headers.get('sl-violations');
      const detail = (violations ? violationText(violations) : undefined) ?? b.error?.errors?.join('; ') ?? b.error?.message ?? b.validation?.map((v) => `${(v.location ?? []).join('.')}: ${v.message}`).join('; ') ?? b.detail ?? b.title ?? text.slice(0, 200);
      throw new HelmError('action-failed', `PagerDuty rejected ${what} (HTTP ${res.status}): ${printable(detail, 300)}`);
    }
    return body as T;
  }

  private id(team: TeamModel, kind: 'schedule' | 'escalation_policy' | 'service'): string {
    const id = team.remote.pagerduty?.[kind];
    if (!id) throw new HelmError('config', `team ${team.name} has no PagerDuty ${kind.replace('_', ' ')} id`, { file: this.model.file, keyPath: `oncall.teams.${team.name}.pagerduty.${kind}`, fix: `set it, e.g. [oncall.teams.${team.name}.pagerduty] ${kind} = "PABC123"` });
    return id;
  }

  async whoIsOnCall(team: TeamModel, at: number): Promise<WhoIsOnCall> {
    const ep = this.id(team, 'escalation_policy');
    const [policy, oncalls] = await Promise.all([
      this.rest<{ escalation_policy: { num_loops?: number; escalation_rules: Array<{ escalation_delay_in_minutes: number; targets: Array<{ id: string; type: string; summary?: string }> }> } }>('GET', `/escalation_policies/${encodeURIComponent(ep)}`),
      this.rest<{ oncalls: Array<{ escalation_level: number; user: { id: string; summary?: string }; start: string | null; end: string | null; schedule?: { id: string } | null }> }>('GET', '/oncalls', { query: { 'escalation_policy_ids': [ep], since: iso(at), until: iso(at + 60_000), limit: 100 } }),
    ]);
    const tiers: TierAnswer[] = policy.escalation_policy.escalation_rules.map((r, i) => {
      const people: OnCallPerson[] = oncalls.oncalls.filter((o) => o.escalation_level === i + 1).map((o) => ({ user: o.user.summary ?? o.user.id, ...(o.end ? { until: o.end } : {}) }));
      return { tier: i + 1, delayMinutes: r.escalation_delay_in_minutes, targets: r.targets.map((t) => `${t.type.replace(/_reference$/, '')}:${t.summary ?? t.id}`), oncall: [...new Map(people.map((p) => [p.user, p])).values()] };
    });
    return { team: team.name, at: iso(at), tiers };
  }

  async schedule(team: TeamModel, from: number, to: number): Promise<ScheduleView> {
    const id = this.id(team, 'schedule');
    const [s, ov] = await Promise.all([
      this.rest<{ schedule: { final_schedule?: { rendered_schedule_entries?: Array<{ start: string; end: string; user?: { summary?: string; id: string } }> } } }>('GET', `/schedules/${encodeURIComponent(id)}`, { query: { since: iso(from), until: iso(to), time_zone: 'UTC' } }),
      this.rest<{ overrides: Array<{ id: string; start: string; end: string; user: { id: string; summary?: string } }> }>('GET', `/schedules/${encodeURIComponent(id)}/overrides`, { query: { since: iso(from), until: iso(to) } }),
    ]);
    const segments: Segment[] = (s.schedule.final_schedule?.rendered_schedule_entries ?? []).map((e) => ({ start: new Date(Date.parse(e.start)).toISOString(), end: new Date(Date.parse(e.end)).toISOString(), users: e.user ? [e.user.summary ?? e.user.id] : [], overrides: [] }));
    const overrides: OverrideInfo[] = ov.overrides.map((o) => ({ id: o.id, team: team.name, user: o.user.summary ?? o.user.id, start: o.start, end: o.end, source: 'remote' as const }));
    return { team: team.name, from: iso(from), to: iso(to), segments, overrides };
  }

  private async userId(name: string): Promise<string> {
    const email = this.model.users[name]?.email ?? name;
    const r = await this.rest<{ users: Array<{ id: string; name: string; email: string }> }>('GET', '/users', { query: { query: email, limit: 25 } });
    const u = r.users.find((x) => x.email === email || x.name === name) ?? (r.users.length === 1 ? r.users[0] : undefined);
    if (!u) throw new HelmError('input', `PagerDuty has no user "${printable(name, 40)}"`, { keyPath: '--user', fix: `give the user an email in [oncall.users.${name}] that PagerDuty knows` });
    return u.id;
  }

  async addOverride(team: TeamModel, o: NewOverride): Promise<OverrideInfo> {
    if (o.add || o.replaces) throw new HelmError('usage', 'PagerDuty overrides always replace the whole schedule for their span', { keyPath: o.add ? '--add' : '--replaces', fix: 'leave out --add/--replaces with the pagerduty backend' });
    const id = this.id(team, 'schedule');
    const user = await this.userId(o.user);
    const r = await this.rest<Array<{ status: number; errors?: string[]; override?: { id: string; start: string; end: string } }>>('POST', `/schedules/${encodeURIComponent(id)}/overrides`, { write: true, body: { overrides: [{ start: iso(o.start), end: iso(o.end), user: { id: user, type: 'user_reference' }, time_zone: 'UTC' }] } });
    const first = r[0];
    if (!first || first.status >= 300 || !first.override) throw new HelmError('action-failed', `PagerDuty did not create the override: ${printable(first?.errors?.join('; ') ?? 'no result', 200)}`);
    return { id: first.override.id, team: team.name, user: o.user, start: first.override.start, end: first.override.end, source: 'remote' };
  }

  async removeOverride(team: TeamModel, overrideId: string): Promise<OverrideInfo> {
    const id = this.id(team, 'schedule');
    await this.rest('DELETE', `/schedules/${encodeURIComponent(id)}/overrides/${encodeURIComponent(overrideId)}`, { write: true });
    return { id: overrideId, team: team.name, user: '?', start: '', end: '', source: 'remote' };
  }

  private toIncident(i: PdIncident, log: IncidentEvent[] = []): Incident {
    const team = [...this.model.teams.values()].find((t) => t.remote.pagerduty?.service === i.service?.id);
    const raw = i.body?.details;
    const obj = raw && typeof raw === 'object' ? raw : {};
    const details = typeof raw === 'string' ? raw : typeof obj.description === 'string' ? obj.description : '';
    const refs = (key: 'alert' | 'issue') => (typeof obj[key] === 'string' ? [obj[key] as string] : [...details.matchAll(new RegExp(`^${key}: (\\S+)`, 'gm'))].map((m) => m[1]!));
    return {
      id: i.id,
      title: i.title ?? i.summary ?? '',
      urgency: i.urgency === 'low' ? 'low' : 'high',
      status: (['triggered', 'acknowledged', 'resolved'].includes(i.status) ? i.status : 'triggered') as IncidentStatus,
      team: team?.name,
      service: i.service?.summary ?? i.service?.id,
      description: details || undefined,
      createdAt: i.created_at,
      acknowledgedAt: log.find((e) => e.type === 'acknowledged')?.at,
      resolvedAt: log.find((e) => e.type === 'resolved')?.at ?? (i.status === 'resolved' ? i.last_status_change_at : undefined),
      tier: 1,
      loop: 0,
      assigned: (i.assignments ?? []).map((a) => a.assignee.summary ?? a.assignee.id),
      alerts: refs('alert'),
      issues: refs('issue'),
      events: log,
      backend: 'pagerduty',
      url: i.html_url,
    };
  }

  async createIncident(team: TeamModel, i: NewIncident): Promise<Incident> {
    const service = this.id(team, 'service');
    const details = { ...(i.description ? { description: i.description } : {}), ...(i.fromAlert ? { alert: i.fromAlert } : {}), ...(i.issue ? { issue: i.issue } : {}), opened_by: `${i.by} (helm-cloud)` };
    const r = await this.rest<{ incident: PdIncident }>('POST', '/incidents', {
      write: true,
      body: { incident: { type: 'incident', title: i.title, service: { id: service, type: 'service_reference' }, urgency: i.urgency, body: { type: 'incident_body', details }, ...(i.fromAlert ? { incident_key: i.fromAlert } : {}) } },
    });
    return this.toIncident(r.incident);
  }

  /** Events API v2: trigger / acknowledge / resolve by dedup key (used for pages raised from alerts). */
  async event(action: 'trigger' | 'acknowledge' | 'resolve', dedupKey: string, payload?: { summary: string; source: string; severity: 'critical' | 'error' | 'warning' | 'info' }): Promise<{ status: string; dedup_key: string }> {
    if (!this.cfg.routingKey) throw new HelmError('config', 'Events API v2 needs an integration key: set [oncall.pagerduty] routing_key', { file: this.model.file, keyPath: 'oncall.pagerduty.routing_key', fix: 'routing_key = "env:PAGERDUTY_ROUTING_KEY"' });
    let res: Response;
    try {
      res = await this.f(`${this.cfg.eventsUrl}/enqueue`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ routing_key: this.cfg.routingKey, event_action: action, dedup_key: dedupKey, ...(payload ? { payload } : {}) }), signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new HelmError('aws-access', `PagerDuty Events API at ${this.cfg.eventsUrl} is not reachable (${String((e as Error).message).split('\n')[0]})`);
    }
    return this.answer(res, `event ${action}`);
  }

  async listIncidents(filter: { status?: IncidentStatus[]; team?: string }): Promise<Incident[]> {
    const team = filter.team ? this.model.teams.get(filter.team) : undefined;
    const r = await this.rest<{ incidents: PdIncident[] }>('GET', '/incidents', { query: { 'statuses': filter.status, 'service_ids': team ? [this.id(team, 'service')] : undefined, limit: 100 } });
    return r.incidents.map((i) => this.toIncident(i));
  }

  async getIncident(id: string): Promise<Incident> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new HelmError('input', `"${printable(id, 40)}" is not a PagerDuty incident id`, { fix: '`helm-cloud incident list` shows them' });
    const r = await this.rest<{ incident: PdIncident }>('GET', `/incidents/${encodeURIComponent(id)}`);
    const kind = (t: string): IncidentEvent['type'] => (t.startsWith('trigger') ? 'created' : t.startsWith('acknowledge') ? 'acknowledged' : t.startsWith('escalate') ? 'escalated' : t.startsWith('resolve') ? 'resolved' : t.startsWith('notify') ? 'paged' : 'note');
    let events: IncidentEvent[];
    try {
      const log = await this.rest<{ log_entries: Array<{ type: string; created_at: string; agent?: { summary?: string }; summary?: string }> }>('GET', `/incidents/${encodeURIComponent(id)}/log_entries`, { query: { limit: 100 } });
      events = log.log_entries.map((e) => ({ at: e.created_at, type: kind(e.type), by: e.agent?.summary, note: e.summary })).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    } catch (e) {
      // The incident itself arrived: show it, and say the timeline did not.
      events = [{ at: new Date(this.now()).toISOString(), type: 'note', note: `log entries unavailable: ${(e as Error).message}` }];
    }
    return this.toIncident(r.incident, events);
  }

  private async update(id: string, change: Record<string, unknown>): Promise<Incident> {
    await this.rest('PUT', `/incidents/${encodeURIComponent(id)}`, { write: true, body: { incident: { type: 'incident_reference', ...change } } });
    return this.getIncident(id);
  }

  acknowledge(id: string): Promise<Incident> {
    return this.update(id, { status: 'acknowledged' });
  }

  resolve(id: string): Promise<Incident> {
    return this.update(id, { status: 'resolved' });
  }

  async escalate(id: string): Promise<Incident> {
    const cur = await this.rest<{ incident: PdIncident & { escalation_level?: number } }>('GET', `/incidents/${encodeURIComponent(id)}`);
    if (cur.incident.status === 'resolved') throw new HelmError('input', `${id} is resolved; there is nothing to escalate`, { fix: 'open a new incident if the problem is back' });
    return this.update(id, { escalation_level: (cur.incident.escalation_level ?? 1) + 1 });
  }

  async tick(): Promise<Array<{ incident: Incident; step: IncidentEvent }>> {
    void this.now;
    return [];
  }
}
