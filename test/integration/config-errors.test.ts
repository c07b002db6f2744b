/**
 * Every malformed or missing file gets one message naming the file, the key path, what was expected and the
 * fix; exit 2; no stack trace; nothing written.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/io.js';
import { resolveContext } from '../../src/ops-manager/context.js';
import { configProblem, environmentsFor, makeProject, registryWith, runCli, type FileMap } from '../support/index.js';

function problem(files: FileMap, env = 'test'): string {
  const project = makeProject(files);
  return configProblem(project, env);
}

const lambda = { type: 'lambda', name: 'orders-api' };

describe('bad .fractary files', () => {
  const cases: [string, FileMap, RegExp[], string?][] = [
    ['registry missing', { 'registry/deployments.json': null }, [/registry\/deployments\.json/, /not found/, /Fix:/]],
    ['registry with a JSON syntax error', { 'registry/deployments.json': '{"version": 1,\n "deployments": [}\n' }, [/deployments\.json/, /line 2, column 18/, /Fix:/]],
    ['registry with a duplicate key', { 'registry/deployments.json': '{"version": 1, "version": 1, "deployments": []}' }, [/duplicate key "version"/, /Fix: keep one/]],
    ['registry with a wrong type', { 'registry/deployments.json': { version: 1, deployments: {} } }, [/deployments\.json: deployments: expected array, got a table\/object/]],
    ['registry with an unknown resource type', { 'registry/deployments.json': registryWith([{ resources: [{ type: 'lambdaa', name: 'x' }] }]) }, [/deployments\[0\]\.resources\[0\]\.type/, /did you mean "lambda"/]],
    ['registry deployment missing a field', { 'registry/deployments.json': { version: 1, deployments: [{ id: 'a', environment: 'test', project: 'p', deployed_at: '2026-01-01T00:00:00Z', resources: [] }] } }, [/deployments\[0\]\.version: missing/]],
    ['registry with a bad timestamp', { 'registry/deployments.json': registryWith([{ at: 'yesterday', resources: [lambda] }]) }, [/deployed_at/, /ISO-8601/]],
    ['environments missing', { 'shared/environments.json': null }, [/shared\/environments\.json/, /not found/, /helm-cloud init/]],
    ['environment with a bad region', { 'shared/environments.json': { environments: { test: { region: 'mars' } } } }, [/environments\.test\.region/, /AWS region/]],
    ['credentials holding a secret key', { 'shared/aws-credentials.json': { profiles: { test: { account_id: '123456789012', aws_secret_access_key: 'abc' } } } }, [/aws-credentials\.json: profiles\.test\.aws_secret_access_key/, /refused/, /never secrets/, /rotate/]],
    ['credentials holding an access key id', { 'shared/aws-credentials.json': { profiles: { test: { account_id: '123456789012', description: 'AKIAIOSFODNN7EXAMPLE' } } } }, [/refused: holds an AWS access key id/]],
    ['credentials with a bad account id', { 'shared/aws-credentials.json': { profiles: { test: { account_id: '42' } } } }, [/profiles\.test\.account_id/, /12-digit/]],
    ['monitoring.toml with a syntax error', { 'plugins/helm-cloud/monitoring.toml': '[monitoring]\nhealth_check_interval = 5m\n' }, [/monitoring\.toml/, /invalid TOML at line 2/, /Fix:/]],
    ['monitoring.toml with a wrong type', { 'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\nerror_rate_percent = "one"\n' }, [/slos\.lambda\.error_rate_percent: expected number \(or false to switch it off\), got string/]],
    ['monitoring.toml with a misspelt SLO key', { 'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\nerror_rate_percnt = 2\n' }, [/slos\.lambda\.error_rate_percnt: unknown key/, /rename it to "error_rate_percent"/]],
    ['monitoring.toml with an unknown resource type', { 'plugins/helm-cloud/monitoring.toml': '[slos.lamda]\nerror_rate_percent = 2\n' }, [/slos\.lamda: unknown key/, /rename it to "lambda"/]],
    ['monitoring.toml with a bad duration', { 'plugins/helm-cloud/monitoring.toml': '[monitoring]\nhealth_check_interval = "five minutes"\n' }, [/monitoring\.health_check_interval/, /duration such as 30s/]],
    ['monitoring.toml with an unknown check', { 'plugins/helm-cloud/monitoring.toml': '[monitoring]\nenabled_checks = ["resource_statu"]\n' }, [/enabled_checks\[0\]/, /did you mean "resource_status"/]],
  ];
  for (const [name, files, expectations] of cases) {
    it(`${name}: names the file, key and fix`, () => {
      const msg = problem({ 'shared/environments.json': environmentsFor(), ...files });
      for (const re of expectations) expect(msg).toMatch(re);
    });
  }

  it('a config file over the size limit is refused before parsing', () => {
    const msg = problem({ 'plugins/helm-cloud/monitoring.toml': '#'.repeat(2 * 1024 * 1024) });
    expect(msg).toMatch(/monitoring\.toml: is 2\.0 MB; the limit is 1 MB/);
  });

  it('reports every problem of one file together', () => {
    const msg = problem({ 'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\nerror_rate_percent = "x"\np95_latency_ms = "y"\n' });
    expect(msg).toMatch(/2 problems/);
    expect(msg).toMatch(/error_rate_percent/);
    expect(msg).toMatch(/p95_latency_ms/);
  });

  it('an unknown environment suggests the closest one', () => {
    expect(problem({}, 'prd')).toMatch(/unknown environment "prd".*did you mean --env=prod/);
  });

  it('an environment name with path separators is refused', () => {
    expect(problem({}, '../prod')).toMatch(/not a valid environment name.*no path separators/);
  });

  it('an environment whose profile is not in the credentials file is refused', () => {
    const msg = problem({
      'shared/environments.json': { environments: { test: { region: 'us-east-1', aws_profile: 'ops' } } },
      'shared/aws-credentials.json': { profiles: { other: { account_id: '123456789012' } } },
    });
    expect(msg).toMatch(/profile "ops", which is not listed/);
  });

  it('a missing .fractary says how to create one', () => {
    expect(() => resolveContext({ cwd: '/', env: 'test', output: 'json' }, bufferIo())).toThrow(/no .fractary folder/);
  });
});

describe('bad files through the CLI', () => {
  it.each([
    ['malformed TOML', { 'plugins/helm-cloud/monitoring.toml': '[remediation\nauto_remediate = []' }, /monitoring\.toml.*invalid TOML/],
    ['secret in credentials', { 'shared/aws-credentials.json': { profiles: { p: { account_id: '123456789012', secret: 'x' } } } }, /aws-credentials\.json.*refused/],
    ['duplicate key in environments', { 'shared/environments.json': '{"environments": {"test": {"region": "us-east-1"}, "test": {"region": "us-east-1"}}}' }, /environments\.json: environments\.test: duplicate key/],
  ])('%s: exit 2, one line on stderr, no stack trace, nothing written', async (_name, files, message) => {
    const project = makeProject(files as FileMap);
    const before = readdirSync(join(project, '.fractary'), { recursive: true }).sort();
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code).toBe(2);
    // stdout carries only the error document --output json asks for; the message is on stderr.
    expect(r.json()).toMatchObject({ command: 'health', exitCode: 2, error: { kind: 'config' } });
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(join(project, '.fractary'), { recursive: true }).sort()).toEqual(before);
  });

  it('hostile text in a bad value is not echoed raw', async () => {
    const project = makeProject({ 'shared/environments.json': { environments: { test: { region: 'us-east-1\u001b[31m\u0007' } } } });
    const r = await runCli(['health', '--env', 'test'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\u001b|\u0007/);
  });
});

describe('init', () => {
  it('creates the skeleton and never overwrites', async () => {
    const project = makeProject({}, { defaults: false });
    const r1 = await runCli(['init'], { cwd: project });
    expect(r1.code).toBe(0);
    for (const f of ['registry/deployments.json', 'shared/environments.json', 'shared/aws-credentials.json', 'plugins/helm-cloud/monitoring.toml']) {
      expect(existsSync(join(project, '.fractary', f))).toBe(true);
    }
    writeFileSync(join(project, '.fractary/plugins/helm-cloud/monitoring.toml'), '# mine\n');
    const r2 = await runCli(['init'], { cwd: project });
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/kept .*monitoring\.toml/);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(project, '.fractary/plugins/helm-cloud/monitoring.toml'), 'utf8')).toBe('# mine\n');
  });
});
