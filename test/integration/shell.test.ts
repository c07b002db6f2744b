/**
 * The operator shell: stdin scripts (one command a line, worst exit code, sticky /env, typos), and a real
 * pseudo-terminal (test/support/pty-script.py) for completion, the prompt, history and Ctrl-C during a --watch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, makeProject, registryWith, runCli } from '../support/index.js';

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
const PTY = join(import.meta.dirname, '..', 'support', 'pty-script.py');
const envs = (out: string) => [...out.matchAll(/"environment": "([^"]+)"/g)].map((m) => m[1]);

function project() {
  return makeProject({ 'plugins/helm-cloud/monitoring.toml': TEAM, 'registry/deployments.json': registryWith([{ env: 'test', resources: [{ type: 'lambda', name: 'orders-fn' }] }]) });
}

describe('shell on stdin', () => {
  it('runs one command a line, skips comments and blanks, keeps /env sticky, and exits with the worst code', async () => {
    const dir = project();
    const script = ['# a comment', '', '/circuit status --output json', '/env prod', '/circuit status --output json', '/fractary-helm-cloud:circuit status --env test --output json', '/helth', '/trust level --output json'].join('\n');
    const r = await runCli(['shell'], { cwd: dir, input: script + '\n' });
    expect(r.code, r.stderr).toBe(2);
    expect(envs(r.stdout)).toEqual(['test', 'prod', 'test', 'prod']);
    expect(r.stderr).toMatch(/unknown command "\/helth".*did you mean \/health\?/);
  });

  it('exits 0 when every command succeeds, and stops at /exit', async () => {
    const r = await runCli(['shell'], { cwd: project(), input: '/circuit status --output json\n/exit\n/helth\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(envs(r.stdout)).toEqual(['test']);
  });

  it('an unknown environment in /env is a usage error naming the closest one, and changes nothing', async () => {
    const r = await runCli(['shell'], { cwd: project(), input: '/env prd\n/circuit status --output json\n' });
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

describe('shell on a terminal', () => {
  it('completes with Tab, shows env and breaker in the prompt, survives Ctrl-C during a --watch, keeps history, exits on Ctrl-D', () => {
    const dir = project();
    const steps = [
      { expect: 'helm-cloud> ' },
      { send: '/env pr\t\r' },
      { expect: 'helm-cloud prod \\[circuit closed\\]> ' },
      { send: '/circ\t sta\t --output json\r' },
      { expect: '"environment": "prod"' },
      { expect: 'prod \\[circuit closed\\]> ' },
      { send: '/oncall escalate --watch --interval 1s --output json\r' },
      { expect: '"command": "oncall"' },
      { send: '\u0003' },
      { expect: 'prod \\[circuit closed\\]> ' },
      { send: '/circuit status --env test --output json\r' },
      { expect: '"environment": "test"' },
      { expect: '> ' },
      { send: '\u0004' },
    ];
    const r = spawnSync('python3', [PTY, JSON.stringify(steps), '60', process.execPath, CLI], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { out: string; failed: string | null; code: number };
    expect(res.failed, res.out).toBeNull();
    expect(res.out).toContain('/circuit status --output json');
    expect(res.code, res.out).toBe(0);
    const hist = join(dir, '.fractary', 'plugins', 'helm-cloud', 'shell', 'history');
    expect(existsSync(hist)).toBe(true);
    expect(readFileSync(hist, 'utf8').split('\n').filter(Boolean)).toEqual(['/env prod', '/circuit status --output json', '/oncall escalate --watch --interval 1s --output json', '/circuit status --env test --output json']);
  });
});
