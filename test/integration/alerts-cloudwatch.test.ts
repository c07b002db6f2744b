/**
 * The alerts family's CloudWatch writes and reads against moto: `silence --disable-actions` (DisableAlarmActions
 * now, EnableAlarmActions when the silence ends, through the remediation safety path), CloudWatch alarm history
 * in `history` (moto has no DescribeAlarmHistory: answered through the fault proxy from
 * test/fixtures/wire/cloudwatch.DescribeAlarmHistory.pay-fn-errors-fired.not-in-moto.json, and without it the
 * history states the gap), and the burn-rate alarms of `rules generate --apply`.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';

const MIN = 60_000;
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'wire', name);
let seeder: Seeder;
let cw: CloudWatchClient;

type Alert = { id: string; name: string; source: string; status: string };
type LogLine = { action: string; target: string; outcome: string; environment: string; reason?: string; before: { actionsEnabled?: boolean } | null; after: { actionsEnabled?: boolean } | null };

const registry = registryWith([
  { env: 'test', project: 'pay', resources: [{ type: 'lambda', name: 'pay-fn' }] },
  { env: 'prod', project: 'ledger', resources: [{ type: 'lambda', name: 'ledger-fn' }] },
]);
const cli = (project: string, args: string[]) => runCli(args, { cwd: project, env: { ALERTMANAGER_URL: undefined, PROMETHEUS_URL: undefined, HELM_CLOUD_OPERATOR: 'ana' } });
const actionsEnabled = async (alarm: string) => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms![0]!.ActionsEnabled;
const actionLog = (project: string): LogLine[] =>
  readFileSync(join(project, '.fractary/plugins/helm-cloud/actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogLine);
const idOf = async (project: string, env: string, name: string) => {
  const r = await cli(project, ['alerts', 'list', '--env', env, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json<{ alerts: Alert[] }>().alerts.find((a) => a.name === name)!.id;
};
const sleepUntil = async (iso: string) => {
  const ms = Date.parse(iso) - Date.now() + 300;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
};

beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  cw = new CloudWatchClient({ endpoint: moto(), region: 'us-east-1' });
  await seeder.putAlarm('pay-fn-errors', { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'pay-fn' }, state: 'ALARM', reason: 'Threshold Crossed: errors above 1' });
  await seeder.putAlarm('pay-fn-throttles', { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: 'pay-fn' }, state: 'ALARM' });
  await seeder.putAlarm('pay-fn-duration', { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'pay-fn' }, state: 'ALARM' });
  await seeder.putAlarm('ledger-fn-errors', { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'ledger-fn' }, state: 'ALARM' });
});
afterAll(() => {
  seeder?.destroy();
  cw?.destroy();
});

describe('alerts silence --disable-actions', () => {
  it('disables the alarm actions now, logged like a remediation; silencing again sends nothing', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-errors');
    const s = await cli(project, ['alerts', 'silence', id, '--duration', '1h', '--disable-actions', '--comment', 'deploy in progress', '--env', 'test', '-o', 'json']);
    expect(s.code, s.stderr).toBe(0);
    const change = s.json<{ summary: string; change: { outcome: string; until: string; actionsEnabled: boolean; disabledActions: boolean } }>();
    expect(change.change).toMatchObject({ outcome: 'applied', actionsEnabled: false, disabledActions: true });
    expect(change.summary).toMatch(/alarm actions are disabled until/);
    expect(await actionsEnabled('pay-fn-errors')).toBe(false);
    const disable = actionLog(project).filter((l) => l.action === 'cloudwatch.disable_alarm_actions');
    expect(disable.map((l) => l.outcome)).toEqual(['intent', 'applied']);
    expect(disable[1]).toMatchObject({ target: 'alarm:pay-fn-errors', environment: 'test', before: { actionsEnabled: true }, after: { actionsEnabled: false } });

    // Again: the actions are already off (by this silence), so nothing is sent and the hold is extended.
    const again = await cli(project, ['alerts', 'silence', id, '--duration', '2h', '--disable-actions', '--env', 'test', '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<{ change: { outcome: string; disabledActions: boolean } }>().change).toMatchObject({ outcome: 'skipped', disabledActions: true });
    expect(actionLog(project).filter((l) => l.action === 'cloudwatch.disable_alarm_actions').map((l) => l.outcome)).toEqual(['intent', 'applied', 'skipped']);
    const listed = await cli(project, ['alerts', 'list', '--env', 'test', '-o', 'json']);
    expect(listed.json<{ alerts: Alert[] }>().alerts.find((a) => a.id === id)!.status).toBe('silenced');
    expect(await actionsEnabled('pay-fn-errors')).toBe(false);
    const { EnableAlarmActionsCommand } = await import('@aws-sdk/client-cloudwatch');
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['pay-fn-errors'] })); // for the other tests of this file
  });

  it('re-enables them with the first alerts command after the silence ends', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-throttles');
    // A short silence stands in for a clock: the first helm-cloud run after it ends re-enables the actions. No
    // helm-cloud command runs before then (it would re-enable them early on a slow machine).
    const s = await cli(project, ['alerts', 'silence', id, '--duration', '3s', '--disable-actions', '--comment', 'deploy in progress', '--env', 'test', '-o', 'json']);
    expect(s.code, s.stderr).toBe(0);
    expect(await actionsEnabled('pay-fn-throttles')).toBe(false);
    await sleepUntil(s.json<{ change: { until: string } }>().change.until);
    const after = await cli(project, ['alerts', 'list', '--env', 'test', '-o', 'json']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/alarm actions of pay-fn-throttles re-enabled: the silence of A-[0-9a-f]{8} ended/);
    expect(await actionsEnabled('pay-fn-throttles')).toBe(true);
    expect(after.json<{ alerts: Alert[] }>().alerts.find((a) => a.id === id)!.status).toBe('firing');
    const enable = actionLog(project).filter((l) => l.action === 'cloudwatch.enable_alarm_actions');
    expect(enable.map((l) => l.outcome)).toEqual(['intent', 'applied']);
    expect(enable[1]).toMatchObject({ target: 'alarm:pay-fn-throttles', before: { actionsEnabled: false }, after: { actionsEnabled: true } });
    // Once re-enabled, later runs leave the alarm alone.
    await cli(project, ['alerts', 'list', '--env', 'test', '-o', 'json']);
    expect(actionLog(project).filter((l) => l.action === 'cloudwatch.enable_alarm_actions')).toHaveLength(2);
    const history = await cli(project, ['alerts', 'history', id, '--env', 'test', '-o', 'json']);
    expect(history.json<{ events: { what: string }[] }>().events.map((e) => e.what)).toEqual(expect.arrayContaining([expect.stringMatching(/alarm actions of pay-fn-throttles disabled\): deploy in progress$/), 'alarm actions of pay-fn-throttles re-enabled']));
  });

  it('the pre-command hook of any other command re-enables the actions of an ended silence', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-duration');
    const s = await cli(project, ['alerts', 'silence', id, '--duration', '2s', '--disable-actions', '--env', 'test', '-o', 'json']);
    expect(s.code, s.stderr).toBe(0);
    expect(await actionsEnabled('pay-fn-duration')).toBe(false);
    await sleepUntil(s.json<{ change: { until: string } }>().change.until);
    const d = await cli(project, ['dashboard', '-o', 'json']);
    expect(d.stderr).toMatch(/alarm actions of pay-fn-duration re-enabled/);
    expect(await actionsEnabled('pay-fn-duration')).toBe(true);
  });

  it('on a protected environment without a terminal it refuses with the --yes hint and changes nothing; --yes applies', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'prod', 'ledger-fn-errors');
    const r = await cli(project, ['alerts', 'silence', id, '--duration', '1h', '--disable-actions', '--env', 'prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prod is protected and this run is not interactive, so confirmation needs --yes.*re-run with --yes/);
    expect(await actionsEnabled('ledger-fn-errors')).toBe(true);
    expect(actionLog(project).map((l) => l.outcome)).toEqual(['refused']);
    const listed = await cli(project, ['alerts', 'list', '--env', 'prod', '-o', 'json']);
    expect(listed.json<{ alerts: Alert[] }>().alerts.find((a) => a.id === id)!.status).toBe('firing'); // no silence recorded either
    const yes = await cli(project, ['alerts', 'silence', id, '--duration', '1h', '--disable-actions', '--env', 'prod', '--yes', '-o', 'json']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(await actionsEnabled('ledger-fn-errors')).toBe(false);
    // Put the alarm back for the other tests of this file.
    await cli(project, ['alerts', 'silence', id, '--duration', '1h', '--env', 'prod']);
    const { EnableAlarmActionsCommand } = await import('@aws-sdk/client-cloudwatch');
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['ledger-fn-errors'] }));
  });

  it('applies to CloudWatch alarms only', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const c = await cli(project, ['alerts', 'create', '--name', 'DiskFull', '--severity', 'warning', '--description', 'disk 95%', '-o', 'json']);
    const r = await cli(project, ['alerts', 'silence', c.json<{ change: { id: string } }>().change.id, '--duration', '1h', '--disable-actions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--disable-actions applies to CloudWatch alarms; A-[0-9a-f]{8} comes from local/);
  });
});

describe('alerts state and bad input', () => {
  it('a torn event log (a run killed mid-write) loses only its last record', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-errors');
    expect((await cli(project, ['alerts', 'acknowledge', id, '--note', 'first', '--env', 'test'])).code).toBe(0);
    const log = join(project, '.fractary/plugins/helm-cloud/alerts/events.jsonl');
    const { appendFileSync } = await import('node:fs');
    appendFileSync(log, '{"kind":"ack","id":"' + id + '","at":"2026-'); // the torn tail of a second record
    const listed = await cli(project, ['alerts', 'list', '--env', 'test', '-o', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json<{ alerts: (Alert & { acknowledged?: { note?: string } })[] }>().alerts.find((a) => a.id === id)!.acknowledged!.note).toBe('first');
    expect((await cli(project, ['alerts', 'acknowledge', id, '--note', 'second', '--env', 'test'])).code).toBe(0);
    const history = await cli(project, ['alerts', 'history', id, '--env', 'test', '-o', 'json']);
    expect(history.json<{ events: { what: string }[] }>().events.map((e) => e.what).filter((w) => w.startsWith('acknowledged'))).toEqual(['acknowledged: first', 'acknowledged: second']);
  });

  it('an unknown id is exit 2 naming the closest, for every action that takes one', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-errors');
    const typo = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
    for (const args of [['acknowledge', typo], ['silence', typo, '--duration', '1h', '--disable-actions'], ['escalate', typo], ['resolve', typo], ['history', typo], ['group', '--name', 'g', '--add', typo]]) {
      const r = await cli(project, ['alerts', ...args, '--env', 'test']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`no alert "${typo}"`);
      expect(r.stderr, args.join(' ')).toContain(`did you mean ${id}?`);
    }
  });

  it('a malformed duration is exit 2 listing the accepted forms, for every duration flag', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    for (const d of ['2 hours', '-5m', '0s']) {
      for (const args of [['silence', 'A-00000000', '--duration', d], ['correlate', '--window', d], ['history', '--since', d]]) {
        const r = await cli(project, ['alerts', ...args]);
        expect(r.code, `${args.join(' ')}`).toBe(2);
        expect(r.stderr, `${args.join(' ')}`).toMatch(/30s, 5m, 1h, 3d, 2w/);
      }
    }
  });
});

describe('alerts history with CloudWatch alarm history', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto());
  });
  afterAll(() => proxy.stop());

  it('shows the alarm state changes from DescribeAlarmHistory (served from a not-in-moto fixture) beside helm-cloud actions', async () => {
    const now = Date.now();
    const doc = JSON.parse(readFileSync(fixture('cloudwatch.DescribeAlarmHistory.pay-fn-errors-fired.not-in-moto.json'), 'utf8')) as { AlarmHistoryItems: { AlarmName: string; Timestamp: number }[] };
    // Shift the fixture so its newest change lands 20 minutes ago.
    const shift = (now - 20 * MIN) / 1000 - Math.max(...doc.AlarmHistoryItems.map((h) => h.Timestamp));
    for (const h of doc.AlarmHistoryItems) h.Timestamp += shift;
    // CloudWatch filters by AlarmName on its side; so does this answer.
    proxy.addRule({
      service: 'cloudwatch',
      operation: 'DescribeAlarmHistory',
      respond: (c) => {
        const name = /"AlarmName":"([^"]+)"|AlarmName=([^&]+)/.exec(c.body.toString('utf8'));
        const wanted = name ? decodeURIComponent(name[1] ?? name[2]!) : undefined;
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ AlarmHistoryItems: doc.AlarmHistoryItems.filter((h) => !wanted || h.AlarmName === wanted) }) };
      },
    });
    const project = makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-errors');
    await cli(project, ['alerts', 'acknowledge', id, '--note', 'on it', '--env', 'test']);
    const r = await cli(project, ['alerts', 'history', id, '--env', 'test', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = r.json<{ events: { what: string; by: string }[]; gaps: unknown[] }>();
    expect(j.gaps).toEqual([]);
    expect(j.events.map((e) => `${e.by}: ${e.what}`)).toEqual([
      'cloudwatch: cloudwatch: pay-fn-errors ALARM → OK: Alarm updated from ALARM to OK',
      'cloudwatch: cloudwatch: pay-fn-errors OK → ALARM: Alarm updated from OK to ALARM',
      'ana: acknowledged: on it',
    ]);
    const since = await cli(project, ['alerts', 'history', '--since', '30m', '--env', 'test', '-o', 'json']);
    expect(since.json<{ events: { what: string }[] }>().events.map((e) => e.what)).toEqual(['cloudwatch: pay-fn-errors OK → ALARM: Alarm updated from OK to ALARM', 'acknowledged: on it']);
    expect(proxy.count('cloudwatch', 'DescribeAlarmHistory')).toBeGreaterThan(0);
    proxy.clearRules();
  });

  it('when DescribeAlarmHistory fails (moto lacks it), the timeline keeps the other sources and states the gap', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registry });
    const id = await idOf(project, 'test', 'pay-fn-errors');
    await cli(project, ['alerts', 'acknowledge', id, '--note', 'looking', '--env', 'test']);
    for (const args of [['history', id], ['history', '--since', '24h']]) {
      const r = await cli(project, ['alerts', ...args, '--env', 'test', '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const j = r.json<{ events: { what: string }[]; gaps: { source: string; what: string; reason: string }[] }>();
      expect(j.gaps).toEqual([expect.objectContaining({ source: 'cloudwatch', what: 'alarm history' })]);
      expect(j.events.map((e) => e.what)).toEqual(expect.arrayContaining(['cloudwatch: pay-fn-errors entered ALARM', 'acknowledged: looking']));
      expect(r.stderr).toMatch(/gap: cloudwatch alarm history unavailable/);
    }
    const table = await cli(project, ['alerts', 'history', id, '--env', 'test', '-o', 'table']);
    expect(table.stdout).toMatch(/gap: cloudwatch alarm history unavailable .*: the CloudWatch alarms show their current state only/);
  });
});

describe('alerts rules generate: CloudWatch multi-window multi-burn-rate alarms', () => {
  // One ratio SLO for one function keeps the set small: 3 workbook rules × (2 window alarms + 1 composite).
  const monitoring = (objective: number) => `[slos.lambda]\nerror_rate_percent = false\nthrottle_rate_percent = false\navailability_percent = ${objective}\nperiod_days = 30\n`;
  const sloRegistry = registryWith([
    { env: 'test', project: 'orders', resources: [{ type: 'lambda', name: 'orders-fn' }] },
    { env: 'prod', project: 'orders', resources: [{ type: 'lambda', name: 'orders-prod-fn' }] },
  ]);
  type Gen = { summary: string; cloudwatch: { alarms: { name: string }[]; diff: { create: string[]; update: { name: string; changes: string[] }[]; unchanged: string[]; stale: string[] }; outcome: string; applied: boolean } };
  let proxy: FaultProxy;
  const composites: { AlarmName: string; AlarmRule: string }[] = [];
  const isCompositeDescribe = (body: string) => body.includes('CompositeAlarm') && !body.includes('MetricAlarm');
  beforeAll(async () => {
    proxy = await startFaultProxy(moto());
    // moto has no composite alarms: PutCompositeAlarm is answered from a fixture (the request is kept), and once
    // CloudWatch would hold them, DescribeAlarms for composites answers from a fixture of what it returns for them.
    const accepted = readFileSync(fixture('cloudwatch.PutCompositeAlarm.accepted.not-in-moto.json'), 'utf8');
    const listed = readFileSync(fixture('cloudwatch.DescribeAlarms.orders-fn-burn-composites.not-in-moto.json'), 'utf8');
    proxy.addRule({
      service: 'cloudwatch',
      operation: 'PutCompositeAlarm',
      respond: (c) => {
        composites.push(JSON.parse(c.body.toString('utf8')) as { AlarmName: string; AlarmRule: string });
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: accepted };
      },
    });
    proxy.addRule({ service: 'cloudwatch', operation: 'DescribeAlarms', when: (c) => composites.length >= 3 && isCompositeDescribe(c.body.toString('utf8')), respond: () => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: listed }) });
  });
  afterAll(() => proxy.stop());
  const managed = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'helm-cloud-slo:orders-fn:' }))).MetricAlarms ?? [];

  it('shows the diff (dry run), --apply creates the metric-math alarms, and a second apply changes nothing', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': sloRegistry, 'plugins/helm-cloud/monitoring.toml': monitoring(99.5) });
    const gen = (extra: string[] = []) => cli(project, ['alerts', 'rules', 'generate', '--env', 'test', '-o', 'json', ...extra]);

    const dry = await gen();
    expect(dry.code, dry.stderr).toBe(0);
    const plan = dry.json<Gen>().cloudwatch;
    expect(plan.diff.create).toHaveLength(9);
    expect(plan).toMatchObject({ outcome: 'planned', applied: false });
    expect(await managed()).toEqual([]);
    const table = await cli(project, ['alerts', 'rules', 'generate', '--env', 'test', '-o', 'table']);
    expect(table.stdout).toContain('+ helm-cloud-slo:orders-fn:availability_percent:1h+5m:1h  (FILL(errors, 0) + FILL(throttles, 0)) / (invocations + FILL(throttles, 0)) / 0.005 over 1h ≥ 14.4');
    expect(table.stdout).toMatch(/dry run: 9 to create, 0 to update \(apply with --apply\)/);

    const applied = await gen(['--apply']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.json<Gen>().cloudwatch).toMatchObject({ outcome: 'applied', applied: true });
    const alarms = await managed();
    expect(alarms.map((a) => a.AlarmName!.split(':').slice(-2).join(':')).sort()).toEqual(['1h+5m:1h', '1h+5m:5m', '3d+6h:3d', '3d+6h:6h', '6h+30m:30m', '6h+30m:6h']);
    const hour = alarms.find((a) => a.AlarmName!.endsWith(':1h+5m:1h'))!;
    expect(hour).toMatchObject({ Threshold: 14.4, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(hour.Metrics!.find((q) => q.ReturnData)!.Expression).toBe('(FILL(errors, 0) + FILL(throttles, 0)) / (invocations + FILL(throttles, 0)) / 0.005');
    expect(hour.Metrics!.filter((q) => q.MetricStat).map((q) => [q.Id, q.MetricStat!.Metric!.MetricName, q.MetricStat!.Period, q.MetricStat!.Stat])).toEqual([
      ['errors', 'Errors', 3600, 'Sum'],
      ['throttles', 'Throttles', 3600, 'Sum'],
      ['invocations', 'Invocations', 3600, 'Sum'],
    ]);
    expect(alarms.find((a) => a.AlarmName!.endsWith(':3d+6h:3d'))!).toMatchObject({ Threshold: 1 });
    expect(composites.map((c) => c.AlarmRule)).toContain('ALARM("helm-cloud-slo:orders-fn:availability_percent:1h+5m:1h") AND ALARM("helm-cloud-slo:orders-fn:availability_percent:1h+5m:5m")');
    const logged = actionLog(project).filter((l) => l.action === 'cloudwatch.put_slo_alarms');
    expect(logged.map((l) => l.outcome)).toEqual(['intent', 'applied']);

    const puts = proxy.count('cloudwatch', 'PutMetricAlarm');
    const again = await gen(['--apply']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<Gen>().cloudwatch).toMatchObject({ outcome: 'skipped', applied: false, diff: { create: [], update: [] } });
    expect(again.json<Gen>().cloudwatch.diff.unchanged).toHaveLength(9);
    expect(proxy.count('cloudwatch', 'PutMetricAlarm')).toBe(puts);
    expect(composites).toHaveLength(3);

    // The composites are the alerts of the resource (page rules critical, the ticket rule warning); their window
    // alarms are not listed on their own.
    const listed = await cli(project, ['alerts', 'list', '--env', 'test', '-o', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    const burn = listed.json<{ alerts: (Alert & { resource: string; severity: string; labels: Record<string, string> })[] }>().alerts.filter((a) => a.name.startsWith('helm-cloud-slo:'));
    expect(burn.map((a) => [a.name.split(':').pop(), a.resource, a.severity, a.status, a.labels.slo])).toEqual([
      ['1h+5m', 'orders-fn', 'critical', 'resolved', 'availability_percent'],
      ['6h+30m', 'orders-fn', 'critical', 'resolved', 'availability_percent'],
      ['3d+6h', 'orders-fn', 'warning', 'resolved', 'availability_percent'],
    ]);

    // A tighter objective changes the expression of every window alarm: shown as updates, not applied without --apply.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(project, '.fractary/plugins/helm-cloud/monitoring.toml'), monitoring(99.9));
    const tighter = (await gen()).json<Gen>().cloudwatch;
    expect(tighter.diff.update.filter((u) => u.name.match(/:(5m|30m|1h|6h|3d)$/)).map((u) => u.changes[0])).toEqual(Array(6).fill('expression (FILL(errors, 0) + FILL(throttles, 0)) / (invocations + FILL(throttles, 0)) / 0.005 → (FILL(errors, 0) + FILL(throttles, 0)) / (invocations + FILL(throttles, 0)) / 0.001'));
    expect(hour.Metrics!.find((q) => q.ReturnData)!.Expression).toMatch(/0\.005$/);
  });

  it('on a protected environment without a terminal --apply is refused with the --yes hint and creates nothing', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': sloRegistry, 'plugins/helm-cloud/monitoring.toml': monitoring(99.5) });
    const r = await cli(project, ['alerts', 'rules', 'generate', '--env', 'prod', '--apply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/confirmation needs --yes.*re-run with --yes/);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'helm-cloud-slo:orders-prod-fn:' }))).MetricAlarms).toEqual([]);
    expect(actionLog(project).map((l) => `${l.action} ${l.outcome}`)).toEqual(['cloudwatch.put_slo_alarms refused']);
  });
});
