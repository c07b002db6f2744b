/**
 * `helm-cloud audit` end to end against moto. moto answers Cost Explorer GetCostAndUsage (seeded through its
 * static-results endpoint), Security Hub DescribeHub / BatchImportFindings / GetFindings, Config recorders and
 * rules, Lambda, RDS and CloudWatch. Operations moto lacks are answered by the fault proxy from
 * test/fixtures/wire/*.not-in-moto.json: GetAnomalies, GetCostForecast, GetEnabledStandards,
 * DescribeComplianceByConfigRule, GetComplianceDetailsByConfigRule, DescribeConformancePacks,
 * GetConformancePackComplianceSummary. AccessDenied is injected by the proxy (moto does not enforce IAM).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { comparisonPeriods } from '../../src/core/cost.js';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, series, startFaultProxy, type FaultProxy, type Rule } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';

const ACCOUNT = '123456789012';
const DAY = 86_400_000;
const WIRE = join(import.meta.dirname, '..', 'fixtures', 'wire');
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** A proxy rule answering one operation from a named wire fixture. */
function fromFixture(service: string, operation: string, file: string): Rule {
  const f = JSON.parse(readFileSync(join(WIRE, file), 'utf8')) as { status: number; headers: Record<string, string>; body: unknown };
  return { service, operation, respond: () => ({ status: f.status, headers: f.headers, body: JSON.stringify(f.body) }) };
}

/** The operations moto lacks, answered for an account where everything is quiet. */
const quietAccount = (): Rule[] => [
  fromFixture('ce', 'GetAnomalies', 'ce.GetAnomalies.none.not-in-moto.json'),
  fromFixture('ce', 'GetCostForecast', 'ce.GetCostForecast.data-unavailable.not-in-moto.json'),
  fromFixture('securityhub', 'POST /standards/get', 'securityhub.GetEnabledStandards.fsbp-ready.not-in-moto.json'),
  fromFixture('config', 'DescribeConformancePacks', 'config.DescribeConformancePacks.none.not-in-moto.json'),
];

/** GetCostAndUsage DAILY results over both periods: `daily[key] = [previous per day, current per day]`. */
function costResult(daily: Record<string, [number, number]>, tagKey?: string) {
  const p = comparisonPeriods(Date.now(), 30);
  const start = Date.parse(p.previous.start);
  const ResultsByTime = Array.from({ length: 60 }, (_, i) => {
    const day = new Date(start + i * DAY).toISOString().slice(0, 10);
    const next = new Date(start + (i + 1) * DAY).toISOString().slice(0, 10);
    return {
      TimePeriod: { Start: day, End: next },
      Total: {},
      Groups: Object.entries(daily).map(([k, [prev, cur]]) => ({
        Keys: [tagKey ? `${tagKey}$${k}` : k],
        Metrics: { UnblendedCost: { Amount: String(i < 30 ? prev : cur), Unit: 'USD' } },
      })),
      Estimated: i >= 58,
    };
  });
  return { ResultsByTime, DimensionValueAttributes: [], GroupDefinitions: [{ Type: tagKey ? 'TAG' : 'DIMENSION', Key: tagKey ?? 'SERVICE' }] };
}

