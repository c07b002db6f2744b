import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeProject, runCli } from '../support/index.js';

describe('CLI surface', () => {
  it('--help lists every command and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['health', 'investigate', 'remediate', 'audit', 'dashboard', 'escalate', 'doctor', 'init', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toMatch(/Exit codes: 0 ok/);
    expect(r.stderr).toBe('');
  });

  it.each(['health', 'investigate', 'remediate', 'audit', 'dashboard', 'escalate', 'doctor'])('%s --help shows --output and exits 0', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--output <format>/);
    expect(r.stdout).toMatch(/Exit codes/);
  });

  it('--version prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command exits 2 and suggests the closest', async () => {
    const r = await runCli(['helth']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "helth".*did you mean `helm-cloud health`/);
  });

  it('an unknown slash command exits 2 and suggests the closest', async () => {
    const r = await runCli(['/fractary-helm-cloud:audt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean \/fractary-helm-cloud:audit/);
  });

  it('an unknown option exits 2 without a stack trace', async () => {
    const r = await runCli(['health', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus\. Fix: helm-cloud health --help lists every option/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad --output value exits 2', async () => {
    const r = await runCli(['health', '--env', 'test', '--output', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output/);
  });

  it('a bad duration exits 2 naming the flag', async () => {
    const project = makeProject();
    const r = await runCli(['health', '--env', 'test', '--window', 'soon'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--window.*not a duration/);
  });

  it.each([
    [['health', '--env', 'nope']],
    [['/fractary-helm-cloud:health', '--env=nope']],
    [['/fractary-helm-cloud:health --env=nope']],
  ])('%j: slash and plain forms are the same call', async (args) => {
    const project = makeProject();
    const r = await runCli(args, { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown environment "nope"/);
  });
});

describe('--junit paths', () => {
  it.each([
    ['a folder', (dir: string) => dir, /cannot write .*: it is a folder/],
    ['below a file', (dir: string) => join(dir, 'registry', 'deployments.json', 'health.xml'), /cannot write .*: .*deployments\.json is a file, not a folder/],
  ])('%s is a usage error (exit 2) naming the path, before any AWS call', async (_name, path, message) => {
    const root = makeProject({ 'shared/environments.json': { environments: { test: { region: 'us-east-1', protected: false, endpoint_url: 'http://127.0.0.1:9' } } } });
    const file = path(join(root, '.fractary'));
    const r = await runCli(['health', '--env', 'test', '--root', root, '--junit', file, '--output', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('--junit');
    expect(r.stderr).not.toMatch(/internal error|please report/);
  });
});
