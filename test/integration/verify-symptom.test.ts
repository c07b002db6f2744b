/**
 * Verified means the symptom improved. restart_lambda on a function with a 7.5% error rate: after the restart
 * (its state re-read), verify waits settle_seconds and re-reads the SLOs and alarms that motivated the action,
 * over data after the apply only. moto serves whatever datapoints are put: each case seeds the hour before
 * (7.5% errors) and the seconds after the run starts (timestamps just ahead of the clock), as CloudWatch would
 * receive them once the function runs again. Data from the moments just before the apply (the same minute) is
 * not "after the apply": the early case seeds some and expects no verdict from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { environmentsFor, makeProject, moto, percentiles, registryWith, runCli, Seeder, series, startFaultProxy, type FaultProxy } from '../support/index.js';

let seeder: Seeder;
let proxy: FaultProxy;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  proxy = await startFaultProxy(moto());
  proxy.addRule(percentiles(200));
});
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

interface RemediateJson {
  verdict: string;
  exitCode: number;
  summary: string;
  verification: { ok: boolean; status: string; detail: string } | null;
}

/**
 * A function erroring at 7.5% for the last hour; then, from now on for 3 minutes, errors at `afterPct`; or (null)
 * still at 7.5% up to the moment the run starts and nothing since.
 */
async function seed(name: string, afterPct: number | null) {
  const now = Date.now();
  await seedLambdaProfile(seeder, { name, project: 'app', env: 'test', rate: 60, errorPct: 7.5, durationMs: 200 }, now);
  const dims = { FunctionName: name };
  if (afterPct === null) {
    const before = series(now - 59_000, Date.now(), 1000, () => 1);
    await seeder.putMetrics('AWS/Lambda', [
      { metricName: 'Invocations', dimensions: dims, points: before.map((p) => ({ ...p, v: 10 })), unit: 'Count' },
      { metricName: 'Errors', dimensions: dims, points: before.map((p) => ({ ...p, v: 0.75 })), unit: 'Count' },
    ]);
    return;
  }
  const ahead = (v: number) => series(now + 1000, now + 180_000, 1000, () => v);
  await seeder.putMetrics('AWS/Lambda', [
    { metricName: 'Invocations', dimensions: dims, points: ahead(10), unit: 'Count' },
    { metricName: 'Errors', dimensions: dims, points: ahead(afterPct / 10), unit: 'Count' },
  ]);
}

async function restart(name: string, settle: number) {
  const cwd = makeProject({
    'shared/environments.json': environmentsFor(proxy.endpoint),
    'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name }] }]),
    'plugins/helm-cloud/monitoring.toml': `[remediation]\nsettle_seconds = ${settle}\n`,
  });
  const r = await runCli(['remediate', '--action', 'restart_lambda', '--target', name, '--param', 'within_minutes=0', '--env', 'test', '--yes', '--output', 'json'], { cwd });
  return { code: r.code, j: r.json<RemediateJson>(), stderr: r.stderr };
}

describe('verify re-reads the symptom that motivated the action', () => {
  it('APPLIED and verified only when the error rate after the restart is within its SLO', async () => {
    await seed('vs-fixed-fn', 0);
    const { code, j } = await restart('vs-fixed-fn', 3);
    expect(j.verdict, j.summary).toBe('APPLIED');
    expect(j.verification).toMatchObject({ ok: true, status: 'verified', detail: expect.stringMatching(/symptom improved: error rate 7\.\d+% > 1\.00% \(SLO breached\) → /) });
    expect(code).toBe(0);
  });

  it('APPLIED_NOT_EFFECTIVE, exit 3, with the next step, when the error rate stays at 7.5% although the restart landed', async () => {
    await seed('vs-stuck-fn', 7.5);
    const { code, j } = await restart('vs-stuck-fn', 3);
    expect(j.verdict, j.summary).toBe('APPLIED_NOT_EFFECTIVE');
    expect(code).toBe(3);
    expect(j.verification).toMatchObject({ ok: false, status: 'not_effective', detail: expect.stringMatching(/read back/) });
    expect(j.verification!.detail).toMatch(/did not improve after \d+s: error rate 7\.\d+% > 1\.00% \(SLO breached\) → now error rate 7\.\d+%/);
    expect(j.summary).toMatch(/next: helm-cloud investigate "errors in vs-stuck-fn" --env test/);
  });

  it('says how long to wait, and does not claim verified, when there is no data after the apply yet', async () => {
    await seed('vs-early-fn', null);
    const { code, j } = await restart('vs-early-fn', 0);
    expect(j.verdict).toBe('APPLIED');
    expect(j.verification).toMatchObject({ ok: true, status: 'pending', detail: expect.stringMatching(/no data after the apply yet.*re-check with `helm-cloud health --resource vs-early-fn --env test` in about 60s, or set \[remediation\] settle_seconds = 60/) });
    expect(code).toBe(0);
  });
});
