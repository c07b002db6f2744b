/**
 * The oracle: the same rotations declared in local mode (monitoring.toml) and seeded into a real GoAlert; who is on
 * call compared at ≥ 1,000 random instants of the coming year plus every DST change of that year (at, and one
 * minute / half an hour / an hour either side) in every zone used. Every instant must agree.
 *
 * Layers here never overlap in time: GoAlert puts every active rule's user on call (a union), while local mode
 * (like PagerDuty) lets the highest layer win, so the two agree exactly when layers are disjoint. Zones whose DST
 * changes happen at midnight are left out: GoAlert's own rule code says it may break there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMonitoring, openWorkspace } from '../../src/config/load.js';
import { loadOncall, type OncallModel } from '../../src/config/oncall.js';
import { handoffs, onCallAt } from '../../src/core/schedule.js';
import { transitions } from '../../src/core/time-zone.js';
import { makeProject } from '../support/index.js';
import { startGoAlert, type GoAlertServer } from '../substrates/goalert/goalert.js';
import { createUsers, goalertShifts, seedTeam, usersAt, type Shift } from '../substrates/goalert/seed.js';

const DAY = 86_400_000;
const MIN = 60_000;
// The "test year": 365 days starting after every rotation's shift in progress has ended. GoAlert's shift API
// answers the past and the shift in progress from its recorded history (which a just-seeded server does not
// have yet), and the future from the rules; only the latter is an oracle for the arithmetic.
let T0 = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;
let T1 = T0 + 365 * DAY;
const iso = (t: number) => new Date(t).toISOString();

function config(): string {
  // Overrides placed in the test year: one straddling an hourly handoff, one straddling a daily handoff across
  // a DST change, a swap, and an add.
  const nyFall = transitions('America/New_York', T0, T1).find((t) => t.offsetAfter < t.offsetBefore)!.at;
  const mid = T0 + 100 * DAY + 9 * 3_600_000 + 30 * MIN;
  return `
[oncall]
backend = "local"
[oncall.users]
${['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon', 'kim', 'lea'].map((u) => `${u} = { name = "${u}" }`).join('\n')}

[oncall.teams.ny-weekly]
time_zone = "America/New_York"
layers = [{ name = "primary", members = ["ann", "ben", "cat"], rotation = "weekly", start = "2025-01-06T09:00" }]

[oncall.teams.berlin-day-night]
time_zone = "Europe/Berlin"
[[oncall.teams.berlin-day-night.layers]]
name = "day"
members = ["dan", "eve", "fay"]
rotation = "weekly"
length = 2
start = "2025-03-30T08:00"
restrictions = [{ start = "08:00", end = "20:00" }]
[[oncall.teams.berlin-day-night.layers]]
name = "night"
members = ["gus", "hal"]
rotation = "daily"
start = "2026-06-01T20:00"
restrictions = [{ start = "20:00", end = "08:00" }]

[oncall.teams.sydney-hourly]
time_zone = "Australia/Sydney"
layers = [{ name = "hourly", members = ["ivy", "jon", "kim", "lea"], rotation = "hourly", start = "2026-10-04T00:00", restrictions = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }] }]

[oncall.teams.ny-hourly]
time_zone = "America/New_York"
layers = [{ name = "hourly", members = ["ann", "ben", "cat", "dan", "eve"], rotation = "hourly", start = "2026-03-08T01:00" }]
overrides = [
  { user = "kim", start = "${iso(mid)}", end = "${iso(mid + 2 * 3_600_000)}" },
  { user = "lea", replaces = "cat", start = "${iso(mid + 50 * DAY)}", end = "${iso(mid + 51 * DAY)}" },
  { user = "jon", add = true, start = "${iso(nyFall - 3 * 3_600_000)}", end = "${iso(nyFall + 3 * 3_600_000)}" },
]

[oncall.teams.kolkata-weekend]
time_zone = "Asia/Kolkata"
layers = [{ name = "weekend", members = ["fay", "gus", "hal"], rotation = "daily", length = 2, start = "2025-11-01T02:30", time_zone = "America/New_York", restrictions = [{ days = ["sat", "sun"], start = "00:00", end = "00:00" }] }]

[oncall.teams.london-0130]
time_zone = "Europe/London"
layers = [{ name = "daily", members = ["ivy", "jon", "kim"], rotation = "daily", start = "2025-02-01T01:30" }]
overrides = [{ user = "ann", start = "${iso(T0 + 200 * DAY)}", end = "${iso(T0 + 203 * DAY)}" }]
`;
}

let ga: GoAlertServer;
let model: OncallModel;
const shifts = new Map<string, Shift[]>();

beforeAll(async () => {
  ga = await startGoAlert();
  const project = makeProject({ 'plugins/helm-cloud/monitoring.toml': config() });
  const ws = openWorkspace(project);
  model = loadOncall(ws, loadMonitoring(ws));
  const now = Date.now();
  for (const team of model.teams.values()) for (const l of team.schedule.layers) T0 = Math.max(T0, Math.ceil((handoffs(l, now, now + 30 * DAY)[0]! + 1) / MIN) * MIN);
  T1 = T0 + 365 * DAY;
  const users = await createUsers(ga, Object.keys(model.users));
  for (const team of model.teams.values()) {
    const id = await seedTeam(ga, team, users, String(Date.now()));
    shifts.set(team.name, await goalertShifts(ga, id, T0, T1));
  }
}, 600_000);

afterAll(async () => {
  await ga?.stop();
});

function instants(): number[] {
  // Deterministic pseudo-random instants (whole minutes: GoAlert schedules at minute resolution).
  let x = 0x9e3779b9;
  const rnd = () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const out = new Set<number>();
  for (let i = 0; i < 1200; i++) out.add(T0 + Math.floor((rnd() * (T1 - T0 - 2 * 3_600_000)) / MIN) * MIN + 3_600_000);
  for (const team of model.teams.values()) {
    const zones = new Set([team.timeZone, ...team.schedule.layers.map((l) => l.timeZone)]);
    for (const tz of zones) {
      for (const tr of transitions(tz, T0 + 3_600_000, T1 - 3_600_000)) for (const d of [-60, -30, -1, 0, 1, 30, 60]) out.add(tr.at + d * MIN);
    }
    // The handoffs nearest each DST change, and each override's edges.
    for (const l of team.schedule.layers) {
      for (const tr of transitions(l.timeZone, T0 + DAY, T1 - DAY)) for (const h of handoffs(l, tr.at - DAY, tr.at + DAY)) for (const d of [-1, 0, 1]) out.add(h + d * MIN);
    }
    for (const o of team.schedule.overrides) for (const d of [-1, 0, 1]) (out.add(o.start + d * MIN), out.add(o.end + d * MIN));
  }
  return [...out].filter((t) => t >= T0 && t < T1).sort((a, b) => a - b);
}

describe('local on-call schedules against GoAlert', () => {
  it('agrees with GoAlert on who is on call at every instant compared, DST changes included', () => {
    const ts = instants();
    const dst = new Set<number>();
    for (const team of model.teams.values()) for (const l of team.schedule.layers) for (const tr of transitions(l.timeZone, T0, T1)) dst.add(tr.at);
    for (const team of model.teams.values()) for (const tr of transitions(team.timeZone, T0, T1)) dst.add(tr.at);
    let compared = 0;
    const disagreements: string[] = [];
    for (const team of model.teams.values()) {
      const theirs = shifts.get(team.name)!;
      for (const t of ts) {
        compared++;
        const local = onCallAt(team.schedule, t).users;
        const remote = usersAt(theirs, t);
        if (local.join() !== remote.join()) disagreements.push(`${team.name} @ ${iso(t)}: local [${local}] goalert [${remote}]`);
      }
    }
    console.log(`oncall oracle: ${compared} comparisons (${ts.length} instants × ${model.teams.size} schedules, ${dst.size} DST changes in ${iso(T0).slice(0, 10)}..${iso(T1).slice(0, 10)}), disagreements = ${disagreements.length}`);
    expect(ts.length).toBeGreaterThanOrEqual(1000);
    expect(dst.size).toBeGreaterThanOrEqual(6);
    expect(disagreements.slice(0, 20)).toEqual([]);
  });

  it('compares schedules where someone is on call, nobody is, and overrides change the answer', () => {
    // Guards the comparison itself: a seeding that left GoAlert empty would "agree" with empty local answers.
    const ts = instants();
    const team = model.teams.get('sydney-hourly')!;
    const answers = ts.map((t) => onCallAt(team.schedule, t).users.length);
    expect(answers.filter((n) => n === 0).length).toBeGreaterThan(100);
    expect(answers.filter((n) => n === 1).length).toBeGreaterThan(100);
    const ny = model.teams.get('ny-hourly')!;
    expect(ts.some((t) => onCallAt(ny.schedule, t).overrides.length > 0)).toBe(true);
    expect(shifts.get('ny-hourly')!.some((s) => s.user === 'kim')).toBe(true);
  });
});
