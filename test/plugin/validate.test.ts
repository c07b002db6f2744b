/**
 * The Claude Code plugin files are checked by the real Claude Code CLI (`claude plugin validate --strict`,
 * pinned as a dev dependency; it runs offline and needs no login), plus the promises the CLI does not check:
 * every plugin is in the marketplace, names and versions agree, and no pre-approved tool rule lets Claude
 * apply a remediation without the user's permission prompt.
 *
 * Each plugin lives in its own folder under plugins/ (the marketplace at the root lists them); the main plugin's
 * commands/, skills/ and agents/ are links to the top-level folders, which Claude Code copies as files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const home = mkdtempSync(join(tmpdir(), 'helm-cloud-claude-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A throwaway HOME, no Anthropic credentials, no update checks or telemetry: validation must work offline. */
function claudeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ANTHROPIC_|CLAUDE_)/.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    NO_COLOR: '1',
  };
}

interface Claude {
  cmd: string;
  prefix: string[];
  version: string;
}

/**
 * The package's postinstall puts the native binary at node_modules/.bin/claude. Where install scripts did
 * not run, its cli-wrapper.cjs finds the same binary in the platform package.
 */
function findClaude(): Claude | { reason: string } {
  const candidates: Array<[string, string[]]> = [
    [join(repo, 'node_modules/.bin/claude'), []],
    [process.execPath, [join(repo, 'node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs')]],
  ];
  const tried: string[] = [];
  for (const [cmd, prefix] of candidates) {
    if (!existsSync(prefix[0] ?? cmd)) {
      tried.push(`${prefix[0] ?? cmd}: not installed`);
      continue;
    }
    const r = spawnSync(cmd, [...prefix, '--version'], { env: claudeEnv(), encoding: 'utf8', timeout: 60_000 });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    if (r.status === 0 && /Claude Code/.test(out)) return { cmd, prefix, version: out };
    tried.push(`${[cmd, ...prefix].join(' ')}: ${r.error?.message ?? out.split('\n')[0] ?? `exit ${r.status}`}`);
  }
  return { reason: `the Claude Code CLI (@anthropic-ai/claude-code dev dependency) is not usable here: ${tried.join('; ')}` };
}

function readJson(rel: string): any {
  return JSON.parse(readFileSync(join(repo, rel), 'utf8'));
}

