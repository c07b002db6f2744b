/**
 * oncall and incident families in local mode, through the built CLI (and, where time must pass, through the
 * ops-manager with an injected clock): answers, recorded state read back, exit codes, bad input.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/io.js';
import { runIncident, runOncall, type OncallRequest } from '../../src/ops-manager/oncall.js';
import { makeProject, runCli } from '../support/index.js';

const TEAM = `
[oncall]
default_team = "payments"
[oncall.users]
alice = { name = "Alice Ng", email = "alice@example.com" }
bob = { name = "Bob" }
carol = {}
dave = {}
[oncall.teams.payments]
time_zone = "Europe/Berlin"
services = ["checkout-api"]
layers = [{ name = "primary", members = ["alice", "bob", "carol"], rotation = "daily", start = "2026-01-05T09:00" }]
[oncall.teams.payments.escalation]
repeat = 1
tiers = [{ delay_minutes = 5, targets = ["oncall"] }, { delay_minutes = 10, targets = ["user:dave"] }]
[oncall.teams.platform]
time_zone = "UTC"
layers = [{ members = ["dave"], rotation = "weekly", start = "2026-01-05T00:00" }]
escalation = { tiers = [{ delay_minutes = 0, targets = ["oncall"] }, { delay_minutes = 30, targets = ["team:payments"] }] }
`;
const project = (extra = '') => makeProject({ 'plugins/helm-cloud/monitoring.toml': TEAM + extra });
const cli = (dir: string, ...args: string[]) => runCli([...args, '--output', 'json'], { cwd: dir });
const oncallDir = (dir: string) => join(dir, '.fractary', 'plugins', 'helm-cloud', 'oncall');

describe('who_is_oncall and schedule', () => {
  it('names the person per escalation tier and until when', async () => {
    const dir = project();
    const r = await cli(dir, 'oncall', 'who_is_oncall', '--at', '2026-12-08T10:00:00Z');
    expect(r.code).toBe(0);
    const j = r.json<{ tiers: Array<{ tier: number; oncall: Array<{ user: string; until?: string; name?: string }> }> }>();
    // 2026-01-05 → 2026-12-08 is 337 days: 337 mod 3 = 1 → bob, until the next 09:00 Berlin handoff.
    expect(j.tiers[0]!.oncall).toEqual([{ user: 'bob', name: 'Bob', until: '2026-12-09T08:00:00.000Z' }]);
    expect(j.tiers[1]!.oncall.map((p) => p.user)).toEqual(['dave']);
  });

  it('lists the shifts in the reader zone and draws a day timeline on a terminal', async () => {
    const dir = project();
    const r = await cli(dir, 'oncall', 'schedule', '--team', 'payments', '--from', '2026-12-08T00:00:00Z', '--days', '2', '--tz', 'America/New_York');
    const j = r.json<{ segments: Array<{ start: string; users: string[] }>; timeZone: string }>();
    expect(j.timeZone).toBe('America/New_York');
    expect((j as unknown as { handoffs: Array<{ at: string; from: string; to: string }> }).handoffs).toEqual([
      { at: '2026-12-08T08:00:00.000Z', layer: 'primary', from: 'alice', to: 'bob' },
      { at: '2026-12-09T08:00:00.000Z', layer: 'primary', from: 'bob', to: 'carol' },
    ]);
    expect(j.segments.map((s) => [s.start, s.users.join()])).toEqual([
      ['2026-12-08T00:00:00.000Z', 'alice'],
      ['2026-12-08T08:00:00.000Z', 'bob'],
      ['2026-12-09T08:00:00.000Z', 'carol'],
    ]);
    const t = await runCli(['oncall', 'schedule', '--from', '2026-12-08T00:00:00Z', '--days', '1', '--tz', 'UTC', '--output', 'table'], { cwd: dir });
    expect(t.stdout).toContain('2026-12-08 08:00');
  });

  it('accepts the slash form and the short action names', async () => {
    const dir = project();
    const a = await runCli(['/fractary-helm-cloud:oncall who_is_oncall --team platform --output json'], { cwd: dir });
    const b = await runCli(['/oncall', 'who', '--team', 'platform', '--output', 'json'], { cwd: dir });
    expect(a.json<{ tiers: Array<{ oncall: Array<{ user: string }> }> }>().tiers[0]!.oncall[0]!.user).toBe('dave');
    expect(b.code).toBe(0);
  });
});

describe('override_oncall', () => {
  it('records an override, shows it, and removes it again', async () => {
    const dir = project();
    const at = '2026-12-08T10:00:00Z';
    const add = await cli(dir, 'oncall', 'override_oncall', '--team', 'payments', '--user', 'dave', '--from', '2026-12-08T07:00:00Z', '--to', '2026-12-08T12:00:00Z', '--note', 'swap for a dentist visit');
    expect(add.code).toBe(0);
    const id = add.json<{ override: { id: string } }>().override.id;
    expect(id).toBe('OVR-1');
    const who = await cli(dir, 'oncall', 'who_is_oncall', '--at', at);
    expect(who.json<{ tiers: Array<{ oncall: Array<{ user: string }> }> }>().tiers[0]!.oncall.map((p) => p.user)).toEqual(['dave']);
    // The override straddles the 08:00Z handoff: both sides show dave.
    const sched = await cli(dir, 'oncall', 'schedule', '--from', '2026-12-08T06:00:00Z', '--days', '1');
    const segs = sched.json<{ segments: Array<{ start: string; users: string[]; overrides: string[] }>; overrides: Array<{ id: string; by: string }> }>();
    expect(segs.segments.slice(0, 3).map((s) => [s.start.slice(11, 16), s.users.join()])).toEqual([
      ['06:00', 'alice'],
      ['07:00', 'dave'],
      ['12:00', 'bob'],
    ]);
    expect(segs.overrides.map((o) => o.id)).toEqual(['OVR-1']);
    const rm = await cli(dir, 'oncall', 'override_oncall', '--team', 'payments', '--remove', 'OVR-1');
    expect(rm.code).toBe(0);
    const after = await cli(dir, 'oncall', 'who_is_oncall', '--at', at);
    expect(after.json<{ tiers: Array<{ oncall: Array<{ user: string }> }> }>().tiers[0]!.oncall.map((p) => p.user)).toEqual(['bob']);
    const again = await cli(dir, 'oncall', 'override_oncall', '--team', 'payments', '--remove', 'OVR-1');
    expect(again.code).toBe(2);
    const lines = readFileSync(join(oncallDir(dir), 'overrides.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['add', 'remove']);
  });
});

describe('bad input', () => {
  it.each([
    ['an unknown team', ['oncall', 'who_is_oncall', '--team', 'paymnts'], /unknown team "paymnts".*did you mean --team payments/],
    ['an unknown user', ['oncall', 'override_oncall', '--user', 'alcie', '--from', '2026-12-08T07:00:00Z', '--to', '2026-12-08T09:00:00Z'], /unknown user "alcie".*did you mean --user alice/],
    ['an override that ends before it starts', ['oncall', 'override_oncall', '--user', 'bob', '--from', '2026-12-08T09:00:00Z', '--to', '2026-12-08T07:00:00Z'], /ends .* before it starts/],
    ['a display zone that does not exist', ['oncall', 'schedule', '--tz', 'Europe/Berlinn'], /time zone "Europe\/Berlinn" does not exist.*Europe\/Berlin/],
    ['an unknown action', ['oncall', 'who_is_on_call'], /unknown oncall action.*who_is_oncall/],
    ['an unknown incident', ['incident', 'show', 'INC-9'], /no incident INC-9/],
  ])('%s: exit 2, one line naming the fix, nothing written', async (_n, args, message) => {
    const dir = project();
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(oncallDir(dir))).toBe(false);
  });

  it.each([
    ['a time zone that does not exist', '[oncall.teams.ops]\ntime_zone = "Mars/Olympus"\nlayers = [{ members = ["bob"], rotation = "daily", start = "2026-01-01T00:00" }]\n', /oncall\.teams\.ops\.time_zone: time zone "Mars\/Olympus" does not exist/],
    ['a policy with no tiers', '[oncall.teams.ops]\nescalation = { tiers = [] }\n', /oncall\.teams\.ops\.escalation\.tiers: the escalation policy has no tiers/],
    ['a member who is not a user', '[oncall.teams.ops]\nlayers = [{ members = ["bobb"], rotation = "daily", start = "2026-01-01T00:00" }]\n', /layers\[0\]\.members\[0\]: unknown user "bobb".*did you mean "bob"/],
    ['a config override that ends before it starts', '[oncall.teams.ops]\noverrides = [{ user = "bob", start = "2026-12-08T09:00", end = "2026-12-08T08:00" }]\n', /overrides\[0\]\.end: the override ends/],
    ['a token written into the config', '[oncall.pagerduty]\ntoken = "u+abcdefghijklmnop"\n', /oncall\.pagerduty\.token/],
  ])('config with %s: exit 2 naming file and key', async (_n, extra, message) => {
    const dir = project(extra);
    const r = await runCli(['oncall', 'who_is_oncall'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/monitoring\.toml/);
    expect(r.stderr).toMatch(message);
  });
});

describe('incidents', () => {
  it('pages tier 1, escalates, stops escalating once acknowledged, and resolves', async () => {
    const dir = project();
    const c = await cli(dir, 'incident', 'create', '--title', 'checkout 5xx', '--urgency', 'high', '--service', 'checkout-api', '--from-alert', 'A-12');
    expect(c.code).toBe(0);
    const inc = c.json<{ incident: { id: string; team: string; tier: number; assigned: string[]; alerts: string[] } }>().incident;
    expect(inc).toMatchObject({ id: 'INC-1', team: 'payments', tier: 1, alerts: ['A-12'] });
    expect(inc.assigned).toHaveLength(1);
    const esc = await cli(dir, 'incident', 'escalate', 'INC-1');
    expect(esc.json<{ incident: { tier: number; assigned: string[] } }>().incident).toMatchObject({ tier: 2, assigned: ['dave'] });
    const ack = await cli(dir, 'incident', 'acknowledge', 'INC-1');
    expect(ack.json<{ incident: { status: string } }>().incident.status).toBe('acknowledged');
    const list = await cli(dir, 'incident', 'list');
    expect(list.json<{ incidents: Array<{ id: string; status: string }> }>().incidents).toEqual([expect.objectContaining({ id: 'INC-1', status: 'acknowledged' })]);
    const res = await cli(dir, 'incident', 'resolve', 'INC-1', '--note', 'rolled back');
    expect(res.json<{ incident: { status: string } }>().incident.status).toBe('resolved');
    expect((await cli(dir, 'incident', 'list')).json<{ incidents: unknown[] }>().incidents).toEqual([]);
    const events = readFileSync(join(oncallDir(dir), 'incidents.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).type);
    expect(events).toEqual(['created', 'paged', 'escalated', 'acknowledged', 'resolved']);
  });

  it('escalates an unacknowledged incident when any other helm-cloud command runs', async () => {
    const dir = project();
    await cli(dir, 'incident', 'create', '--title', 'queue backlog', '--team', 'platform');
    // platform's tier 1 waits 0 minutes: the next command of any kind moves the incident on.
    const other = await runCli(['dashboard', '--output', 'json'], { cwd: dir });
    expect(other.stderr).toMatch(/oncall: INC-1 unacknowledged: escalated to tier 2/);
    const show = await cli(dir, 'incident', 'show', 'INC-1');
    expect(show.json<{ incident: { tier: number; events: Array<{ type: string; auto?: boolean }> } }>().incident).toMatchObject({ tier: 2 });
  });

  it('escalates by the policy delays as time passes, repeats it, and stops at acknowledgement', async () => {
    const dir = project();
    const t0 = Date.parse('2026-12-08T10:00:00Z');
    let now = t0;
    const base = { cwd: dir, output: 'json' as const } satisfies Partial<OncallRequest>;
    const io = bufferIo();
    const run = (req: Partial<OncallRequest>) => runIncident({ ...base, action: 'show', ...req }, io, { now: () => now });
    await run({ action: 'create', title: 'p99 latency', team: 'payments' });
    now = t0 + 4 * 60_000;
    expect((await runOncall({ ...base, action: 'escalate' }, io, { now: () => now })).json.escalations).toEqual([]);
    now = t0 + 6 * 60_000;
    const moved = (await runOncall({ ...base, action: 'escalate' }, io, { now: () => now })).json.escalations as Array<{ tier: number; users: string[]; at: string }>;
    expect(moved).toEqual([{ incident: 'INC-1', tier: 2, users: ['dave'], at: '2026-12-08T10:05:00.000Z' }]);
    now = t0 + 16 * 60_000; // tier 2 waited 10 minutes; repeat = 1 starts over at tier 1
    const again = (await run({ id: 'INC-1' })).json.incident as { tier: number; loop: number };
    expect(again).toMatchObject({ tier: 1, loop: 1 });
    await run({ action: 'acknowledge', id: 'INC-1' });
    now = t0 + 60 * 60_000;
    expect((await runOncall({ ...base, action: 'escalate' }, io, { now: () => now })).json.escalations).toEqual([]);
  });

  it('says so (exit 1) when nobody is on call at tier 1 to be paged', async () => {
    const dir = project('[oncall.teams.sundays]\nlayers = [{ members = ["bob"], rotation = "weekly", start = "2026-01-04T00:00", restrictions = [{ days = ["sun"], start = "00:00", end = "00:00" }] }]\n');
    const monday = Date.parse('2026-12-07T10:00:00Z');
    const r = await runIncident({ cwd: dir, output: 'json', action: 'create', title: 'x', team: 'sundays' }, bufferIo(), { now: () => monday });
    expect(r.exitCode).toBe(1);
    expect(r.json.verdict).toBe('UNPAGED');
    expect(r.json.summary).toMatch(/nobody is on call at tier 1/);
  });

  it('keeps escalating with --watch and stops after --max-runs', async () => {
    const dir = project();
    await cli(dir, 'incident', 'create', '--title', 'disk full', '--team', 'platform');
    const r = await runCli(['oncall', 'escalate', '--watch', '--interval', '1s', '--max-runs', '2', '--output', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"tier": 2');
  });

  it('links a Helm issue both ways and refuses an unknown one before writing anything', async () => {
    const dir = makeProject({
      'plugins/helm-cloud/monitoring.toml': TEAM,
      'helm/issues/infra-001.json': { id: 'infra-001', domain: 'infra', title: 'checkout errors', severity: 'high', status: 'open', created_at: '2026-12-08T09:00:00Z', updated_at: '2026-12-08T09:00:00Z' },
    });
    const bad = await cli(dir, 'incident', 'create', '--title', 'x', '--issue', 'infra-009');
    expect(bad.code).toBe(2);
    expect(existsSync(join(oncallDir(dir), 'incidents.jsonl'))).toBe(false);
    const ok = await cli(dir, 'incident', 'create', '--title', 'checkout errors', '--issue', 'infra-001');
    expect(ok.json<{ incident: { issues: string[] } }>().incident.issues).toEqual(['infra-001']);
    const issue = JSON.parse(readFileSync(join(dir, '.fractary', 'helm', 'issues', 'infra-001.json'), 'utf8'));
    expect(issue.incidents).toEqual(['INC-1']);
    expect(issue.actions.at(-1)).toMatchObject({ action: 'incident', outcome: 'paged' });
  });
});

describe('postmortem', () => {
  it('writes a blameless postmortem from the recorded timeline and saves it with the reports', async () => {
    const t = (m: number) => new Date(Date.parse('2026-12-08T10:00:00Z') + m * 60_000).toISOString();
    const health = (at: string, verdict: string, burn: number | null) => ({
      schema: 'helm-cloud/health@1', command: 'health', environment: 'prod', generatedAt: at, verdict, summary: '', exitCode: 0,
      resources: [{ type: 'lambda', name: 'checkout', project: 'shop', version: '1.4.0', verdict, reasons: verdict === 'HEALTHY' ? [] : ['error rate 7.5% over 1%'], slos: [{ key: 'error_rate_percent', budgetConsumedPercent: 750, burnRates: [{ window: '1h', rate: burn }] }], alarms: [], notEvaluated: [], state: {} }],
    });
    const dir = makeProject({
      'plugins/helm-cloud/monitoring.toml': TEAM,
      'registry/deployments.json': { version: 1, deployments: [{ id: 'dep-7', environment: 'prod', project: 'shop', version: '1.4.0', deployed_at: t(-20), deployed_by: 'ci', resources: [{ type: 'lambda', name: 'checkout' }] }] },
      'plugins/helm-cloud/reports/health-prod-a.json': health(t(-12), 'UNHEALTHY', 14.4),
      'plugins/helm-cloud/reports/health-prod-b.json': health(t(15), 'UNHEALTHY', 10),
      'plugins/helm-cloud/reports/health-prod-c.json': health(t(40), 'HEALTHY', 0.5),
      'plugins/helm-cloud/reports/investigation-prod-a.json': {
        schema: 'helm-cloud/investigate@1', command: 'investigate', environment: 'prod', generatedAt: t(8), verdict: 'FINDINGS', summary: '1 hypothesis',
        hypotheses: [{ title: 'deploy 1.4.0 of shop introduced TimeoutError in checkout', confidence: 0.82, level: 'high', evidence: [{ kind: 'deploy', summary: 'errors began 2 min after dep-7' }, { kind: 'pattern', summary: 'new pattern: TimeoutError calling payments' }] }],
      },
      'plugins/helm-cloud/actions.jsonl': JSON.stringify({ attempt: 'a1', time: t(25), operator: 'ci', environment: 'prod', action: 'rollback', target: 'checkout', params: {}, outcome: 'applied', before: null, after: null, verification: { ok: true, status: 'verified', detail: '' }, issue: null, plan: null, safety: null }) + '\n',
    });
    let now = Date.parse(t(0));
    const io = bufferIo();
    const base = { cwd: dir, output: 'json' as const };
    await runIncident({ ...base, action: 'create', title: 'checkout 5xx after deploy', team: 'payments', fromAlert: 'A-12' }, io, { now: () => now });
    now = Date.parse(t(6));
    await runOncall({ ...base, action: 'escalate' }, io, { now: () => now });
    now = Date.parse(t(9));
    await runIncident({ ...base, action: 'acknowledge', id: 'INC-1' }, io, { now: () => now });
    now = Date.parse(t(45));
    await runIncident({ ...base, action: 'resolve', id: 'INC-1', note: 'rolled back to 1.3.9' }, io, { now: () => now });
    const pm = await runIncident({ ...base, action: 'postmortem', id: 'INC-1', env: 'prod', tz: 'UTC' }, io, { now: () => now });
    const md = pm.markdown();
    console.log(md);
    const p = pm.json.postmortem as { times: Record<string, number | null>; timeline: Array<{ kind: string }>; impact: { slos: Array<{ consumedPercent: number | null }> }; factors: Array<{ title: string }> };
    expect(p.times).toMatchObject({ detectMinutes: 12, acknowledgeMinutes: 9, mitigateMinutes: 25, resolveMinutes: 45 });
    expect(new Set(p.timeline.map((e) => e.kind))).toEqual(new Set(['alert', 'deploy', 'health', 'finding', 'remediation', 'incident', 'page', 'escalation', 'acknowledge', 'resolve']));
    // 12 min before at 14.4× plus 27 min at 10× plus 5 min at 0.5× of a 30-day budget ≈ 1.04%.
    expect(p.impact.slos[0]!.consumedPercent).toBeCloseTo((14.4 * 27 + 10 * 25 + 0.5 * 5) / (30 * 24 * 60) * 100, 1);
    expect(p.factors[0]!.title).toContain('deploy 1.4.0');
    expect(md).toMatch(/^# Postmortem: INC-1/);
    expect(md).toContain('## Action items');
    const saved = readdirSync(join(dir, '.fractary', 'plugins', 'helm-cloud', 'reports')).filter((f) => f.startsWith('postmortem-'));
    expect(saved.sort()).toEqual([expect.stringMatching(/INC-1\.json$/), expect.stringMatching(/INC-1\.md$/)]);
  });
});
