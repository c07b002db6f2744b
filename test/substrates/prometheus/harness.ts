/**
 * Test harness for the real Prometheus 2.42 + Alertmanager 0.25 (Debian packages): one stack per test file,
 * started in beforeAll on free loopback ports with temporary data dirs, stopped in afterAll, and killed on
 * process exit so nothing is left running when a test run crashes. Prometheus evaluates the rule file every
 * second, sends to the Alertmanager (resend delay 1 s), scrapes itself plus one dead target, and starts on
 * history backfilled with promtool when `openmetrics` is given.
 */
import { afterAll, beforeAll } from 'vitest';
import { startPromStack, type PromStack, type PromStackOptions } from '../../../src/sandbox/prometheus.js';

export function usePromStack(opts: PromStackOptions | (() => PromStackOptions) = {}): { readonly stack: PromStack } {
  let stack: PromStack | undefined;
  const kill = () => stack?.processes.forEach((p) => p.exitCode === null && p.kill('SIGKILL'));
  beforeAll(async () => {
    process.on('exit', kill);
    stack = await startPromStack(typeof opts === 'function' ? opts() : opts);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    process.off('exit', kill);
  });
  return {
    get stack() {
      if (!stack) throw new Error('the Prometheus stack is not running (beforeAll failed?)');
      return stack;
    },
  };
}

/** Polls until `fn` returns a value (not undefined) or the time is up. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
