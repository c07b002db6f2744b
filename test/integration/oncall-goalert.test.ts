/**
 * The goalert backend against a real GoAlert: on-call per tier, schedule, overrides and the incident life cycle
 * through the CLI, with the results read back from GoAlert's own API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMonitoring, openWorkspace } from '../../src/config/load.js';
import { loadOncall } from '../../src/config/oncall.js';
import { onCallAt } from '../../src/core/schedule.js';
import { makeProject, runCli } from '../support/index.js';
import { startGoAlert, type GoAlertServer } from '../substrates/goalert/goalert.js';
import { createUsers, seedTeam } from '../substrates/goalert/seed.js';

const TEAMS = `
[oncall.users]
ann = {}
ben = {}
cat = {}
lead = {}
[oncall.teams.payments]
time_zone = "Europe/Berlin"
layers = [{ name = "primary", members = ["ann", "ben", "cat"], rotation = "daily", start = "2025-06-02T09:00" }]
`;

let ga: GoAlertServer;
let dir: string;
let ids: { schedule: string; service: string; policy: string };
let localSchedule: ReturnType<typeof loadOncall>['teams'] extends Map<string, infer T> ? T : never;
const env = () => ({ GOALERT_TEST_TOKEN: ga.token });
const cli = (...args: string[]) => runCli([...args, '--output', 'json'], { cwd: dir, env: env() });

beforeAll(async () => {
  ga = await startGoAlert();
  const seedDir = makeProject({ 'plugins/helm-cloud/monitoring.toml': TEAMS });
  const ws = openWorkspace(seedDir);
  const team = loadOncall(ws, loadMonitoring(ws)).teams.get('payments')!;
  localSchedule = team;
  const users = await createUsers(ga, ['ann', 'ben', 'cat', 'lead']);
  const schedule = await seedTeam(ga, team, users, 'it');
  const svc = await ga.gql<{ createService: { id: string; escalationPolicyID: string } }>('mutation($i:CreateServiceInput!){createService(input:$i){id escalationPolicyID}}', {
    i: { name: 'checkout-api', newEscalationPolicy: { name: 'payments-ep', repeat: 0, steps: [{ delayMinutes: 5, targets: [{ id: schedule, type: 'schedule' }] }, { delayMinutes: 10, targets: [{ id: users.get('lead'), type: 'user' }] }] } },
  });
  ids = { schedule, service: svc.createService.id, policy: svc.createService.escalationPolicyID };
  dir = makeProject({
    'plugins/helm-cloud/monitoring.toml': `[oncall]\nbackend = "goalert"\n[oncall.goalert]\nurl = "${ga.url}"\ntoken = "env:GOALERT_TEST_TOKEN"\n${TEAMS}goalert = { schedule = "${ids.schedule}", service = "${ids.service}", escalation_policy = "${ids.policy}" }\n`,
  });
}, 300_000);

afterAll(async () => {
  await ga?.stop();
});

describe('goalert backend', () => {
  it('names the on-call per tier as GoAlert has it, and the same person local mode computes', async () => {
    // Ask about tomorrow noon: GoAlert computes future shifts from its rules (the current one comes from its history).
    const at = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 36 * 3_600_000).toISOString();
    const r = await cli('oncall', 'who_is_oncall', '--team', 'payments', '--at', at);
    expect(r.stderr).toBe('');
    const j = r.json<{ backend: string; tiers: Array<{ tier: number; delayMinutes: number; oncall: Array<{ user: string; until?: string }> }> }>();
    expect(j.backend).toBe('goalert');
    expect(j.tiers.map((t) => [t.tier, t.delayMinutes])).toEqual([[1, 5], [2, 10]]);
    expect(j.tiers[0]!.oncall.map((p) => p.user)).toEqual(onCallAt(localSchedule.schedule, Date.parse(at)).users);
    expect(j.tiers[1]!.oncall.map((p) => p.user)).toEqual(['lead']);
  });

  it('records an override in GoAlert and removes it again', async () => {
    const from = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString();
    const add = await cli('oncall', 'override_oncall', '--team', 'payments', '--user', 'lead', '--from', from, '--to', to);
    expect(add.stderr).toBe('');
    const id = add.json<{ override: { id: string } }>().override.id;
    const mid = new Date(Date.parse(from) + 1_800_000).toISOString();
    const who = await cli('oncall', 'who_is_oncall', '--team', 'payments', '--at', mid);
    expect(who.json<{ tiers: Array<{ oncall: Array<{ user: string }> }> }>().tiers[0]!.oncall.map((p) => p.user)).toEqual(['lead']);
    const rm = await cli('oncall', 'override_oncall', '--team', 'payments', '--remove', id);
    expect(rm.code).toBe(0);
    const left = await ga.gql<{ userOverrides: { nodes: unknown[] } }>('query($id:ID!){userOverrides(input:{scheduleID:$id}){nodes{id}}}', { id: ids.schedule });
    expect(left.userOverrides.nodes).toEqual([]);
  });

  it('runs an incident as a GoAlert alert: create, escalate, acknowledge, resolve', async () => {
    const c = await cli('incident', 'create', '--team', 'payments', '--title', 'checkout 5xx', '--urgency', 'high', '--from-alert', 'A-7');
    expect(c.stderr).toBe('');
    const inc = c.json<{ incident: { id: string; status: string; alerts: string[] } }>().incident;
    expect(inc).toMatchObject({ status: 'triggered', alerts: ['A-7'] });
    const esc = await cli('incident', 'escalate', inc.id);
    expect(esc.json<{ incident: { tier: number } }>().incident.tier).toBe(2);
    const ack = await cli('incident', 'acknowledge', inc.id);
    expect(ack.json<{ incident: { status: string } }>().incident.status).toBe('acknowledged');
    const res = await cli('incident', 'resolve', inc.id);
    expect(res.json<{ incident: { status: string } }>().incident.status).toBe('resolved');
    const back = await ga.gql<{ alert: { status: string } }>('query($id:Int!){alert(id:$id){status}}', { id: Number(inc.id) });
    expect(back.alert.status).toBe('StatusClosed');
    const show = await cli('incident', 'show', inc.id);
    expect(show.json<{ incident: { events: Array<{ type: string }> } }>().incident.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'acknowledged', 'resolved']));
  });

  it('exits 2 for an id GoAlert cannot have, and 4 for a refused token', async () => {
    const bad = await cli('incident', 'show', 'INC-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a GoAlert alert id/);
    const denied = await runCli(['oncall', 'who_is_oncall', '--team', 'payments'], { cwd: dir, env: { GOALERT_TEST_TOKEN: 'not-a-token' } });
    expect(denied.code).toBe(4);
    expect(denied.stderr).toMatch(/GoAlert refused the token/);
  });
});
