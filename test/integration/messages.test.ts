/**
 * What reaches a user is our text, not a library's (issue 21, point 7): typo'd flags get "did you mean",
 * zod's and the SDK's wording is translated at the edge, and no message ends in a double period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';

const LIBRARY_TEXT = /Unexpected token|Deserialization error|\$response|<!doctype|Too small:|Too big:|Invalid input|expected number to be|\.\.(\s|$)|commander/;

describe('typo\'d flags', () => {
  it.each([
    [['health', '--evn', 'test'], /^error: unknown option --evn\. Fix: did you mean --env\? \(helm-cloud health --help lists every option\)$/m],
    [['investigate', '--sicne', '1h'], /^error: unknown option --sicne\. Fix: did you mean --since\?/m],
    [['remediate', '--dryrun'], /^error: unknown option --dryrun\. Fix: did you mean --dry-run\?/m],
    [['health', '--output', 'jsn'], /^error: --output "jsn" is not one of table, json, markdown\. Fix: did you mean --output json\?$/m],
    [['audit', '--type', 'secuirty'], /^error: --type "secuirty" is not one of cost, security, compliance, all\. Fix: did you mean --type security\?$/m],
    [['health', '--env'], /^error: --env needs a value\. Fix: write --env <name> \(helm-cloud health --help\)$/m],
  ])('%j exits 2 with our one line', async (argv, line) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(LIBRARY_TEXT);
  });
});

describe('config values out of range', () => {
  it('name the bound in words, not zod\'s "Too small: expected number to be >=0"', async () => {
    const root = makeProject({ 'plugins/helm-cloud/monitoring.toml': '[monitoring]\ndegraded_budget_percent = -5\nconcurrency = 0\n\n[slos.lambda]\nerror_rate_percent = -1\n' });
    const r = await runCli(['health', '--env', 'test', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/monitoring\.toml: monitoring\.degraded_budget_percent: number -5 is too small \(expected a number ≥ 0\)\. Fix: change the value/);
    expect(r.stderr).toMatch(/monitoring\.concurrency: number 0 is too small \(expected a number ≥ 1\)/);
    expect(r.stderr).toMatch(/slos\.lambda\.error_rate_percent: number -1 is too small \(expected a number ≥ 0\)/);
    expect(r.stderr).not.toMatch(LIBRARY_TEXT);
  });
});

describe('an endpoint that answers with a web page instead of AWS', () => {
  let proxy: FaultProxy;
  let root: string;
  beforeAll(async () => {
    await new Seeder({ endpoint: moto() }).createFunction('page-fn');
    proxy = await startFaultProxy(moto());
    const page = '<!doctype html><html><head><title>Sign in</title></head><body>captive portal</body></html>';
    proxy.addRule({ service: 'lambda', respond: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: page }) });
    proxy.addRule({ service: 'cloudwatch', respond: () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: page }) });
    root = makeProject({
      'shared/environments.json': environmentsFor(proxy.endpoint),
      'registry/deployments.json': registryWith([{ env: 'test', resources: [{ type: 'lambda', name: 'page-fn' }] }]),
    });
  });
  afterAll(() => proxy?.stop());

  it('health says the response was not in AWS format, with no parser text, in JSON and on stderr', async () => {
    const r = await runCli(['health', '--env', 'test', '--root', root, '--output', 'json']);
    expect([1, 3, 4]).toContain(r.code);
    expect(r.stdout + r.stderr).not.toMatch(LIBRARY_TEXT);
    expect(r.stdout + r.stderr).toMatch(/not in AWS's format|unreadable response/);
  });
});
