/**
 * `helm-cloud investigate` end to end against moto: seeded incidents (logs through PutLogEvents, metrics
 * through PutMetricData, alarms through PutMetricAlarm/SetAlarmState) must give the expected top hypothesis
 * with its evidence, and the report, issue record and exit code a caller sees.
 * moto lacks DescribeAlarmHistory: without the proxy it is a stated gap; with the fault proxy it is answered
 * from test/fixtures/wire/cloudwatch.DescribeAlarmHistory.*.not-in-moto.json.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, series, startFaultProxy, type FaultProxy } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';

const MIN = 60_000;
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'wire', name);

interface Hyp {
  kind: string;
  title: string;
  confidence: number;
  evidence: { summary: string }[];
  refutedBy: string;
  proposedAction?: { action: string; target: string; params: Record<string, unknown> };
}
interface Report {
  schema: string;
  verdict: string;
  exitCode: number;
  summary: string;
  scope: { text: string; matches: { phrase: string; resource: string }[]; symptom: string | null; window: { from: string; to: string; source: string } };
  logs: { lines: number; signalLines: number; truncated: boolean; source: string; groups: { name: string; status: string }[] };
  patterns: { template: string; isNew: boolean; classes: string[]; count: number }[];
  changePoints: { metric: string; stat: string; direction: string }[];
  alarms: { name: string; state: string; transitions: { from?: string; to?: string }[] }[];
  timeline: { kind: string; summary: string }[];
  hypotheses: Hyp[];
  metrics: { queries: number; calls: number };
  gaps: { what: string; reason: string; blocking: boolean }[];
  issue: { id: string; action: string } | null;
  report: { json: string; markdown: string } | null;
}

const seeder = new Seeder({ endpoint: moto() });
afterAll(() => seeder.destroy());

/** Healthy Lambda traffic lines for the last hour: what a quiet function logs. */
function background(now: number): { t: number; message: string }[] {
  const out: { t: number; message: string }[] = [];
  for (let t = now - 59 * MIN; t < now - MIN; t += 30_000) {
    const id = randomUUID();
    out.push({ t, message: `START RequestId: ${id} Version: $LATEST` });
    out.push({ t: t + 5, message: `${new Date(t + 5).toISOString()}\t${id}\tINFO\torder ${Math.floor(t / 1000) % 9973} stored in 42 ms` });
    out.push({ t: t + 10, message: `END RequestId: ${id}` });
    out.push({ t: t + 11, message: `REPORT RequestId: ${id}\tDuration: 41.20 ms\tBilled Duration: 42 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB` });
  }
  return out;
}

/** Lines every `everyMs` from `fromMs` to now − 1 min. */
function burst(fromMs: number, now: number, everyMs: number, line: (t: number, id: string) => string): { t: number; message: string }[] {
  const out: { t: number; message: string }[] = [];
  for (let t = fromMs; t < now - MIN; t += everyMs) out.push({ t, message: line(t, randomUUID()) });
  return out;
}

