/**
 * Files as they arrive from other tools, editors and crashes: encodings, empty files, directories in a file's
 * place, state that is not a file, a registry far larger than a hand-written one. Every command that reads a
 * file either reads it or stops with exit 2 and one message naming the file, the key path and the fix, no stack
 * trace, and with `--output json` an error document on stdout.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/io.js';
import { resolveContext } from '../../src/ops-manager/context.js';
import { isHelmError } from '../../src/errors.js';
import { loadOncall } from '../../src/config/oncall.js';
import { loadMonitoring, openWorkspace } from '../../src/config/load.js';
import { CLI, configProblem, environmentsFor, makeProject, registryWith, runCli, type FileMap } from '../support/index.js';

const MON = 'plugins/helm-cloud/monitoring.toml';
const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_MAX_ATTEMPTS: '1' };
const reg = registryWith([{ project: 'orders', resources: [{ type: 'lambda', name: 'orders-api' }] }]);

/** The config error resolving the project raises, or 'no error'. */
function problem(files: FileMap, bytes: Record<string, Buffer> = {}): string {
  const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg, ...files });
  for (const [rel, b] of Object.entries(bytes)) {
    mkdirSync(join(project, '.fractary', rel, '..'), { recursive: true });
    writeFileSync(join(project, '.fractary', rel), b);
  }
  return configProblem(project);
}

