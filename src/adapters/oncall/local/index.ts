/**
 * Local backend: schedules from the config, state in `.fractary/plugins/helm-cloud/oncall/` (no server).
 * Paging records who was paged at which tier; escalation follows the team's policy whenever `tick` runs (any
 * helm-cloud command, or `oncall escalate --watch`).
 */
import { closest, printable } from '../../../config/explain.js';
import type { Workspace } from '../../../config/load.js';
import type { OncallModel, TeamModel } from '../../../config/oncall.js';
import { HelmError } from '../../../errors.js';
import { dueEscalations, handoffs, nextEscalation, onCallAt, onCallUntil, rotationShiftAt, segments, type Override, type Schedule } from '../../../core/schedule.js';
import type { Incident, IncidentEvent, IncidentStatus, NewIncident, NewOverride, OncallBackend, OverrideInfo, ScheduleView, TierAnswer, WhoIsOnCall } from '../types.js';
import { appendIncidentLine, appendOverrideLine, readIncidents, readOverrideLines, withOncallLock } from './state.js';

const iso = (t: number) => new Date(t).toISOString();
export const LOCAL_ID_RE = /^INC-(\d{1,9})$/;

export class LocalBackend implements OncallBackend {
  readonly kind = 'local' as const;
  constructor(
    private readonly ws: Workspace,
    private readonly model: OncallModel,
    private readonly now: () => number,
  ) {}

  /** Config overrides plus the recorded ones still in force (not removed). */
  private async overrides(team: TeamModel): Promise<{ list: Override[]; info: OverrideInfo[] }> {
    const info: OverrideInfo[] = team.schedule.overrides.map((o) => ({ id: o.id, team: team.name, user: o.user, start: iso(o.start), end: iso(o.end), replaces: o.replaces, add: o.add, source: 'config', note: o.note }));
    const list: Override[] = [...team.schedule.overrides];
    const removed = new Set<string>();
    const lines = (await readOverrideLines(this.ws)).filter((l) => l.team === team.name);
    for (const l of lines) if (l.type === 'remove') removed.add(l.id);
    for (const l of lines) {
      if (l.type !== 'add' || removed.has(l.id) || !l.user || !l.start || !l.end) continue;
      const o: Override = { id: l.id, user: l.user, start: Date.parse(l.start), end: Date.parse(l.end), replaces: l.replaces, add: l.add, createdAt: Date.parse(l.at), note: l.note };
      list.push(o);
      info.push({ id: l.id, team: team.name, user: l.user, start: l.start, end: l.end, replaces: l.replaces, add: l.add, source: 'recorded', by: l.by, createdAt: l.at, note: l.note });
    }
    return { list, info };
  }

  async scheduleOf(team: TeamModel): Promise<Schedule> {
    return { ...team.schedule, overrides: (await this.overrides(team)).list };
  }

  private person(user: string, until?: number): { user: string; name?: string; email?: string; until?: string } {
    const u = this.model.users[user];
    return { user, ...(u?.name ? { name: u.name } : {}), ...(u?.email ? { email: u.email } : {}), ...(until !== undefined ? { until: iso(until) } : {}) };
  }

  /** Who a tier's targets reach at `at`. */
  async resolveTargets(team: TeamModel, targets: string[], at: number) {
    const out: Array<{ user: string; name?: string; email?: string; until?: string }> = [];
    for (const t of targets) {
      if (t === 'oncall' || t.startsWith('team:')) {
        const name = t === 'oncall' ? team.name : t.slice(5);
        const other = this.model.teams.get(name);
        if (!other) continue;
        const s = await this.scheduleOf(other);
        const until = onCallUntil(s, at);
        for (const u of onCallAt(s, at).users) out.push(this.person(u, until));
      } else if (t.startsWith('user:')) out.push(this.person(t.slice(5)));
    }
    const dedup = new Map(out.map((p) => [p.user, p]));
    return [...dedup.values()];
  }

  async whoIsOnCall(team: TeamModel, at: number): Promise<WhoIsOnCall> {
    const tiers: TierAnswer[] = [];
    for (const [i, t] of team.policy.tiers.entries()) tiers.push({ tier: i + 1, delayMinutes: t.delayMinutes, targets: t.targets, oncall: await this.resolveTargets(team, t.targets, at) });
    return { team: team.name, at: iso(at), tiers };
  }

