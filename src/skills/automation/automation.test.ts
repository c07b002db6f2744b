import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Safety } from '../../core/safety.js';
import { FileBackend, Store } from '../../store/index.js';
import { Automation, DEFAULT_AUTOMATION } from './index.js';

function automation(now: { t: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'helm-automation-'));
  return new Automation(new Store(new FileBackend(dir, (k) => k)).family('state'), { ...DEFAULT_AUTOMATION, breaker: { failures: 2, windowMs: 3600_000, cooldownMs: 60_000 } }, () => now.t);
}
const auto: Safety = { level: 'auto', configured: 'auto', reason: 'listed in auto_remediate', protected: false };
const env = { name: 'prod', protected: false };
const outcome = (o: Partial<Parameters<Automation['record']>[0]>) => ({ env: 'prod', action: 'restart_lambda', applied: true, ok: false, verificationFailed: false, automatic: true, detail: 'x', configured: 'auto' as const, ...o });

describe('Automation (circuit breaker and trust in the store)', () => {
  it('an unreadable breaker state fails closed: no automatic run, no outcome overwrites it, a reset starts afresh', async () => {
    const now = { t: 1_000 };
    const dir = mkdtempSync(join(tmpdir(), 'helm-automation-'));
    const a = new Automation(new Store(new FileBackend(dir, (k) => k)).family('state'), DEFAULT_AUTOMATION, () => now.t);
    await a.record(outcome({ ok: true }));
    const file = (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f)).find((p) => p.endsWith('circuit.json'));
    expect(file).toBeDefined();
    writeFileSync(file!, '{"prod": {"state": "clo');
    expect(await a.unreadable()).toBeDefined();
    const g = await a.gate(env, 'restart_lambda', auto);
    expect(g.safety.level).toBe('confirm');
    expect(g.notes.join(' ')).toMatch(/circuit breaker state unreadable: state\/circuit\.json is not valid JSON \(.*`helm-cloud circuit reset --env prod`/);
    await a.record(outcome({ ok: true }));
    expect(readFileSync(file!, 'utf8')).toBe('{"prod": {"state": "clo');
    await a.operate('prod', 'reset', 'alice');
    expect(await a.unreadable()).toBeUndefined();
    expect((await a.gate(env, 'restart_lambda', auto)).safety.level).toBe('auto');
  });

  it('after two failures an auto action needs confirmation, with a warning naming the breaker', async () => {
    const now = { t: 1_000 };
    const a = automation(now);
    await a.record(outcome({}));
    await a.record(outcome({}));
    const g = await a.gate(env, 'restart_lambda', auto);
    expect(g.safety.level).toBe('confirm');
    expect(g.notes[0]).toMatch(/circuit breaker prod: open since/);
    expect((await a.transitions()).map((t) => `${t.scope} ${t.from}→${t.to}`)).toEqual(['prod closed→open', 'prod/restart_lambda closed→open']);
  });

  it('half-open after the cool-down: one trial passes, a second waits; a verified trial closes both scopes', async () => {
    const now = { t: 1_000 };
    const a = automation(now);
    await a.record(outcome({}));
    await a.record(outcome({}));
    now.t += 61_000;
    const first = await a.gate(env, 'restart_lambda', auto);
    expect(first.safety.level).toBe('auto');
    expect(first.trialScopes).toEqual(['prod', 'prod/restart_lambda']);
    expect((await a.gate(env, 'restart_lambda', auto)).safety.level).toBe('confirm');
    await a.record(outcome({ ok: true }));
    const b = await a.breakers();
    expect(b['prod']!.state).toBe('closed');
    expect(b['prod/restart_lambda']!.state).toBe('closed');
  });

  it('a trial that did not run frees the half-open breaker', async () => {
    const now = { t: 1_000 };
    const a = automation(now);
    await a.record(outcome({}));
    await a.record(outcome({}));
    now.t += 61_000;
    await a.gate(env, 'restart_lambda', auto);
    await a.record(outcome({ applied: false }));
    expect((await a.gate(env, 'restart_lambda', auto)).safety.level).toBe('auto');
  });

  it('a failed verification demotes the action one level and the gate uses the new level', async () => {
    const now = { t: 1_000 };
    const a = automation(now);
    const r = await a.record(outcome({ verificationFailed: true, detail: 'error rate still 7.5%' }));
    expect(r.demotion).toMatchObject({ from: 'auto', to: 'confirm', by: 'automatic' });
    const g = await a.gate(env, 'restart_lambda', auto);
    expect(g.safety.level).toBe('confirm');
    expect(g.safety.reason).toMatch(/trust level confirm .*automatically.*error rate still 7\.5%/);
  });

  it('an API failure during apply does not cost trust (only the breaker counts it)', async () => {
    const a = automation({ t: 1_000 });
    expect((await a.record(outcome({}))).demotion).toBeUndefined();
  });
});