const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('encodings and bytes', () => {
  const envsJson = JSON.stringify(environmentsFor(), null, 2);
  it.each<[string, Record<string, string | Buffer>, RegExp]>([
    ['an empty registry', { 'registry/deployments.json': '' }, /registry\/deployments\.json: is empty \(0 bytes\)\. Fix: restore it .*smallest valid content is \{"version":1,"deployments":\[\]\}/],
    ['an environments file of only whitespace', { 'shared/environments.json': ' \r\n\t\n' }, /shared\/environments\.json: holds only whitespace \(no JSON document\)\. Fix: .*\{"environments":/],
    ['a UTF-16 environments file', { 'shared/environments.json': utf16(envsJson) }, /shared\/environments\.json: is encoded as UTF-16 .*Fix: save it as UTF-8/],
    ['a UTF-16 monitoring.toml', { [MON]: utf16('[monitoring]\r\ndefault_window = "1h"\r\n') }, /monitoring\.toml: is encoded as UTF-16/],
    ['NUL bytes in the registry', { 'registry/deployments.json': '{"version":1,\u0000\u0000"deployments":[]}' }, /deployments\.json: contains NUL bytes/],
  ])('%s: names the file and the fix', (_name, files, re) => {
    const bytes = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
    expect(problem({}, bytes)).toMatch(re);
  });

  it('a byte-order mark and CRLF line endings are read as the same file', () => {
    const crlf = (s: string) => '\uFEFF' + s.replace(/\n/g, '\r\n');
    expect(
      problem({
        'shared/environments.json': crlf(JSON.stringify(environmentsFor(), null, 2)),
        'registry/deployments.json': crlf(JSON.stringify(reg, null, 2)),
        [MON]: crlf('[monitoring]\ndefault_window = "30m"\n\n[slos.lambda]\np95_latency_ms = 700\n'),
      }),
    ).toBe('no error');
    const ws = openWorkspace(makeProject({ [MON]: crlf('[monitoring]\ndefault_window = "30m"\n') }));
    expect(loadMonitoring(ws).monitoring.default_window).toBe('30m');
  });

  it('a registry larger than any hand-written file (over 20 MB, a long deploy history) is read', () => {
    // The deploy tool appends a deployment per deploy; a long-lived project outgrows any "config file" limit.
    const resources = Array.from({ length: 200 }, (_, j) => ({ type: 'lambda', name: `fn-${j}`, arn: `arn:aws:lambda:us-east-1:123456789012:function:fn-${j}-${'x'.repeat(40)}` }));
    const old = registryWith([{ project: 'history', resources }]).deployments[0]!;
    const size = JSON.stringify(old).length;
    const deployments = Array.from({ length: Math.ceil((21 * 1024 * 1024) / size) }, (_, i) => ({ ...old, id: `old-${i}`, deployed_at: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString() }));
    const project = makeProject({ 'registry/deployments.json': { version: 1, deployments: [...reg.deployments, ...deployments] } });
    const ctx = resolveContext({ cwd: project, env: 'test', output: 'json' }, bufferIo());
    expect(ctx.resources.map((r) => r.name)).toContain('orders-api');
    expect(ctx.resources.filter((r) => r.project === 'history')).toHaveLength(200);
  });
});

describe('the file system', () => {
  const withFs = (setup: (fractary: string) => void): string => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg });
    setup(join(project, '.fractary'));
    try {
      resolveContext({ cwd: project, env: 'test', output: 'json' }, bufferIo());
      return 'no error';
    } catch (e) {
      if (isHelmError(e)) return e.describe();
      throw e;
    }
  };

  it('a .fractary folder or a file that is a symbolic link is read through it', () => {
    expect(
      withFs((f) => {
        renameSync(f, `${f}-real`);
        symlinkSync(`${f}-real`, f);
        renameSync(join(f, 'registry/deployments.json'), join(f, 'registry/real.json'));
        symlinkSync('real.json', join(f, 'registry/deployments.json'));
      }),
    ).toBe('no error');
  });

  it('a .fractary that is a file, not a folder, is named instead of "no .fractary folder"', async () => {
    const project = makeProject();
    rmSync(join(project, '.fractary'), { recursive: true });
    writeFileSync(join(project, '.fractary'), 'not a folder');
    const r = await runCli(['circuit', 'status', '--env', 'test', '--output', 'json'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.fractary is not a folder\. Fix: .*helm-cloud init/);
    expect(r.json()).toMatchObject({ exitCode: 2, error: { kind: 'config', message: expect.stringMatching(/\.fractary is not a folder/) } });
  });

  it.each<[string, (f: string) => void, RegExp]>([
    ['a link to a missing file', (f) => (rmSync(join(f, 'registry/deployments.json')), symlinkSync('/nonexistent/deployments.json', join(f, 'registry/deployments.json'))), /registry\/deployments\.json: is a symbolic link to \/nonexistent\/deployments\.json, which cannot be followed.*Fix: point the link at the real file/],
    ['a link to itself', (f) => (rmSync(join(f, 'shared/environments.json')), symlinkSync('environments.json', join(f, 'shared/environments.json'))), /shared\/environments\.json: is a symbolic link to environments\.json, which cannot be followed \(missing, or a loop\)/],
    ['a directory where the file belongs', (f) => (rmSync(join(f, 'registry/deployments.json')), mkdirSync(join(f, 'registry/deployments.json'))), /registry\/deployments\.json: is not a regular file\. Fix: replace it with a file/],
  ])('%s is named, not "not found"', (_name, setup, re) => {
    expect(withFs(setup)).toMatch(re);
  });
});

describe('a target deployment file (deploy diff_analysis --to FILE)', () => {
  const target = { id: 'dep-9', environment: 'test', project: 'orders', version: '2.0.0', deployed_at: '2026-02-01T00:00:00Z', region: null, resources: [{ type: 'lambda', name: 'orders-api', arn: null }] };
  const diff = async (text: string) => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg });
    writeFileSync(join(project, 'target.json'), text);
    return runCli(['deploy', 'diff_analysis', '--env', 'test', '--project', 'orders', '--to', 'target.json', '--output', 'json'], { cwd: project, env: NO_AWS });
  };

  it('is read like the registry: a byte-order mark, CRLF and null optionals are fine', async () => {
    const r = await diff('\uFEFF' + JSON.stringify(target, null, 2).replace(/\n/g, '\r\n'));
    expect(r.code, r.stderr).not.toBe(2);
    expect(r.json<{ command: string }>().command).toBe('deploy');
  });

  it('a wrong field is named by key path in our words (exit 2)', async () => {
    const r = await diff(JSON.stringify({ ...target, version: 2 }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/target\.json: version: expected string, got number 2\. Fix: change the value/);
    expect(r.stderr).not.toMatch(/Invalid input|received/);
  });
});

