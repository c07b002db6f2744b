/**
 * Resolves `[oncall]` into the pure model src/core/schedule.ts computes with: zones checked, users and teams
 * cross-referenced (closest names on a typo), times parsed, every escalation policy with at least one tier.
 * All problems of the file are reported together, each naming file, key path and fix.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { HelmError } from '../errors.js';
import { closest, configProblem, explainZod, printable } from './explain.js';
import { PATHS, parseToml, readConfigText, type Workspace } from './load.js';
import { DAY_NAMES, OncallSection, type OncallTeam } from './oncall-schema.js';
import type { Monitoring } from './schemas.js';
import { isTimeZone, knownTimeZones, parseLocalOrInstant } from '../core/time-zone.js';
import type { Layer, Override, Policy, Schedule } from '../core/schedule.js';

export interface TeamModel {
  name: string;
  timeZone: string;
  services: string[];
  /** Layers and the overrides written in the config file (recorded overrides are added by the backend). */
  schedule: Schedule;
  policy: Policy;
  remote: { goalert?: OncallTeam['goalert']; pagerduty?: OncallTeam['pagerduty'] };
}

export interface OncallModel {
  backend: OncallSection['backend'];
  /** File the teams were read from (for messages). */
  file: string;
  users: OncallSection['users'];
  teams: Map<string, TeamModel>;
  defaultTeam?: string;
  section: OncallSection;
}

function zoneProblem(tz: string): string {
  const near = closest(tz, knownTimeZones());
  return near ? `did you mean "${near}"?` : 'use an IANA zone name such as Europe/Berlin, America/New_York or UTC';
}

