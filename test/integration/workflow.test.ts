/**
 * Workflows on a seeded moto fleet: list and plan, sre_health_review end to end with every step's result read back
 * from .fractary/plugins/helm-cloud/workflows/<run>.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface Step { key: string; status: string; exitCode?: number; command: string; at: string; reason?: string; summary?: string }
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
      child.kill('SIGKILL');
      await exited;
      expect(id, 'the run reached its prod health step').toBeDefined();
      const before = record(dir, id!);
      expect(before.status).toBe('running');
      expect(before.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['health@test:done', 'health@prod:running']);
      const firstAt = before.steps[0]!.at;

      proxy.clearRules();
      const r = await runCli(['workflow', 'run', '--resume', id!, '--output', 'json'], { cwd: dir, timeoutMs: 180_000 });
      const after = record(dir, id!);
      expect(after.status, r.stdout + r.stderr).toBe('done');
      expect(r.stderr).toMatch(new RegExp(`run ${id} \\(test\\) — resuming`));
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
