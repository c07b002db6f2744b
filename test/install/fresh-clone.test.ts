/**
 * The README's two commands on a fresh clone leave it clean (issue 21, point 1): setup installs with `npm ci`
 * from the committed lock, and setup, the demo and the CLI write only ignored paths (.venv, node_modules, dist,
 * .sandbox). The clone is of the committed HEAD; its .venv links to this checkout's when present so the test
 * does not spend minutes in pip (the venv holds no tracked file either way). Children run asynchronously so the
 * worker keeps answering the runner during the minutes npm ci and the build take.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let clone = '';

function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 840_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, out, err });
    });
  });
}

async function status(): Promise<string> {
  return (await sh('git', ['status', '--porcelain', '--untracked-files=all'], clone)).out;
}

beforeAll(async () => {
  clone = mkdtempSync(join(tmpdir(), 'helm-fresh-clone-'));
  const r = await sh('git', ['clone', '--quiet', ROOT, clone], tmpdir());
  if (r.code !== 0) throw new Error(`git clone failed: ${r.err}`);
  if (existsSync(join(ROOT, '.venv', 'bin', 'moto_server'))) symlinkSync(join(ROOT, '.venv'), join(clone, '.venv'));
}, 120_000);
afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe('a fresh clone', () => {
  it('stays clean through setup (npm ci) and the demo', async () => {
    const setup = await sh('bash', ['scripts/setup.sh', 'demo'], clone);
    expect(setup.err + setup.out).not.toMatch(/Missing: .* from lock file/);
    expect(setup.code, setup.err).toBe(0);
    expect(existsSync(join(clone, 'node_modules', '.package-lock.json'))).toBe(true);
    expect(await status()).toBe('');

    const demo = await sh(process.execPath, ['bin/helm-cloud.js', 'demo'], clone);
    expect(demo.out).toContain('Health: test');
    expect(await status()).toBe('');
  }, 900_000);
});
