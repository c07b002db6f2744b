/**
 * health and investigate judge the same seeded fleet and must not contradict each other: what health calls
 * UNHEALTHY or DEGRADED (a breached SLO, a burning budget, an alarm in ALARM, an unusable state) is a finding of
 * investigate with a hypothesis citing the observed value against its target, logs or no logs; what health
 * cannot judge is never "nothing abnormal". moto serves the metrics and alarms; percentiles come from the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLambdaProfile, type LambdaProfile } from '../../src/sandbox/fleet.js';
import { environmentsFor, makeProject, moto, percentiles, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';

const FLEET: LambdaProfile[] = [
  { name: 'agree-api', project: 'orders', env: 'test', rate: 120, errorPct: 0.2, durationMs: 180 },
  // The orders-worker: 7.5% errors against a 1% SLO, and no log group at all.
  { name: 'agree-worker', project: 'orders', env: 'test', rate: 60, errorPct: 7.5, durationMs: 420 },
  // checkout-fn: a low error rate, but its alarm is in ALARM.
  { name: 'agree-checkout', project: 'checkout', env: 'test', rate: 40, errorPct: 0.1, durationMs: 250, alarm: 'ALARM' },
  // 0.8% errors: within the 1% SLO but 80% of the budget used (DEGRADED).
  { name: 'agree-prod-worker', project: 'orders', env: 'test', rate: 300, errorPct: 0.8, durationMs: 380 },
];

interface HealthJson {
  resources: { name: string; verdict: string; reasons: string[] }[];
}
interface InvestigateJson {
  verdict: string;
  exitCode: number;
  summary: string;
  logs: { lines: number };
  changePoints: { target: string; metric: string; at: string; ratio: number | null }[];
  hypotheses: { kind: string; target: string; title: string; evidence: { kind: string; summary: string }[] }[];
  scope: { window: { from: string } };
}

let seeder: Seeder;
let proxy: FaultProxy;
let cwd: string;
let health: HealthJson;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  proxy = await startFaultProxy(moto());
  proxy.addRule(percentiles({ 'agree-api': 190, 'agree-worker': 450, 'agree-checkout': 260, 'agree-prod-worker': 400 }));
  const now = Date.now();
  for (const p of FLEET) await seedLambdaProfile(seeder, p, now);
  cwd = makeProject({
    'shared/environments.json': environmentsFor(proxy.endpoint),
    'registry/deployments.json': registryWith([
      { project: 'orders', resources: FLEET.filter((p) => p.project === 'orders').map((p) => ({ type: 'lambda', name: p.name })) },
      { project: 'checkout', resources: [{ type: 'lambda', name: 'agree-checkout' }] },
    ]),
  });
  const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd });
  health = r.json<HealthJson>();
}, 180_000);
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

async function investigate(text: string, ...extra: string[]): Promise<InvestigateJson> {
  const r = await runCli(['investigate', text, '--env', 'test', '--output', 'json', ...extra], { cwd });
  return r.json<InvestigateJson>();
}

/** The contradiction rules, checked per resource. */
function contradictions(h: HealthJson['resources'][number], inv: InvestigateJson): string[] {
  const out: string[] = [];
  const mine = inv.hypotheses.filter((x) => x.target === h.name);
  if (h.verdict === 'UNHEALTHY' || h.verdict === 'DEGRADED') {
    if (inv.verdict !== 'FINDINGS') out.push(`health ${h.verdict} but investigate ${inv.verdict}: ${inv.summary}`);
    if (/nothing abnormal/.test(inv.summary)) out.push('investigate says "nothing abnormal"');
    // Every reason health gives is cited: the same SLO (by its label) breached or burning, the same alarm.
    // Values may differ in the last digit: the two runs' windows end a few seconds apart.
    const cited = mine.flatMap((x) => x.evidence.map((e) => e.summary)).join('\n');
    for (const reason of h.reasons.filter((x) => !x.startsWith('idle:') && !/: no data|not read/.test(x))) {
      const alarm = /^alarm (\S+) is in ALARM/.exec(reason)?.[1];
      const label = reason.split(/ \d/)[0]!;
      const kind = /SLO breached/.test(reason) ? 'SLO breached' : /error budget/.test(reason) ? 'error budget' : '';
      const ok = alarm ? cited.includes(`alarm ${alarm} is in ALARM`) : kind ? cited.split('\n').some((line) => line.includes(`SLO: ${label} `) && line.includes(kind)) : cited.includes(reason);
      if (!ok) out.push(`health reason not cited by investigate: ${reason}`);
    }
  }
  if (h.verdict === 'UNKNOWN' && inv.verdict === 'NO_FINDINGS') out.push('health UNKNOWN but investigate NO_FINDINGS');
  if (h.verdict === 'HEALTHY' && mine.some((x) => x.kind === 'health_finding')) out.push('health HEALTHY but investigate reports a health finding');
  return out;
}

describe('health and investigate agree on the same fleet', () => {
  it('health sees the breach, the alarm and the burning budget (the premise of the comparison)', () => {
    const v = Object.fromEntries(health.resources.map((r) => [r.name, r.verdict]));
    expect(v, JSON.stringify(health.resources.map((r) => [r.name, r.reasons]))).toEqual({ 'agree-api': 'HEALTHY', 'agree-worker': 'UNHEALTHY', 'agree-checkout': 'UNHEALTHY', 'agree-prod-worker': 'DEGRADED' });
  });

  for (const p of FLEET) {
    it(`investigate "errors in ${p.name}" does not contradict health`, async () => {
      const h = health.resources.find((r) => r.name === p.name)!;
      const inv = await investigate(`errors in ${p.name}`);
      expect(contradictions(h, inv)).toEqual([]);
    });
  }

  it('the issue cases: a 7.5% error rate with 0 log lines read, and a firing alarm, are findings with observed vs target', async () => {
    const worker = await investigate('errors in agree-worker');
    expect(worker.logs.lines).toBe(0);
    expect(worker.exitCode).toBe(1);
    expect(worker.hypotheses[0]).toMatchObject({ kind: 'health_finding', target: 'agree-worker' });
    expect(worker.hypotheses[0]!.evidence[0]!.summary).toMatch(/error rate 7\.\d+% > 1\.00% \(SLO breached\)/);
    const checkout = await investigate('why is agree-checkout failing');
    expect(checkout.verdict).toBe('FINDINGS');
    expect(checkout.hypotheses.flatMap((x) => x.evidence.map((e) => e.summary)).join('\n')).toMatch(/alarm agree-checkout-errors is in ALARM/);
  });

  it('with --since 24h the start of the data is not a change point, and nothing is blamed on a traffic surge', async () => {
    const inv = await investigate('errors in agree-worker', '--since', '24h');
    expect(inv.hypotheses.map((x) => x.kind)).not.toContain('traffic_surge');
    // The series begins about an hour ago: no "from 0" shift at its first datapoint.
    expect(inv.changePoints.filter((c) => c.ratio === null)).toEqual([]);
    // Compared with health over the same 24 hours.
    const day = (await runCli(['health', '--env', 'test', '--output', 'json', '--window', '24h'], { cwd })).json<HealthJson>();
    expect(contradictions(day.resources.find((r) => r.name === 'agree-worker')!, inv)).toEqual([]);
  });
});
