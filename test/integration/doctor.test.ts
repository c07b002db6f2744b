import { describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder } from '../support/index.js';

describe('doctor', () => {
  it('passes every check against a reachable emulator and reads seeded functions back', async () => {
    const seeder = new Seeder({ endpoint: moto() });
    await seeder.createFunction('orders-api-handler');
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name: 'orders-api-handler' }] }]),
    });
    const r = await runCli(['doctor', '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const checks = r.json<{ checks: { check: string; status: string; detail: string }[] }>().checks;
    // NOTE rows (the IAM an auto action needs) inform; nothing may FAIL or be skipped.
    expect(checks.filter((c) => c.status !== 'PASS' && c.status !== 'NOTE')).toEqual([]);
    expect(checks.find((c) => c.check.startsWith('Lambda read'))!.detail).toMatch(/^ok \(1 function on the first page\)$/);
    // What audit and investigate read is probed too, and counts agree with their nouns.
    for (const name of ['CloudWatch Logs read', 'Security Hub read for audit', 'Config read for audit', 'Cost Explorer read for audit']) {
      expect(checks.find((c) => c.check.startsWith(name)), name).toMatchObject({ status: 'PASS' });
    }
    expect(checks.find((c) => c.check.startsWith('CloudWatch read'))!.detail).toMatch(/^ok \(0 alarms on the first page\)$/);
    expect(checks.find((c) => c.check.startsWith('registry'))!.detail).toMatch(/^1 deployment in /);
    // The example [remediation] lists every action under its default safety: none is left unlisted.
    expect(checks.find((c) => c.check.includes('listed nowhere'))).toBeUndefined();
    seeder.destroy();
  }, 120_000); // six read probes in one run

  it('with no credentials at all, fails (exit 4) on credentials and on read access instead of passing them', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()) });
    const none = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, HOME: makeProject(), AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
    const r = await runCli(['doctor', '--env', 'test', '--output', 'json'], { cwd: project, env: none });
    expect(r.code).toBe(4);
    const checks = r.json<{ checks: { check: string; status: string; detail: string }[] }>().checks;
    expect(checks.find((c) => c.check.startsWith('credentials resolve'))).toMatchObject({ status: 'FAIL' });
    expect(checks.find((c) => c.check.startsWith('read access'))).toMatchObject({ status: 'FAIL', detail: 'not checked: no credentials resolved' });
    expect(checks.find((c) => c.check === 'profile and region resolve')!.detail).not.toMatch(/credentials from the environment/);
  });

  it('lists the IAM each auto_remediate action needs', async () => {
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'plugins/helm-cloud/monitoring.toml': '[remediation]\nauto_remediate = ["restart_lambda"]\n',
    });
    const r = await runCli(['doctor', '--env', 'test', '--output', 'json'], { cwd: project });
    const checks = r.json<{ checks: { check: string; status: string; detail: string }[] }>().checks;
    expect(checks.find((c) => c.check === 'auto_remediate restart_lambda: IAM it needs')).toMatchObject({ status: 'NOTE', detail: expect.stringContaining('lambda:UpdateFunctionConfiguration') });
    // Replacing the auto list leaves clear_cache listed nowhere: never_auto, and doctor names its default.
    expect(checks.find((c) => c.check === '[remediation] actions listed nowhere (never_auto)')).toMatchObject({ status: 'NOTE', detail: 'clear_cache (default auto)', fix: expect.stringContaining('clear_cache → auto_remediate') });
  });

  it('fails with exit 4 and a fix when the endpoint is unreachable', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor('http://127.0.0.1:9') });
    const r = await runCli(['doctor', '--env', 'test', '--output', 'json'], { cwd: project, env: { AWS_ENDPOINT_URL: undefined } });
    expect(r.code).toBe(4);
    const checks = r.json<{ checks: { check: string; status: string; detail: string; fix?: string }[] }>().checks;
    const endpoint = checks.find((c) => c.check.startsWith('endpoint reachable'))!;
    expect(endpoint.status).toBe('FAIL');
    expect(endpoint.fix).toMatch(/endpoint/);
    // In words, not a library's "Error: bad port" (fetch refuses port 9; the SDK would try it).
    expect(endpoint.detail).toBe('connection refused: nothing listens on 127.0.0.1:9 [ECONNREFUSED]');
  });

  it('reports a missing .fractary with exit 2', async () => {
    const r = await runCli(['doctor', '--root', '/nonexistent-helm-cloud', '--output', 'json']);
    expect(r.code).toBe(2);
    expect(r.json<{ checks: { status: string }[] }>().checks[0]!.status).toBe('FAIL');
  });
});
