/**
 * Files helm-cloud shares with other tools (registry/, shared/) are read forward-compatibly: a key written by
 * a newer faber-cloud or by hand is ignored by the commands and listed by doctor; a key helm-cloud reads is
 * still validated strictly (exit 2 naming file, key path and fix). monitoring.toml, which helm-cloud owns,
 * stays strict (see config-errors.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { environmentsFor, makeProject, moto, percentiles, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';

let seeder: Seeder;
let proxy: FaultProxy;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  proxy = await startFaultProxy(moto());
});
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

/** A registry as a newer deploy tool writes it: keys at every level that helm-cloud has never heard of. */
function newerRegistry(resources: object[]) {
  const reg = registryWith([{ resources }]) as { deployments: Record<string, unknown>[]; [k: string]: unknown };
  reg.generator = { name: 'faber-cloud', version: '9.1.0' };
  reg.deployments[0]!.pipeline = { run: 4711, url: 'https://ci.example/runs/4711' };
  return reg;
}
function newerEnvironments() {
  const e = environmentsFor(proxy.endpoint) as { environments: Record<string, Record<string, unknown>>; [k: string]: unknown };
  e.$schema = 'https://fractary.dev/schemas/environments-2.json';
  e.environments.test!.owner_team = 'payments';
  e.environments.test!.protectd = true;
  return e;
}

describe('forward-compatible reading of shared files', () => {
  it('health runs and judges a fleet whose registry and environments carry keys it does not know', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'fc-fn': 180 }));
    await seedLambdaProfile(seeder, { name: 'fc-fn', project: 'app', env: 'test', rate: 60, errorPct: 0, durationMs: 150 }, Date.now());
    const cwd = makeProject({
      'registry/deployments.json': newerRegistry([{ type: 'lambda', name: 'fc-fn', runtime_hint: 'nodejs22.x', cost_center: { id: 7 } }]),
      'shared/environments.json': newerEnvironments(),
    });
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ verdict: string }>().verdict).toBe('HEALTHY');
    // Only the likely misspelling of a key helm-cloud reads earns a warning on every run; the rest is silent.
    expect(r.stderr).toMatch(/warning: .*environments\.json: environments\.test\.protectd: .*ignored.*"protected"/);
    expect(r.stderr).not.toMatch(/owner_team|runtime_hint|pipeline|generator/);
  });

  it('doctor lists every ignored key as a NOTE, with the likely intended key, and still passes', async () => {
    const cwd = makeProject({
      'registry/deployments.json': newerRegistry([{ type: 'lambda', name: 'fc-fn', runtime_hint: 'nodejs22.x' }]),
      'shared/environments.json': newerEnvironments(),
      'shared/aws-credentials.json': { profiles: { ops: { account_id: '123456789012', sso_start_url: 'https://example.awsapps.com/start' } }, default_profile: 'ops' },
    });
    const r = await runCli(['doctor', '--output', 'json'], { cwd });
    const body = r.json<{ verdict: string; checks: { status: string; detail: string; fix?: string }[] }>();
    expect(r.code, JSON.stringify(body.checks)).toBe(0);
    expect(body.verdict).toBe('PASS');
    const notes = body.checks.filter((c) => c.status === 'NOTE').map((c) => c.detail);
    for (const key of ['generator', 'deployments[0].pipeline', 'deployments[0].resources[0].runtime_hint', '$schema', 'environments.test.owner_team', 'environments.test.protectd', 'default_profile', 'profiles.ops.sso_start_url']) {
      expect(notes.some((n) => n.includes(`: ${key}: `)), `${key} in ${notes.join('\n')}`).toBe(true);
    }
    expect(body.checks.find((c) => c.detail.includes('protectd'))!.fix).toMatch(/rename it to "protected"/);
  });

  it('a wrong type on a key helm-cloud reads is still exit 2, naming the file, key path and fix, even among unknown keys', async () => {
    const reg = newerRegistry([{ type: 'lambda', name: 'fc-fn', runtime_hint: 'x' }]) as { deployments: Record<string, unknown>[] };
    reg.deployments[0]!.deployed_at = 'last tuesday';
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: makeProject({ 'registry/deployments.json': reg, 'shared/environments.json': newerEnvironments() }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/registry\/deployments\.json: deployments\[0\]\.deployed_at/);
    expect(r.stderr).toMatch(/ISO-8601/);
    expect(r.stderr).toMatch(/Fix:/);
    expect(r.stderr).not.toMatch(/runtime_hint|pipeline/);
  });

  it('a secret under an unknown key of the credentials file is still refused', async () => {
    const cwd = makeProject({ 'shared/aws-credentials.json': { profiles: { ops: { account_id: '123456789012', extra: { aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } } } });
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused/);
  });
});
