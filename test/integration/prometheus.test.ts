/**
 * The prometheus family end to end against the real Prometheus 2.42 and Alertmanager 0.25, started by the
 * harness with backfilled history (checkout fails 20 % of requests over the last 2 h, search is quiet).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/sandbox/fault-proxy.js';
import { countersOpenMetrics, serviceCounters } from '../../src/sandbox/prometheus-history.js';
import { runCli } from '../support/cli.js';
import { environmentsFor, makeProject } from '../support/fractary.js';
import { eventually, usePromStack } from '../substrates/prometheus/harness.js';

const END = Math.floor(Date.now() / 60_000) * 60 - 60;
const h = usePromStack(() => ({
  openmetrics: countersOpenMetrics(
    serviceCounters([
      { service: 'checkout', rps: 10, errorRatio: (age) => (age < 7200 ? 0.2 : 0.0005) },
      { service: 'search', rps: 5, errorRatio: () => 0.0001 },
    ]),
    { endSec: END },
  ),
}));
const env = () => ({ PROMETHEUS_URL: h.stack.promUrl, ALERTMANAGER_URL: h.stack.amUrl });
const prom = (args: string[], extra: Record<string, string | undefined> = {}, cwd?: string) => runCli(['prometheus', ...args], { env: { ...env(), ...extra }, cwd });

type Vector = { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
type Matrix = { resultType: string; step: number; result: { metric: Record<string, string>; values: [number, string][] }[] };

describe('prometheus query', () => {
  it('returns the vector with its labels, as JSON and as a table with one column per label', async () => {
    // The first scrapes land within a second or two of the start.
    const r = await eventually(async () => {
      const x = await prom(['query', 'up', '--output', 'json']);
      return x.code === 0 && x.json<{ data: Vector }>().data.result.length === 2 ? x : undefined;
    }, 20_000, 'both targets scraped');
    const data = r.json<{ data: Vector }>().data;
    expect(data.resultType).toBe('vector');
    const byJob = Object.fromEntries(data.result.map((s) => [s.metric.job, s.value[1]]));
    expect(byJob).toEqual({ prometheus: '1', down: '0' });
    const t = await prom(['query', 'up', '--output', 'table']);
    const header = t.stdout.split('\n').find((l) => l.startsWith('__name__'))!;
    expect(header.split(/\s+/)).toEqual(['__name__', 'instance', 'job', 'value', 'time']);
  });

  it('answers backfilled history: the 1h error ratio per service', async () => {
    const r = await prom(['query', 'sum by (service) (rate(http_requests_total{code="500"}[1h])) / sum by (service) (rate(http_requests_total[1h]))', '--time', String(END), '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const ratio = Object.fromEntries(r.json<{ data: Vector }>().data.result.map((s) => [s.metric.service, Number(s.value[1])]));
    expect(ratio.checkout).toBeCloseTo(0.2, 6);
    expect(ratio.search).toBeCloseTo(0.0001, 8);
  });

  it('an empty result is an answer, not an error', async () => {
    const r = await prom(['query', 'up{job="no-such-job"}', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ data: Vector; summary: string }>().data.result).toEqual([]);
    expect(r.json<{ summary: string }>().summary).toMatch(/empty vector/);
  });

  it('a PromQL syntax error shows the server message and position, exit 2', async () => {
    const r = await prom(['query', 'sum(rate(up[1m])']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PromQL syntax error at line 1, column \d+: unclosed left parenthesis/);
    expect(r.stderr).toMatch(/\n\s+sum\(rate\(up\[1m\]\)\n\s+\^/);
    expect(r.stdout).toBe('');
  });
});

describe('prometheus query_range', () => {
  it('returns the range per series with the known rate of the backfill', async () => {
    const r = await prom(['query_range', 'sum by (service) (rate(http_requests_total{code="500"}[5m]))', '--start', String(END - 3600), '--end', String(END), '--step', '1m', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const m = r.json<{ data: Matrix }>().data;
    expect(m.resultType).toBe('matrix');
    const checkout = m.result.find((s) => s.metric.service === 'checkout')!;
    expect(checkout.values).toHaveLength(61);
    for (const [, v] of checkout.values) expect(Number(v)).toBeCloseTo(2, 6);
  });

  it('chooses a step when none is given, within the 11,000-point limit', async () => {
    const r = await prom(['query_range', 'up', '--start', 'now-30d', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const m = r.json<{ data: Matrix }>().data;
    expect(m.step).toBeGreaterThanOrEqual(Math.ceil((30 * 86400) / 10_999));
    expect((30 * 86400) / m.step + 1).toBeLessThanOrEqual(11_000);
  });

  it('refuses a step that would exceed the point limit, naming the smallest step that fits (exit 2)', async () => {
    const r = await prom(['query_range', 'up', '--start', '-2d', '--step', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/172,801 points per series; Prometheus allows at most 11,000/);
    expect(r.stderr).toMatch(/--step 16s or more/);
  });

  it('prints a table per series (and no chart when stdout is not a terminal)', async () => {
    const r = await prom(['query_range', 'sum by (service) (rate(http_requests_total[5m]))', '--start', '-30m', '-o', 'table']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^service\s+points\s+min\s+max\s+last$/m);
    expect(r.stdout).toMatch(/^checkout\s+\d+/m);
    expect(r.stdout).not.toMatch(/[┤┼]/);
  });
});

describe('prometheus exploration', () => {
  it('series --match lists the matching series', async () => {
    const r = await prom(['series', '--match', 'http_requests_total{service="search"}', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const codes = r.json<{ data: Record<string, string>[] }>().data.map((s) => s.code).sort();
    expect(codes).toEqual(['200', '500']);
  });

  it('labels lists names, and the values of one label', async () => {
    const names = await prom(['labels', '-o', 'json']);
    expect(names.json<{ data: string[] }>().data).toEqual(expect.arrayContaining(['__name__', 'service', 'code', 'job']));
    const values = await prom(['labels', 'service', '--match', 'http_requests_total', '-o', 'json']);
    expect(values.json<{ data: string[] }>().data).toEqual(['checkout', 'search']);
  });

  it('alerts shows firing and pending alerts with their labels and activeAt', async () => {
    const alerts = await eventually(async () => {
      const r = await prom(['alerts', '-o', 'json']);
      const list = r.json<{ data: { alerts: { labels: Record<string, string>; state: string; activeAt: string }[] } }>().data.alerts;
      return list.some((a) => a.labels.alertname === 'TargetDown' && a.state === 'firing') ? list : undefined;
    }, 30_000, 'TargetDown firing');
    expect(alerts.find((a) => a.labels.alertname === 'PendingForever')!.state).toBe('pending');
    expect(Date.parse(alerts.find((a) => a.labels.alertname === 'AlwaysFiring')!.activeAt)).toBeGreaterThan(0);
  });

  it('targets shows health, the last error and the scrape duration', async () => {
    const r = await eventually(async () => {
      const x = await prom(['targets', '-o', 'json']);
      const t = x.json<{ data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] } }>().data.activeTargets;
      return t.find((a) => a.labels.job === 'down')?.health === 'down' ? x : undefined;
    }, 20_000, 'the dead target scraped');
    const down = r.json<{ data: { activeTargets: { labels: Record<string, string>; lastError: string }[] } }>().data.activeTargets.find((a) => a.labels.job === 'down')!;
    expect(down.lastError).toMatch(/connection refused/);
    const t = await prom(['targets', '-o', 'table']);
    expect(t.stdout).toMatch(/^down\s+127\.0\.0\.1:\d+\s+down\s/m);
  });

  it('rules lists alerting and recording rules with health and last evaluation', async () => {
    const r = await prom(['rules', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rules = r.json<{ data: { groups: { rules: { type: string; name: string; health: string }[] }[] } }>().data.groups.flatMap((g) => g.rules);
    expect(rules.map((x) => `${x.type}:${x.name}`).sort()).toEqual(['alerting:AlwaysFiring', 'alerting:PendingForever', 'alerting:TargetDown', 'recording:job:up:sum']);
    expect(rules.every((x) => x.health === 'ok')).toBe(true);
  });
});

describe('Alertmanager silences', () => {
  type AmAlert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] } };
  const amAlerts = async (): Promise<AmAlert[]> => (await fetch(`${h.stack.amUrl}/api/v2/alerts`)).json() as Promise<AmAlert[]>;

  it('silence_create really mutes the alert in Alertmanager; silences lists it; silence_expire unmutes it', async () => {
    await eventually(async () => ((await amAlerts()).some((a) => a.labels.alertname === 'AlwaysFiring') ? true : undefined), 30_000, 'AlwaysFiring in Alertmanager');
    const project = makeProject();
    const c = await prom(['silence_create', '--matcher', 'alertname=AlwaysFiring', '--duration', '2h', '--comment', 'maintenance window', '-o', 'json'], {}, project);
    expect(c.code, c.stderr).toBe(0);
    const id = c.json<{ change: { outcome: string; id: string } }>().change.id;
    expect(c.json<{ change: { outcome: string } }>().change.outcome).toBe('applied');
    const muted = (await amAlerts()).find((a) => a.labels.alertname === 'AlwaysFiring')!;
    expect(muted.status.state).toBe('suppressed');
    expect(muted.status.silencedBy).toEqual([id]);
    expect((await amAlerts()).find((a) => a.labels.alertname === 'TargetDown')!.status.state).toBe('active');

    const again = await prom(['silence_create', '--matcher', 'alertname=AlwaysFiring', '--duration', '2h', '--comment', 'maintenance window', '-o', 'json'], {}, project);
    expect(again.json<{ change: { outcome: string; id: string } }>().change).toMatchObject({ outcome: 'skipped', id });

    const list = await prom(['silences', '-o', 'json']);
    expect(list.json<{ data: { id: string; status: { state: string } }[] }>().data.find((s) => s.id === id)!.status.state).toBe('active');

    const x = await prom(['silence_expire', id, '-o', 'json'], {}, project);
    expect(x.code, x.stderr).toBe(0);
    await eventually(async () => ((await amAlerts()).find((a) => a.labels.alertname === 'AlwaysFiring')?.status.state === 'active' ? true : undefined), 10_000, 'alert unmuted');
    const log = readFileSync(join(project, '.fractary/plugins/helm-cloud/actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string });
    expect(log.map((l) => `${l.action}:${l.outcome}`)).toEqual([
      'alertmanager.silence_create:intent',
      'alertmanager.silence_create:applied',
      'alertmanager.silence_create:intent',
      'alertmanager.silence_create:skipped',
      'alertmanager.silence_expire:intent',
      'alertmanager.silence_expire:applied',
    ]);
  });

  it('on a protected environment without a terminal silence_create is refused with the --yes hint (exit 2) and creates nothing', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor() });
    const args = ['silence_create', '--matcher', 'alertname=ProtectedProbe', '--duration', '1h', '--comment', 'protected probe', '--env', 'prod', '-o', 'json'];
    const probes = async () => (await prom(['silences', '-o', 'json'])).json<{ data: { id: string; comment: string; status: { state: string } }[] }>().data.filter((s) => s.comment === 'protected probe' && s.status.state === 'active');
    const r = await prom(args, {}, project);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/prod needs confirmation and this run is not interactive[\s\S]*--yes/);
    expect(await probes()).toEqual([]);
    const y = await prom([...args, '--yes'], {}, project);
    expect(y.code, y.stderr).toBe(0);
    const created = await probes();
    expect(created).toHaveLength(1);
    expect((await prom(['silence_expire', created[0]!.id, '--env', 'prod', '--yes'], {}, project)).code).toBe(0);
  });

  it('silence_expire of an unknown id is exit 2', async () => {
    const r = await prom(['silence_expire', '00000000-0000-0000-0000-000000000000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no silence "00000000-0000-0000-0000-000000000000"/);
  });

  it('a malformed matcher or duration is exit 2 with the accepted forms', async () => {
    const m = await prom(['silence_create', '--matcher', 'alertname', '--duration', '2h', '--comment', 'x']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/label=value, label!=value, label=~regex or label!~regex/);
    const d = await prom(['silence_create', '--matcher', 'a=b', '--duration', '2 hours', '--comment', 'x']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/30s, 5m, 1h/);
  });
});

describe('servers, configuration and failures', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(h.stack.promUrl);
  });
  afterAll(async () => proxy.stop());

  it('server down: exit 4 naming the URL and where it came from', async () => {
    const url = `http://127.0.0.1:${h.stack.deadPort}`;
    const r = await prom(['query', 'up'], { PROMETHEUS_URL: url });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`Prometheus at ${url} is unreachable`);
    expect(r.stderr).toMatch(/PROMETHEUS_URL/);
  });

  it('a server slower than --timeout: exit 4 saying it timed out', async () => {
    proxy.clearRules();
    proxy.addRule({ fault: { kind: 'delay', ms: 4000 } });
    const t0 = Date.now();
    const r = await prom(['query', 'up', '--timeout', '500ms'], { PROMETHEUS_URL: proxy.endpoint });
    proxy.clearRules();
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/timed out \(no answer within 500 ms\)/);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('URL precedence: PROMETHEUS_URL over environments.json over monitoring.toml', async () => {
    const dead = `http://127.0.0.1:${h.stack.deadPort}`;
    const envs = environmentsFor();
    (envs.environments.test as Record<string, unknown>).prometheus_url = h.stack.promUrl;
    const project = makeProject({ 'shared/environments.json': envs, 'plugins/helm-cloud/monitoring.toml': `[prometheus]\nurl = "${dead}"\n` });
    const fromFile = await prom(['query', 'up'], { PROMETHEUS_URL: undefined }, project);
    expect(fromFile.code).toBe(4);
    expect(fromFile.stderr).toMatch(/monitoring\.toml: \[prometheus\] url/);
    const fromEnv = await prom(['query', 'up', '--env', 'test', '-o', 'json'], { PROMETHEUS_URL: undefined }, project);
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const fromVar = await prom(['query', 'up', '--env', 'test'], { PROMETHEUS_URL: dead }, project);
    expect(fromVar.code).toBe(4);
    expect(fromVar.stderr).toContain(dead);
  });

  it('a token in monitoring.toml is refused; a token file is sent as a bearer header', async () => {
    const bad = makeProject({ 'plugins/helm-cloud/monitoring.toml': `[prometheus]\nurl = "${h.stack.promUrl}"\nbearer_token = "abc123"\n` });
    const r = await prom(['query', 'up'], { PROMETHEUS_URL: undefined }, bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prometheus\.bearer_token.*refused.*credentials never belong in a config file/);
    expect(r.stderr).not.toContain('abc123');

    const seen: string[] = [];
    proxy.clearRules();
    proxy.addRule({ when: (c) => (seen.push(String(c.headers.authorization ?? '')), false) });
    const good = makeProject({ 'plugins/helm-cloud/monitoring.toml': `[prometheus]\nurl = "${proxy.endpoint}"\nbearer_token_file = "token.txt"\n` });
    writeFileSync(join(good, 'token.txt'), 's3cret-token\n');
    const ok = await prom(['query', 'up', '-o', 'json'], { PROMETHEUS_URL: undefined }, good);
    proxy.clearRules();
    expect(ok.code, ok.stderr).toBe(0);
    expect(seen).toContain('Bearer s3cret-token');
  });

  it('no server configured anywhere: exit 2 saying where to set it', async () => {
    const r = await prom(['query', 'up'], { PROMETHEUS_URL: undefined }, makeProject());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Prometheus URL is configured.*PROMETHEUS_URL/);
  });

  it('the slash form and the prom alias are the same call', async () => {
    const a = await runCli(['/fractary-helm-cloud:prometheus', 'query', 'up{job="down"}', '-o', 'json'], { env: env() });
    const b = await runCli(['prom', 'query', 'up{job="down"}', '-o', 'json'], { env: env() });
    expect(a.code, a.stderr).toBe(0);
    expect(a.json<{ data: Vector }>().data.result.map((s) => s.metric.job)).toEqual(['down']);
    expect(b.json<{ data: Vector }>().data.result.map((s) => s.metric.job)).toEqual(['down']);
  });
});

describe('warnings from the server', () => {
  const w = usePromStack({ deadRemoteRead: true });
  it('a partial answer (remote read down) keeps its warnings on stderr and in JSON', async () => {
    const r = await runCli(['prometheus', 'query', 'up', '-o', 'json'], { env: { PROMETHEUS_URL: w.stack.promUrl } });
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.json<{ warnings: string[] }>().warnings;
    expect(warnings.length).toBeGreaterThan(0);
    expect(r.stderr).toContain(`warning: Prometheus: ${warnings[0]}`);
  });
});