const pkg = readJson('package.json');
const marketplace = readJson('.claude-plugin/marketplace.json');
const entries: Array<{ name: string; source: string }> = marketplace.plugins;
const pluginDirs = entries.map((e) => ({ name: e.name, dir: e.source === './' ? '.' : e.source.replace(/^\.\//, '') }));

/** What `claude plugin validate` gets: the marketplace file, the root plugin's manifest, each other plugin dir. */
const targets = [
  '.claude-plugin/marketplace.json',
  ...pluginDirs.map((p) => (p.dir === '.' ? '.claude-plugin/plugin.json' : p.dir)),
];

const claude = findClaude();
const usable = 'cmd' in claude;
if (!usable) {
  // In CI the plugins must be checked: a missing CLI fails there instead of skipping.
  if (process.env.CI) throw new Error(claude.reason);
  console.warn(`SKIPPING claude plugin validate: ${claude.reason}`);
}

describe.skipIf(!usable)('claude plugin validate --strict', () => {
  it.each(targets)('accepts %s with no error or warning', (target) => {
    const c = claude as Claude;
    const r = spawnSync(c.cmd, [...c.prefix, 'plugin', 'validate', '--strict', target], {
      cwd: repo,
      env: claudeEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.error, `could not run ${c.version}`).toBeUndefined();
    expect({ exit: r.status, output: out }).toMatchObject({ exit: 0 });
    expect(out).toMatch(/Validation passed/);
    expect(out).not.toMatch(/✘|⚠|error|warning/i);
  }, 60_000);
});

/** One-line `key: value` pairs from a Markdown file's YAML frontmatter (all ours are one-line). */
function frontmatter(rel: string): Record<string, string> {
  const text = readFileSync(join(repo, rel), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error(`${rel}: no frontmatter`);
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split('\n')) {
    const kv = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]!] = kv[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return fields;
}

function markdownFiles(): string[] {
  const files: string[] = [];
  for (const { dir } of pluginDirs) {
    for (const sub of ['commands', 'agents']) {
      const d = join(repo, dir, sub);
      if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.md')) files.push(join(dir, sub, f));
    }
    const skills = join(repo, dir, 'skills');
    if (existsSync(skills)) for (const s of readdirSync(skills)) files.push(join(dir, 'skills', s, 'SKILL.md'));
  }
  return files.map((f) => f.replace(/^\.\//, ''));
}

/** `Bash(helm-cloud health:*)` → "helm-cloud health"; `Bash(helm-cloud health *)` → "helm-cloud health". */
function bashPrefixes(allowedTools: string): string[] {
  const rules = allowedTools.match(/[A-Za-z]+(\([^)]*\))?/g) ?? [];
  return rules.map((rule) => {
    const m = /^Bash\((.*)\)$/.exec(rule);
    if (!m) throw new Error(`allowed-tools rule ${rule} is not a Bash(helm-cloud …) rule`);
    return m[1]!.replace(/(:\*| \*|\*)$/, '');
  });
}

describe('plugin layout', () => {
  it('lists every plugin folder in the marketplace, with a manifest of the same name', () => {
    const onDisk = readdirSync(join(repo, 'plugins')).map((d) => `plugins/${d}`).sort();
    const listed = pluginDirs.filter((p) => p.dir !== '.').map((p) => p.dir).sort();
    expect(listed).toEqual(onDisk);
    for (const { name, dir } of pluginDirs) {
      expect(readJson(join(dir, '.claude-plugin/plugin.json')).name, dir).toBe(name);
    }
  });

  it('ships the namespaces the dispatcher answers to', () => {
    expect(pluginDirs.map((p) => p.name).sort()).toEqual(['fractary-faber-cloud', 'fractary-helm', 'fractary-helm-cloud']);
    const files = markdownFiles();
    for (const f of [
      'plugins/fractary-helm-cloud/commands/health.md',
      'plugins/fractary-helm-cloud/commands/investigate.md',
      'plugins/fractary-helm-cloud/commands/remediate.md',
      'plugins/fractary-helm-cloud/commands/audit.md',
      'plugins/fractary-helm-cloud/agents/ops-manager.md',
      'plugins/fractary-helm/commands/dashboard.md',
      'plugins/fractary-faber-cloud/commands/ops-manage.md',
    ]) {
      expect(files).toContain(f);
    }
  });

  it('versions every plugin as the package', () => {
    for (const { dir } of pluginDirs) {
      expect(readJson(join(dir, '.claude-plugin/plugin.json')).version, dir).toBe(pkg.version);
    }
  });

  it('names each skill after its folder and says when to use it', () => {
    const skills = markdownFiles().filter((f) => f.endsWith('/SKILL.md'));
    expect(skills.map((f) => f.split('/').at(-2)).sort()).toEqual([
      'ops-auditor',
      'ops-investigator',
      'ops-monitor',
      'ops-responder',
    ]);
    for (const f of skills) {
      const fm = frontmatter(f);
      expect(fm.name, f).toBe(f.split('/').at(-2));
      expect(fm.description, f).toMatch(/Use when/);
    }
  });

  it('gives every command a description and argument hint and hands $ARGUMENTS to the CLI as JSON', () => {
    for (const f of markdownFiles().filter((x) => x.includes('commands/'))) {
      const fm = frontmatter(f);
      expect(fm.description, f).toBeTruthy();
      expect(fm['argument-hint'], f).toBeTruthy();
      expect(fm['allowed-tools'], f).toBeTruthy();
      expect(readFileSync(join(repo, f), 'utf8'), f).toMatch(/helm-cloud [^\n`]*\$ARGUMENTS[^\n`]*--output json/);
    }
  });
});

describe('pre-approved tools', () => {
  const withTools = markdownFiles().filter((f) => frontmatter(f)['allowed-tools']);

  it('pre-approve only helm-cloud CLI calls', () => {
    expect(withTools.length).toBeGreaterThan(0);
    for (const f of withTools) {
      for (const prefix of bashPrefixes(frontmatter(f)['allowed-tools']!)) expect(prefix, f).toMatch(/^helm-cloud( |$)/);
    }
  });

  it('never let a remediation be applied without the permission prompt', () => {
    const applying = [
      'helm-cloud remediate --yes',
      'helm-cloud remediate "restart it" --env prod --yes',
      'helm-cloud /fractary-helm-cloud:remediate --yes',
      'helm-cloud /fractary-faber-cloud:ops-manage remediate --yes',
    ];
    for (const f of withTools) {
      for (const prefix of bashPrefixes(frontmatter(f)['allowed-tools']!)) {
        for (const call of applying) expect(call.startsWith(prefix), `${f}: "${prefix}" pre-approves "${call}"`).toBe(false);
      }
    }
  });

  it('still pre-approve the remediation dry run', () => {
    const prefixes = bashPrefixes(frontmatter('commands/remediate.md')['allowed-tools']!);
    expect(prefixes).toContain('helm-cloud remediate --dry-run');
  });
});
