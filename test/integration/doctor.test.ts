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
    expect(checks.every((c) => c.status === 'PASS')).toBe(true);
    expect(checks.find((c) => c.check.startsWith('Lambda read'))!.detail).toContain('1 function');
    seeder.destroy();
  });

  it('fails with exit 4 and a fix when the endpoint is unreachable', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor('http://127.0.0.1:9') });
    const r = await runCli(['doctor', '--env', 'test', '--output', 'json'], { cwd: project, env: { AWS_ENDPOINT_URL: undefined } });
    expect(r.code).toBe(4);
    const checks = r.json<{ checks: { check: string; status: string; fix?: string }[] }>().checks;
    const endpoint = checks.find((c) => c.check.startsWith('endpoint reachable'))!;
    expect(endpoint.status).toBe('FAIL');
    expect(endpoint.fix).toMatch(/endpoint/);
  });

  it('reports a missing .fractary with exit 2', async () => {
    const r = await runCli(['doctor', '--root', '/nonexistent-helm-cloud', '--output', 'json']);
    expect(r.code).toBe(2);
    expect(r.json<{ checks: { status: string }[] }>().checks[0]!.status).toBe('FAIL');
  });
});
