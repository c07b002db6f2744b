/**
 * The brakes on automation, end to end: remediate through the fault proxy (failing the Lambda update call) opens
 * the circuit breaker after the configured failures, the next automatic remediation is held for confirmation and
 * never reaches AWS; `circuit` and `trust` show and change the state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';

let seeder: Seeder;
let proxy: FaultProxy;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  proxy = await startFaultProxy(moto());
});
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

const toml = (cooldown: string) => `[remediation]\nauto_remediate = ["restart_lambda"]\n[automation]\ncircuit_failures = 2\ncircuit_cooldown = "${cooldown}"\ntrust_promote_after = 2\n`;
function project(fn: string, cooldown = '1h') {
  return makeProject({
    'shared/environments.json': environmentsFor(proxy.endpoint),
    'registry/deployments.json': registryWith([{ env: 'test', project: 'orders', resources: [{ type: 'lambda', name: fn }] }, { env: 'prod', project: 'orders', resources: [{ type: 'lambda', name: fn }] }]),
    'plugins/helm-cloud/monitoring.toml': toml(cooldown),
  });
}
const restart = (cwd: string, fn: string, extra: string[] = []) => runCli(['remediate', '--action', 'restart_lambda', '--target', fn, '--param', 'within_minutes=0', '--env', 'test', '--output', 'json', ...extra], { cwd });
const updateCall = { service: 'lambda', when: (c: { method: string; path: string }) => c.method === 'PUT' && /\/configuration$/.test(c.path), fault: { kind: 'server-error' as const } };

describe('circuit breaker on remediate', () => {
  it('opens after two failed automatic remediations and holds the third for confirmation, without calling AWS', async () => {
    await seeder.createFunction('brk-fn');
    const cwd = project('brk-fn');
    proxy.clearRules();
    proxy.addRule(updateCall);
    for (let i = 0; i < 2; i++) {
      const r = await restart(cwd, 'brk-fn');
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.json().verdict).toBe('FAILED');
    }
    const opened = await runCli(['circuit', 'status', '--env', 'test', '--output', 'json'], { cwd });
    expect(opened.json()).toMatchObject({ verdict: 'OPEN' });
    expect(opened.json<{ history: { to: string }[] }>().history.map((t) => t.to)).toContain('open');
    const updates = () => Object.entries(proxy.calls()).filter(([k]) => k.startsWith('lambda:') && /PUT/.test(k)).reduce((a, [, n]) => a + n, 0);
    expect(updates()).toBeGreaterThan(0);
    proxy.clearRules();
    proxy.resetCalls();
    const held = await restart(cwd, 'brk-fn');
    expect(held.json<{ verdict: string; safety: { level: string; reason: string } }>().safety.level).toBe('confirm');
    expect(held.json().verdict).toBe('REFUSED');
    expect(held.stderr).toMatch(/circuit breaker test: open since/);
    expect(updates()).toBe(0);
  });

  it('half-open after the cool-down: the trial runs automatically and its outcome closes or re-opens the breaker', async () => {
    await seeder.createFunction('brk-half');
    const cwd = project('brk-half', '2s');
    proxy.clearRules();
    proxy.addRule(updateCall);
    await restart(cwd, 'brk-half');
    await restart(cwd, 'brk-half');
    proxy.clearRules();
    await new Promise((r) => setTimeout(r, 2500));
    const trial = await restart(cwd, 'brk-half');
    const body = trial.json<{ verdict: string; safety: { level: string }; verification: { status: string } | null }>();
    expect(body.safety.level).toBe('auto');
    expect(trial.stderr).toMatch(/half-open for test, test\/restart_lambda: this run is the trial/);
    const status = await runCli(['circuit', 'status', '--env', 'test', '--output', 'json'], { cwd });
    const expected = body.verdict === 'APPLIED' && body.verification?.status === 'verified' ? 'CLOSED' : body.verification?.status === 'pending' ? 'HALF_OPEN' : 'OPEN';
    expect(status.json().verdict).toBe(expected);
  });

  it('circuit open by hand blocks automation until closed by hand; unknown action is exit 2 with the closest', async () => {
    const cwd = project('brk-manual');
    const open = await runCli(['circuit', 'open', '--env', 'test', '--reason', 'game day', '--output', 'json'], { cwd });
    expect(open.json()).toMatchObject({ verdict: 'OPEN', summary: 'test: closed → open (game day)' });
    const close = await runCli(['circuit', 'close', '--env', 'test', '--output', 'json'], { cwd });
    expect(close.json().verdict).toBe('CLOSED');
    const bad = await runCli(['circuit', 'status', '--env', 'test', '--action', 'restart_lamda'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean restart_lambda/);
  });
});

describe('trust', () => {
  it('promotion on a protected environment without a terminal is refused; with --yes it is recorded and used', async () => {
    const cwd = project('trust-fn');
    const refused = await runCli(['trust', 'promote', 'clear_cache', '--env', 'prod'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs confirmation/);
    const ok = await runCli(['trust', 'promote', 'clear_cache', '--env', 'prod', '--yes', '--output', 'json'], { cwd });
    expect(ok.json()).toMatchObject({ change: { action: 'clear_cache', from: 'never', to: 'confirm' } });
    const level = await runCli(['trust', 'level', 'clear_cache', '--env', 'prod', '--output', 'json'], { cwd });
    expect(level.json<{ levels: { level: string; configured: string }[] }>().levels[0]).toMatchObject({ level: 'confirm', configured: 'never' });
    const never = await runCli(['trust', 'promote', 'delete_resources', '--env', 'test'], { cwd });
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/never executed by helm-cloud/);
  });
});