export function loadOncall(ws: Workspace, monitoring: Monitoring): OncallModel {
  let section = monitoring.oncall ?? OncallSection.parse({});
  let file = ws.display(PATHS.monitoring);
  if (section.file) {
    const abs = isAbsolute(section.file) ? section.file : join(ws.path(PATHS.pluginDir), section.file);
    if (!existsSync(abs)) {
      throw new HelmError('config', `oncall file "${printable(section.file)}" not found`, { file, keyPath: 'oncall.file', fix: `create ${abs} or fix the path (relative to .fractary/plugins/helm-cloud/)` });
    }
    file = ws.display(join(PATHS.pluginDir, section.file));
    // The same checks as monitoring.toml: a regular UTF-8 file within the size limit, then TOML with a position.
    const data = JSON.parse(JSON.stringify(parseToml(readConfigText(abs, file) ?? '', file))) as Record<string, unknown>;
    const inner = (data.oncall as Record<string, unknown> | undefined) ?? data;
    const merged = { ...section, file: undefined, ...inner };
    const r = OncallSection.safeParse(merged);
    if (!r.success) throw configProblem(file, explainZod(file, r.error, merged, OncallSection));
    section = { ...r.data, backend: monitoring.oncall?.backend ?? r.data.backend };
  }
  const problems: string[] = [];
  const at = (path: string, msg: string, fix: string) => problems.push(`${file}: ${path}: ${msg}. Fix: ${fix}`);
  const userNames = Object.keys(section.users);
  const teamNames = Object.keys(section.teams);
  const checkUser = (path: string, u: string) => {
    if (userNames.length && !section.users[u]) {
      const near = closest(u, userNames);
      at(path, `unknown user "${printable(u, 40)}"`, near ? `did you mean "${near}"? (users: ${userNames.join(', ')})` : `add [oncall.users.${u}] or use one of: ${userNames.join(', ')}`);
    }
  };
  const checkZone = (path: string, tz: string) => {
    if (!isTimeZone(tz)) at(path, `time zone "${printable(tz, 40)}" does not exist`, zoneProblem(tz));
  };
  for (const [name, u] of Object.entries(section.users)) if (u.time_zone) checkZone(`oncall.users.${name}.time_zone`, u.time_zone);

  const teams = new Map<string, TeamModel>();
  for (const [name, t] of Object.entries(section.teams)) {
    const base = `oncall.teams.${name}`;
    checkZone(`${base}.time_zone`, t.time_zone);
    const tz = isTimeZone(t.time_zone) ? t.time_zone : 'UTC';
    const layers: Layer[] = [];
    t.layers.forEach((l, i) => {
      const p = `${base}.layers[${i}]`;
      if (l.time_zone) checkZone(`${p}.time_zone`, l.time_zone);
      const ltz = l.time_zone && isTimeZone(l.time_zone) ? l.time_zone : tz;
      l.members.forEach((m, j) => checkUser(`${p}.members[${j}]`, m));
      const start = parseLocalOrInstant(l.start, ltz);
      if (start === undefined) at(`${p}.start`, `"${printable(l.start, 40)}" is not a valid time`, 'e.g. start = "2026-01-05T09:00"');
      layers.push({
        name: l.name ?? `layer-${i + 1}`,
        members: l.members,
        unit: l.rotation,
        length: l.length,
        start: start ?? 0,
        timeZone: ltz,
        restrictions: l.restrictions.map((r) => ({ days: r.days.map((d) => DAY_NAMES.indexOf(d)), start: minutes(r.start), end: minutes(r.end) })),
      });
    });
    const overrides: Override[] = [];
    t.overrides.forEach((o, i) => {
      const p = `${base}.overrides[${i}]`;
      checkUser(`${p}.user`, o.user);
      if (o.replaces) checkUser(`${p}.replaces`, o.replaces);
      const s = parseLocalOrInstant(o.start, tz);
      const e = parseLocalOrInstant(o.end, tz);
      if (s === undefined) at(`${p}.start`, `"${printable(o.start, 40)}" is not a valid time`, 'e.g. "2026-01-05T09:00"');
      if (e === undefined) at(`${p}.end`, `"${printable(o.end, 40)}" is not a valid time`, 'e.g. "2026-01-05T17:00"');
      if (s !== undefined && e !== undefined && e <= s) at(`${p}.end`, `the override ends (${o.end}) before it starts (${o.start})`, 'make end later than start');
      overrides.push({ id: `config:${name}:${i + 1}`, user: o.user, start: s ?? 0, end: e ?? 0, replaces: o.replaces, add: o.add, createdAt: 0, note: o.note });
    });
    let policy: Policy = { tiers: [{ delayMinutes: 0, targets: ['oncall'] }], repeat: 0 };
    if (t.escalation) {
      if (t.escalation.tiers.length === 0) at(`${base}.escalation.tiers`, 'the escalation policy has no tiers', 'add at least one: [[oncall.teams.' + name + '.escalation.tiers]] targets = ["oncall"]');
      t.escalation.tiers.forEach((tier, i) =>
        tier.targets.forEach((tg, j) => {
          const p = `${base}.escalation.tiers[${i}].targets[${j}]`;
          if (tg.startsWith('user:')) checkUser(p, tg.slice(5));
          if (tg.startsWith('team:') && !section.teams[tg.slice(5)]) {
            const near = closest(tg.slice(5), teamNames);
            at(p, `unknown team "${printable(tg.slice(5), 40)}"`, near ? `did you mean "team:${near}"?` : `teams: ${teamNames.join(', ')}`);
          }
        }),
      );
      policy = { tiers: t.escalation.tiers.map((x) => ({ delayMinutes: x.delay_minutes, targets: x.targets })), repeat: t.escalation.repeat };
    }
    teams.set(name, { name, timeZone: tz, services: t.services, schedule: { timeZone: tz, layers, overrides }, policy, remote: { goalert: t.goalert, pagerduty: t.pagerduty } });
  }
  if (section.default_team && !section.teams[section.default_team]) {
    const near = closest(section.default_team, teamNames);
    at('oncall.default_team', `unknown team "${printable(section.default_team, 40)}"`, near ? `did you mean "${near}"?` : `teams: ${teamNames.join(', ') || '(none defined)'}`);
  }
  if (problems.length) throw configProblem(file, problems);
  return { backend: section.backend, file, users: section.users, teams, defaultTeam: section.default_team, section };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** The team a command means: --team, else the default, else the only one; unknown names get the closest. */
export function resolveTeam(model: OncallModel, team: string | undefined, flag = '--team'): TeamModel {
  const names = [...model.teams.keys()];
  const name = team ?? model.defaultTeam ?? (names.length === 1 ? names[0] : undefined);
  if (!name) {
    throw new HelmError('usage', names.length ? 'which team?' : 'no on-call teams are defined', {
      keyPath: flag,
      fix: names.length ? `pass ${flag} with one of: ${names.join(', ')} (or set [oncall] default_team)` : `declare one in ${model.file}: [oncall.teams.NAME] with layers and escalation tiers`,
    });
  }
  const t = model.teams.get(name);
  if (!t) {
    const near = closest(name, names);
    throw new HelmError('input', `unknown team "${printable(name, 40)}"`, {
      keyPath: flag,
      fix: near ? `did you mean ${flag} ${near}? (teams: ${names.join(', ')})` : names.length ? `teams: ${names.join(', ')}` : `no teams are defined in ${model.file}`,
    });
  }
  return t;
}

/** Checks a user name against the declared users (when any are declared). */
export function resolveUser(model: OncallModel, user: string, flag = '--user', extra: string[] = []): string {
  const names = [...new Set([...Object.keys(model.users), ...extra])];
  if (names.length === 0 || names.includes(user)) return user;
  const near = closest(user, names);
  throw new HelmError('input', `unknown user "${printable(user, 40)}"`, { keyPath: flag, fix: near ? `did you mean ${flag} ${near}? (users: ${names.join(', ')})` : `users: ${names.join(', ')}` });
}

/** Checks a --tz value. */
export function resolveZone(tz: string, flag = '--tz'): string {
  if (isTimeZone(tz)) return tz;
  throw new HelmError('input', `time zone "${printable(tz, 40)}" does not exist`, { keyPath: flag, fix: zoneProblem(tz) });
}
