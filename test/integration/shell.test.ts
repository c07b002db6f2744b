/**
 * The operator shell: stdin scripts (one command a line, worst exit code, sticky /env, typos). Completion is tested as a pure function (src/shell/complete.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { makeProject, registryWith, runCli } from '../support/index.js';

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
const envs = (out: string) => [...out.matchAll(/"environment": "([^"]+)"/g)].map((m) => m[1]);

function project() {
  return makeProject({ 'plugins/helm-cloud/monitoring.toml': TEAM, 'registry/deployments.json': registryWith([{ env: 'test', resources: [{ type: 'lambda', name: 'orders-fn' }] }]) });
}

describe('shell on stdin', () => {
  it('runs one command a line, skips comments and blanks, keeps /env sticky, and exits with the worst code', async () => {
    const dir = project();
    const script = ['# a comment', '', '/circuit status --env test --output json', '/env prod', '/circuit status --output json', '/fractary-helm-cloud:circuit status --env test --output json', '/helth', '/trust level --output json'].join('\n');
    const r = await runCli(['shell'], { cwd: dir, input: script + '\n' });
    expect(r.code, r.stderr).toBe(2);
    expect(envs(r.stdout)).toEqual(['test', 'prod', 'test', 'prod']);
    expect(r.stderr).toMatch(/unknown command "\/helth".*did you mean \/health\?/);
  });

  it('exits 0 when every command succeeds, and stops at /exit', async () => {
    const r = await runCli(['shell'], { cwd: project(), input: '/circuit status --env test --output json\n/exit\n/helth\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(envs(r.stdout)).toEqual(['test']);
  });

  it('an unknown environment in /env is a usage error naming the closest one, and changes nothing', async () => {
    const r = await runCli(['shell'], { cwd: project(), input: '/env prd\n/circuit status --env test --output json\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean \/env prod\?/);
    expect(envs(r.stdout)).toEqual(['test']);
  });

  it('a bare helm-cloud without a terminal still prints help', async () => {
    const r = await runCli([], { input: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/shell \[--env NAME\]/);
  });
});
