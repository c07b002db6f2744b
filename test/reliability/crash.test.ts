/**
 * Crashes: a CLI process killed with SIGKILL in the middle of a remediation (while its apply call is held by
 * the proxy) and in the middle of a health report (while GetMetricData is held), plus kills at spread-out
 * moments of whole runs. Afterwards every JSON/JSONL file under .fractary parses (actions.jsonl may end in a
 * torn line, which readers skip and the next append steps over), the lock is still there and the next
 * remediation recovers it (its holder is dead) and completes, and reports are absent or complete.
 * The kill is ours, so the killed run is not counted as a crash; the recovering run is.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/config/load.js';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { readActions } from '../../src/store/actions-log.js';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';
import { corruptedFiles, isCrash, record } from './ledger.js';
import { startCli, until } from './kill.js';
import { percentiles, restartMarker } from './wire.js';

const seeder = new Seeder({ endpoint: moto() });
const isUpdateConfig = (c: { method: string; path: string }) => c.method === 'PUT' && /\/configuration$/.test(c.path);
const HELM = '.fractary/plugins/helm-cloud';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(moto());
  await seedLambdaProfile(seeder, { name: 'cr-health', project: 'orders', env: 'test', rate: 60, errorPct: 0, durationMs: 200 }, Date.now());
}, 60_000);
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

const project = (endpoint: string, resources: { type: string; name: string }[]) =>
  makeProject({ 'shared/environments.json': environmentsFor(endpoint), 'registry/deployments.json': registryWith([{ project: 'orders', resources }]) });

const restart = (target: string) => ['remediate', '--action', 'restart_lambda', '--target', target, '--param', 'within_minutes=0', '--env', 'test', '--yes', '--output', 'json'];

/** Every saved report is complete JSON with its schema (none at all is fine). */
function reportsOf(dir: string): { files: string[]; incomplete: string[] } {
  const reports = join(dir, HELM, 'reports');
  const files = existsSync(reports) ? readdirSync(reports) : [];
  const incomplete = files.filter((f) => {
    if (!f.endsWith('.json')) return false;
    try {
      return !(JSON.parse(readFileSync(join(reports, f), 'utf8')) as { schema?: string }).schema;
    } catch {
      return true;
    }
  });
  return { files, incomplete };
}

describe('SIGKILL in the middle of a remediation', () => {
  it('leaves a parseable log ending in an intent, a lock the next run recovers, no unlogged change; the next run applies', async () => {
    const fn = 'cr-remediate';
    await seeder.createFunction(fn);
    proxy.clearRules();
    proxy.resetCalls();
    const before = await restartMarker(fn);
    proxy.addRule({ service: 'lambda', when: isUpdateConfig, fault: { kind: 'delay', ms: 3000 }, times: 1 });
    const faults0 = proxy.faultsInjected();
    const dir = project(proxy.endpoint, [{ type: 'lambda', name: fn }]);
    const run = startCli(restart(fn), dir);
    // The apply call is in flight (held by the proxy): intent logged, lock held.
    await until(() => proxy.count('lambda') > 0 && Object.keys(proxy.calls()).some((k) => k.startsWith('lambda:PUT')), 20_000, 'the apply call');
    run.kill();
    const killed = await run.exited;
    expect(killed.signal).toBe('SIGKILL');
    // Let the held request time out at the proxy: a dead client's request must not be forwarded.
    await new Promise((r) => setTimeout(r, 3500));

    const corrupted = corruptedFiles(join(dir, '.fractary'));
    const ws = openWorkspace(dir);
    const log = await readActions(ws);
    const lockDir = join(dir, HELM, 'locks');
    const locks = existsSync(lockDir) ? readdirSync(lockDir) : [];
    const lock = locks.length ? (JSON.parse(readFileSync(join(lockDir, locks[0]!), 'utf8')) as { pid: number }) : undefined;
    const changed = (await restartMarker(fn)) !== before;
    const reports = reportsOf(dir);

    // A kill can land mid-write: the next append must step over a torn tail, and readers must skip it.
    appendFileSync(join(dir, HELM, 'actions.jsonl'), '{"attempt":"torn","outcome":"appl');
    const again = await runCli(restart(fn), { cwd: dir });
    const after = await readActions(ws);
    const recovered = reportsOf(dir);
    record({ case: 'crash: SIGKILL mid-remediation, then recovery', faults: proxy.faultsInjected() - faults0, crash: isCrash(again), falseHealthy: false, corruptedFiles: [...corrupted, ...recovered.incomplete] });

    expect(corrupted).toEqual([]);
    expect(log.map((l) => l.outcome)).toEqual(['intent']);
    expect(lock?.pid).toBe(run.pid);
    // The change never reached AWS, or if it did, its intent line names it.
    if (changed) expect(log.some((l) => l.target === fn && l.outcome === 'intent')).toBe(true);
    expect(reports.incomplete).toEqual([]);

    expect(isCrash(again), again.stderr).toBe(false);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<{ verdict: string }>().verdict).toBe('APPLIED');
    expect(again.stderr).toMatch(/recovered a stale lock/);
    expect(existsSync(join(lockDir, locks[0] ?? 'none'))).toBe(false);
    expect(after.map((l) => l.outcome)).toEqual(['intent', 'intent', 'applied']);
    expect(await restartMarker(fn)).not.toBe(before);
    expect(recovered.incomplete).toEqual([]);
  }, 60_000);
});

