/**
 * Workflows on seeded moto fleets, with the local on-call backend: list and plan; each of the four templates end to
 * end with every step's result read back from .fractary/plugins/helm-cloud/workflows/<run>.json; human steps stop a
 * non-interactive run with exit 3 and the printed resume command finishes it; a run SIGKILLed mid-step resumes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellSplit } from '../../src/commands/dispatch.js';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { CLI, environmentsFor, makeProject, moto, registryWith, runCli, Seeder, startFaultProxy } from '../support/index.js';

const TEAM = `
[oncall]
default_team = "payments"
[oncall.users]
alice = { name = "Alice Ng" }
[oncall.teams.payments]
time_zone = "UTC"
layers = [{ name = "primary", members = ["alice"], rotation = "daily", start = "2026-01-05T09:00" }]
[oncall.teams.payments.escalation]
tiers = [{ delay_minutes = 5, targets = ["oncall"] }]
`;
let seeder: Seeder;
beforeAll(() => {
  seeder = new Seeder({ endpoint: moto() });
});
afterAll(() => seeder.destroy());

interface Step { key: string; status: string; exitCode?: number; verdict?: string; command: string; at: string; reason?: string; summary?: string }
interface RunJson { run: string; verdict: string; summary: string; resume?: string; steps: Step[] }
const runs = (dir: string) => join(dir, '.fractary', 'plugins', 'helm-cloud', 'workflows');
const record = (dir: string, id: string) => JSON.parse(readFileSync(join(runs(dir), `${id}.json`), 'utf8')) as { status: string; steps: Step[] };

async function fleet(name: string) {
  await seeder.createFunction(name, { memory: 128 });
  return makeProject({
    'shared/environments.json': environmentsFor(moto()),
    'plugins/helm-cloud/monitoring.toml': TEAM,
    'registry/deployments.json': registryWith([{ env: 'test', project: 'orders', resources: [{ type: 'lambda', name: name }] }, { env: 'prod', project: 'orders', resources: [{ type: 'lambda', name: name }] }]),
  });
}

/**
 * A fleet with an incident: a Lambda erroring at 7.5% with its alarm in ALARM, timing out at 3 s in its logs, and
 * a deploy of its project half an hour ago after an earlier one.
 */
async function faulty(fn: string) {
  const now = Date.now();
  await seedLambdaProfile(seeder, { name: fn, project: 'orders', env: 'test', rate: 60, errorPct: 7.5, durationMs: 200, alarm: 'ALARM' }, now);
  await seeder.putLogEvents(`/aws/lambda/${fn}`, 'run-1', Array.from({ length: 20 }, (_, i) => ({ t: now - 600_000 + i * 20_000, message: `2026-01-01T00:00:00.000Z req-${i} Task timed out after 3.00 seconds` })));
  return makeProject({
    'shared/environments.json': environmentsFor(moto()),
    'plugins/helm-cloud/monitoring.toml': TEAM,
    'registry/deployments.json': registryWith([
      { env: 'test', project: 'orders', version: '1.0.0', at: new Date(now - 7200_000).toISOString(), resources: [{ type: 'lambda', name: fn }] },
      { env: 'test', project: 'orders', version: '1.1.0', at: new Date(now - 1800_000).toISOString(), resources: [{ type: 'lambda', name: fn }] },
    ]),
  });
}
const workflow = (dir: string, args: string[]) => runCli([...args, '--output', 'json'], { cwd: dir, timeoutMs: 150_000 });
const byKey = (steps: Step[]) => Object.fromEntries(steps.map((s) => [s.key, s]));

