/**
 * health on PromQL SLOs against the real Prometheus, on backfilled history with known answers: checkout fails
 * 20 % of requests over the last 2 h (a page-level burn), search is quiet (0.01 %), batch has no traffic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countersOpenMetrics, serviceCounters } from '../../src/sandbox/prometheus-history.js';
import { runCli } from '../support/cli.js';
import { makeProject, registryWith } from '../support/fractary.js';
import { usePromStack } from '../substrates/prometheus/harness.js';

const END = Math.floor(Date.now() / 60_000) * 60;
const h = usePromStack(() => ({
  openmetrics:
    countersOpenMetrics(
      serviceCounters([
        { service: 'checkout', rps: 10, errorRatio: (age) => (age < 7200 ? 0.2 : 0.0005) },
        { service: 'search', rps: 5, errorRatio: () => 0.0001 },
        { service: 'batch', rps: 0, errorRatio: () => 0 },
      ]),
      { endSec: END },
    ).replace(/# EOF\n$/, '') +
    // A service scraped until 20 minutes ago (its target died), in a family of its own.
    countersOpenMetrics([{ family: 'legacy_requests', labels: { service: 'legacy' }, perSecond: () => 4 }], { endSec: END - 1200 }),
}));

const AVAILABILITY = `[[slos.prometheus]]
name = "availability"
error_ratio = 'sum by (service) (rate(http_requests_total{code="500"}[{{window}}])) / sum by (service) (rate(http_requests_total[{{window}}]))'
objective = 99.9
`;
const LATENCY = `[[slos.prometheus]]
name = "latency"
good = 'rate(http_requests_fast_total[{{window}}])'
total = 'rate(http_requests_total[{{window}}])'
objective = 99.0
`;
const BROKEN = `[[slos.prometheus]]
name = "broken"
error_ratio = 'sum by (service) (rate(http_requests_total[{{window}}])'
objective = 99.0
`;

type Health = {
  verdict: string;
  exitCode: number;
  resources: { type: string; name: string; verdict: string; reasons: string[]; slos: { key: string; verdict: string; observed: number | null; reason?: string; burnRates?: { window: string; rate: number | null; status: string }[] }[]; notEvaluated: { key: string; reason: string }[] }[];
  apiCalls: { byOperation: Record<string, number>; prometheusQueries: number };
};

async function health(toml: string, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  const project = makeProject({ 'plugins/helm-cloud/monitoring.toml': toml });
  const r = await runCli(['health', '--env', 'test', '-o', 'json', ...extra], { cwd: project, env: { PROMETHEUS_URL: h.stack.promUrl, ...env } });
  return { r, project, json: r.json<Health>() };
}
const res = (j: Health, name: string) => j.resources.find((x) => x.type === 'prometheus' && x.name === name)!;

describe('health on PromQL SLOs', () => {
  it('a seeded burn is UNHEALTHY with its burn rates, a quiet service HEALTHY, an idle one not judged', async () => {
    const { r, json } = await health(AVAILABILITY + LATENCY, ['--junit', 'junit.xml']);
    expect(r.code, r.stderr).toBe(3);
    const checkout = res(json, 'checkout');
    expect(checkout.verdict).toBe('UNHEALTHY');
    const avail = checkout.slos.find((s) => s.key === 'availability')!;
    expect(avail.verdict).toBe('UNHEALTHY');
    expect(avail.observed).toBeCloseTo(80, 3);
    const rate = (w: string) => avail.burnRates!.find((b) => b.window === w)!;
    expect(rate('1h').rate).toBeCloseTo(200, 0);
    expect(rate('5m').rate).toBeCloseTo(200, 0);
    expect(rate('1h').status).toBe('exceeded');
    expect(checkout.reasons[0]).toMatch(/availability 80(\.0)?% < 99\.9% \(SLO breached\).*page-level burn/);
    expect(checkout.slos.find((s) => s.key === 'latency')!.verdict).toBe('HEALTHY');

    const search = res(json, 'search');
    expect(search.verdict).toBe('HEALTHY');
    expect(search.slos.map((s) => s.verdict)).toEqual(['HEALTHY', 'HEALTHY']);
    expect(search.slos[0]!.burnRates!.find((b) => b.window === '1h')!.rate).toBeCloseTo(0.1, 2);

    const batch = res(json, 'batch');
    expect(batch.verdict).toBe('HEALTHY');
    expect(batch.notEvaluated.map((n) => n.key).sort()).toEqual(['availability', 'latency']);
    expect(batch.notEvaluated[0]!.reason).toMatch(/^idle/);
  });

  it('asks Prometheus one query per expression and window, whatever the number of services', async () => {
    const { json } = await health(AVAILABILITY + LATENCY);
    // availability: 1 expression, latency: 2; windows 5m, 30m, 1h, 6h, 3d (the 1h health window is one of them).
    expect(json.apiCalls.prometheusQueries).toBe(15);
    expect(json.apiCalls.byOperation['prometheus:POST /api/v1/query']).toBe(15);
    const wide = await health(AVAILABILITY + LATENCY, ['--window', '2h']);
    expect(wide.json.apiCalls.prometheusQueries).toBe(18);
  });

  it('a broken expression leaves only its own SLO UNKNOWN, with the server reason', async () => {
    const { r, json } = await health(AVAILABILITY + LATENCY + BROKEN);
    expect(r.code).toBe(3);
    for (const name of ['checkout', 'search']) {
      const broken = res(json, name).slos.find((s) => s.key === 'broken')!;
      expect(broken.verdict).toBe('UNKNOWN');
      expect(broken.reason).toMatch(/broken: query failed: .*parse error/);
    }
    expect(res(json, 'search').verdict).toBe('UNKNOWN');
    expect(res(json, 'search').slos.filter((s) => s.key !== 'broken').map((s) => s.verdict)).toEqual(['HEALTHY', 'HEALTHY']);
    expect(res(json, 'checkout').slos.find((s) => s.key === 'availability')!.verdict).toBe('UNHEALTHY');
  });

  it('an error ratio Prometheus answers +Inf (errors over a zero denominator) is UNKNOWN with why, not idle', async () => {
    const INF = `[[slos.prometheus]]
name = "zero_denominator"
error_ratio = 'sum by (service) (rate(http_requests_total{code="500"}[{{window}}])) / 0'
objective = 99.0
`;
    const { r, json } = await health(INF);
    expect(r.code).toBe(1);
    for (const name of ['checkout', 'search']) {
      const o = res(json, name).slos[0]!;
      expect(o).toMatchObject({ key: 'zero_denominator', verdict: 'UNKNOWN', observed: null });
      expect(o.reason).toBe('zero_denominator: unusable data: error_ratio is +Inf over 1h: its denominator is 0 while its numerator is not (the two do not count the same requests)');
    }
    // 0/0 (no errors, no traffic) stays idle.
    expect(res(json, 'batch').notEvaluated[0]!.reason).toMatch(/^idle/);
  });

  it('a service whose series stopped 20 minutes ago is UNKNOWN saying so, not HEALTHY on the hour it had', async () => {
    const LEGACY = `[[slos.prometheus]]
name = "legacy"
good = 'rate(legacy_requests_total[{{window}}])'
total = 'rate(legacy_requests_total[{{window}}])'
objective = 99.0
`;
    const { r, json } = await health(LEGACY);
    expect(r.code).toBe(1);
    const o = res(json, 'legacy').slos[0]!;
    expect(o).toMatchObject({ key: 'legacy', verdict: 'UNKNOWN', observed: null });
    expect(o.reason).toBe("legacy: no data over the last 5m while the 1h window has some: the service's series stopped (a scrape target down, or its labels changed)");
  });

  it('Prometheus down: every PromQL SLO UNKNOWN naming the URL, never HEALTHY', async () => {
    const dead = `http://127.0.0.1:${h.stack.deadPort}`;
    const { r, json } = await health(AVAILABILITY, [], { PROMETHEUS_URL: dead });
    expect(r.code).toBe(1);
    expect(json.verdict).toBe('UNKNOWN');
    const only = json.resources.filter((x) => x.type === 'prometheus');
    expect(only.map((x) => x.name)).toEqual(['slo:availability']);
    expect(only[0]!.reasons[0]).toContain(`Prometheus at ${dead} is unreachable`);
  });

  it('writes JUnit cases and the step summary for prometheus resources like any other', async () => {
    const summary = join(makeProject(), 'summary.md');
    const { project } = await health(AVAILABILITY, ['--junit', 'junit.xml'], { GITHUB_STEP_SUMMARY: summary });
    const junit = readFileSync(join(project, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="health\.test\.prometheus\.checkout" name="availability"[^>]*>\s*<failure message="UNHEALTHY: availability 80/);
    expect(junit).toMatch(/<testcase classname="health\.test\.prometheus\.search" name="availability"[^>]*\/>/);
    expect(readFileSync(summary, 'utf8')).toMatch(/\| prometheus\/checkout \| prometheus \| - \| UNHEALTHY \|/);
  });

  it('resource_type: a service that is a registry workload of that name is judged as part of it', async () => {
    const project = makeProject({
      'plugins/helm-cloud/monitoring.toml': AVAILABILITY.replace('objective = 99.9\n', 'objective = 99.9\nresource_type = "k8s_deployment"\n'),
      'registry/deployments.json': registryWith([{ project: 'shop', resources: [{ type: 'k8s_deployment', name: 'checkout', namespace: 'shop' }] }]),
    });
    // No cluster here: the workload's own state is UNKNOWN, and its PromQL SLO still judges it.
    const r = await runCli(['health', '--env', 'test', '-o', 'json'], { cwd: project, env: { PROMETHEUS_URL: h.stack.promUrl, KUBECONFIG: join(project, 'no-kubeconfig') } });
    const j = r.json<Health>();
    const w = j.resources.find((x) => x.type === 'k8s_deployment' && x.name === 'checkout')!;
    expect(w.slos.find((o) => o.key === 'availability')).toMatchObject({ verdict: 'UNHEALTHY' });
    expect(w.verdict).toBe('UNHEALTHY');
    expect(w.reasons.join(' ')).toMatch(/availability 80(\.0)?% < 99\.9%/);
    expect(j.resources.some((x) => x.type === 'prometheus' && x.name === 'checkout')).toBe(false);
    // A service that names no workload stays a prometheus resource.
    expect(res(j, 'search').verdict).toBe('HEALTHY');
    expect(r.code).toBe(3);
  });

  it('an SLO without {{window}} or with two forms is a config error naming the key (exit 2)', async () => {
    const p = makeProject({ 'plugins/helm-cloud/monitoring.toml': `[[slos.prometheus]]\nname = "x"\nerror_ratio = "sum(rate(a[5m]))"\nobjective = 99\n` });
    const r = await runCli(['health', '--env', 'test'], { cwd: p, env: { PROMETHEUS_URL: h.stack.promUrl } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slos\.prometheus\[0\]\.error_ratio.*\{\{window\}\}/);
    const q = makeProject({ 'plugins/helm-cloud/monitoring.toml': `[[slos.prometheus]]\nname = "x"\nerror_ratio = "a[{{window}}]"\ngood = "b[{{window}}]"\ntotal = "c[{{window}}]"\nobjective = 99\n` });
    const s = await runCli(['health', '--env', 'test'], { cwd: q, env: { PROMETHEUS_URL: h.stack.promUrl } });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/exactly one of: error_ratio, or good and total, or bad and total/);
  });
});