  async schedule(team: TeamModel, from: number, to: number): Promise<ScheduleView> {
    const { list, info } = await this.overrides(team);
    const segs = segments({ ...team.schedule, overrides: list }, from, to);
    return {
      team: team.name,
      from: iso(from),
      to: iso(to),
      segments: segs.map((s) => ({ start: iso(s.start), end: iso(s.end), users: s.users, layer: s.layer, overrides: s.overrides })),
      handoffs: team.schedule.layers
        .flatMap((l) => handoffs(l, from, to).filter((h) => h < to).map((h) => ({ at: h, layer: l.name, from: rotationShiftAt(l, h - 1)?.user ?? '', to: rotationShiftAt(l, h)?.user ?? '' })))
        .filter((h) => h.from !== h.to)
        .sort((a, b) => a.at - b.at)
        .map((h) => ({ ...h, at: iso(h.at) })),
      overrides: info.filter((o) => Date.parse(o.end) > from && Date.parse(o.start) < to),
    };
  }

  async addOverride(team: TeamModel, o: NewOverride, by: string): Promise<OverrideInfo> {
    return withOncallLock(this.ws, async () => {
      const n = (await readOverrideLines(this.ws)).filter((l) => l.type === 'add').length + 1;
      const id = `OVR-${n}`;
      const at = iso(this.now());
      await appendOverrideLine(this.ws, { type: 'add', id, at, by, team: team.name, user: o.user, start: iso(o.start), end: iso(o.end), ...(o.replaces ? { replaces: o.replaces } : {}), ...(o.add ? { add: true } : {}), ...(o.note ? { note: o.note } : {}) });
      return { id, team: team.name, user: o.user, start: iso(o.start), end: iso(o.end), replaces: o.replaces, add: o.add, source: 'recorded' as const, by, createdAt: at, note: o.note };
    });
  }

  async removeOverride(team: TeamModel, id: string, by: string): Promise<OverrideInfo> {
    return withOncallLock(this.ws, async () => {
      const { info } = await this.overrides(team);
      const hit = info.find((o) => o.id === id);
      if (!hit) {
        const cfg = team.schedule.overrides.find((o) => o.id === id);
        if (cfg) throw new HelmError('input', `override ${id} is written in the config file`, { keyPath: '--remove', fix: `delete it from ${this.model.file} (oncall.teams.${team.name}.overrides)` });
        const ids = info.filter((o) => o.source === 'recorded').map((o) => o.id);
        const near = closest(id, ids);
        throw new HelmError('input', `no override ${printable(id, 40)} in force for team ${team.name}`, { keyPath: '--remove', fix: near ? `did you mean --remove ${near}?` : ids.length ? `overrides: ${ids.join(', ')}` : 'there are no recorded overrides for this team' });
      }
      await appendOverrideLine(this.ws, { type: 'remove', id, at: iso(this.now()), by, team: team.name });
      return hit;
    });
  }

  private async page(team: TeamModel, tierIndex: number, at: number): Promise<string[]> {
    const tier = team.policy.tiers[tierIndex];
    return tier ? (await this.resolveTargets(team, tier.targets, at)).map((p) => p.user) : [];
  }

  async createIncident(team: TeamModel, i: NewIncident): Promise<Incident> {
    const now = this.now();
    return withOncallLock(this.ws, async () => {
      const all = await readIncidents(this.ws);
      let n = 0;
      for (const id of all.keys()) n = Math.max(n, Number(LOCAL_ID_RE.exec(id)?.[1] ?? 0));
      const id = `INC-${n + 1}`;
      const at = iso(now);
      await appendIncidentLine(this.ws, {
        incident: id,
        type: 'created',
        at,
        by: i.by,
        fields: { title: i.title, urgency: i.urgency, team: team.name, service: i.service, description: i.description, alerts: i.fromAlert ? [i.fromAlert] : [], issues: i.issue ? [i.issue] : [] },
      });
      const users = await this.page(team, 0, now);
      await appendIncidentLine(this.ws, { incident: id, type: 'paged', at, tier: 1, loop: 0, users, by: i.by });
      return (await readIncidents(this.ws)).get(id)!;
    });
  }

  async listIncidents(filter: { status?: IncidentStatus[]; team?: string }): Promise<Incident[]> {
    return [...(await readIncidents(this.ws)).values()].filter((i) => (!filter.status || filter.status.includes(i.status)) && (!filter.team || i.team === filter.team));
  }