describe('workflow list, show, --dry-run', () => {
  it('lists the four templates and plans one without running or writing anything', async () => {
    const dir = await fleet('wf-plan-fn');
    const list = await runCli(['workflow', 'list', '--output', 'json'], { cwd: dir });
    expect(list.code, list.stderr).toBe(0);
    expect((list.json().workflows as { name: string }[]).map((w) => w.name)).toEqual(['alert_triage', 'incident_response', 'sre_deployment', 'sre_health_review']);
    const plan = await runCli(['workflow', 'run', 'sre_health_review', '--dry-run', '--output', 'json'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    const steps = plan.json().steps as { key: string; run: string }[];
    expect(steps.map((s) => s.key)).toEqual(['health@test', 'health@prod', 'audit', 'issues']);
    expect(steps[1]!.run).toBe('health --env prod --burn-rate');
    const show = await runCli(['workflow', 'show', 'sre_deployment', '--output', 'json'], { cwd: dir });
    expect(show.json<{ vars: Record<string, string> }>().vars).toEqual({ canary: 'FUNCTION@VERSION', baseline: 'FUNCTION@VERSION' });
    expect(show.json<{ steps: { key: string; human: boolean; when?: string }[] }>().steps.filter((s) => s.human || s.when)).toMatchObject([{ key: 'deploy', human: true }, { key: 'rollback', when: 'steps.verify.verdict == FAIL' }]);
    const md = await runCli(['workflow', 'show', 'sre_deployment', '--output', 'markdown'], { cwd: dir });
    expect(md.stdout).toMatch(/variables: --var canary=FUNCTION@VERSION --var baseline=FUNCTION@VERSION/);
    expect(md.stdout).toMatch(/only when steps\.verify\.verdict == FAIL/);
    expect(existsSync(runs(dir))).toBe(false);
    const typo = await runCli(['workflow', 'show', 'alert_triag'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean alert_triage/);
  });
});

describe('each template end to end', () => {
  for (const name of ['sre_health_review']) {
    it(`${name}: every step runs (or is skipped with its reason) and is recorded`, async () => {
      const dir = await fleet(`wf-${name.replaceAll('_', '-')}`);
      const r = await runCli(['workflow', 'run', name, '--env', 'test', '--output', 'json'], { cwd: dir, timeoutMs: 120_000 });
      const j = r.json<{ run: string; verdict: string; steps: Step[] }>();
      const saved = record(dir, j.run);
      expect(saved.status, r.stdout).toBe('done');
      expect(saved.steps.length).toBeGreaterThan(0);
      for (const s of saved.steps) {
        expect(['done', 'skipped'], JSON.stringify(s)).toContain(s.status);
        if (s.status === 'skipped') expect(s.reason).toMatch(/not installed|has no value/);
        else expect(s.command).toMatch(/--output json/);
      }
      expect(r.code).toBe(Math.max(0, ...saved.steps.map((s) => s.exitCode ?? 0)));
    }, 150_000);
  }

});

describe('templates that stop for a person', () => {
  it('incident_response: escalates the firing alert (issue + page), investigates, stops at the proposal with exit 3; the printed resume resolves and writes the postmortem', async () => {
    const dir = await faulty('wf-incident-fn');
    const first = await workflow(dir, ['workflow', 'run', 'incident_response', '--env', 'test']);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const j = first.json<RunJson>();
    expect(j.verdict).toBe('STOPPED');
    expect(j.resume).toBe(`helm-cloud workflow run incident_response --resume ${j.run}`);
    expect(j.summary).toMatch(/^step propose needs a person: .*`helm-cloud remediate --issue infra-001 --env test`.*--resume/);
    let saved = record(dir, j.run);
    expect(saved.status).toBe('stopped');
    expect(saved.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['correlate:done', 'open:done', 'investigate:done', 'propose:handoff']);
    const steps = byKey(saved.steps);
    expect(steps.open!.summary).toMatch(/escalated to critical; Helm issue infra-001; paged payments \(alice\) through local: incident INC-1/);
    expect(steps.investigate!.command).toBe('investigate --issue infra-001 --env test --output json');
    expect(steps.propose).toMatchObject({ command: 'remediate --issue infra-001 --env test --dry-run --output json', verdict: 'PLANNED', summary: expect.stringMatching(/increase_capacity on wf-incident-fn would change timeout_s: 3 → 6/) });
    const firstAt = saved.steps.map((s) => s.at);

    // The person applies the proposal, then runs the printed resume command.
    const applied = await runCli(['remediate', '--issue', 'infra-001', '--env', 'test', '--yes', '--output', 'json'], { cwd: dir, timeoutMs: 120_000 });
    expect(applied.json<{ verdict: string }>().verdict, applied.stderr).toMatch(/^APPLIED/);
    const again = await workflow(dir, shellSplit(j.resume!).slice(1));
    saved = record(dir, j.run);
    expect(saved.status, again.stdout + again.stderr).toBe('done');
    expect(saved.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['correlate:done', 'open:done', 'investigate:done', 'propose:handoff', 'verify:done', 'resolve:done', 'postmortem:done']);
    expect(saved.steps.slice(0, 4).map((s) => s.at)).toEqual(firstAt);
    const done = byKey(saved.steps);
    expect(done.resolve).toMatchObject({ exitCode: 0, command: `incident resolve INC-1 --note 'resolved by workflow ${j.run}' --output json` });
    expect(done.postmortem!.summary).toMatch(/postmortem of INC-1 saved: (plugins\/helm-cloud\/reports\/postmortem-test-\S+-INC-1\.md)/);
    const pm = /saved: (\S+)/.exec(done.postmortem!.summary!)![1]!;
    expect(readFileSync(join(dir, '.fractary', pm), 'utf8')).toMatch(/INC-1/);
    const incident = await runCli(['incident', 'show', 'INC-1', '--output', 'json'], { cwd: dir });
    expect(incident.json<{ incident: { status: string; alerts: string[]; issues: string[] } }>().incident).toMatchObject({ status: 'resolved', issues: ['infra-001'] });
    expect(again.code).toBe(Math.max(0, ...saved.steps.map((s) => s.exitCode ?? 0)));
  }, 300_000);

  it('alert_triage: lists, correlates and groups, proposes acknowledging the top alert without doing it (exit 3); resumed after the person acks, escalates the rest', async () => {
    const dir = await faulty('wf-triage-fn');
    const first = await workflow(dir, ['workflow', 'run', 'alert_triage', '--env', 'test']);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const j = first.json<RunJson>();
    expect(j.resume).toBe(`helm-cloud workflow run alert_triage --resume ${j.run}`);
    let saved = record(dir, j.run);
    expect(saved.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['list:done', 'correlate:done', 'group:done', 'acknowledge:handoff']);
    const firing = await runCli(['alerts', 'list', '--status', 'firing', '--env', 'test', '--output', 'json'], { cwd: dir });
    const alert = firing.json<{ alerts: { id: string; name: string }[] }>().alerts[0]!;
    expect(alert.name).toBe('wf-triage-fn-errors'); // proposed, not done: still firing and unacknowledged
    const proposal = `alerts acknowledge ${alert.id} --note 'triaged by workflow ${j.run}' --env test`;
    expect(byKey(saved.steps).acknowledge).toMatchObject({ command: proposal, summary: `proposed for a person: helm-cloud ${proposal}` });
    expect(j.summary).toContain(`run \`helm-cloud ${proposal}\` if it is right`);

    const ack = await runCli([...shellSplit(proposal), '--output', 'json'], { cwd: dir });
    expect(ack.code, ack.stderr).toBe(0);
    const again = await workflow(dir, shellSplit(j.resume!).slice(1));
    saved = record(dir, j.run);
    expect(saved.status, again.stdout + again.stderr).toBe('done');
    expect(saved.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['list:done', 'correlate:done', 'group:done', 'acknowledge:handoff', 'escalate:done']);
    expect(byKey(saved.steps).escalate).toMatchObject({ command: 'oncall escalate --output json', exitCode: 0 });
    expect((await runCli(['alerts', 'list', '--status', 'acknowledged', '--env', 'test', '--output', 'json'], { cwd: dir })).json<{ alerts: { id: string }[] }>().alerts.map((a) => a.id)).toEqual([alert.id]);
  }, 300_000);
});

/** Per-minute Lambda metrics of one version (ExecutedVersion), as the canary comparison reads them. */
async function seedVersion(fn: string, version: string, minutes = 30) {
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const dims = { FunctionName: fn, ExecutedVersion: version };
  const at = (i: number) => end - i * 60_000 + 1000;
  const n = (i: number) => Math.round(300 * (1 + 0.1 * Math.sin(i * 2.399)));
  const mins = Array.from({ length: minutes }, (_, k) => k + 1);
  await seeder.putMetrics('AWS/Lambda', [
    { metricName: 'Invocations', dimensions: dims, points: mins.map((i) => ({ t: at(i), v: n(i) })) },
    { metricName: 'Errors', dimensions: dims, points: mins.map((i) => ({ t: at(i), v: Math.round(n(i) / 100) })) },
    { metricName: 'Duration', dimensions: dims, points: mins.map((i) => ({ t: at(i), v: 120 * (1 + 0.1 * Math.sin(i * 2.399 + 2)) })), unit: 'Milliseconds' },
  ]);
}

describe('sre_deployment end to end', () => {
  it('runs the pre-deploy gates and stops for the faber-cloud deploy (exit 3); the printed resume with --var runs the canary, the verification and, on FAIL, the rollback proposal', async () => {
    const dir = await faulty('wf-deploy-fn');
    await seedVersion('wf-deploy-fn', '1');
    await seedVersion('wf-deploy-fn', '2');
    const first = await workflow(dir, ['workflow', 'run', 'sre_deployment', '--env', 'test', '--var', 'baseline=wf-deploy-fn@9']);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const j = first.json<RunJson>();
    expect(j.verdict).toBe('STOPPED');
    expect(j.summary).toBe(`step deploy needs a person (deploy the release with faber-cloud, then resume): run \`helm-cloud deploy deploy_timeline --env test\` if it is right, then \`helm-cloud workflow run sre_deployment --resume ${j.run}\``);
    let saved = record(dir, j.run) as ReturnType<typeof record> & { vars?: Record<string, string> };
    expect(saved.status).toBe('stopped');
    expect(saved.vars).toEqual({ baseline: 'wf-deploy-fn@9' });
    expect(saved.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['risk:done', 'window:done', 'checklist:done', 'deploy:handoff']);
    let steps = byKey(saved.steps);
    // The seeded errors (7.5% against a 1% SLO) exhaust the error budget: the gates say so.
    expect(steps.risk!.verdict).toBe('BLOCKED');
    expect(steps.window!.verdict).toBe('OPEN');
    expect(steps.checklist!.verdict).toBe('FAIL');

    // A malformed or unknown --var is refused before anything runs.
    const malformed = await runCli([...shellSplit(j.resume!).slice(1), '--var', 'canary'], { cwd: dir });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/bad --var "canary": use --var NAME=VALUE/);
    const unknown = await runCli([...shellSplit(j.resume!).slice(1), '--var', 'canry=wf-deploy-fn@2'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/workflow sre_deployment has no variable "canry"[\s\S]*--var canary=FUNCTION@VERSION --var baseline=FUNCTION@VERSION/);
    expect(record(dir, j.run)).toEqual(saved);

    // The release is out (faber-cloud): the printed resume, naming the canary and correcting the baseline.
    const again = await workflow(dir, [...shellSplit(j.resume!).slice(1), '--var', 'canary=wf-deploy-fn@2', '--var', 'baseline=wf-deploy-fn@1']);
    saved = record(dir, j.run);
    expect(saved.status, again.stdout + again.stderr).toBe('done');
    expect(saved.vars).toEqual({ baseline: 'wf-deploy-fn@1', canary: 'wf-deploy-fn@2' });
    expect(saved.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['risk:done', 'window:done', 'checklist:done', 'deploy:handoff', 'canary:done', 'verify:done', 'rollback:done']);
    steps = byKey(saved.steps);
    expect(steps.canary).toMatchObject({ command: 'deploy canary_status --canary wf-deploy-fn@2 --baseline wf-deploy-fn@1 --env test --output json', verdict: 'PASS', exitCode: 0 });
    expect(steps.verify).toMatchObject({ verdict: 'FAIL', summary: expect.stringMatching(/^dep-2 \(1\.1\.0\): FAIL — health UNHEALTHY: wf-deploy-fn: error rate/) });
    expect(steps.rollback!.summary).toMatch(/no alias to move/);
    expect(again.code).toBe(3);
    expect(Math.max(...saved.steps.map((s) => s.exitCode ?? 0))).toBe(3);
    const timeline = await runCli(['deploy', 'deploy_timeline', '--env', 'test', '--output', 'json'], { cwd: dir });
    const dep = timeline.json<{ deployments: { id: string; records: { kind: string; verdict: string }[] }[] }>().deployments.find((d) => d.id === 'dep-2')!;
    expect(dep.records.map((x) => `${x.kind}:${x.verdict}`)).toEqual(['assessment:BLOCKED', 'checklist:FAIL', 'canary:PASS', 'verification:FAIL']);
  }, 300_000);

  it('without --var the canary step is skipped with the flags to pass; a verification that is not FAIL skips the rollback proposal', async () => {
    const dir = await fleet('wf-deploy-ok-fn');
    const first = await workflow(dir, ['workflow', 'run', 'sre_deployment', '--env', 'test']);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const j = first.json<RunJson>();
    const again = await workflow(dir, shellSplit(j.resume!).slice(1));
    const saved = record(dir, j.run);
    expect(saved.status, again.stdout + again.stderr).toBe('done');
    const steps = byKey(saved.steps);
    expect(steps.canary).toMatchObject({ status: 'skipped', reason: 'no value for {vars.canary}, {vars.baseline}: pass --var canary=FUNCTION@VERSION --var baseline=FUNCTION@VERSION' });
    expect(steps.verify!.status).toBe('done');
    expect(steps.rollback).toMatchObject({ status: 'skipped', reason: `only when steps.verify.verdict == FAIL (it is ${steps.verify!.verdict})` });
    expect(steps.verify!.verdict).not.toBe('FAIL');
  }, 300_000);
});

describe('resume after SIGKILL', () => {
  it('a run killed mid-step resumes at that step; every step runs to completion exactly once', async () => {
    // prod talks to AWS through a proxy that holds every call: its health step is certain to be mid-flight when
    // the run is killed (a step that could finish between "seen running" and the kill made this test flaky).
    const proxy = await startFaultProxy(moto());
    try {
      await seeder.createFunction('wf-kill-fn', { memory: 128 });
      const envs = environmentsFor(moto());
      envs.environments.prod.endpoint_url = proxy.endpoint;
      const dir = makeProject({
        'shared/environments.json': envs,
        'plugins/helm-cloud/monitoring.toml': TEAM,
        'registry/deployments.json': registryWith([{ env: 'test', project: 'orders', resources: [{ type: 'lambda', name: 'wf-kill-fn' }] }, { env: 'prod', project: 'orders', resources: [{ type: 'lambda', name: 'wf-kill-fn' }] }]),
      });
      proxy.addRule({ fault: { kind: 'delay', ms: 120_000 } });
      const child = spawn(process.execPath, [CLI, 'workflow', 'run', 'sre_health_review', '--env', 'test', '--output', 'json'], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      let id: string | undefined;
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && !id) {
        const f = existsSync(runs(dir)) ? readdirSync(runs(dir)).find((n) => n.endsWith('.json')) : undefined;
        if (f && proxy.count('lambda') + proxy.count('cloudwatch') > 0) {
          const rec = JSON.parse(readFileSync(join(runs(dir), f), 'utf8')) as { steps: Step[] };
          if (rec.steps.some((s) => s.key === 'health@prod' && s.status === 'running')) id = f.replace(/\.json$/, '');
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(id, 'the run reached its prod health step').toBeDefined();
      // While it runs, a second process resuming it is refused and changes nothing.
      const twice = await runCli(['workflow', 'run', '--resume', id!, '--output', 'json'], { cwd: dir });
      expect(twice.code, twice.stderr).toBe(3);
      expect(twice.stderr).toMatch(new RegExp(`workflow run ${id} is being run by another process \\(pid ${child.pid} on `));
      child.kill('SIGKILL');
      await exited;
      const before = record(dir, id!);
      expect(before.status).toBe('running');
      expect(before.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['health@test:done', 'health@prod:running']);
      const firstAt = before.steps[0]!.at;

      proxy.clearRules();
      const r = await runCli(['workflow', 'run', '--resume', id!, '--output', 'json'], { cwd: dir, timeoutMs: 180_000 });
      const after = record(dir, id!);
      expect(after.status, r.stdout + r.stderr).toBe('done');
      expect(r.stderr).toMatch(new RegExp(`run ${id} \\(test\\) — resuming`));
      expect(r.stderr).toMatch(new RegExp(`note: run ${id} was interrupted \\(its process, pid ${child.pid}, is gone\\)`));
      expect(after.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['health@test:done', 'health@prod:done', 'audit:done', 'issues:done']);
      expect(after.steps[0]!.at).toBe(firstAt);
      // Each step ran to completion once: one saved report per health environment and one audit report.
      const reports = readdirSync(join(dir, '.fractary', 'plugins', 'helm-cloud', 'reports')).filter((f) => f.endsWith('.json'));
      expect(reports.filter((f) => f.startsWith('health-test-'))).toHaveLength(1);
      expect(reports.filter((f) => f.startsWith('health-prod-'))).toHaveLength(1);
      expect(reports.filter((f) => f.startsWith('audit-'))).toHaveLength(1);
      expect(r.code).toBe(Math.max(0, ...after.steps.map((s) => s.exitCode ?? 0)));
      // A finished run resumed again runs nothing.
      const again = await runCli(['workflow', 'run', '--resume', id!, '--output', 'json'], { cwd: dir });
      expect(record(dir, id!).steps.map((s) => s.at)).toEqual(after.steps.map((s) => s.at));
      expect(again.json().verdict).not.toBe('STOPPED');
    } finally {
      await proxy.stop();
    }
  }, 300_000);
});
