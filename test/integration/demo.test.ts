/**
 * `helm-cloud demo --keep`, run as a newcomer runs it (not on a TTY: health prints Markdown), on its own moto:
 * the closing line agrees with the health summary above it; no Lambda is UNKNOWN for want of percentiles; each
 * command it suggests, pasted as printed, shows a real result (no UNKNOWN); and when the emulator dies, the demo
 * says so and exits 4 instead of waiting silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/index.js';

/** The sandbox's own endpoint and the user's shell: nothing from this worker's moto. */
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL: undefined };

let demo: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number>;
const dir = mkdtempSync(join(tmpdir(), 'helm-demo-'));

beforeAll(async () => {
  demo = spawn(process.execPath, [CLI, 'demo', '--keep', '--dir', join(dir, 'sandbox')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  demo.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  exited = new Promise((r) => demo.on('close', (code, signal) => r(code ?? (signal ? 128 : -1))));
  const ready = Date.now() + 150_000;
  while (!/Try, in another shell:[\s\S]*dashboard/.test(stderr)) {
    if (demo.exitCode !== null) throw new Error(`the demo exited ${demo.exitCode} before it was ready:\n${stderr}`);
    if (Date.now() > ready) throw new Error(`the demo was not ready in time:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 170_000);

afterAll(async () => {
  if (demo.exitCode === null) {
    demo.kill('SIGINT');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one pasted line in a shell, as the user would, with JSON output. */
function paste(line: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', `${line} --output json`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const suggested = () => stderr.split('\n').filter((l) => /^ {2}node \S+helm-cloud\.js /.test(l)).map((l) => l.trim());

describe('demo --keep', () => {
  it('closes with what health found: the same verdict, summary and resources as the report above it', () => {
    const head = /^## Health: test — (\w+)\n\n(\d+ resources: [^(\n]+?) \(window/m.exec(stdout);
    expect(head, stdout).not.toBeNull();
    const [, verdict, summary] = head!;
    const closing = /^health exited (\d+) \(([^)]+)\): (\w+), (.+)\.$/m.exec(stderr);
    expect(closing, stderr).not.toBeNull();
    expect(closing![3]).toBe(verdict);
    expect(closing![4]).toBe(summary);
    expect(Number(closing![1])).toBe({ HEALTHY: 0, DEGRADED: 1, UNKNOWN: 1, UNHEALTHY: 3 }[verdict!]);
    // Each resource the table calls not healthy is named below it, with the same verdict, and no other.
    const rows = [...stdout.matchAll(/^\| (\S+) \| [^|]+ \| [^|]+ \| (HEALTHY|DEGRADED|UNHEALTHY|UNKNOWN) \|/gm)].map((m) => [m[1]!.replace(/\\_/g, '_'), m[2]!]);
    const named = [...stderr.matchAll(/^ {2}(\S+) (DEGRADED|UNHEALTHY|UNKNOWN): /gm)].map((m) => [m[1]!, m[2]!]);
    expect(named).toEqual(rows.filter(([, v]) => v !== 'HEALTHY'));
    // The sandbox's deliberate faults, and percentiles answered: no Lambda is UNKNOWN.
    expect(named).toEqual(expect.arrayContaining([['lambda/orders-worker', 'UNHEALTHY']]));
    expect(rows.filter(([r, v]) => r!.startsWith('lambda/') && v === 'UNKNOWN')).toEqual([]);
    expect(stdout).toMatch(/\| p95\\_latency\\_ms \| 1000 ms \| \d+ ms \|/);
  });

  it('suggests commands that each show a real result when pasted', async () => {
    const lines = suggested();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const ran: Record<string, { code: number; j: any }> = {};
    for (const line of lines) {
      const r = await paste(line);
      const cmd = /helm-cloud\.js (\w+)/.exec(line)![1]!;
      let j: any;
      try {
        j = JSON.parse(r.out);
      } catch {
        throw new Error(`${line}: stdout is not JSON (exit ${r.code}):\n${r.out}\n${r.err}`);
      }
      expect(r.err, line).not.toMatch(/error:/);
      ran[cmd] = { code: r.code, j };
    }
    const health = ran.health!.j;
    expect(health.resources.length).toBeGreaterThan(0);
    expect(health.resources.filter((x: any) => x.verdict === 'UNKNOWN')).toEqual([]);
    const inv = ran.investigate!.j;
    expect(inv.logs.lines).toBeGreaterThan(0);
    expect(inv.patterns.find((p: any) => /TypeError/.test(p.template))).toMatchObject({ isNew: true });
    expect(inv.hypotheses[0]).toMatchObject({ kind: 'deploy_regression' });
    expect(ran.remediate).toMatchObject({ code: 0, j: { verdict: 'PLANNED', target: 'orders-worker' } });
    const audit = ran.audit!.j;
    for (const s of ['cost', 'security', 'compliance']) expect(audit.sections[s].verdict, `${s}: ${audit.sections[s].reason}`).not.toBe('UNKNOWN');
    expect(audit.findings.map((f: any) => f.id)).toEqual(expect.arrayContaining(['security:sandbox/lambda-1-checkout-fn']));
    expect(ran.dashboard!.j.issues.length).toBeGreaterThan(0);
    if (ran.prometheus) expect(ran.prometheus.code).toBe(0);
  });

  it('says so on stderr and exits 4 when the emulator dies', async () => {
    const pid = Number(/AWS emulator at \S+ \(pid (\d+)\)/.exec(stderr)![1]);
    process.kill(pid, 'SIGKILL');
    expect(await exited).toBe(4);
    expect(stderr).toMatch(/error: the AWS emulator \(moto\) stopped on its own \(killed by SIGKILL\); the sandbox at .* no longer answers/);
  });
});
