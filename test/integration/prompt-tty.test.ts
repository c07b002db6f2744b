/**
 * The confirmation prompt on a real terminal (a pseudo-terminal from test/support/terminal.py): the plan comes before
 * the question, and both go to the terminal, so `2>/dev/null` does not leave a silent wait (issue 21, point 3).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, moto, Seeder } from '../support/index.js';
import { cfg, logLines, project } from './remediate-support.js';

const PTY = join(import.meta.dirname, '..', 'support', 'terminal.py');

function onTerminal(answer: string, args: string[], cwd: string) {
  const r = spawnSync('python3', [PTY, answer, '40', process.execPath, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`pty helper failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { before: string; after: string; unasked: string; code: number };
}

async function memoryOf(name: string): Promise<number> {
  const L = await import('@aws-sdk/client-lambda');
  const c = new L.LambdaClient(cfg());
  try {
    return (await c.send(new L.GetFunctionConfigurationCommand({ FunctionName: name }))).MemorySize!;
  } finally {
    c.destroy();
  }
}

let seeder: Seeder;
beforeAll(() => {
  seeder = new Seeder({ endpoint: moto() });
});

describe('the protected-environment prompt', () => {
  it('shows the whole plan, then asks on the terminal even with stderr discarded; yes applies', async () => {
    await seeder.createFunction('tty-yes', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'tty-yes' }]);
    const r = onTerminal('y', ['remediate', '--action', 'increase_capacity', '--target', 'tty-yes', '--param', 'memory_mb=256', '--env', 'prod', '--output', 'json'], dir);
    expect(r.unasked).toBe('');
    const shown = r.before.replace(/\r/g, '');
    const order = ['plan: increase_capacity on tty-yes in prod (protected)', 'change      memory_mb: 128 → 256', 'impact', 'reversible', 'undo', 'needs IAM   lambda:', '[prod is protected] Apply increase_capacity to tty-yes? [y/N]'];
    let at = -1;
    for (const part of order) {
      const i = shown.indexOf(part, at + 1);
      expect(i, `"${part}" after position ${at} in:\n${shown}`).toBeGreaterThan(at);
      at = i;
    }
    expect(r.code, JSON.stringify(r)).toBe(0);
    expect(JSON.parse(r.after.slice(r.after.indexOf('{'))).verdict).toBe('APPLIED');
    expect(await memoryOf('tty-yes')).toBe(256);
  });

  it('no (the default) changes nothing and exits 3', async () => {
    await seeder.createFunction('tty-no', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'tty-no' }]);
    const r = onTerminal('', ['remediate', '--action', 'increase_capacity', '--target', 'tty-no', '--param', 'memory_mb=256', '--env', 'prod', '--output', 'json'], dir);
    expect(r.before).toMatch(/\[y\/N\]/);
    expect(r.code, JSON.stringify(r)).toBe(3);
    expect(await memoryOf('tty-no')).toBe(128);
    expect(logLines(dir).map((l) => l.outcome)).toEqual(['refused']);
  });
});