describe('two processes writing state at once', () => {
  it('eight `incident create` at once: eight incidents with distinct ids, every log line whole', async () => {
    const team = '[oncall]\ndefault_team = "ops"\n[oncall.users.ann]\nemail = "ann@example.com"\n[oncall.teams.ops]\ntime_zone = "UTC"\n[[oncall.teams.ops.layers]]\nmembers = ["ann"]\nstart = "2026-01-05T09:00"\nrotation = "weekly"\n';
    const project = makeProject({ [MON]: team });
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => runCli(['incident', 'create', '--title', `outage ${i}`, '--output', 'json'], { cwd: project, env: NO_AWS })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(project, '.fractary/plugins/helm-cloud/oncall/incidents.jsonl'), 'utf8').trim().split('\n');
    const records = lines.map((l) => JSON.parse(l) as { incident: string; type: string; fields?: { title: string } });
    const created = records.filter((r) => r.type === 'created');
    expect(new Set(created.map((r) => r.incident)).size).toBe(8);
    expect(created.map((r) => r.fields!.title).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `outage ${i}`));
  });
});

/**
 * Permission bits do not stop root, so as root the CLI runs as `nobody` (setpriv) on files root keeps to itself;
 * as any other user the files are chmod'ed. Where neither is possible (root without setpriv) the case is skipped.
 */
const asOther = process.getuid?.() === 0 ? spawnSync('setpriv', ['--version']).status === 0 : true;
describe.skipIf(!asOther)('files the user running helm-cloud may not read or write', () => {
  const runAs = async (project: string, args: string[]) => {
    if (process.getuid?.() !== 0) return runCli(args, { cwd: project, env: NO_AWS });
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], { cwd: project, env: { ...process.env, ...NO_AWS, HOME: project }, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
  };
  const open = (project: string) => {
    // mkdtemp folders are private: let the other user walk to the files.
    for (let d = project; d !== dirname(d) && d.startsWith(tmpdir()) && d !== tmpdir(); d = dirname(d)) chmodSync(d, 0o755);
    for (const rel of ['', 'registry', 'shared', 'plugins', 'plugins/helm-cloud', 'plugins/helm-cloud/state']) {
      try {
        chmodSync(join(project, '.fractary', rel), 0o755);
      } catch {
        /* not there */
      }
    }
    for (const rel of ['registry/deployments.json', 'shared/environments.json', 'plugins/helm-cloud/state/circuit.json']) {
      try {
        chmodSync(join(project, '.fractary', rel), 0o644);
      } catch {
        /* not there */
      }
    }
  };

  it('a file without read permission: exit 2 naming the file and the fix (was an internal error)', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg });
    open(project);
    chmodSync(join(project, '.fractary/shared/environments.json'), 0o600);
    if (process.getuid?.() !== 0) chmodSync(join(project, '.fractary/shared/environments.json'), 0o000);
    const r = await runAs(project, ['circuit', 'status', '--env', 'test', '--output', 'json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/shared\/environments\.json: cannot be read: permission denied\. Fix: give the user running helm-cloud read access/);
    expect(r.json()).toMatchObject({ exitCode: 2, error: { kind: 'config', file: expect.stringMatching(/shared\/environments\.json$/) } });
  });

  it('a state folder it cannot write: exit 2 naming the file, the old state intact', async () => {
    const before = JSON.stringify({ 'test/restart_lambda': { state: 'closed', failures: [], since: 0 } }, null, 2) + '\n';
    const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg, 'plugins/helm-cloud/state/circuit.json': before });
    open(project);
    if (process.getuid?.() !== 0) chmodSync(join(project, '.fractary/plugins/helm-cloud/state'), 0o555);
    const r = await runAs(project, ['circuit', 'open', '--reason', 'drill', '--env', 'test', '--output', 'json']);
    if (process.getuid?.() !== 0) chmodSync(join(project, '.fractary/plugins/helm-cloud/state'), 0o755);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/plugins\/helm-cloud\/state\/\S+: cannot be written: permission denied; the previous file, if any, is unchanged\. Fix: /);
    expect(readFileSync(join(project, '.fractary/plugins/helm-cloud/state/circuit.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(project, '.fractary/plugins/helm-cloud/state'))).toEqual(['circuit.json']);
  });
});

