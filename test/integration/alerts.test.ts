/**
 * The alerts family against moto (CloudWatch alarms) and the real Alertmanager/Prometheus of the harness:
 * one list over all sources, the lifecycle actions, correlation on a seeded incident, and generated rules.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersOpenMetrics, serviceCounters } from '../../src/sandbox/prometheus-history.js';
import { startPromStack } from '../../src/sandbox/prometheus.js';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder } from '../support/index.js';
import { eventually, usePromStack } from '../substrates/prometheus/harness.js';

const h = usePromStack();
let seeder: Seeder;
let project: string;
const MIN = 60_000;

type Alert = { id: string; source: string; name: string; status: string; severity: string; resource?: string; project?: string; labels: Record<string, string>; acknowledged?: { by: string } };
type AmAlert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] }; endsAt: string };
const amAlerts = async (): Promise<AmAlert[]> => (await fetch(`${h.stack.amUrl}/api/v2/alerts`)).json() as Promise<AmAlert[]>;

const alerts = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runCli(['alerts', ...args], { cwd: project, env: { ALERTMANAGER_URL: h.stack.amUrl, PROMETHEUS_URL: h.stack.promUrl, HELM_CLOUD_OPERATOR: 'ana', ...extra } });
const list = async (args: string[] = []) => {
  const r = await alerts(['list', '--env', 'test', '-o', 'json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.json<{ alerts: Alert[] }>().alerts;
};
const byName = (as: Alert[], name: string) => as.find((a) => a.name === name)!;

beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  const now = Date.now();
  project = makeProject({
    'shared/environments.json': environmentsFor(moto()),
    'registry/deployments.json': registryWith([
      { project: 'blog', id: 'dep-blog', at: new Date(now - 3 * 86400_000).toISOString(), resources: [{ type: 'lambda', name: 'blog-render' }] },
      { project: 'shop', id: 'dep-shop-7', version: '2.4.0', at: new Date(now - 10 * MIN).toISOString(), resources: ['shop-api', 'shop-cart', 'shop-pay'].map((name) => ({ type: 'lambda', name })) },
    ]),
  });
  for (const fn of ['shop-api', 'shop-cart', 'shop-pay', 'blog-render']) {
    await seeder.putAlarm(`${fn}-errors`, { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: fn }, state: 'ALARM', reason: 'Threshold Crossed: errors above 1' });
  }
  await eventually(async () => ((await amAlerts()).some((a) => a.labels.alertname === 'AlwaysFiring') ? true : undefined), 30_000, 'Alertmanager receiving alerts');
});
afterAll(() => seeder?.destroy());

describe('alerts list', () => {
  it('merges CloudWatch alarms of registry resources and Alertmanager alerts, each with a stable id', async () => {
    const a = await list();
    const cw = a.filter((x) => x.source === 'cloudwatch');
    expect(cw.map((x) => x.resource).sort()).toEqual(['blog-render', 'shop-api', 'shop-cart', 'shop-pay']);
    expect(cw.every((x) => x.status === 'firing')).toBe(true);
    expect(byName(a, 'shop-api-errors').project).toBe('shop');
    expect(byName(a, 'AlwaysFiring').source).toBe('alertmanager');
    expect(byName(a, 'AlwaysFiring').severity).toBe('warning');
    // Stable ids: every alert of the first list has the same id in the second. Prometheus may deliver another
    // alert to Alertmanager in between (its rules fire on their own schedule), so the second list may be longer.
    const again = await list();
    expect(again.map((x) => x.id)).toEqual(expect.arrayContaining(a.map((x) => x.id)));
    const onlyCw = await list(['--source', 'cloudwatch']);
    expect(onlyCw).toHaveLength(4);
  });
});

describe('alerts correlate', () => {
  it('a deploy followed by alarms on three resources of one project is one group with the deploy as cause; the unrelated alarm stays alone', async () => {
    const r = await alerts(['correlate', '--env', 'test', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const all = await list();
    const nameOf = new Map(all.map((a) => [a.id, a.name]));
    const groups = r.json<{ groups: { alerts: string[]; cause: { kind: string; deploy?: string; summary: string } }[] }>().groups;
    const shop = groups.find((g) => g.alerts.some((id) => nameOf.get(id) === 'shop-api-errors'))!;
    expect(shop.alerts.map((id) => nameOf.get(id)).sort()).toEqual(['shop-api-errors', 'shop-cart-errors', 'shop-pay-errors']);
    expect(shop.cause).toMatchObject({ kind: 'deploy', deploy: 'dep-shop-7' });
    expect(shop.cause.summary).toMatch(/deploy dep-shop-7 of shop \(2\.4\.0\), \d+m before the first alert/);
    const blog = groups.find((g) => g.alerts.some((id) => nameOf.get(id) === 'blog-render-errors'))!;
    expect(blog.alerts).toHaveLength(1);
    expect(blog.cause.kind).toBe('none');
  });

});

describe('alerts lifecycle', () => {
  it('create records a hand-made alert and posts it to Alertmanager; creating it again changes nothing', async () => {
    const r = await alerts(['create', '--name', 'DiskFilling', '--severity', 'warning', '--description', 'disk 91% on build box', '--label', 'team=infra', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.json<{ change: { id: string; posted: boolean } }>().change.id;
    expect(r.json<{ change: { posted: boolean } }>().change.posted).toBe(true);
    await eventually(async () => ((await amAlerts()).some((a) => a.labels.helm_cloud_id === id) ? true : undefined), 10_000, 'posted alert');
    const again = await alerts(['create', '--name', 'DiskFilling', '--severity', 'warning', '--description', 'disk 91% on build box', '--label', 'team=infra', '-o', 'json']);
    expect(again.json<{ change: { outcome: string } }>().change.outcome).toBe('skipped');
    const mine = (await list()).filter((a) => a.name === 'DiskFilling');
    expect(mine).toHaveLength(1); // the Alertmanager copy folds into the hand-made alert
    expect(mine[0]!.source).toBe('local');
  });

  it('two operators acknowledging at once are both recorded; the alert shows acknowledged', async () => {
    const id = byName(await list(), 'shop-cart-errors').id;
    const [a, b] = await Promise.all([
      alerts(['acknowledge', id, '--note', 'looking', '--env', 'test'], { HELM_CLOUD_OPERATOR: 'ana' }),
      alerts(['acknowledge', id, '--note', 'me too', '--env', 'test'], { HELM_CLOUD_OPERATOR: 'ben' }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const acks = readFileSync(join(project, '.fractary/plugins/helm-cloud/alerts/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; id: string; by: string }).filter((e) => e.kind === 'ack' && e.id === id);
    expect(acks.map((e) => e.by).sort()).toEqual(['ana', 'ben']);
    expect(byName(await list(), 'shop-cart-errors').status).toBe('acknowledged');
    expect((await list(['--status', 'acknowledged'])).map((x) => x.id)).toContain(id);
  });

  it('silence on an Alertmanager alert creates a real silence that mutes it', async () => {
    const id = byName(await list(), 'AlwaysFiring').id;
    const r = await alerts(['silence', id, '--duration', '2h', '--comment', 'known', '--env', 'test', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const silenceId = r.json<{ change: { silenceId: string } }>().change.silenceId;
    expect(silenceId).toMatch(/^[0-9a-f-]{36}$/);
    const muted = (await amAlerts()).find((a) => a.labels.alertname === 'AlwaysFiring')!;
    expect(muted.status).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] });
    expect(byName(await list(), 'AlwaysFiring').status).toBe('silenced');
  });

  it('silence on a CloudWatch alarm silences it in helm-cloud views', async () => {
    const id = byName(await list(), 'blog-render-errors').id;
    const r = await alerts(['silence', id, '--duration', '30m', '--env', 'test']);
    expect(r.code, r.stderr).toBe(0);
    expect(byName(await list(), 'blog-render-errors').status).toBe('silenced');
  });

  it('escalate raises severity and opens a Helm issue, saying paging is not configured', async () => {
    const id = byName(await list(), 'shop-pay-errors').id;
    const r = await alerts(['escalate', id, '--to-severity', 'critical', '--team', 'payments', '--env', 'test', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const change = r.json<{ change: { issue: string; paging: string } }>().change;
    expect(change.issue).toBe('infra-001');
    expect(change.paging).toBe('not configured');
    expect(r.stderr).toMatch(/paging is not configured/);
    expect(existsSync(join(project, '.fractary/helm/issues/infra-001.json'))).toBe(true);
    expect(byName(await list(), 'shop-pay-errors').severity).toBe('critical');
    const again = await alerts(['escalate', id, '--env', 'test', '-o', 'json']);
    expect(again.json<{ change: { issue: string } }>().change.issue).toBe('infra-001'); // attached, not a second issue
  });

  it('escalate pages the team through the on-call family when [oncall] is configured', async () => {
    const oncall = `[oncall]\nbackend = "local"\ndefault_team = "payments"\n[oncall.users]\nalice = { name = "Alice Ng", email = "alice@example.com" }\n[oncall.teams.payments]\ntime_zone = "UTC"\n[[oncall.teams.payments.layers]]\nname = "primary"\nmembers = ["alice"]\nrotation = "weekly"\nstart = "2026-01-05T09:00"\n[oncall.teams.payments.escalation]\ntiers = [{ delay_minutes = 5, targets = ["oncall"] }]\n`;
    const p = makeProject({ 'plugins/helm-cloud/monitoring.toml': oncall });
    const run = (args: string[]) => runCli(['alerts', ...args, '-o', 'json'], { cwd: p, env: { ALERTMANAGER_URL: undefined, PROMETHEUS_URL: undefined, HELM_CLOUD_OPERATOR: 'ana' } });
    const c = await run(['create', '--name', 'CheckoutDown', '--severity', 'warning', '--description', 'checkout 5xx']);
    expect(c.code, c.stderr).toBe(0);
    const e = await run(['escalate', c.json<{ change: { id: string } }>().change.id, '--team', 'payments']);
    expect(e.code, e.stderr).toBe(0);
    const change = e.json<{ change: { paging: string; paged: { incident: string; team: string; assigned: string[]; backend: string }; issue: string } }>().change;
    expect(change.paging).toBe('paged');
    expect(change.paged).toMatchObject({ team: 'payments', backend: 'local' });
    expect(change.paged.assigned).toContain('alice');
    expect(e.stderr).toMatch(/paged payments .* through local: incident /);
    const issue = JSON.parse(readFileSync(join(p, `.fractary/helm/issues/${change.issue}.json`), 'utf8')) as { incidents?: string[] };
    expect(issue.incidents).toContain(change.paged.incident);
  });

  it('resolve ends a hand-made alert and its Alertmanager copy; on a source alarm it records the note', async () => {
    const mine = byName(await list(), 'DiskFilling');
    const r = await alerts(['resolve', mine.id, '--note', 'cleaned /tmp', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(byName(await list(), 'DiskFilling').status).toBe('resolved');
    await eventually(async () => ((await amAlerts()).some((a) => a.labels.helm_cloud_id === mine.id) ? undefined : true), 10_000, 'Alertmanager copy ended');
    const cw = byName(await list(), 'shop-api-errors');
    const n = await alerts(['resolve', cw.id, '--note', 'rolled back', '--env', 'test', '-o', 'json']);
    expect(n.json<{ summary: string }>().summary).toMatch(/belongs to cloudwatch: resolution note recorded; the source still says ALARM/);
  });

  it('resolve in a run without an Alertmanager says the posted copy was not ended; resolving again with one ends it', async () => {
    const c = await alerts(['create', '--name', 'BackupLate', '--severity', 'info', '--description', 'nightly backup 2h late', '-o', 'json']);
    const id = c.json<{ change: { id: string; posted: boolean } }>().change.id;
    expect(c.json<{ change: { posted: boolean } }>().change.posted).toBe(true);
    await eventually(async () => ((await amAlerts()).some((a) => a.labels.helm_cloud_id === id) ? true : undefined), 10_000, 'posted alert');
    const blind = await alerts(['resolve', id, '-o', 'json'], { ALERTMANAGER_URL: undefined, PROMETHEUS_URL: undefined });
    expect(blind.code, blind.stderr).toBe(0);
    expect(blind.json<{ change: { alertmanagerCopy: string } }>().change.alertmanagerCopy).toBe('not ended');
    expect(blind.stderr).toMatch(/its Alertmanager copy was not ended \(no Alertmanager configured in this run\): it fires there until .* unless resolved again with ALERTMANAGER_URL set/);
    expect((await amAlerts()).some((a) => a.labels.helm_cloud_id === id)).toBe(true);
    const again = await alerts(['resolve', id, '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<{ change: { alertmanagerCopy: string } }>().change.alertmanagerCopy).toBe('ended');
    await eventually(async () => ((await amAlerts()).some((a) => a.labels.helm_cloud_id === id) ? undefined : true), 10_000, 'Alertmanager copy ended');
    const done = await alerts(['resolve', id, '-o', 'json']);
    expect(done.json<{ change: { outcome: string } }>().change.outcome).toBe('skipped');
  });

  it('history shows one timeline for an alert', async () => {
    const id = byName(await list(), 'shop-cart-errors').id;
    const r = await alerts(['history', id, '--env', 'test', '-o', 'json']);
    const what = r.json<{ events: { what: string; by: string }[] }>().events.map((e) => `${e.by}: ${e.what}`);
    expect(what[0]).toMatch(/^cloudwatch: cloudwatch: shop-cart-errors entered ALARM/);
    expect(what).toEqual(expect.arrayContaining(['ana: acknowledged: looking', 'ben: acknowledged: me too']));
  });

  it('bad input: an unknown id names the closest; malformed durations list the accepted forms', async () => {
    const id = byName(await list(), 'shop-cart-errors').id;
    const typo = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
    const r = await alerts(['acknowledge', typo, '--env', 'test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`did you mean ${id}?`);
    for (const d of ['2 hours', '-5m', '0s']) {
      const s = await alerts(['silence', id, '--duration', d, '--env', 'test']);
      expect(s.code, d).toBe(2);
      expect(s.stderr, d).toMatch(/30s, 5m, 1h, 3d, 2w/);
    }
  });
});

describe('alerts group', () => {
  it('group --by label groups like Alertmanager; named groups collect chosen alerts', async () => {
    const r = await alerts(['group', '--by', 'severity', '--env', 'test', '-o', 'json']);
    const keys = r.json<{ groups: { key: string }[] }>().groups.map((g) => g.key);
    expect(keys).toEqual(expect.arrayContaining(['severity=critical']));
    const ids = (await list(['--source', 'cloudwatch'])).slice(0, 2).map((a) => a.id);
    await alerts(['group', '--name', 'war-room', '--add', ids[0]!, '--add', ids[1]!, '--env', 'test']);
    const named = await alerts(['group', '--env', 'test', '-o', 'json']);
    expect(named.json<{ groups: { key: string; alerts: string[] }[] }>().groups.find((g) => g.key === 'war-room')!.alerts.sort()).toEqual([...ids].sort());
  });
});

describe('alerts rules', () => {
  const SLO = `[[slos.prometheus]]\nname = "availability"\nerror_ratio = 'sum by (service) (rate(http_requests_total{code="500"}[{{window}}])) / sum by (service) (rate(http_requests_total[{{window}}]))'\nobjective = 99.9\n`;

  it('rules list shows Prometheus rules and CloudWatch alarms', async () => {
    const r = await alerts(['rules', 'list', '--env', 'test', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const names = r.json<{ rules: { source: string; name: string }[] }>().rules.map((x) => `${x.source}:${x.name}`);
    expect(names).toEqual(expect.arrayContaining(['prometheus:TargetDown', 'prometheus:job:up:sum', 'cloudwatch:shop-api-errors']));
  });

  it('rules check runs promtool: a broken file fails, a good one passes', async () => {
    writeFileSync(join(project, 'bad.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m])\n');
    writeFileSync(join(project, 'good.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Fine\n        expr: up == 0\n');
    const bad = await alerts(['rules', 'check', 'bad.yml', 'good.yml', '-o', 'json']);
    expect(bad.code).toBe(1);
    expect(bad.json<{ checks: { ok: boolean }[] }>().checks.map((c) => c.ok)).toEqual([false, true]);
  });

  it('rules generate turns PromQL SLOs into burn-rate rules that pass promtool and fire on a backfilled burn', async () => {
    const p = makeProject({ 'plugins/helm-cloud/monitoring.toml': SLO });
    const r = await runCli(['alerts', 'rules', 'generate', '--out', 'slo-rules.yml', '-o', 'json'], { cwd: p });
    expect(r.code, r.stderr).toBe(0);
    const yaml = readFileSync(join(p, 'slo-rules.yml'), 'utf8');
    expect(r.json<{ yaml: string }>().yaml).toBe(yaml);
    const end = Math.floor(Date.now() / 60_000) * 60;
    const stack = await startPromStack({
      rules: yaml,
      openmetrics: countersOpenMetrics(serviceCounters([
        { service: 'checkout', rps: 10, errorRatio: (age) => (age < 7200 ? 0.2 : 0.0005) },
        { service: 'search', rps: 5, errorRatio: () => 0.0001 },
      ]), { endSec: end }),
    });
    try {
      const firing = await eventually(async () => {
        const a = (await (await fetch(`${stack.promUrl}/api/v1/alerts`)).json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
        const f = a.data.alerts.filter((x) => x.labels.alertname === 'AvailabilityErrorBudgetBurn' && x.state === 'firing');
        return f.length >= 2 ? f : undefined;
      }, 30_000, 'burn alerts firing');
      expect(new Set(firing.map((x) => x.labels.service))).toEqual(new Set(['checkout']));
      expect(firing.map((x) => x.labels.burn_window)).toEqual(expect.arrayContaining(['1h+5m', '6h+30m']));
      expect(firing.find((x) => x.labels.burn_window === '1h+5m')!.labels.severity).toBe('critical');
    } finally {
      await stack.stop();
    }
  });
});
