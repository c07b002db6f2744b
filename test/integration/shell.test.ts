/**
 * The operator shell: stdin scripts (one command a line, worst exit code, sticky /env, typos), and a real
 * pseudo-terminal (test/support/terminal.py --script) for Tab completion, the prompt with the environment and its
 * circuit breaker, history per project (Up arrow), Ctrl-C during a long-running command, and Ctrl-D. Keys are typed
 * one at a time and every step waits for text on the screen: nothing depends on how fast the machine is.
 * Completion rules themselves are unit-tested as a pure function (src/shell/complete.test.ts).
 */
import { spawn } from 'node:child_process';
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

const PTY = join(import.meta.dirname, '..', 'support', 'terminal.py');
type Step = { type: string } | { key: string } | { expect: string };
const TAB = '\t', ENTER = '\r', UP = '\u001b[A', CTRL_C = '\u0003', CTRL_D = '\u0004';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Plays keys on a terminal running `helm-cloud shell` in `cwd`; async so the test worker keeps serving. */
function onTerminal(cwd: string, steps: Step[], args = ['shell']): Promise<{ out: string; failed: unknown; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PTY, '--script', JSON.stringify(steps), '150', process.execPath, CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`pty helper failed (${code}): ${err}`))));
  });
}

describe('shell on a terminal', () => {
  it('Tab completes (commands, actions, envs, incident ids), the prompt shows /env and the breaker, Up recalls, Ctrl-C cancels a --watch and the shell goes on, history is kept per project', async () => {
    const dir = project();
    const prod = (state: string) => ({ expect: esc(`helm-cloud prod [circuit ${state}]> `) });
    const first = await onTerminal(dir, [
      { expect: esc('helm-cloud> ') },
      { type: '/env pr' }, { key: TAB }, { expect: esc('/env prod') }, { key: ENTER },
      prod('closed'),
      { type: '/circ' }, { key: TAB }, { expect: esc('/circuit') },
      { type: ' sta' }, { key: TAB }, { expect: esc('status') }, // matching starts after the last match: '/circuit'
      { type: ' --output json' }, { key: ENTER },
      { expect: esc('"environment": "prod"') }, prod('closed'),
      { key: UP }, { expect: esc('> /circuit status --output json') }, { key: ENTER },
      { expect: esc('"environment": "prod"') }, prod('closed'),
      { type: '/oncall escalate --watch --interval 1s --output json' }, { key: ENTER },
      { expect: esc('"command": "oncall"') }, { key: CTRL_C },
      prod('closed'),
      { type: '/circuit open --reason drill --output json' }, { key: ENTER },
      prod('open'),
      { type: '/circuit status --env test --output json' }, { key: ENTER },
      { expect: esc('"environment": "test"') }, prod('open'),
      { key: CTRL_D },
    ]);
    expect(first.failed, first.out).toBeNull();
    expect(first.code, first.out).toBe(0); // the cancelled --watch does not count
    const history = join(dir, '.fractary', 'plugins', 'helm-cloud', 'shell', 'history');
    expect(readFileSync(history, 'utf8').split('\n').filter(Boolean)).toEqual([
      '/env prod',
      '/circuit status --output json',
      '/circuit status --output json',
      '/oncall escalate --watch --interval 1s --output json',
      '/circuit open --reason drill --output json',
      '/circuit status --env test --output json',
    ]);

    // A new session in the same project recalls the last session's commands, newest first; Ctrl-C at the prompt
    // clears the line and keeps the shell.
    const second = await onTerminal(dir, [
      { expect: esc('helm-cloud> ') },
      { key: UP }, { expect: esc('helm-cloud> /circuit status --env test --output json') },
      { key: UP }, { expect: esc('helm-cloud> /circuit open --reason drill --output json') },
      { key: CTRL_C }, { expect: esc('^C (/exit or Ctrl-D leaves the shell)') },
      { expect: esc('helm-cloud> ') },
      // Ids complete too, including one the session just created.
      { type: '/incident create --title drill --output json' }, { key: ENTER }, { expect: esc('"id": "INC-1"') },
      { expect: esc('helm-cloud> ') },
      { type: '/incident show IN' }, { key: TAB }, { expect: esc('/incident show INC-1') },
      { type: ' --output json' }, { key: ENTER }, { expect: esc('"title": "drill"') },
      { expect: esc('helm-cloud> ') }, { key: CTRL_D },
    ]);
    expect(second.failed, second.out).toBeNull();
    expect(second.code, second.out).toBe(0);

    // Another project has its own (empty) history: Up recalls nothing, so what is typed next is all there is.
    // A bare helm-cloud on a terminal is the shell.
    const other = project();
    const third = await onTerminal(other, [{ expect: esc('helm-cloud> ') }, { key: UP }, { type: '/exit' }, { key: ENTER }], []);
    expect(third.failed, third.out).toBeNull();
    expect(third.code, third.out).toBe(0);
    expect(third.out).toContain('helm-cloud> /exit\n');
    expect(third.out).not.toMatch(/circuit/);
    expect(existsSync(join(other, '.fractary', 'plugins', 'helm-cloud', 'shell', 'history'))).toBe(true);
  }, 600_000);
});
