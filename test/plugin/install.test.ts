/**
 * Installing the plugins with the real Claude Code (the pinned dev dependency) into a throwaway HOME, the way a
 * user does: `claude plugin marketplace add <checkout>` then `claude plugin install <plugin>@helm-cloud`
 * (issue 21, point 13). Each installed plugin holds plugin files only (no node_modules, .venv, dist, sources),
 * and every `helm-cloud …` call its commands make resolves to a command this CLI answers, with the install
 * instructions for a machine where the CLI is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/index.js';

const repo = resolve(import.meta.dirname, '..', '..');
// The package's postinstall links the native binary as node_modules/.bin/claude; cli-wrapper.cjs finds it otherwise.
const BIN = join(repo, 'node_modules', '.bin', 'claude');
const [CLAUDE, PREFIX] = existsSync(BIN) ? [BIN, []] : [process.execPath, [join(repo, 'node_modules', '@anthropic-ai', 'claude-code', 'cli-wrapper.cjs')]];
const home = mkdtempSync(join(tmpdir(), 'helm-cloud-claude-install-'));
const marketplace = JSON.parse(readFileSync(join(repo, '.claude-plugin', 'marketplace.json'), 'utf8')) as { name: string; plugins: { name: string }[] };
afterAll(() => rmSync(home, { recursive: true, force: true }));

function claude(args: string[]): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ANTHROPIC_|CLAUDE_)/.test(k)) env[k] = v;
  Object.assign(env, { HOME: home, CLAUDE_CONFIG_DIR: join(home, '.claude'), DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', NO_COLOR: '1' });
  return new Promise((done, fail) => {
    const child = spawn(CLAUDE, [...PREFIX, ...args], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, out });
    });
  });
}

function files(dir: string): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ path: relative(dir, p), bytes: statSync(p).size });
    }
  };
  walk(dir);
  return out;
}

/** Where Claude Code put an installed plugin: plugins/cache/<marketplace>/<plugin>/<version>/. */
function installedDir(plugin: string): string {
  const base = join(home, '.claude', 'plugins', 'cache', marketplace.name, plugin);
  const versions = readdirSync(base);
  expect(versions).toHaveLength(1);
  return join(base, versions[0]!);
}

beforeAll(async () => {
  const add = await claude(['plugin', 'marketplace', 'add', repo]);
  if (add.code !== 0) throw new Error(`claude plugin marketplace add failed: ${add.out}`);
}, 180_000);

describe.each(marketplace.plugins.map((p) => p.name))('claude plugin install %s@helm-cloud', (plugin) => {
  let dir = '';
  beforeAll(async () => {
    const r = await claude(['plugin', 'install', `${plugin}@${marketplace.name}`]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/Successfully installed/);
    dir = installedDir(plugin);
  }, 180_000);

  it('installs plugin files only, well under a megabyte', () => {
    const all = files(dir);
    const bytes = all.reduce((n, f) => n + f.bytes, 0);
    expect(bytes).toBeLessThan(1_000_000);
    for (const f of all) expect(f.path).toMatch(/^(\.claude-plugin\/plugin\.json|commands\/[\w-]+\.md|agents\/[\w-]+\.md|skills\/[\w-]+\/SKILL\.md)$/);
    expect(all.map((f) => f.path)).toContain('.claude-plugin/plugin.json');
  });

  it('every helm-cloud call in its commands is a command the CLI answers, and says how to install the CLI', async () => {
    const commands = files(dir).filter((f) => f.path.startsWith('commands/'));
    expect(commands.length).toBeGreaterThan(0);
    for (const f of commands) {
      const text = readFileSync(join(dir, f.path), 'utf8');
      expect(text, f.path).toContain('`npm install -g helm-cloud`');
      expect(text, f.path).toContain('`npx helm-cloud`');
      const calls = [...text.matchAll(/^\s*helm-cloud ([^\s$"`]+)/gm)].map((m) => m[1]!);
      expect(calls.length, `${f.path} calls helm-cloud`).toBeGreaterThan(0);
      for (const call of new Set(calls)) {
        const r = await runCli([call, '--help']);
        expect(r.code, `${f.path}: helm-cloud ${call} --help\n${r.stderr}`).toBe(0);
      }
    }
  }, 120_000);
});

describe('the package', () => {
  it('puts the CLI on PATH as helm-cloud (the bin the commands call)', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain('helm-cloud');
  });
});