describe('JSON shapes another tool may write', () => {
  const dep = (over: Record<string, unknown> = {}, res: Record<string, unknown> = {}) => ({
    version: 1,
    deployments: [{ ...reg.deployments[0], ...over, resources: [{ type: 'lambda', name: 'orders-api', ...res }] }],
  });

  it('null for an optional key is read as absent (Python None, Go nil); null for a required key is named', () => {
    expect(problem({ 'registry/deployments.json': dep({ region: null, commit: null, status: null }, { arn: null, tags: null, namespace: null }) })).toBe('no error');
    expect(problem({ 'shared/environments.json': { environments: { test: { region: 'us-east-1', aws_profile: null, protected: null, description: null } } } })).toBe('no error');
    expect(problem({ 'registry/deployments.json': dep({ project: null }) })).toMatch(/deployments\.json: deployments\[0\]\.project: expected string, got null\. Fix: /);
    expect(problem({ 'shared/environments.json': { environments: { test: { region: null } } } })).toMatch(/environments\.json: environments\.test\.region: expected string, got null/);
  });

  it('an unknown key on each of 5 000 resources is one warning and one doctor note, with the count, not 5 000', async () => {
    const resources = Array.from({ length: 5000 }, (_, j) => ({ type: 'lambda', name: `fn-${j}`, regoin: 'us-east-1', owner_team: 'payments' }));
    const project = makeProject({ 'registry/deployments.json': { version: 1, deployments: [{ ...reg.deployments[0], resources }] } });
    const r = await runCli(['circuit', 'status', '--env', 'test', '--output', 'json'], { cwd: project, env: NO_AWS });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'warning: .fractary/registry/deployments.json: deployments[*].resources[*].regoin: not a key helm-cloud reads (ignored) (in 5000 places; the first is deployments[0].resources[0].regoin); if you meant "region", rename it',
    ]);
    const doctor = await runCli(['doctor', '--output', 'json'], { cwd: project, env: NO_AWS });
    const notes = doctor.json<{ checks: { check: string; detail: string }[] }>().checks.filter((c) => c.check === 'key ignored in a shared file');
    expect(notes.map((n) => n.detail)).toEqual([
      expect.stringMatching(/deployments\[\*\]\.resources\[\*\]\.regoin: .*in 5000 places/),
      expect.stringMatching(/deployments\[\*\]\.resources\[\*\]\.owner_team: .*in 5000 places/),
    ]);
  });

  it('400 different misspellings: every warning reaches a piped stderr before exit (was cut at 48 KB)', async () => {
    // Each resource misspells dead_letter_queue differently: distinct notes, one warning line each.
    const L = 'abcdefghijklmnopqrstuvwxyz';
    const base = 'dead_letter_queue';
    const keys = new Set<string>();
    for (let i = 0; keys.size < 400; i++) {
      const pos = i % base.length;
      const k = base.slice(0, pos) + L[Math.floor(i / base.length) % 26] + base.slice(pos + 1);
      if (k !== base) keys.add(k);
    }
    const resources = [...keys].map((k, j) => ({ type: 'sqs', name: `queue-${j}`, [k]: 'x' }));
    const project = makeProject({ 'registry/deployments.json': { version: 1, deployments: [{ ...reg.deployments[0], resources }] } });
    const r = await runCli(['circuit', 'status', '--env', 'test', '--output', 'json'], { cwd: project, env: NO_AWS });
    expect(r.code, r.stderr.slice(-300)).toBe(0);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toHaveLength(400);
    expect(warnings.at(-1)).toMatch(/resources\[399\]\.\w+: not a key helm-cloud reads \(ignored\); if you meant "dead_letter_queue", rename it$/);
  });

  it('a problem on each of 5 000 resources is a screenful: the first 20 and how many more', () => {
    const resources = Array.from({ length: 5000 }, (_, j) => ({ type: 'lambdaa', name: `fn-${j}` }));
    const msg = problem({ 'registry/deployments.json': { version: 1, deployments: [{ ...reg.deployments[0], resources }] } });
    const lines = msg.split('\n');
    expect(lines[0]).toMatch(/5000 problems:$/);
    expect(lines).toHaveLength(22);
    expect(lines[20]).toMatch(/resources\[19\]\.type: .*did you mean "lambda"\?/);
    expect(lines[21]).toMatch(/^ {2}… and 4980 more in \S*registry\/deployments\.json \(fix these, then run again to see the rest\)$/);
  });

  it('a registry in a newer format version says to upgrade helm-cloud, not to edit the number', () => {
    expect(problem({ 'registry/deployments.json': { version: 2, deployments: [] } })).toMatch(
      /deployments\.json: version: is in registry format version 2; this helm-cloud reads version 1\. Fix: upgrade helm-cloud/,
    );
  });

  it.each<[string, FileMap, RegExp]>([
    ['a number where a string is expected', { 'registry/deployments.json': dep({ version: 2 }) }, /deployments\[0\]\.version: expected string, got number 2\. Fix: change the value/],
    ['a string where a boolean is expected', { 'shared/environments.json': { environments: { test: { region: 'us-east-1', protected: 'false' } } } }, /environments\.test\.protected: expected boolean, got string false/],
    ['an array where an object is expected', { 'shared/environments.json': { environments: { test: [] } } }, /environments\.test: expected object, got an array/],
    ['an object where an array is expected', { 'registry/deployments.json': { version: 1, deployments: { a: 1 } } }, /deployments: expected array, got a table\/object/],
    ['a 100 000-character name', { 'registry/deployments.json': dep({}, { name: 'n'.repeat(100_000) }) }, /resources\[0\]\.name: string n+… is too big \(expected at most 255 characters\)/],
    ['nesting 100 000 levels deep under an unknown key', { 'registry/deployments.json': `{"version":1,"deployments":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}` }, /deployments\.json: invalid JSON: nested deeper than 256 levels at line 1, column \d+/],
    ['TOML tables nested 20 000 levels deep', { [MON]: `[slos]\nx = ${'{a = '.repeat(20_000)}1${'}'.repeat(20_000)}\n` }, /monitoring\.toml: slos\.x\.a\.a.*: tables or arrays nested deeper than 256 levels\. Fix: flatten it/],
    ['TOML arrays nested 20 000 levels deep', { [MON]: `[remediation]\nauto_remediate = ${'['.repeat(20_000)}1${']'.repeat(20_000)}\n` }, /monitoring\.toml: remediation\.auto_remediate\[0\]\[0\].*: tables or arrays nested deeper than 256 levels/],
  ])('%s: names the file, the key path and the fix', (_name, files, re) => {
    const msg = problem(files);
    expect(msg).toMatch(re);
    expect(msg.length).toBeLessThan(600);
  });

  it('terminal escape sequences in a bad value or a name never reach the message raw', () => {
    const esc = '\u001b]0;pwned\u0007\u001b[2J';
    const msg = problem({ 'registry/deployments.json': dep({}, { type: `lambda${esc}` }) });
    expect(msg).toMatch(/resources\[0\]\.type: string lambda\?\]0;pwned\?\?\[2J is not allowed/);
    expect(msg).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // Names with unicode, spaces, slashes and shell metacharacters are names like any other.
    expect(problem({ 'registry/deployments.json': dep({ project: 'bestellungen / ümlaut $(id) `x` ; rm' }, { name: 'fn with spaces/and/slashes;$HOME' }) })).toBe('no error');
  });
});

