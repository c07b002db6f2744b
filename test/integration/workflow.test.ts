/**
 * Workflows on a seeded moto fleet: list and plan, sre_health_review end to end with every step's result read back
 * from .fractary/plugins/helm-cloud/workflows/<run>.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder } from '../support/index.js';

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
