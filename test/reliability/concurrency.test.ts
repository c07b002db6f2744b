/**
 * Two remediations of one target started together, their apply calls held by the proxy so they overlap: one
 * applies, the other is refused naming the lock holder (exit 3), and exactly one change reaches AWS. Different
 * targets do not block each other. moto has no notion of concurrent callers; the proxy delay makes the overlap.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/config/load.js';
import { readActions } from '../../src/store/actions-log.js';
import { environmentsFor, makeProject, moto, registryWith, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';
import { corruptedFiles, isCrash, record } from './ledger.js';
import { startCli } from './kill.js';

const seeder = new Seeder({ endpoint: moto() });
const isUpdateConfig = (c: { method: string; path: string }) => c.method === 'PUT' && /\/configuration$/.test(c.path);
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(moto());
});
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

const restart = (target: string) => ['remediate', '--action', 'restart_lambda', '--target', target, '--param', 'within_minutes=0', '--env', 'test', '--yes', '--output', 'json'];

describe('two remediations at once', () => {
  it('of one target: one applies, the other is refused naming the holder (exit 3), and AWS sees exactly one change', async () => {
    await seeder.createFunction('cc-one');
    proxy.clearRules();
    proxy.resetCalls();
    const faults0 = proxy.faultsInjected();
    proxy.addRule({ service: 'lambda', when: isUpdateConfig, fault: { kind: 'delay', ms: 1500 } });
    const dir = makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': registryWith([{ project: 'orders', resources: [{ type: 'lambda', name: 'cc-one' }] }]) });
    const runs = [startCli(restart('cc-one'), dir), startCli(restart('cc-one'), dir)];
    const [a, b] = await Promise.all(runs.map((r) => r.exited));
    const results = [a!, b!].map((r) => ({ ...r, json: JSON.parse(r.stdout) as { verdict: string; summary: string } }));
    const applied = results.filter((r) => r.json.verdict === 'APPLIED');
    const refused = results.filter((r) => r.json.verdict === 'REFUSED');
    const log = await readActions(openWorkspace(dir));
    const corrupted = corruptedFiles(join(dir, '.fractary'));
    const crash = results.some((r) => isCrash({ code: r.code ?? -1, stderr: r.stderr }));
    record({ case: 'concurrency: two remediations of one target', faults: proxy.faultsInjected() - faults0, crash, falseHealthy: false, corruptedFiles: corrupted });

    expect(crash).toBe(false);
    expect(applied.map((r) => r.code)).toEqual([0]);
    expect(refused.map((r) => r.code)).toEqual([3]);
    expect(refused[0]!.json.summary).toMatch(/locked by another remediation: .*restart_lambda/);
    expect(proxy.count('lambda', 'PUT /2015-03-31/functions/cc-one/configuration')).toBe(1);
    expect(log.filter((l) => l.outcome === 'applied')).toHaveLength(1);
    expect(log.filter((l) => l.outcome === 'intent')).toHaveLength(1);
    expect(corrupted).toEqual([]);
    const locks = join(dir, '.fractary/plugins/helm-cloud/locks');
    expect(existsSync(locks) ? readdirSync(locks) : []).toEqual([]);
  }, 60_000);

  it('of two different targets: both apply, each with its own log lines', async () => {
    await seeder.createFunction('cc-left');
    await seeder.createFunction('cc-right');
    proxy.clearRules();
    proxy.resetCalls();
    const faults0 = proxy.faultsInjected();
    proxy.addRule({ service: 'lambda', when: isUpdateConfig, fault: { kind: 'delay', ms: 1500 } });
    const dir = makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': registryWith([{ project: 'orders', resources: [{ type: 'lambda', name: 'cc-left' }, { type: 'lambda', name: 'cc-right' }] }]) });
    const [a, b] = await Promise.all([startCli(restart('cc-left'), dir), startCli(restart('cc-right'), dir)].map((r) => r.exited));
    const log = await readActions(openWorkspace(dir));
    const corrupted = corruptedFiles(join(dir, '.fractary'));
    const crash = [a!, b!].some((r) => isCrash({ code: r.code ?? -1, stderr: r.stderr }));
    record({ case: 'concurrency: two remediations of different targets', faults: proxy.faultsInjected() - faults0, crash, falseHealthy: false, corruptedFiles: corrupted });
    expect(crash).toBe(false);
    expect([a!.code, b!.code], a!.stderr + b!.stderr).toEqual([0, 0]);
    expect(log.filter((l) => l.outcome === 'applied').map((l) => l.target).sort()).toEqual(['cc-left', 'cc-right']);
    expect(corrupted).toEqual([]);
  }, 60_000);
});