/** moto hands queued results to requests in arrival order: by service first, then by project tag. */
async function seedCost(results: object[]) {
  const r = await fetch(`${moto()}/moto-api/static/ce/cost-and-usage-results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results }) });
  expect(r.status).toBe(201);
}

async function securityHubClient() {
  const sh = await import('@aws-sdk/client-securityhub');
  return { sh, client: new sh.SecurityHubClient({ region: 'us-east-1', endpoint: moto(), credentials: creds }) };
}

async function configClient() {
  const cs = await import('@aws-sdk/client-config-service');
  return { cs, client: new cs.ConfigServiceClient({ region: 'us-east-1', endpoint: moto(), credentials: creds }) };
}

/** A recorder with a delivery channel; started unless told otherwise. */
async function seedRecorder(start: boolean) {
  const { cs, client } = await configClient();
  await new Seeder({ endpoint: moto() }).createBucket('config-delivery');
  await client.send(new cs.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } } }));
  await client.send(new cs.PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-delivery' } }));
  if (start) await client.send(new cs.StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

function finding(id: string, o: { resource: string; type?: string; label: string; control?: string; status?: string; title?: string; account?: string; record?: string; workflow?: string }) {
  const now = new Date().toISOString();
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    GeneratorId: o.control ? `security-control/${o.control}` : 'arn:aws:guardduty:us-east-1:123456789012:detector/x',
    AwsAccountId: o.account ?? ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: now,
    UpdatedAt: now,
    Severity: { Label: o.label },
    Title: o.title ?? `${o.control ?? 'finding'} on ${o.resource}`,
    Description: 'seeded by the audit test',
    Resources: [{ Type: o.type ?? 'AwsLambdaFunction', Id: o.resource, Region: 'us-east-1' }],
    ...(o.control ? { Compliance: { Status: o.status ?? 'FAILED', SecurityControlId: o.control } } : {}),
    RecordState: o.record ?? 'ACTIVE',
    Workflow: { Status: o.workflow ?? 'NEW' },
    Remediation: { Recommendation: { Text: `fix ${o.control ?? id}`, Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/' } },
  };
}

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

interface AuditJson {
  verdict: string;
  exitCode: number;
  failOn: string;
  summary: string;
  sections: Record<string, Record<string, any>>;
  findings: { id: string; section: string; severity: string; resource: string; registryResource?: string; title: string; remediation: string; gating: boolean }[];
  report: { json: string; markdown: string };
}

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(moto());
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(async () => {
  // Tests in this file share one moto server: start each from an empty account.
  await fetch(`${moto()}/moto-api/reset`, { method: 'POST' });
  proxy.clearRules();
  proxy.resetCalls();
});

const project = (resources: { type: string; name: string; arn?: string }[] = [], extra: Record<string, object> = {}) =>
  makeProject({
    'shared/environments.json': environmentsFor(proxy.endpoint),
    'registry/deployments.json': registryWith([{ project: 'orders', at: new Date(Date.now() - 40 * DAY).toISOString(), resources }]),
    ...extra,
  });

const audit = (cwd: string, ...args: string[]) => runCli(['audit', '--env', 'test', '--output', 'json', ...args], { cwd });

describe('audit --type cost', () => {
  it('compares this period with the last by service and project, keeps this account’s anomalies, forecasts, and fails the gate on a doubling', async () => {
    await seedCost([
      costResult({ 'AWS Lambda': [10, 25], 'Amazon Simple Storage Service': [2, 2] }),
      costResult({ orders: [8, 20], '': [4, 7] }, 'project'),
    ]);
    for (const r of [fromFixture('ce', 'GetAnomalies', 'ce.GetAnomalies.lambda-spike.not-in-moto.json'), fromFixture('ce', 'GetCostForecast', 'ce.GetCostForecast.thirty-days.not-in-moto.json')]) proxy.addRule(r);
    const cwd = project([{ type: 'lambda', name: 'orders-api' }]);
    const r = await audit(cwd, '--type', 'cost');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(1);
    const cost = j.sections.cost!;
    expect(cost.verdict).toBe('FAIL');
    expect(cost.total).toEqual({ current: 810, previous: 360, changePercent: 125 });
    expect(cost.byService[0]).toMatchObject({ key: 'AWS Lambda', current: 750, previous: 300, changePercent: 150 });
    expect(cost.byProject).toEqual([
      expect.objectContaining({ key: 'orders', registered: true, current: 600, previous: 240 }),
      expect.objectContaining({ key: '(untagged)', registered: false, current: 210, previous: 120 }),
    ]);
    // The anomaly in another linked account is not this environment's.
    expect(cost.anomalies.map((a: { id: string; severity: string }) => [a.id, a.severity])).toEqual([['0f1e2d3c-lambda-spike', 'high']]);
    expect(cost.forecast).toMatchObject({ available: true, amount: 1234.5678, lower: 1110, upper: 1365 });
    expect(cost.notes.join(' ')).toMatch(/estimated/);
    expect(j.findings.filter((f) => f.section === 'cost').map((f) => [f.id, f.severity])).toEqual([
      ['cost:anomaly:0f1e2d3c-lambda-spike', 'high'],
      ['cost:period-growth', 'high'],
    ]);
    // Cost Explorer was asked for this account only, once per grouping.
    expect(proxy.count('ce', 'GetCostAndUsage')).toBe(2);
  });

  it('finds idle and oversized resources from their own metrics, each with a monthly saving and how it was estimated', async () => {
    await seedCost([costResult({ 'AWS Lambda': [5, 5] }), costResult({ orders: [5, 5] }, 'project')]);
    for (const r of quietAccount()) proxy.addRule(r);
    const seeder = new Seeder({ endpoint: moto() });
    await seeder.createFunction('orders-api', { memory: 1024 });
    await seeder.createFunction('orders-legacy-report', { memory: 256 });
    await seeder.createDbInstance('orders-db', { instanceClass: 'db.m5.xlarge', storageGb: 500 });
    await seeder.createDbInstance('orders-archive-db', { instanceClass: 'db.t3.medium', storageGb: 20 });
    const end = Date.now() - 3600_000;
    const start = end - 13 * DAY;
    const daily = (v: number) => series(start, end, DAY, () => v);
    // Hourly for 20 days, so the 14-day window is full whatever the bucket alignment: 1200 invocations a day.
    const hourly = (v: number) => series(end - 20 * DAY, end, 3600_000, () => v);
    await seeder.putMetrics('AWS/Lambda', [
      { metricName: 'Invocations', dimensions: { FunctionName: 'orders-api' }, points: hourly(50) },
      { metricName: 'Duration', dimensions: { FunctionName: 'orders-api' }, points: hourly(2000) },
    ]);
    await seeder.putMetric('LambdaInsights', 'used_memory_max', { function_name: 'orders-api' }, daily(150));
    await seeder.putMetrics('AWS/RDS', [
      { metricName: 'DatabaseConnections', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: daily(12) },
      { metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: daily(4) },
      { metricName: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: 'orders-db' }, points: daily(480 * 1024 ** 3) },
      { metricName: 'DatabaseConnections', dimensions: { DBInstanceIdentifier: 'orders-archive-db' }, points: daily(0) },
      { metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: 'orders-archive-db' }, points: daily(2) },
      { metricName: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: 'orders-archive-db' }, points: daily(15 * 1024 ** 3) },
    ]);
    const cwd = project([
      { type: 'lambda', name: 'orders-api' },
      { type: 'lambda', name: 'orders-legacy-report' },
      { type: 'rds', name: 'orders-db' },
      { type: 'rds', name: 'orders-archive-db' },
    ]);
    const r = await audit(cwd, '--type', 'cost');
    const j = r.json<AuditJson>();
    // Savings are low/medium findings: below the default fail-on (high), so the gate passes with a warning.
    expect(r.code, r.stderr).toBe(0);
    expect(j.sections.cost!.verdict).toBe('WARN');
    const opt = Object.fromEntries(j.sections.cost!.optimisations.map((o: any) => [`${o.check}:${o.resource}`, o]));
    // 1024 → 256 MB: 0.75 GB × 2 s × 1200/day × 30.42 days × $0.0000166667/GB-s.
    expect(opt['lambda_memory_right_sized:orders-api']).toMatchObject({ monthlySaving: 0.91, how: expect.stringContaining('(1024 − 256) MB') });
    expect(opt['lambda_function_invoked_recently:orders-legacy-report']).toMatchObject({ monthlySaving: 0, finding: 'no invocations in 14 days' });
    // db.m5.xlarge → db.m5.large at $0.356 − $0.178 an hour.
    expect(opt['rds_instance_right_sized:orders-db']).toMatchObject({ monthlySaving: 129.94, how: expect.stringContaining('db.m5.large') });
    // 20 GB used of 500 → 30 GB kept: 470 GB × $0.115.
    expect(opt['rds_storage_utilized:orders-db']).toMatchObject({ monthlySaving: 54.05 });
    // No connections in 14 days: the whole instance (t3.medium $0.072/h × 730 h) plus 20 GB.
    expect(opt['rds_instance_in_use:orders-archive-db']).toMatchObject({ monthlySaving: 54.86 });
    expect(j.sections.cost!.estimatedMonthlySaving).toBe(239.76);
    // Memory use is unmeasured without Lambda Insights: listed, never passed.
    expect(j.sections.cost!.unmeasured).toContainEqual(expect.objectContaining({ check: 'lambda_memory_right_sized', resource: 'orders-legacy-report' }));
    expect(j.sections.cost!.forecast).toEqual({ available: false, reason: expect.stringMatching(/not enough cost history/) });
    // Every metric of every resource in one GetMetricData call.
    expect(proxy.count('cloudwatch', 'GetMetricData')).toBe(1);
  });

  it('reports an empty account as $0 against $0 with no findings, and passes', async () => {
    for (const r of quietAccount()) proxy.addRule(r);
    const r = await audit(project(), '--type', 'cost');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(0);
    expect(j.verdict).toBe('PASS');
    expect(j.sections.cost).toMatchObject({ verdict: 'PASS', total: { current: 0, previous: 0, changePercent: 0 }, anomalies: [], optimisations: [] });
  });

  it('is UNKNOWN with the reason and exits 4 when Cost Explorer is not permitted', async () => {
    proxy.addRule({ service: 'ce', operation: 'GetCostAndUsage', fault: { kind: 'access-denied' } });
    const r = await audit(project(), '--type', 'cost');
    const j = r.json<AuditJson>();
    expect(r.code).toBe(4);
    expect(j.sections.cost).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/access denied on ce:GetCostAndUsage/) });
    expect(j.sections.cost!.total).toBeUndefined();
  });
});

describe('audit --type security', () => {
  it('is UNKNOWN, not "0 findings", when Security Hub is not enabled (moto’s own InvalidAccessException)', async () => {
    for (const r of quietAccount()) proxy.addRule(r);
    const r = await audit(project(), '--type', 'security');
    const j = r.json<AuditJson>();
    expect(r.code).toBe(1);
    expect(j.verdict).toBe('UNKNOWN');
    expect(j.sections.security).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/Security Hub is not enabled in account 123456789012, us-east-1 \(InvalidAccessException\)/) });
    expect(j.sections.security!.findings).toEqual([]);
  });

  it('scores controls as Security Hub does, lists failing controls, and puts registry resources first', async () => {
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const bucketArn = (b: string) => `arn:aws:s3:::${b}`;
    const seeded = [
      finding('f-lambda-1', { resource: fnArn('orders-api'), label: 'CRITICAL', control: 'Lambda.1', title: 'Lambda function policies should prohibit public access' }),
      finding('f-s3-8', { resource: bucketArn('shared-logs'), type: 'AwsS3Bucket', label: 'HIGH', control: 'S3.8', title: 'S3 Block Public Access should be enabled' }),
      finding('f-iam-6', { resource: 'AWS::::Account:123456789012', type: 'AwsAccount', label: 'LOW', control: 'IAM.6', status: 'WARNING' }),
      finding('f-suppressed', { resource: fnArn('orders-api'), label: 'HIGH', control: 'Lambda.2', workflow: 'SUPPRESSED' }),
      finding('f-archived', { resource: fnArn('orders-api'), label: 'HIGH', control: 'Lambda.3', record: 'ARCHIVED' }),
      finding('f-other-account', { resource: 'arn:aws:lambda:us-east-1:999999999999:function:x', label: 'CRITICAL', control: 'Lambda.5', account: '999999999999' }),
      finding('f-guardduty', { resource: fnArn('orders-api'), label: 'MEDIUM', title: 'Unusual API calls from the function role' }),
      // 105 passing results of one control: GetFindings needs two pages of 100.
      ...Array.from({ length: 105 }, (_, i) => finding(`f-s3-1-${i}`, { resource: bucketArn(`bucket-${i}`), type: 'AwsS3Bucket', label: 'INFORMATIONAL', control: 'S3.1', status: 'PASSED' })),
    ];
    for (let i = 0; i < seeded.length; i += 100) await client.send(new sh.BatchImportFindingsCommand({ Findings: seeded.slice(i, i + 100) as never }));
    for (const r of quietAccount()) proxy.addRule(r);
    const cwd = project([{ type: 'lambda', name: 'orders-api' }]);
    const r = await audit(cwd, '--type', 'security');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(1);
    const s = j.sections.security!;
    expect(s.verdict).toBe('FAIL');
    // Lambda.1 and S3.8 failed, S3.1 passed; IAM.6 (WARNING only) has no data; suppressed, archived and other-account findings are out.
    expect(s.score).toMatchObject({ percent: 33, passed: 1, enabled: 3, failed: 2, noData: 1 });
    expect(s.failingControls.map((c: any) => [c.controlId, c.severity, c.registryResources])).toEqual([
      ['Lambda.1', 'critical', ['orders/orders-api']],
      ['S3.8', 'high', []],
    ]);
    expect(s.bySeverity).toEqual({ critical: 1, high: 1, medium: 1, low: 1, info: 0 });
    expect(s.byResource[0]).toMatchObject({ resource: fnArn('orders-api'), registryResource: 'orders/orders-api', total: 2 });
    expect(s.findings.map((f: any) => f.id)).toEqual(['f-lambda-1', 'f-guardduty', 'f-s3-8', 'f-iam-6']);
    expect(s.excluded).toEqual({ otherAccount: 1, notActive: 1, passed: 106 });
    expect(s.pages).toBe(2);
    expect(j.findings[0]).toMatchObject({ severity: 'critical', registryResource: 'orders/orders-api', gating: true, remediation: expect.stringContaining('fix Lambda.1') });
  });

  it('passes the gate with --fail-on critical when the worst finding is high', async () => {
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(new sh.BatchImportFindingsCommand({ Findings: [finding('f-s3-8', { resource: 'arn:aws:s3:::shared-logs', type: 'AwsS3Bucket', label: 'HIGH', control: 'S3.8' }), finding('f-s3-1', { resource: 'arn:aws:s3:::b', type: 'AwsS3Bucket', label: 'LOW', control: 'S3.1', status: 'PASSED' })] as never }));
    for (const r of quietAccount()) proxy.addRule(r);
    const r = await audit(project(), '--type', 'security', '--fail-on', 'critical');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(0);
    expect(j).toMatchObject({ verdict: 'WARN', failOn: 'critical' });
    expect(j.sections.security!.score).toMatchObject({ percent: 50 });
  });

  it('--junit: a case per section and finding; a finding fails only when it reaches --fail-on; the step summary gets the report', async () => {
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(new sh.BatchImportFindingsCommand({ Findings: [finding('f-crit', { resource: fnArn('orders-api'), label: 'CRITICAL', control: 'Lambda.1' }), finding('f-high', { resource: 'arn:aws:s3:::shared-logs', type: 'AwsS3Bucket', label: 'HIGH', control: 'S3.8' })] as never }));
    for (const r of quietAccount()) proxy.addRule(r);
    const cwd = project([{ type: 'lambda', name: 'orders-api' }]);
    const summary = join(cwd, 'step-summary.md');
    const caseOf = (xml: string, name: string) => new RegExp(`<testcase classname="audit\\.test\\.security" name="security:${name}" time="(\\d+\\.\\d{3})"(/>|>\\s*<(\\w+[-\\w]*)[ >])`).exec(xml);
    const a = await runCli(['audit', '--type', 'security', '--env', 'test', '--output', 'json', '--fail-on', 'critical', '--junit', 'reports/audit.xml'], { cwd, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(a.code, a.stderr).toBe(1);
    const xa = readFileSync(join(cwd, 'reports', 'audit.xml'), 'utf8');
    expect(xa).toMatch(/<testsuite name="helm-cloud audit test" tests="3" failures="2" errors="0" skipped="0" time="\d+\.\d{3}" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d">/);
    expect(xa).toMatch(/name="section" time="\d+\.\d{3}">\s*<failure message="FAIL: 2 findings"/);
    expect(caseOf(xa, 'f-crit')?.[3]).toBe('failure');
    expect(caseOf(xa, 'f-high')?.[3]).toBe('system-out'); // high is below --fail-on critical: shown, not failed
    expect(Number(caseOf(xa, 'f-crit')![1])).toBeGreaterThan(0);
    const b = await runCli(['audit', '--type', 'security', '--env', 'test', '--output', 'json', '--fail-on', 'high', '--junit', 'reports/audit.xml'], { cwd });
    expect(b.code).toBe(1);
    const xb = readFileSync(join(cwd, 'reports', 'audit.xml'), 'utf8');
    expect(caseOf(xb, 'f-high')?.[3]).toBe('failure');
    expect(readFileSync(summary, 'utf8')).toMatch(/^# helm-cloud audit: test — FAIL/);
  });

  it('lists and gates on the findings, with no score, when the hub is on but no standard is enabled', async () => {
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(new sh.BatchImportFindingsCommand({ Findings: [finding('f-gd', { resource: fnArn('orders-api'), label: 'HIGH', title: 'Credential exfiltration' })] as never }));
    proxy.addRule(fromFixture('securityhub', 'POST /standards/get', 'securityhub.GetEnabledStandards.none.not-in-moto.json'));
    const r = await audit(project([{ type: 'lambda', name: 'orders-api' }]), '--type', 'security');
    const j = r.json<AuditJson>();
    expect(r.code).toBe(1);
    // The high finding reaches fail-on: it gates; only the score is missing, with its reason.
    expect(j.sections.security).toMatchObject({ verdict: 'FAIL', reason: expect.stringMatching(/no security standard is enabled/), score: { percent: null, enabled: 0 } });
    expect(j.findings).toEqual([expect.objectContaining({ id: 'security:f-gd', severity: 'high', registryResource: 'orders/orders-api' })]);
  });

  it('is UNKNOWN with the reason and exits 4 when GetFindings is denied', async () => {
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    for (const r of quietAccount()) proxy.addRule(r);
    proxy.addRule({ service: 'securityhub', operation: 'POST /findings', fault: { kind: 'access-denied' } });
    const r = await audit(project(), '--type', 'security');
    const j = r.json<AuditJson>();
    expect(r.code).toBe(4);
    expect(j.sections.security).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/GetFindings.*access denied/) });
  });
});

describe('a failed call never hides what the other calls returned', () => {
  it('security: GetEnabledStandards unavailable (moto lacks it) still lists the findings, gates on them and scores the controls', async () => {
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(new sh.BatchImportFindingsCommand({ Findings: [finding('f-s3-8', { resource: 'arn:aws:s3:::shared-logs', type: 'AwsS3Bucket', label: 'HIGH', control: 'S3.8' }), finding('f-s3-1', { resource: 'arn:aws:s3:::b', type: 'AwsS3Bucket', label: 'LOW', control: 'S3.1', status: 'PASSED' })] as never }));
    // No standards fixture: moto answers GetEnabledStandards with HTTP 500, as an unavailable endpoint would.
    const r = await audit(project(), '--type', 'security');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(1);
    const s = j.sections.security!;
    expect(s.verdict).toBe('FAIL');
    expect(s.findings.map((f: any) => f.id)).toEqual(['f-s3-8']);
    expect(j.findings).toEqual([expect.objectContaining({ id: 'security:f-s3-8', severity: 'high', gating: true })]);
    expect(s.score).toMatchObject({ percent: 50, passed: 1, failed: 1 });
    expect(s.notes.join(' ')).toMatch(/enabled standards unavailable \(Security Hub standards \(GetEnabledStandards\)/);
    expect(j.summary).toMatch(/security FAIL \(1\)/);
  });

  it('cost: GetAnomalies failing keeps the service and project split, the growth finding and the optimisations', async () => {
    await seedCost([costResult({ 'AWS Lambda': [10, 25] }), costResult({ orders: [10, 25] }, 'project')]);
    proxy.addRule({ service: 'ce', operation: 'GetAnomalies', fault: { kind: 'server-error', status: 503 } });
    proxy.addRule(fromFixture('ce', 'GetCostForecast', 'ce.GetCostForecast.thirty-days.not-in-moto.json'));
    const r = await audit(project([{ type: 'lambda', name: 'orders-api' }]), '--type', 'cost');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(1);
    const cost = j.sections.cost!;
    expect(cost.verdict).toBe('FAIL');
    expect(cost.reason).toMatch(/GetAnomalies/);
    expect(cost.total).toEqual({ current: 750, previous: 300, changePercent: 150 });
    expect(cost.byProject[0]).toMatchObject({ key: 'orders', current: 750 });
    expect(cost.forecast).toMatchObject({ available: true });
    expect(j.findings.map((f) => f.id)).toContain('cost:period-growth');
    // The optimisation checks ran on the function's metrics (it has none: unmeasured, said so).
    expect(cost.unmeasured.length + cost.optimisations.length).toBeGreaterThan(0);
  });

  it('compliance: conformance packs unavailable keep the non-compliant resources listed and gating', async () => {
    await seedRecorder(true);
    const { cs, client } = await configClient();
    await client.send(new cs.PutConfigRuleCommand({ ConfigRule: { ConfigRuleName: 's3-bucket-server-side-encryption-enabled', Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED' }, Scope: { ComplianceResourceTypes: ['AWS::S3::Bucket'] } } }));
    proxy.addRule(fromFixture('config', 'DescribeComplianceByConfigRule', 'config.DescribeComplianceByConfigRule.s3-encryption-failing.not-in-moto.json'));
    proxy.addRule(fromFixture('config', 'GetComplianceDetailsByConfigRule', 'config.GetComplianceDetailsByConfigRule.s3-encryption-two-buckets.not-in-moto.json'));
    proxy.addRule({ service: 'config', operation: 'DescribeConformancePacks', fault: { kind: 'server-error', status: 500 } });
    const r = await audit(project([{ type: 's3', name: 'orders-uploads' }]), '--type', 'compliance', '--fail-on', 'medium');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(1);
    const c = j.sections.compliance!;
    expect(c.verdict).toBe('FAIL');
    expect(c.reason).toMatch(/DescribeConformancePacks/);
    expect(c.nonCompliant.map((n: any) => n.resourceId)).toEqual(['orders-uploads', 'shared-logs']);
    expect(j.findings.filter((f) => f.gating).map((f) => f.resource)).toEqual(expect.arrayContaining(['orders-uploads', 'shared-logs']));
  });
});

describe('audit --type compliance', () => {
  it('is UNKNOWN when the account has no configuration recorder (empty account)', async () => {
    for (const r of quietAccount()) proxy.addRule(r);
    const r = await audit(project(), '--type', 'compliance');
    expect(r.code).toBe(1);
    expect(r.json<AuditJson>().sections.compliance).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/no configuration recorder/) });
  });

  it('is UNKNOWN with the reason when Config is not recording', async () => {
    await seedRecorder(false);
    for (const r of quietAccount()) proxy.addRule(r);
    const r = await audit(project(), '--type', 'compliance');
    expect(r.code).toBe(1);
    expect(r.json<AuditJson>().sections.compliance).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/not recording.*recorder "default" is stopped/) });
  });

  it('maps each non-compliant resource to its registry resource with how to fix it, and summarises conformance packs', async () => {
    await seedRecorder(true);
    const { cs, client } = await configClient();
    const rules = [
      ['s3-bucket-server-side-encryption-enabled', 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'AWS::S3::Bucket'],
      ['lambda-function-public-access-prohibited', 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED', 'AWS::Lambda::Function'],
      ['rds-storage-encrypted', 'RDS_STORAGE_ENCRYPTED', 'AWS::RDS::DBInstance'],
    ] as const;
    for (const [name, id, type] of rules) {
      await client.send(new cs.PutConfigRuleCommand({ ConfigRule: { ConfigRuleName: name, Source: { Owner: 'AWS', SourceIdentifier: id }, Scope: { ComplianceResourceTypes: [type] } } }));
    }
    // The evaluation the fixture reports is one Config accepts (moto validates PutEvaluations only in TestMode).
    const accepted = await client.send(new cs.PutEvaluationsCommand({ ResultToken: 'test-token', TestMode: true, Evaluations: [{ ComplianceResourceType: 'AWS::S3::Bucket', ComplianceResourceId: 'orders-uploads', ComplianceType: 'NON_COMPLIANT', OrderingTimestamp: new Date() }] }));
    expect(accepted.FailedEvaluations).toEqual([]);
    proxy.addRule(fromFixture('config', 'DescribeComplianceByConfigRule', 'config.DescribeComplianceByConfigRule.s3-encryption-failing.not-in-moto.json'));
    proxy.addRule(fromFixture('config', 'GetComplianceDetailsByConfigRule', 'config.GetComplianceDetailsByConfigRule.s3-encryption-two-buckets.not-in-moto.json'));
    proxy.addRule(fromFixture('config', 'DescribeConformancePacks', 'config.DescribeConformancePacks.one-pack.not-in-moto.json'));
    proxy.addRule(fromFixture('config', 'GetConformancePackComplianceSummary', 'config.GetConformancePackComplianceSummary.one-pack-noncompliant.not-in-moto.json'));
    const cwd = project([{ type: 's3', name: 'orders-uploads' }]);
    const r = await audit(cwd, '--type', 'compliance', '--fail-on', 'medium');
    const j = r.json<AuditJson>();
    expect(r.code, r.stderr).toBe(1);
    const c = j.sections.compliance!;
    expect(c.verdict).toBe('FAIL');
    expect(c.rules.map((x: any) => [x.name, x.compliance])).toEqual([
      ['s3-bucket-server-side-encryption-enabled', 'NON_COMPLIANT'],
      // Not evaluated yet: missing data, never compliant.
      ['rds-storage-encrypted', 'INSUFFICIENT_DATA'],
      ['lambda-function-public-access-prohibited', 'COMPLIANT'],
    ]);
    expect(c.nonCompliant).toEqual([
      expect.objectContaining({ rule: 's3-bucket-server-side-encryption-enabled', resourceType: 'AWS::S3::Bucket', resourceId: 'orders-uploads', registryResource: 'orders/orders-uploads', severity: 'medium', guidance: expect.stringContaining('put-bucket-encryption') }),
      expect.objectContaining({ resourceId: 'shared-logs' }),
    ]);
    expect(c.nonCompliant[1].registryResource).toBeUndefined();
    expect(c.conformancePacks).toEqual([{ name: 'operational-best-practices-for-s3', compliance: 'NON_COMPLIANT' }]);
    expect(c.notes.join(' ')).toMatch(/1 rule has insufficient data/);
    // The default fail-on (high) lets medium findings through.
    const relaxed = await audit(cwd, '--type', 'compliance');
    expect(relaxed.code).toBe(0);
    expect(relaxed.json<AuditJson>().sections.compliance!.verdict).toBe('WARN');
  });
});

describe('audit --type all', () => {
  it('runs the three sections, saves Markdown and JSON reports, and prints Markdown with hostile text escaped', async () => {
    await seedCost([costResult({ 'AWS Lambda': [5, 5] }), costResult({ orders: [5, 5] }, 'project')]);
    const { sh, client } = await securityHubClient();
    await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(new sh.BatchImportFindingsCommand({ Findings: [finding('f-1', { resource: fnArn('orders-api'), label: 'MEDIUM', control: 'Lambda.2', title: 'pipe | and <script>x</script>' }), finding('f-2', { resource: fnArn('orders-api'), label: 'LOW', control: 'Lambda.1', status: 'PASSED' })] as never }));
    for (const r of quietAccount()) proxy.addRule(r);
    const cwd = project([{ type: 'lambda', name: 'orders-api' }]);
    const r = await runCli(['audit', '--type', 'all', '--env', 'test', '--output', 'markdown'], { cwd });
    // Compliance is UNKNOWN (no recorder): the gate does not pass.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^# helm-cloud audit: test — UNKNOWN/);
    const md = inertMarkdown(r.stdout);
    const findings = md.tables.find((t) => t.header.includes('FINDING'))!;
    expect(findings.rows.map((row) => row[findings.header.indexOf('FINDING')]).some((cell) => cell!.includes('pipe | and <script>x</script>'))).toBe(true);
    const table = await runCli(['audit', '--type', 'all', '--env', 'test', '--output', 'table'], { cwd });
    expect(table.stdout).toMatch(/compliance\s+UNKNOWN\s+AWS Config has no configuration recorder/);
    expect(table.stdout).toMatch(/security score: 50% \(1\/2 controls passed\)/);
    const json = await audit(cwd, '--type', 'all');
    const j = json.json<AuditJson>();
    expect(Object.keys(j.sections)).toEqual(['cost', 'security', 'compliance']);
    expect(j.sections.security!.verdict).toBe('WARN');
    const saved = join(cwd, '.fractary', j.report.json);
    expect(existsSync(saved)).toBe(true);
    expect(existsSync(join(cwd, '.fractary', j.report.markdown))).toBe(true);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(j);
  });

  it('exits 4 with a fix and no report when the AWS endpoint is unreachable; the gate still leaves JUnit, the step summary and a JSON error', async () => {
    const cwd = makeProject({ 'shared/environments.json': environmentsFor('http://127.0.0.1:9') });
    const summary = join(cwd, 'step-summary.md');
    const r = await runCli(['audit', '--type', 'all', '--env', 'test', '--output', 'json', '--junit', 'audit.xml'], { cwd, env: { AWS_ENDPOINT_URL: undefined, GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ schema: 'helm-cloud/audit@1', command: 'audit', environment: 'test', verdict: 'UNKNOWN', exitCode: 4, error: { kind: 'aws-access', message: expect.stringMatching(/cannot reach AWS/), fix: expect.any(String) } });
    const xml = readFileSync(join(cwd, 'audit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite [^>]*tests="1" failures="0" errors="1"/);
    expect(xml).toMatch(/<error message="aws-access \(exit 4\): cannot reach AWS at http:\/\/127\.0\.0\.1:9/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## audit: test — no verdict \(exit 4\)\n\ncannot reach AWS/);
    expect(r.stderr).toMatch(/cannot reach AWS at http:\/\/127\.0\.0\.1:9/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(join(cwd, '.fractary', 'plugins', 'helm-cloud', 'reports'))).toBe(false);
  });

  it('exits 2 naming the valid values for a bad --fail-on', async () => {
    const r = await runCli(['audit', '--env', 'test', '--fail-on', 'severe'], { cwd: project() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/critical, high, medium, low/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
