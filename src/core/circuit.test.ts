import { describe, expect, it } from 'vitest';
import { admit, closedBreaker, operate, record, tick, type BreakerConfig } from './circuit.js';

const cfg: BreakerConfig = { failures: 3, windowMs: 60 * 60_000, cooldownMs: 30 * 60_000 };
const fail = { ok: false, detail: 'verification failed', automatic: true };
const okRun = { ok: true, detail: 'verified', automatic: true };

describe('circuit breaker', () => {
  it('opens after N failures within the window, with a transition naming the count', () => {
    let b = closedBreaker(0);
    b = record('prod', b, fail, 1_000, cfg).breaker;
    b = record('prod', b, fail, 2_000, cfg).breaker;
    expect(b.state).toBe('closed');
    const r = record('prod', b, fail, 3_000, cfg);
    expect(r.breaker.state).toBe('open');
    expect(r.transition).toMatchObject({ scope: 'prod', from: 'closed', to: 'open', by: 'automatic' });
    expect(r.transition!.reason).toMatch(/^3 failed or rolled-back remediations within 60 min/);
    expect(admit(r.breaker).allowed).toBe(false);
  });

  it('forgets failures older than the window', () => {
    let b = closedBreaker(0);
    b = record('prod', b, fail, 0, cfg).breaker;
    b = record('prod', b, fail, 1_000, cfg).breaker;
    b = record('prod', b, fail, 61 * 60_000, cfg).breaker;
    expect(b.state).toBe('closed');
    expect(b.failures).toHaveLength(1);
  });

  it('becomes half-open after the cool-down, admits one trial, and the trial closes it', () => {
    let b = { ...closedBreaker(0), state: 'open' as const, since: 0, reason: 'x', failures: [0] };
    expect(tick('prod', b, 29 * 60_000, cfg).breaker.state).toBe('open');
    const t = tick('prod', b, 31 * 60_000, cfg);
    expect(t.transition).toMatchObject({ from: 'open', to: 'half_open', at: 30 * 60_000 });
    b = t.breaker;
    expect(admit(b)).toEqual({ allowed: true, trial: true });
    expect(admit({ ...b, trial: true }).allowed).toBe(false);
    const closed = record('prod', { ...b, trial: true }, okRun, 32 * 60_000, cfg);
    expect(closed.breaker).toMatchObject({ state: 'closed', failures: [] });
    expect(closed.transition!.reason).toMatch(/trial remediation verified/);
  });

  it('a failed trial re-opens it for another cool-down', () => {
    const b = { state: 'half_open' as const, since: 0, reason: 'x', failures: [], trial: true };
    const r = record('prod', b, fail, 5, cfg);
    expect(r.breaker).toMatchObject({ state: 'open', since: 5 });
    expect(r.transition!.reason).toMatch(/trial remediation failed/);
  });

  it('a hand-opened breaker does not half-open by itself; reset forgets failures', () => {
    const opened = operate('prod', closedBreaker(0), 'open', 0, 'alice', 'incident in progress').breaker;
    expect(opened).toMatchObject({ state: 'open', manual: true, reason: 'incident in progress' });
    expect(tick('prod', opened, 10 * cfg.cooldownMs, cfg).breaker.state).toBe('open');
    const withFailures = { ...closedBreaker(0), failures: [1, 2] };
    const reset = operate('prod', withFailures, 'reset', 3, 'bob');
    expect(reset.breaker.failures).toEqual([]);
    expect(reset.transition).toMatchObject({ by: 'bob', to: 'closed' });
  });
});