async function lambdaMetrics(name: string, now: number, f: { invocations?: (t: number) => number; errors?: (t: number) => number; throttles?: (t: number) => number; durationAvg?: (t: number) => number; durationMax?: (t: number) => number; concurrency?: (t: number) => number }): Promise<void> {
  const dims = { FunctionName: name };
  // The function exists: health (which investigate runs on its targets) would call a missing one UNHEALTHY.
  await seeder.createFunction(name).catch(() => undefined);
  const s = (fn: (t: number) => number) => series(now - 60 * MIN, now - MIN, MIN, (t) => fn(t));
  const items = [
    { metricName: 'Invocations', points: s(f.invocations ?? (() => 100)), unit: 'Count' },
    { metricName: 'Errors', points: s(f.errors ?? (() => 0)), unit: 'Count' },
    { metricName: 'Throttles', points: s(f.throttles ?? (() => 0)), unit: 'Count' },
    { metricName: 'ConcurrentExecutions', points: s(f.concurrency ?? (() => 4)), unit: 'Count' },
  ].map((i) => ({ ...i, dimensions: dims }));
  await seeder.putMetrics('AWS/Lambda', items);
  // Average and Maximum come from the datapoints of a period: one value per minute gives both.
  const avg = f.durationAvg ?? (() => 120);
  await seeder.putMetric('AWS/Lambda', 'Duration', dims, s(avg), 'Milliseconds');
  if (f.durationMax) await seeder.putMetric('AWS/Lambda', 'Duration', dims, s(f.durationMax), 'Milliseconds');
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * The investigate → remediate contract: every proposal in the issue record, handed to
 * `remediate --issue ID --dry-run` one at a time, is accepted (exit 0) and plans that action on that target.
 */
async function handOff(project: string, env: string, issueId: string): Promise<number> {
  const file = join(project, '.fractary/helm/issues', `${issueId}.json`);
  const record = readJson<{ diagnosis: { proposed_actions: { action: string; target: string }[] } }>(file);
  const proposals = record.diagnosis.proposed_actions;
  for (const p of proposals) {
    writeFileSync(file, JSON.stringify({ ...record, diagnosis: { ...record.diagnosis, proposed_actions: [p] } }, null, 2));
    const r = await runCli(['remediate', '--issue', issueId, '--env', env, '--dry-run', '--output', 'json'], { cwd: project });
    expect(r.code, `${p.action} on ${p.target}: ${r.stderr}`).toBe(0);
    expect(r.json<{ action: string; target: string; verdict: string }>()).toMatchObject({ action: p.action, target: p.target, verdict: 'PLANNED' });
  }
  writeFileSync(file, JSON.stringify(record, null, 2));
  return proposals.length;
}

describe('investigate: seeded incidents', () => {
  it('blames the deploy when a new exception pattern starts right after it, opens an issue with a rollback, and states the missing alarm history (moto lacks DescribeAlarmHistory)', async () => {
    const now = Date.now();
    const fn = 'orders-api-handler';
    const resources = [
      { type: 'lambda', name: fn, alias: 'live' },
      { type: 'lambda', name: 'orders-worker' },
      { type: 'rds', name: 'orders-db' },
    ];
    await seeder.putLogEvents(`/aws/lambda/${fn}`, '2026/11/20/[$LATEST]a1', [
      ...background(now),
      ...burst(now - 28 * MIN, now, 20_000, (t, id) => `${new Date(t).toISOString()}\t${id}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'customerId')","stack":["TypeError: Cannot read properties of undefined (reading 'customerId')","    at handler (/var/task/index.js:42:17)"]}`),
    ]);
    await lambdaMetrics(fn, now, { errors: (t) => (t >= now - 30 * MIN ? 3 : 0) });
    // Traffic reaches the function through an alias over published versions: what a rollback moves.
    const L = await import('@aws-sdk/client-lambda');
    const lambda = new L.LambdaClient({ region: 'us-east-1', endpoint: moto(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await lambda.send(new L.PublishVersionCommand({ FunctionName: fn }));
    await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: fn, Timeout: 9 }));
    await lambda.send(new L.PublishVersionCommand({ FunctionName: fn }));
    await lambda.send(new L.CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '2' }));
    lambda.destroy();
    await seeder.putAlarm(`${fn}-errors`, { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: fn }, threshold: 1, state: 'ALARM' });
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([
        { env: 'prod', project: 'orders', id: 'orders-41', version: '1.4.1', at: new Date(now - 86400_000).toISOString(), resources },
        { env: 'prod', project: 'orders', id: 'orders-42', version: '1.4.2', at: new Date(now - 30 * MIN).toISOString(), resources },
      ]),
    });

    const r = await runCli(['investigate', 'Lambda errors in API function', '--env=prod', '--output', 'json'], { cwd: project });
    expect(r.code, r.stderr).toBe(1);
    const j = r.json<Report>();
    expect(j.schema).toBe('helm-cloud/investigate@1');
    expect(j.verdict).toBe('FINDINGS');
    expect(j.scope.matches).toEqual([expect.objectContaining({ phrase: 'API function', resource: fn })]);
    expect(j.scope.symptom).toBe('errors');
    const top = j.hypotheses[0]!;
    expect(top.kind).toBe('deploy_regression');
    const ev = top.evidence.map((e) => e.summary).join('\n');
    expect(ev).toMatch(/deployment orders-42: orders 1\.4\.1 → 1\.4\.2/);
    expect(ev).toMatch(/TypeError.*Cannot read properties of undefined/);
    expect(top.refutedBy).toMatch(/1\.4\.1/);
    // The action's own contract: a registry resource (through its alias), no project versions as params.
    expect(top.proposedAction).toEqual({ action: 'rollback', target: fn, params: {}, reason: expect.stringMatching(/orders 1\.4\.2 was deployed.*orders 1\.4\.1/) });
    expect(j.patterns.find((p) => /TypeError/.test(p.template))).toMatchObject({ isNew: true, classes: expect.arrayContaining(['error']) });
    expect(j.changePoints).toContainEqual(expect.objectContaining({ metric: 'Errors', stat: 'Sum', direction: 'up' }));
    expect(j.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['deployment', 'pattern-onset', 'change-point']));
    expect(j.logs).toMatchObject({ source: 'insights', truncated: false });
    expect(j.alarms).toEqual([expect.objectContaining({ name: `${fn}-errors`, state: 'ALARM' })]);
    expect(j.gaps).toContainEqual(expect.objectContaining({ what: 'alarm history', blocking: false }));

    // A new issue record, with the diagnosis remediation reads and the report's path.
    expect(j.issue).toEqual({ id: 'infra-001', action: 'created' });
    const issue = readJson<{ status: string; severity: string; production: boolean; resources: string[]; diagnosis: { proposed_actions: { action: string; target: string; params: Record<string, unknown> }[] }; reports: string[] }>(join(project, '.fractary/helm/issues/infra-001.json'));
    expect(issue).toMatchObject({ status: 'investigating', production: true, resources: [fn] });
    expect(issue.severity).toBe('critical');
    expect(issue.diagnosis.proposed_actions[0]).toMatchObject({ action: 'rollback', target: fn, params: {} });
    expect(await handOff(project, 'prod', 'infra-001')).toBeGreaterThan(0);
    expect(issue.reports).toContain(j.report!.markdown);
    const saved = readJson<Report>(join(project, '.fractary', j.report!.json));
    expect(saved.hypotheses[0]!.kind).toBe('deploy_regression');
    expect(readFileSync(join(project, '.fractary', j.report!.markdown), 'utf8')).toMatch(/## Hypotheses[\s\S]*Deploy 1\.4\.2 of orders/);

    // Investigating the same incident again updates that issue instead of opening another.
    const again = await runCli(['investigate', 'orders-api-handler errors', '--env=prod', '--output', 'json'], { cwd: project });
    expect(again.json<Report>().issue).toEqual({ id: 'infra-001', action: 'updated' });
    expect(existsSync(join(project, '.fractary/helm/issues/infra-002.json'))).toBe(false);
  });

  describe('through the fault proxy (answers DescribeAlarmHistory, which moto lacks, from a fixture)', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(moto());
    });
    afterAll(() => proxy.stop());

    it('names throttling at the concurrency limit, with the alarm transition on the timeline and a reserved-concurrency proposal', async () => {
      const now = Date.now();
      const fn = 'checkout-fn';
      await seeder.putLogEvents(`/aws/lambda/${fn}`, 's1', background(now));
      await lambdaMetrics(fn, now, { throttles: (t) => (t >= now - 20 * MIN ? 15 : 0), concurrency: () => 10 });
      await seeder.putAlarm(`${fn}-throttles`, { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: fn }, threshold: 5, state: 'ALARM' });
      const wire = readFileSync(fixture('cloudwatch.DescribeAlarmHistory.throttles-alarm-fired.not-in-moto.json'), 'utf8');
      // Shift the fixture's times so its state change lands 18 minutes ago, inside the window.
      const doc = JSON.parse(wire) as { AlarmHistoryItems: { Timestamp: number }[] };
      const shift = (now - 18 * MIN) / 1000 - doc.AlarmHistoryItems[0]!.Timestamp;
      for (const h of doc.AlarmHistoryItems) h.Timestamp += shift;
      proxy.addRule({ service: 'cloudwatch', operation: 'DescribeAlarmHistory', respond: () => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(doc) }) });
      const project = makeProject({
        'shared/environments.json': environmentsFor(proxy.endpoint),
        'registry/deployments.json': registryWith([{ project: 'checkout', resources: [{ type: 'lambda', name: fn }] }]),
      });
      const r = await runCli(['investigate', 'checkout-fn throttling', '--env', 'test', '--output', 'json'], { cwd: project });
      expect(r.code, r.stderr).toBe(1);
      const j = r.json<Report>();
      const top = j.hypotheses[0]!;
      expect(top.kind).toBe('throttling');
      expect(top.evidence.map((e) => e.summary).join('\n')).toMatch(/Throttles \(Sum\) up 0 → 15/);
      expect(top.evidence.map((e) => e.summary).join('\n')).toMatch(/alarm checkout-fn-throttles went OK → ALARM/);
      expect(top.proposedAction).toMatchObject({ action: 'scale_resources', target: fn, params: { reserved_concurrency: 20 } });
      expect(await handOff(project, 'test', j.issue!.id)).toBeGreaterThan(0);
      expect(j.alarms[0]!.transitions).toEqual([expect.objectContaining({ from: 'OK', to: 'ALARM' })]);
      expect(j.timeline.some((e) => e.kind === 'alarm')).toBe(true);
      expect(j.gaps.find((g) => g.what === 'alarm history')).toBeUndefined();
      // The investigator's own metric reads: one batched call for the window, one for the anomaly detector's
      // 2-day history (a time range of its own); health's reads of the target are separate.
      expect(j.metrics.calls).toBe(2);
    });

    it('keeps hostile text out of every Logs Insights query and out of the report', async () => {
      const now = Date.now();
      const fn = 'orders-api-handler';
      const queries: string[] = [];
      proxy.addRule({ service: 'logs', operation: 'StartQuery', when: (c) => (queries.push(c.body.toString('utf8')), false) });
      const project = makeProject({
        'shared/environments.json': environmentsFor(proxy.endpoint),
        'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name: fn }] }]),
      });
      await seeder.putLogEvents(`/aws/lambda/${fn}`, 'hostile', background(now));
      const hostile = `${fn}" | filter @message like /.*/ | stats count(*) by bin(1m) \`whoami\` $(id) <script> \u001b[2J\u0007 (?i).*`;
      const r = await runCli(['investigate', hostile, '--env', 'test', '--output', 'markdown'], { cwd: project });
      expect([0, 1]).toContain(r.code);
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        const qs = (JSON.parse(q) as { queryString: string }).queryString;
        expect(qs).toMatch(/^fields @timestamp, @message, @logStream, @log \| filter @message like \/\(\?i\)/);
        expect(qs).not.toMatch(/whoami|stats|bin\(|<script>|\$\(id\)|\u001b/);
      }
      // eslint-disable-next-line no-control-regex
      expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      expect(r.stdout).not.toMatch(/<script>|`whoami`/);
      inertMarkdown(r.stdout);
      const reports = readdirSync(join(project, '.fractary/plugins/helm-cloud/reports')).filter((f) => f.endsWith('.json'));
      const saved = readJson<Report>(join(project, '.fractary/plugins/helm-cloud/reports', reports[0]!));
      expect(saved.scope.matches[0]!.resource).toBe(fn);
      expect(saved.scope.text).toMatch(/^[A-Za-z0-9 ._-]*$/);
    });

    it('shows hostile log lines in the Markdown report as mined: the template in its own cell, the example as code, nothing escaped twice', async () => {
      const now = Date.now();
      const fn = 'md-hostile-fn';
      const project = makeProject({
        'shared/environments.json': environmentsFor(proxy.endpoint),
        'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name: fn }] }]),
      });
      const bad = (i: number) => `ERROR payment | id=<b>${i}</b> \`tick\` *stars* _under_ [x](y) <script>alert(${i})</script> failed`;
      const lines = Array.from({ length: 30 }, (_, i) => ({ t: now - 20 * MIN + i * 20_000, message: bad(i) }));
      await seeder.putLogEvents(`/aws/lambda/${fn}`, 'md', [...background(now), ...lines].sort((a, b) => a.t - b.t));
      const json = await runCli(['investigate', `errors in ${fn}`, '--env', 'test', '--output', 'json'], { cwd: project });
      const patterns = json.json<Report>().patterns;
      const mined = patterns.find((p) => p.template.includes('payment'))!;
      expect(mined, JSON.stringify(patterns)).toBeDefined();
      const r = await runCli(['investigate', `errors in ${fn}`, '--env', 'test', '--output', 'markdown'], { cwd: project });
      const md = inertMarkdown(r.stdout);
      const table = md.tables.find((t) => t.header.includes('PATTERN'))!;
      expect(table.rows.map((row) => row[table.header.indexOf('PATTERN')])).toContain(mined.template);
      expect(md.code.some((c) => c.content.includes('<script>alert('))).toBe(true);
      expect(md.html).not.toMatch(/<script>|&amp;lt;/);
    });

    it('reads with FilterLogEvents, bounded by --max-lines, when Logs Insights is denied (moto cannot deny)', async () => {
      const now = Date.now();
      const fn = 'billing-fn';
      proxy.clearRules();
      proxy.addRule({ service: 'logs', operation: 'StartQuery', fault: { kind: 'access-denied' } });
      await seeder.putLogEvents(`/aws/lambda/${fn}`, 's1', [
        ...background(now),
        ...burst(now - 20 * MIN, now, 10_000, (t, id) => `${new Date(t).toISOString()}\t${id}\tERROR\tAccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/billing-role/${fn} is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/invoices because no identity-based policy allows the dynamodb:PutItem action`),
      ]);
      await lambdaMetrics(fn, now, { errors: (t) => (t >= now - 20 * MIN ? 6 : 0) });
      const project = makeProject({
        'shared/environments.json': environmentsFor(proxy.endpoint),
        'registry/deployments.json': registryWith([{ project: 'billing', resources: [{ type: 'lambda', name: fn }] }]),
      });
      const r = await runCli(['investigate', 'billing errors', '--env', 'test', '--max-lines', '150', '--output', 'json'], { cwd: project });
      expect(r.code, r.stderr).toBe(1);
      const j = r.json<Report>();
      expect(j.logs.source).toBe('filter');
      expect(j.logs.lines).toBe(150);
      expect(j.logs.truncated).toBe(true);
      expect(j.gaps).toContainEqual(expect.objectContaining({ what: `Logs Insights for ${fn}`, reason: expect.stringMatching(/access denied.*StartQuery.*FilterLogEvents/) }));
      expect(j.gaps).toContainEqual(expect.objectContaining({ blocking: true, reason: expect.stringMatching(/newest first/) }));
      // Newest first: the budget reaches the incident at the end of the window.
      expect(j.hypotheses[0]!.kind).toBe('permission_error');
      proxy.clearRules();
    });
  });

  it('names a permission error and the denied action', async () => {
    const now = Date.now();
    const fn = 'invoice-fn';
    await seeder.putLogEvents(`/aws/lambda/${fn}`, 's1', [
      ...background(now),
      ...burst(now - 20 * MIN, now, 15_000, (t, id) => `${new Date(t).toISOString()}\t${id}\tERROR\tAccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/invoice-role/${fn} is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/invoices`),
    ]);
    await lambdaMetrics(fn, now, { errors: (t) => (t >= now - 20 * MIN ? 4 : 0) });
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ project: 'invoices', resources: [{ type: 'lambda', name: fn }] }]),
    });
    const r = await runCli(['investigate', 'AccessDenied in invoice-fn', '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code, r.stderr).toBe(1);
    const j = r.json<Report>();
    expect(j.scope.symptom).toBe('permissions');
    const top = j.hypotheses[0]!;
    expect(top.kind).toBe('permission_error');
    expect(top.title).toBe(`${fn} is denied permission for dynamodb:PutItem`);
    expect(top.evidence[0]!.summary).toMatch(/permission-denied lines.*not authorized to perform: dynamodb:PutItem/);
    expect(top.refutedBy).toMatch(/IAM policy simulator/);
  });

  it('investigates a timeout storm from an issue record and updates it with the findings and the report', async () => {
    const now = Date.now();
    const fn = 'report-gen';
    await seeder.putLogEvents(`/aws/lambda/${fn}`, 's1', [
      ...background(now),
      ...burst(now - 25 * MIN, now, 10_000, (t, id) => `${new Date(t).toISOString()} ${id} Task timed out after 3.00 seconds`),
      ...burst(now - 25 * MIN + 5, now, 10_000, (_t, id) => `REPORT RequestId: ${id}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 90 MB\tStatus: timeout`),
    ]);
    await lambdaMetrics(fn, now, { errors: (t) => (t >= now - 25 * MIN ? 6 : 0), durationAvg: (t) => (t >= now - 25 * MIN ? 2900 : 700) });
    const started = new Date(now - 25 * MIN).toISOString();
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ project: 'reports', resources: [{ type: 'lambda', name: fn }] }]),
      'helm/issues/infra-007.json': { id: 'infra-007', domain: 'infra', title: 'Timeouts in report-gen', severity: 'high', status: 'open', environment: 'test', resources: [fn], started_at: started, created_at: started, updated_at: started },
    });
    const r = await runCli(['investigate', '--issue', 'infra-007', '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code, r.stderr).toBe(1);
    const j = r.json<Report>();
    expect(j.scope.window.source).toBe('issue start − 30m');
    expect(Date.parse(j.scope.window.from)).toBe(Date.parse(started) - 30 * MIN);
    const top = j.hypotheses[0]!;
    expect(top.kind).toBe('timeout_limit');
    expect(top.evidence.map((e) => e.summary).join('\n')).toMatch(/timeout lines: .*Task timed out after <\*> seconds|timeout lines: .*Task timed out/);
    expect(top.proposedAction).toMatchObject({ action: 'increase_capacity', target: fn, params: { timeout_s: 6 } });
    expect(j.issue).toEqual({ id: 'infra-007', action: 'updated' });

    const issue = readJson<{ status: string; history: { from?: string; to: string }[]; evidence: { kind: string }[]; diagnosis: { summary: string; proposed_actions: { action: string; params: Record<string, unknown> }[] }; reports: string[] }>(join(project, '.fractary/helm/issues/infra-007.json'));
    expect(issue.status).toBe('investigating');
    expect(issue.history.at(-1)).toMatchObject({ from: 'open', to: 'investigating' });
    expect(issue.diagnosis.proposed_actions[0]).toMatchObject({ action: 'increase_capacity', params: { timeout_s: 6 } });
    expect(await handOff(project, 'test', 'infra-007')).toBeGreaterThan(0);
    expect(issue.evidence.length).toBeGreaterThan(0);
    expect(issue.reports).toEqual([j.report!.markdown, j.report!.json]);
    expect(existsSync(join(project, '.fractary', j.report!.markdown))).toBe(true);
    expect(existsSync(join(project, '.fractary/helm/issues/infra-008.json'))).toBe(false);
  });
});

