/**
 * Seeds GoAlert through its GraphQL API with the same rotations a local-mode team declares, so the oracle test
 * can ask GoAlert who is on call. Mapping: a layer → a rotation (same zone, start, type, length, members) as a
 * schedule target whose rules are the layer's restrictions (in the schedule's zone); an override → a user override
 * (a plain override = add the user and remove every other rotation member over the span, which is what "this
 * person instead of the schedule" means in GoAlert). GoAlert keeps the rotation position as state (the member on
 * call when the rotation was created), so the seeder sets `activeUserIndex` to the position local mode computes
 * for now; every later handoff is GoAlert's own arithmetic.
 */
import type { TeamModel } from '../../../src/config/oncall.js';
import { rotationShiftAt } from '../../../src/core/schedule.js';
import type { GoAlertServer } from './goalert.js';

const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export async function createUsers(ga: GoAlertServer, names: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const n of names) {
    const r = await ga.gql<{ createUser: { id: string } }>('mutation($i:CreateUserInput!){createUser(input:$i){id}}', {
      i: { username: n, password: `${n}-password-1`, name: n, email: `${n}@example.test`, role: 'user' },
    });
    ids.set(n, r.createUser.id);
  }
  return ids;
}

export async function seedTeam(ga: GoAlertServer, team: TeamModel, users: Map<string, string>, suffix: string): Promise<string> {
  const s = team.schedule;
  const targets = [] as unknown[];
  const rotations: Array<{ id: string; layer: (typeof s.layers)[number] }> = [];
  for (const l of s.layers) {
    const rot = await ga.gql<{ createRotation: { id: string } }>('mutation($i:CreateRotationInput!){createRotation(input:$i){id}}', {
      i: { name: `${team.name}-${l.name}-${suffix}`, timeZone: l.timeZone, start: new Date(l.start).toISOString(), type: l.unit, shiftLength: l.length, userIDs: l.members.map((m) => users.get(m)!) },
    });
    rotations.push({ id: rot.createRotation.id, layer: l });
    const rules = l.restrictions.length
      ? l.restrictions.map((r) => ({ start: clock(r.start), end: clock(r.end), weekdayFilter: [0, 1, 2, 3, 4, 5, 6].map((d) => r.days.includes(d)) }))
      : [{ start: '00:00', end: '00:00', weekdayFilter: [true, true, true, true, true, true, true] }];
    targets.push({ target: { id: rot.createRotation.id, type: 'rotation' }, rules });
  }
  const sch = await ga.gql<{ createSchedule: { id: string } }>('mutation($i:CreateScheduleInput!){createSchedule(input:$i){id}}', {
    i: { name: `${team.name}-${suffix}`, timeZone: s.timeZone, targets },
  });
  const scheduleID = sch.createSchedule.id;
  await alignRotations(ga, rotations);
  const members = [...new Set(s.layers.flatMap((l) => l.members))];
  for (const o of s.overrides) {
    const span = { scheduleID, start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() };
    const inputs = o.add
      ? [{ ...span, addUserID: users.get(o.user) }]
      : o.replaces
        ? [{ ...span, addUserID: users.get(o.user), removeUserID: users.get(o.replaces) }]
        : [{ ...span, addUserID: users.get(o.user) }, ...members.filter((m) => m !== o.user).map((m) => ({ ...span, removeUserID: users.get(m) }))];
    for (const i of inputs) await ga.gql('mutation($i:CreateUserOverrideInput!){createUserOverride(input:$i){id}}', { i });
  }
  return scheduleID;
}

/** Sets each rotation's active member to the one local mode has on call now (re-done if a handoff slips in between). */
async function alignRotations(ga: GoAlertServer, rotations: Array<{ id: string; layer: TeamModel['schedule']['layers'][number] }>): Promise<void> {
  for (const { id, layer } of rotations) {
    if (layer.members.length < 2) continue;
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = rotationShiftAt(layer, Date.now())!.index;
      await ga.gql('mutation($i:UpdateRotationInput!){updateRotation(input:$i)}', { i: { id, activeUserIndex: before } });
      const after = rotationShiftAt(layer, Date.now())!.index;
      const got = await ga.gql<{ rotation: { activeUserIndex: number } }>('query($id:ID!){rotation(id:$id){activeUserIndex}}', { id });
      if (after === before && got.rotation.activeUserIndex === before) break;
    }
  }
}

export interface Shift {
  user: string;
  start: number;
  end: number;
}

/** GoAlert's own shifts for [from, to), fetched in the ≤ 50-day windows its API allows. */
export async function goalertShifts(ga: GoAlertServer, scheduleID: string, from: number, to: number): Promise<Shift[]> {
  const out: Shift[] = [];
  const step = 45 * 86_400_000;
  for (let a = from; a < to; a += step) {
    const b = Math.min(to, a + step);
    const r = await ga.gql<{ schedule: { shifts: Array<{ user: { name: string }; start: string; end: string }> } }>(
      'query($id:ID!,$s:ISOTimestamp!,$e:ISOTimestamp!){schedule(id:$id){shifts(start:$s,end:$e){user{name} start end}}}',
      { id: scheduleID, s: new Date(a).toISOString(), e: new Date(b).toISOString() },
    );
    for (const s of r.schedule.shifts) out.push({ user: s.user.name, start: Date.parse(s.start), end: Date.parse(s.end) });
  }
  return out;
}

export function usersAt(shifts: Shift[], t: number): string[] {
  return [...new Set(shifts.filter((s) => s.start <= t && t < s.end).map((s) => s.user))].sort();
}