describe('the on-call schedule file ([oncall] file = …)', () => {
  const team = '[teams.ops]\ntime_zone = "UTC"\n\n[[teams.ops.layers]]\nmembers = ["ann"]\nstart = "2026-01-05T09:00"\nrotation = "weekly"\n\n[users.ann]\nemail = "ann@example.com"\n';
  const load = (file: string | Buffer | ((abs: string) => void)) => {
    const project = makeProject({ [MON]: '[oncall]\nfile = "oncall.toml"\n' });
    const abs = join(project, '.fractary', 'plugins/helm-cloud/oncall.toml');
    if (typeof file === 'function') file(abs);
    else writeFileSync(abs, file);
    const ws = openWorkspace(project);
    try {
      return loadOncall(ws, loadMonitoring(ws));
    } catch (e) {
      if (isHelmError(e)) return e.describe();
      throw e;
    }
  };

  it('reads one saved with a byte-order mark and CRLF line endings', () => {
    const m = load('\uFEFF' + team.replace(/\n/g, '\r\n'));
    expect(typeof m === 'string' ? m : [...m.teams.keys()]).toEqual(['ops']);
  });

  it.each<[string, string | Buffer | ((abs: string) => void), RegExp]>([
    ['UTF-16', utf16(team), /oncall\.toml: is encoded as UTF-16.*Fix: save it as UTF-8/],
    ['a directory', (abs) => mkdirSync(abs), /oncall\.toml: is not a regular file\. Fix: replace it with a file/],
    ['invalid TOML', '[teams.ops]\ntime_zone = UTC\n', /oncall\.toml: invalid TOML at line 2, column \d+/],
    ['NUL bytes', '[teams]\u0000', /oncall\.toml: contains NUL bytes/],
  ])('refuses %s naming the file and the fix', (_name, file, re) => {
    expect(load(file)).toMatch(re);
  });
});