  async getIncident(id: string): Promise<Incident> {
    const all = await readIncidents(this.ws);
    const inc = all.get(id);
    if (inc) return inc;
    const ids = [...all.keys()];
    const near = closest(id, ids);
    throw new HelmError('input', `no incident ${printable(id, 40)}`, { fix: near ? `did you mean ${near}? (\`helm-cloud incident list\` shows them)` : ids.length ? `incidents: ${ids.slice(-10).join(', ')}` : 'no incidents are recorded yet' });
  }

  private change(id: string, f: (inc: Incident, now: number) => Promise<IncidentEvent | undefined> | IncidentEvent | undefined): Promise<Incident> {
    const now = this.now();
    return withOncallLock(this.ws, async () => {
      const inc = (await readIncidents(this.ws)).get(id);
      if (!inc) await this.getIncident(id); // throws with the closest ids
      const ev = await f(inc!, now);
      if (ev) await appendIncidentLine(this.ws, { incident: id, ...ev });
      return (await readIncidents(this.ws)).get(id)!;
    });
  }

  async acknowledge(id: string, by: string): Promise<Incident> {
    return this.change(id, (inc, now) => {
      if (inc.status === 'resolved') throw new HelmError('input', `${id} is resolved; there is nothing to acknowledge`, { fix: 'open a new incident if the problem is back' });
      if (inc.status === 'acknowledged') return undefined; // idempotent
      return { type: 'acknowledged', at: iso(now), by };
    });
  }

  private teamOf(inc: Incident): TeamModel {
    const team = inc.team ? this.model.teams.get(inc.team) : undefined;
    if (!team) throw new HelmError('config', `incident ${inc.id} belongs to team "${inc.team ?? '?'}", which is no longer defined`, { file: this.model.file, fix: 'restore the team or resolve the incident' });
    return team;
  }

  async escalate(id: string, by: string): Promise<Incident> {
    return this.change(id, async (inc, now) => {
      if (inc.status === 'resolved') throw new HelmError('input', `${id} is resolved; there is nothing to escalate`, { fix: 'open a new incident if the problem is back' });
      const team = this.teamOf(inc);
      const next = nextEscalation(team.policy, { tier: inc.tier - 1, loop: inc.loop, at: now }, now);
      if (!next) throw new HelmError('input', `${id} is already at the last tier (${inc.tier}) of team ${team.name}'s policy`, { fix: `page someone directly, or add tiers to oncall.teams.${team.name}.escalation` });
      return { type: 'escalated', at: iso(now), by, tier: next.tier + 1, loop: next.loop, users: await this.page(team, next.tier, now) };
    });
  }

  async resolve(id: string, by: string, note?: string): Promise<Incident> {
    return this.change(id, (inc, now) => (inc.status === 'resolved' ? undefined : { type: 'resolved', at: iso(now), by, ...(note ? { note } : {}) }));
  }

  async tick(now: number): Promise<Array<{ incident: Incident; step: IncidentEvent }>> {
    const open = [...(await readIncidents(this.ws)).values()].filter((i) => i.status === 'triggered');
    if (!open.length) return [];
    return withOncallLock(this.ws, async () => {
      const moved: Array<{ incident: Incident; step: IncidentEvent }> = [];
      for (const inc of (await readIncidents(this.ws)).values()) {
        if (inc.status !== 'triggered') continue;
        const team = inc.team ? this.model.teams.get(inc.team) : undefined;
        if (!team) continue;
        const last = [...inc.events].reverse().find((e) => e.type === 'paged' || e.type === 'escalated');
        const from = { tier: inc.tier - 1, loop: inc.loop, at: Date.parse(last?.at ?? inc.createdAt) };
        for (const s of dueEscalations(team.policy, from, now)) {
          const step: IncidentEvent = { type: 'escalated', at: iso(s.at), tier: s.tier + 1, loop: s.loop, users: await this.page(team, s.tier, s.at), auto: true, by: 'policy', recordedAt: iso(now) };
          await appendIncidentLine(this.ws, { incident: inc.id, ...step });
          moved.push({ incident: inc, step });
        }
      }
      const fresh = await readIncidents(this.ws);
      return moved.map((m) => ({ incident: fresh.get(m.incident.id)!, step: m.step }));
    });
  }

  /** Records a link (issue or alert) on an incident. */
  async link(id: string, kind: 'issue' | 'alert', ref: string, by: string): Promise<Incident> {
    return this.change(id, (inc, now) => ((kind === 'issue' ? inc.issues : inc.alerts).includes(ref) ? undefined : { type: 'linked', at: iso(now), by, note: `${kind}:${ref}` }));
  }
}