describe('investigate: nothing found, bad input, no access', () => {
  it('says nothing was found, with what it read, exits 0 and opens no issue', async () => {
    const now = Date.now();
    const fn = 'quiet-fn';
    await seeder.putLogEvents(`/aws/lambda/${fn}`, 's1', background(now));
    await lambdaMetrics(fn, now, {});
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ project: 'quiet', resources: [{ type: 'lambda', name: fn }] }]),
    });
    const r = await runCli(['investigate', 'quiet-fn errors', '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = r.json<Report>();
    expect(j.verdict).toBe('NO_FINDINGS');
    expect(j.hypotheses).toEqual([]);
    expect(j.logs.lines).toBeGreaterThan(100);
    expect(j.summary).toMatch(/nothing abnormal found: \d+ log lines read/);
    expect(j.issue).toBeNull();
    expect(existsSync(join(project, '.fractary/helm/issues'))).toBe(false);
    expect(existsSync(join(project, '.fractary', j.report!.json))).toBe(true);
  });

  it('reports UNKNOWN, not "nothing found", when a target has neither logs nor metrics', async () => {
    await seeder.createFunction('ghost-fn');
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ project: 'ghost', resources: [{ type: 'lambda', name: 'ghost-fn' }] }]),
    });
    const r = await runCli(['investigate', 'ghost-fn', '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code).toBe(1);
    const j = r.json<Report>();
    expect(j.verdict).toBe('UNKNOWN');
    expect(j.gaps).toContainEqual(expect.objectContaining({ what: 'metrics of ghost-fn', blocking: true }));
    expect(j.gaps).toContainEqual(expect.objectContaining({ what: 'logs of ghost-fn', reason: expect.stringMatching(/not found/) }));
  });

  it.each([
    ['unknown words', 'frobnicator meltdown', /matches no live resource[\s\S]*orders-api-handler/],
    ['a typo', 'ordrs errors', /did you mean "orders"/],
    ['control characters and quotes', 'x"\u001b[31m|`rm`\u0007', /matches no live resource/],
  ])('exits 2 for %s and lists what can be named', async (_, text, re) => {
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ project: 'orders', resources: [{ type: 'lambda', name: 'orders-api-handler' }, { type: 'rds', name: 'orders-db' }] }]),
    });
    const r = await runCli(['investigate', text, '--env', 'test', '--output', 'json'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ command: 'investigate', exitCode: 2, verdict: 'UNKNOWN' });
    expect(r.stderr).toMatch(re);
    expect(r.stderr).toMatch(/a type \(lambda, rds\)/);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 for an unknown issue id', async () => {
    const project = makeProject({ 'shared/environments.json': environmentsFor(moto()) });
    const r = await runCli(['investigate', '--issue', 'infra-404', '--env', 'test'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no issue record infra-404/);
  });

  it('exits 4 when AWS cannot be reached', async () => {
    const project = makeProject({
      'shared/environments.json': environmentsFor('http://127.0.0.1:9'),
      'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name: 'orders-api-handler' }] }]),
    });
    const r = await runCli(['investigate', 'orders-api-handler', '--env', 'test', '--output', 'json'], { cwd: project, env: { AWS_ENDPOINT_URL: undefined } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot reach AWS/);
  });
});

void writeFileSync;
void mkdirSync;
