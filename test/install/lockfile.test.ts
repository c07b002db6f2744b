/** The committed lock must stay one that `npm ci` accepts on every platform (issue 21, point 1). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CHECK = join(ROOT, 'scripts', 'check-lock.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function check(dir: string) {
  return spawnSync(process.execPath, [CHECK, dir], { encoding: 'utf8' });
}

/** A copy of package.json and the lock, edited by `edit`. */
function copyWith(edit: (lock: any, pkg: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'helm-lock-'));
  dirs.push(dir);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  edit(lock, pkg);
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
}

describe('package-lock.json', () => {
  it('records every optional platform package and agrees with package.json', () => {
    const r = check(ROOT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('records rollup binaries for platforms other than this one (what npm ci checks)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const names = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/@rollup/rollup-'));
    expect(names).toEqual(expect.arrayContaining([
      'node_modules/@rollup/rollup-darwin-arm64',
      'node_modules/@rollup/rollup-win32-x64-msvc',
      'node_modules/@rollup/rollup-android-arm-eabi',
    ]));
  });

  it('fails, naming the package and the fix, when an install drops another platform binary', () => {
    const dir = copyWith((lock) => {
      delete lock.packages['node_modules/@rollup/rollup-android-arm-eabi'];
    });
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('node_modules/rollup lists optional dependency @rollup/rollup-android-arm-eabi');
    expect(r.stderr).toContain('Fix: npm run lock');
  });

  it('fails when package.json gains a dependency the lock does not have', () => {
    const dir = copyWith((_lock, pkg) => {
      pkg.dependencies['left-pad'] = '1.3.0';
    });
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dependencies.left-pad: package.json has 1.3.0, the lock has nothing');
  });

  it('setup installs with npm ci, never npm install', () => {
    const setup = readFileSync(join(ROOT, 'scripts', 'setup.sh'), 'utf8');
    const commands = setup.split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(commands.some((l) => /\bnpm ci\b/.test(l))).toBe(true);
    expect(commands.some((l) => /\bnpm (install|i)\b/.test(l))).toBe(false);
  });
});