describe('SIGKILL in the middle of a health report', () => {
  it('while GetMetricData is held: no report or status file half-written, and the next run saves a complete report', async () => {
    proxy.clearRules();
    proxy.resetCalls();
    proxy.addRule({ service: 'cloudwatch', operation: 'GetMetricData', fault: { kind: 'delay', ms: 3000 }, times: 1 });
    proxy.addRule(percentiles(200));
    const faults0 = proxy.faultsInjected();
    const dir = project(proxy.endpoint, [{ type: 'lambda', name: 'cr-health' }]);
    const run = startCli(['health', '--env', 'test', '--output', 'json'], dir);
    await until(() => proxy.count('cloudwatch', 'GetMetricData') > 0, 20_000, 'GetMetricData');
    run.kill();
    expect((await run.exited).signal).toBe('SIGKILL');
    const corrupted = corruptedFiles(join(dir, '.fractary'));
    const killedReports = reportsOf(dir);
    const again = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: dir });
    const after = reportsOf(dir);
    record({ case: 'crash: SIGKILL mid-health, then a clean run', faults: proxy.faultsInjected() - faults0, crash: isCrash(again), falseHealthy: false, corruptedFiles: [...corrupted, ...after.incomplete] });
    expect(corrupted).toEqual([]);
    expect(killedReports.files).toEqual([]);
    expect(isCrash(again), again.stderr).toBe(false);
    expect(again.code, again.stderr).toBe(0);
    expect(after.files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(after.incomplete).toEqual([]);
  }, 60_000);

  // Kills spread over whole runs, with no fault holding them: some land while reading, some while writing.
  for (const ms of [250, 500, 750, 1000, 1250, 1500]) {
    it(`a health run killed ${ms} ms after start leaves every file parseable and reports absent or complete`, async () => {
      proxy.clearRules();
      proxy.addRule(percentiles(200));
      const dir = project(proxy.endpoint, [{ type: 'lambda', name: 'cr-health' }]);
      const run = startCli(['health', '--env', 'test', '--output', 'json'], dir);
      await new Promise((r) => setTimeout(r, ms));
      run.kill();
      const exit = await run.exited;
      const corrupted = corruptedFiles(join(dir, '.fractary'));
      const reports = reportsOf(dir);
      // A run that finished before the kill is judged like any other run.
      const crash = exit.signal === null && isCrash({ code: exit.code ?? -1, stderr: exit.stderr });
      record({ case: `crash: SIGKILL health at ${ms} ms`, faults: 0, crash, falseHealthy: false, corruptedFiles: [...corrupted, ...reports.incomplete] });
      expect(corrupted).toEqual([]);
      expect(reports.incomplete).toEqual([]);
      expect(crash, exit.stderr).toBe(false);
    }, 30_000);
  }

});

describe('SIGKILL at spread-out moments of a remediation', () => {
  for (const ms of [300, 600, 900, 1200]) {
    it(`a remediation killed ${ms} ms after start leaves a parseable log and a lock the next run recovers`, async () => {
      const fn = `cr-r-${ms}`;
      await seeder.createFunction(fn);
      proxy.clearRules();
      const dir = project(proxy.endpoint, [{ type: 'lambda', name: fn }]);
      const before = await restartMarker(fn);
      const run = startCli(restart(fn), dir);
      await new Promise((r) => setTimeout(r, ms));
      run.kill();
      await run.exited;
      const corrupted = corruptedFiles(join(dir, '.fractary'));
      const log = await readActions(openWorkspace(dir));
      const changed = (await restartMarker(fn)) !== before;
      const again = await runCli(restart(fn), { cwd: dir });
      record({ case: `crash: SIGKILL remediate at ${ms} ms, then recovery`, faults: 0, crash: isCrash(again), falseHealthy: false, corruptedFiles: corrupted });
      expect(corrupted).toEqual([]);
      // No change reached AWS without at least its intent line.
      if (changed) expect(log.some((l) => l.target === fn)).toBe(true);
      expect(isCrash(again), again.stderr).toBe(false);
      // The second run applies (or finds the first run's change already made): never blocked by the dead run's lock.
      expect(again.code, again.stderr).toBe(0);
      expect(existsSync(join(dir, HELM, 'locks')) ? readdirSync(join(dir, HELM, 'locks')) : []).toEqual([]);
    }, 30_000);
  }
});