describe('every command that reads a bad file: exit 2, file, key path, fix, no stack; a JSON error document with --output json', () => {
  const badRegistry = { 'registry/deployments.json': registryWith([{ project: 'orders', resources: [{ type: 'lambda', name: 7 } as never] }]) };
  const badToml = { [MON]: '[automation]\ncircuit_failres = 3\n' };
  const cases: [string, string[], FileMap, RegExp][] = [
    ['health', ['health', '--env', 'test'], badRegistry, /registry\/deployments\.json: deployments\[0\]\.resources\[0\]\.name: expected string, got number 7\. Fix: /],
    ['investigate', ['investigate', 'errors in orders-api', '--env', 'test'], badRegistry, /deployments\[0\]\.resources\[0\]\.name: expected string/],
    ['remediate --dry-run', ['remediate', '--action', 'restart_lambda', '--target', 'orders-api', '--env', 'test', '--dry-run'], badRegistry, /deployments\[0\]\.resources\[0\]\.name: expected string/],
    ['audit', ['audit', '--env', 'test'], badRegistry, /deployments\[0\]\.resources\[0\]\.name: expected string/],
    ['alerts list', ['alerts', 'list', '--env', 'test'], badRegistry, /deployments\[0\]\.resources\[0\]\.name: expected string/],
    ['circuit status', ['circuit', 'status', '--env', 'test'], badToml, /monitoring\.toml: automation\.circuit_failres: unknown key\. Fix: rename it to "circuit_failures"/],
    ['trust level', ['trust', 'level', '--env', 'test'], badToml, /monitoring\.toml: automation\.circuit_failres: unknown key/],
    ['incident list (state is a directory)', ['incident', 'list'], { 'plugins/helm-cloud/oncall/incidents.jsonl/x': 'x' }, /oncall\/incidents\.jsonl: cannot be read: it is a directory, not a file\. Fix: remove or rename that directory/],
    ['circuit status (state is a directory)', ['circuit', 'status', '--env', 'test'], { 'plugins/helm-cloud/state/circuit.json/x': 'x' }, /state\/circuit\.json: cannot be read: it is a directory/],
    ['workflow run --dry-run', ['workflow', 'run', 'sre_health_review', '--env', 'test', '--dry-run'], { 'shared/environments.json': '' }, /shared\/environments\.json: is empty \(0 bytes\)\. Fix: /],
  ];
  it.each(cases)('%s', async (_name, args, files, re) => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg, ...files });
    const before = readdirSync(join(project, '.fractary'), { recursive: true }).sort();
    const table = await runCli([...args, '--output', 'table'], { cwd: project, env: NO_AWS });
    expect(table.code, table.stderr).toBe(2);
    expect(table.stderr).toMatch(re);
    expect(table.stderr.trim().split('\n')).toHaveLength(1);
    expect(table.stderr).not.toMatch(/\n\s+at /);
    expect(table.stdout).toBe('');
    const json = await runCli([...args, '--output', 'json'], { cwd: project, env: NO_AWS });
    expect(json.code).toBe(2);
    const doc = json.json<{ schema: string; command: string; exitCode: number; verdict: string; error: { kind: string; message: string; file?: string; fix?: string } }>();
    expect(doc).toMatchObject({ schema: `helm-cloud/${args[0]}@1`, command: args[0], exitCode: 2, verdict: 'UNKNOWN', error: { kind: 'config' } });
    expect(`${doc.error.file ?? ''}: ${doc.error.message}. Fix: ${doc.error.fix ?? ''}`).toMatch(re.source.includes('Fix') ? /Fix: \S/ : /./);
    expect(doc.error.file ?? doc.error.message).toMatch(/\.fractary\//);
    expect(readdirSync(join(project, '.fractary'), { recursive: true }).sort()).toEqual(before);
  });

  it('a usage error with --output json is a document too (unknown option: exit 2, kind usage)', async () => {
    const r = await runCli(['health', '--env', 'test', '--output', 'json', '--windw', '5m'], { cwd: makeProject(), env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ schema: 'helm-cloud/health@1', exitCode: 2, error: { kind: 'usage', message: 'unknown option --windw', fix: expect.stringMatching(/did you mean --window/) } });
    const unknown = await runCli(['helth', '-o', 'json'], { cwd: makeProject(), env: NO_AWS });
    expect(unknown.json()).toMatchObject({ schema: 'helm-cloud/error@1', exitCode: 2, error: { kind: 'usage', fix: expect.stringMatching(/did you mean `helm-cloud health`/) } });
  });

  it('doctor shows every problem of a bad file with its key path and fix, not just the first line', async () => {
    const project = makeProject({ 'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name: 7 } as never, { type: 'lambdaa', name: 'x' }] }]) });
    const r = await runCli(['doctor', '--output', 'json'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(2);
    const check = r.json<{ checks: { check: string; status: string; detail: string; fix?: string }[] }>().checks.find((c) => c.check === 'registry present and valid')!;
    expect(check.status).toBe('FAIL');
    expect(check.detail).toMatch(/deployments\[0\]\.resources\[0\]\.name: expected string, got number 7; .*deployments\[0\]\.resources\[1\]\.type: /);
    expect(check.fix).toMatch(/change the value; did you mean "lambda"\?/);
  });
});
