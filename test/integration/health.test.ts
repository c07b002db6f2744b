/**
 * `helm-cloud health` end to end against moto. moto cannot answer percentile statistics in GetMetricData (the
 * whole call fails with HTTP 500) nor put a Lambda function in the Failed state; for those, and only those,
 * the fault proxy answers: percentile queries from test/fixtures/wire/cloudwatch.GetMetricData.p95.not-in-moto.json
 * (standard queries of the same call still go to moto), and a rewritten ListFunctions answer.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLambdaProfile, type LambdaProfile } from '../../src/sandbox/fleet.js';
import { CLI, environmentsFor, makeProject, moto, registryWith, runCli, Seeder, series, startFaultProxy, percentiles, type FaultProxy } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';

const profile = (name: string, o: Partial<LambdaProfile> = {}): LambdaProfile => ({ name, project: 'orders', env: 'test', rate: 120, errorPct: 0, durationMs: 200, ...o });

interface HealthJson {
  verdict: string;
  exitCode: number;
  summary: string;
  counts: Record<string, number>;
  resources: { type: string; name: string; verdict: string; reasons: string[]; slos: { key: string; observed: number | null; verdict: string; reason?: string; budgetConsumedPercent: number | null; burnRates?: unknown[] }[]; alarms: { name: string; state: string }[]; state: Record<string, unknown>; notEvaluated: { key: string }[] }[];
  apiCalls: { byOperation: Record<string, number>; minimumMetricCalls: number; metricQueries: number };
  report: { json: string; markdown: string };
}

let seeder: Seeder;
let proxy: FaultProxy;
beforeAll(async () => {
  seeder = new Seeder({ endpoint: moto() });
  proxy = await startFaultProxy(moto());
});
afterAll(async () => {
  seeder.destroy();
  await proxy.stop();
});

/** A project whose test environment goes through the proxy, with the given live Lambda functions. */
function project(resources: { type: string; name: string; [k: string]: unknown }[], files: Record<string, string | object> = {}) {
  return makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': registryWith([{ resources }]), ...files });
}
const lambdas = (...names: string[]) => names.map((name) => ({ type: 'lambda', name }));
async function health(cwd: string, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  const r = await runCli(['health', '--env', 'test', '--output', 'json', ...extra], { cwd, env });
  return { ...r, body: r.json<HealthJson>() };
}
const res = (b: HealthJson, name: string) => b.resources.find((r) => r.name === name)!;
const slo = (b: HealthJson, name: string, key: string) => res(b, name).slos.find((s) => s.key === key)!;

describe('health verdicts', () => {
  it('reports HEALTHY and exits 0 when every SLO holds, saving the report and the Helm status', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'ok-a': 210, 'ok-b': 190 }));
    const now = Date.now();
    await seedLambdaProfile(seeder, profile('ok-a'), now);
    await seedLambdaProfile(seeder, profile('ok-b', { rate: 60 }), now);
    const cwd = project(lambdas('ok-a', 'ok-b'));
    const { code, body } = await health(cwd);
    expect(code, JSON.stringify(body.resources.map((r) => r.reasons))).toBe(0);
    expect(body).toMatchObject({ verdict: 'HEALTHY', exitCode: 0, counts: { HEALTHY: 2, DEGRADED: 0, UNHEALTHY: 0, UNKNOWN: 0 } });
    expect(slo(body, 'ok-a', 'p95_latency_ms')).toMatchObject({ observed: 210, verdict: 'HEALTHY' });
    expect(slo(body, 'ok-a', 'error_rate_percent')).toMatchObject({ observed: 0, verdict: 'HEALTHY', budgetConsumedPercent: 0 });
    expect(res(body, 'ok-a').state).toMatchObject({ state: 'Active', lastUpdateStatus: 'Successful' });
    const saved = JSON.parse(readFileSync(join(cwd, '.fractary', body.report.json), 'utf8'));
    expect(saved.verdict).toBe('HEALTHY');
    const status = JSON.parse(readFileSync(join(cwd, '.fractary', 'helm', 'status', 'infra.json'), 'utf8'));
    expect(status.environments.test).toMatchObject({ verdict: 'HEALTHY', production: false });
  });

  it('reports UNHEALTHY and exits 3 when a function error rate is over its SLO, naming the rate', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'err-worker': 400, 'err-fine': 150 }));
    await seedLambdaProfile(seeder, profile('err-worker', { rate: 60, errorPct: 7.5 }), Date.now());
    await seedLambdaProfile(seeder, profile('err-fine'), Date.now());
    const { code, body } = await health(project(lambdas('err-worker', 'err-fine')));
    expect(code).toBe(3);
    expect(body.verdict).toBe('UNHEALTHY');
    const s = slo(body, 'err-worker', 'error_rate_percent');
    expect(s.verdict).toBe('UNHEALTHY');
    expect(s.observed).toBeGreaterThan(6);
    expect(res(body, 'err-worker').reasons[0]).toMatch(/^error rate 7\.\d+% > 1\.00% \(SLO breached\)/);
    expect(res(body, 'err-fine').verdict).toBe('HEALTHY');
  });

  it('reports UNHEALTHY when p95 latency is over its SLO (percentiles answered from the not-in-moto fixture)', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'slow-fn': 2400 }));
    await seedLambdaProfile(seeder, profile('slow-fn'), Date.now());
    const { code, body } = await health(project(lambdas('slow-fn')));
    expect(code).toBe(3);
    expect(slo(body, 'slow-fn', 'p95_latency_ms')).toMatchObject({ observed: 2400, verdict: 'UNHEALTHY', budgetConsumedPercent: 240 });
    expect(slo(body, 'slow-fn', 'error_rate_percent').verdict).toBe('HEALTHY');
  });

  it('reports UNHEALTHY when an alarm on the function is in ALARM, quoting the alarm', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'alarmed-fn': 200 }));
    await seedLambdaProfile(seeder, profile('alarmed-fn', { alarm: 'ALARM' }), Date.now());
    const { code, body } = await health(project(lambdas('alarmed-fn')));
    expect(code).toBe(3);
    expect(res(body, 'alarmed-fn').alarms).toEqual([expect.objectContaining({ name: 'alarmed-fn-errors', state: 'ALARM' })]);
    expect(res(body, 'alarmed-fn').reasons[0]).toMatch(/^alarm alarmed-fn-errors is in ALARM: Threshold Crossed/);
  });

  it('reports UNHEALTHY when the function State is Failed (moto cannot fail a function: the proxy rewrites ListFunctions)', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'broken-fn': 200 }));
    proxy.addRule({
      service: 'lambda',
      when: (c) => c.method === 'GET' && c.path.startsWith('/2015-03-31/functions'),
      respond: async (call) => {
        const r = (await (await fetch(moto() + call.path, { headers: { authorization: String(call.headers.authorization) } })).json()) as { Functions: Record<string, unknown>[] };
        for (const f of r.Functions) if (f.FunctionName === 'broken-fn') Object.assign(f, { State: 'Failed', StateReason: 'The image manifest could not be found', StateReasonCode: 'ImageDeleted' });
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) };
      },
    });
    await seedLambdaProfile(seeder, profile('broken-fn'), Date.now());
    const { code, body } = await health(project(lambdas('broken-fn')));
    expect(code).toBe(3);
    expect(res(body, 'broken-fn')).toMatchObject({ verdict: 'UNHEALTHY', state: { state: 'Failed' } });
    expect(res(body, 'broken-fn').reasons[0]).toBe('function State is Failed: The image manifest could not be found');
  });

  it('reports UNKNOWN, not HEALTHY, and exits 1 when a function has no datapoints', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({}));
    await seeder.createFunction('silent-fn');
    const { code, body } = await health(project(lambdas('silent-fn')));
    expect(code).toBe(1);
    expect(body.verdict).toBe('UNKNOWN');
    expect(slo(body, 'silent-fn', 'error_rate_percent')).toMatchObject({ verdict: 'UNKNOWN', observed: null, reason: 'error rate: no invocations datapoints in the window' });
    expect(slo(body, 'silent-fn', 'p95_latency_ms').verdict).toBe('UNKNOWN');
  });

  it('reports UNKNOWN with the reason when GetMetricData is denied, and still reads the state', async () => {
    proxy.clearRules();
    proxy.addRule({ service: 'cloudwatch', operation: 'GetMetricData', fault: { kind: 'access-denied' } });
    await seedLambdaProfile(seeder, profile('denied-fn'), Date.now());
    const { code, body } = await health(project(lambdas('denied-fn')));
    expect(code).toBe(1);
    expect(body.verdict).toBe('UNKNOWN');
    expect(res(body, 'denied-fn').state.state).toBe('Active');
    for (const s of res(body, 'denied-fn').slos) {
      expect(s.verdict).toBe('UNKNOWN');
      expect(s.reason).toMatch(/no data: access denied on cloudwatch:GetMetricData \(AccessDenied/);
    }
  });

  it('exits 4, not UNKNOWN, when every call fails for lack of credentials', async () => {
    proxy.clearRules();
    const { code, stderr } = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: project(lambdas('any-fn')), env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: 'helm-cloud-no-such-profile', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' } });
    expect(code).toBe(4);
    expect(stderr).toMatch(/credentials/);
  });

  it('without percentile support evaluates every other SLO and leaves only p95 UNKNOWN, saying why', async () => {
    proxy.clearRules();
    await seedLambdaProfile(seeder, profile('moto-only-fn'), Date.now());
    const cwd = makeProject({ 'shared/environments.json': environmentsFor(moto()), 'registry/deployments.json': registryWith([{ resources: lambdas('moto-only-fn') }]) });
    const { body } = await health(cwd);
    expect(slo(body, 'moto-only-fn', 'error_rate_percent').verdict).toBe('HEALTHY');
    expect(slo(body, 'moto-only-fn', 'availability_percent').verdict).toBe('HEALTHY');
    expect(slo(body, 'moto-only-fn', 'p95_latency_ms')).toMatchObject({ verdict: 'UNKNOWN', observed: null });
    expect(slo(body, 'moto-only-fn', 'p95_latency_ms').reason).toMatch(/^p95 latency: no data: the endpoint could not answer this query/);
    expect(res(body, 'moto-only-fn').verdict).toBe('UNKNOWN');
  });

  it('an SLO switched off with `key = false` is not evaluated: the function is HEALTHY without percentile support', async () => {
    proxy.clearRules();
    await seedLambdaProfile(seeder, profile('no-p95-fn'), Date.now());
    const cwd = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ resources: lambdas('no-p95-fn') }]),
      'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\np95_latency_ms = false\n',
    });
    const { body, code } = await health(cwd);
    expect(res(body, 'no-p95-fn').slos.map((s) => s.key)).not.toContain('p95_latency_ms');
    expect(res(body, 'no-p95-fn').verdict).toBe('HEALTHY');
    expect(code).toBe(0);
  });

  it('`key = true` is not a way to switch an SLO off: exit 2 naming the key', async () => {
    const cwd = project(lambdas('x'), { 'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\np95_latency_ms = true\n' });
    const r = await runCli(['health', '--env', 'test'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slos\.lambda\.p95_latency_ms/);
  });

  it('reports DEGRADED near the budget: exit 1 by default, 0 with --fail-on unhealthy', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'warm-fn': 850 }));
    await seedLambdaProfile(seeder, profile('warm-fn'), Date.now());
    const cwd = project(lambdas('warm-fn'));
    const a = await health(cwd);
    expect(a.code).toBe(1);
    expect(a.body.verdict).toBe('DEGRADED');
    expect(slo(a.body, 'warm-fn', 'p95_latency_ms')).toMatchObject({ verdict: 'DEGRADED', budgetConsumedPercent: 85 });
    const b = await health(cwd, ['--fail-on', 'unhealthy']);
    expect(b.code).toBe(0);
    expect(b.body.verdict).toBe('DEGRADED');
  });

  it('JUnit follows --fail-on: a DEGRADED case fails by default and passes, with its reason shown, under --fail-on unhealthy', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'warm-junit': 850 }));
    await seedLambdaProfile(seeder, profile('warm-junit'), Date.now());
    const cwd = project(lambdas('warm-junit'));
    const p95 = (xml: string) => /name="p95_latency_ms" time="(\d+\.\d{3})"(\/>|>\s*<([-\w]+)[ >])/.exec(xml);
    const a = await health(cwd, ['--junit', 'a.xml']);
    expect(a.code).toBe(1);
    const xa = readFileSync(join(cwd, 'a.xml'), 'utf8');
    expect(p95(xa)?.[3]).toBe('failure');
    expect(xa).toMatch(/<testsuite name="helm-cloud health test" tests="\d+" failures="2" errors="0" skipped="\d+" time="\d+\.\d{3}" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d">/);
    const b = await health(cwd, ['--junit', 'b.xml', '--fail-on', 'unhealthy']);
    expect(b.code).toBe(0);
    const xb = readFileSync(join(cwd, 'b.xml'), 'utf8');
    expect(p95(xb)?.[3]).toBe('system-out');
    expect(xb).toMatch(/<system-out>DEGRADED \(passes --fail-on unhealthy\): p95 latency/);
    expect(xb).toMatch(/failures="0" errors="0"/);
    // Real times: the metric reads took more than nothing, and no case took longer than the run.
    const suite = Number(/<testsuite [^>]*time="([\d.]+)"/.exec(xb)![1]);
    const cases = [...xb.matchAll(/<testcase [^>]*time="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Number(p95(xb)![1])).toBeGreaterThan(0);
    expect(Math.max(...cases)).toBeLessThanOrEqual(suite);
  });

  it('when AWS cannot be reached (exit 4) the gate still writes JUnit with the reason, the step summary, and a JSON error document', async () => {
    const cwd = makeProject({ 'shared/environments.json': environmentsFor('http://127.0.0.1:9'), 'registry/deployments.json': registryWith([{ resources: lambdas('any-fn') }]) });
    const summary = join(cwd, 'step-summary.md');
    const r = await runCli(['health', '--env', 'test', '--output', 'json', '--junit', 'out/health.xml'], { cwd, env: { AWS_ENDPOINT_URL: undefined, GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ schema: 'helm-cloud/health@1', command: 'health', environment: 'test', verdict: 'UNKNOWN', exitCode: 4, summary: expect.stringMatching(/^health stopped before a verdict: cannot reach AWS/), error: { kind: 'aws-access' } });
    const xml = readFileSync(join(cwd, 'out', 'health.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="helm-cloud health test" tests="1" failures="0" errors="1" skipped="0" time="\d+\.\d{3}" timestamp="[^"]+">/);
    expect(xml).toMatch(/<testcase classname="health\.test" name="health" time="\d+\.\d{3}">\s*<error message="aws-access \(exit 4\): cannot reach AWS at http:\/\/127\.0\.0\.1:9/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## health: test — no verdict \(exit 4\)/);
    expect(r.stderr).toMatch(/^error: cannot reach AWS/m);
    const table = await runCli(['health', '--env', 'test', '--output', 'table'], { cwd, env: { AWS_ENDPOINT_URL: undefined } });
    expect(table.code).toBe(4);
    expect(table.stdout).toBe(''); // the error document is for --output json only
  });

  it('reports UNKNOWN and exits 1 when the environment has no live resources', async () => {
    proxy.clearRules();
    const { code, body } = await health(project([]));
    expect(code).toBe(1);
    expect(body).toMatchObject({ verdict: 'UNKNOWN', resources: [] });
    expect(body.summary).toMatch(/nothing to judge/);
  });
});

describe('health batching', () => {
  it('makes the minimum number of GetMetricData calls for 130 functions (500 queries a call), one listing, one alarm read', async () => {
    proxy.clearRules();
    const names = Array.from({ length: 130 }, (_, i) => `batch-fn-${String(i).padStart(3, '0')}`);
    proxy.addRule(percentiles(Object.fromEntries(names.map((n) => [n, 300]))));
    const now = Date.now();
    for (const n of names) await seeder.createFunction(n);
    const start = now - 3600_000;
    const pts = (v: number) => Array.from({ length: 12 }, (_, i) => ({ t: start + i * 300_000, v }));
    await seeder.putMetrics('AWS/Lambda', names.flatMap((n) => [
      { metricName: 'Invocations', dimensions: { FunctionName: n }, points: pts(100) },
      { metricName: 'Errors', dimensions: { FunctionName: n }, points: pts(0) },
    ]));
    proxy.resetCalls();
    const { code, body } = await health(project(lambdas(...names)));
    expect(code, JSON.stringify(body.resources[0]!.reasons)).toBe(0);
    // Per function: 3 sums + 1 p95 in the 1h range (520 → 2 calls), 3 sums in the 3-day burn range (390 → 1 call).
    expect(body.apiCalls.metricQueries).toBe(130 * 7);
    expect(body.apiCalls.minimumMetricCalls).toBe(3);
    expect(proxy.count('cloudwatch', 'GetMetricData')).toBe(3);
    expect(proxy.count('cloudwatch', 'DescribeAlarms')).toBe(1);
    // One paginated ListFunctions for the fleet (moto answers in one page; AWS in pages of 50), no per-function reads.
    expect(proxy.count('lambda')).toBe(body.apiCalls.byOperation['lambda:ListFunctions']);
    expect(proxy.count('lambda')).toBeLessThanOrEqual(Math.ceil(130 / 50));
    expect(body.apiCalls.byOperation['cloudwatch:GetMetricData']).toBe(3);
  });
});

describe('health outputs', () => {
  it('writes JUnit (a case per resource and SLO), appends Markdown to GITHUB_STEP_SUMMARY, and prints Markdown', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'out-ok': 200, 'out-bad': 200 }));
    await seedLambdaProfile(seeder, profile('out-ok'), Date.now());
    await seedLambdaProfile(seeder, profile('out-bad', { rate: 60, errorPct: 7.5 }), Date.now());
    const cwd = project(lambdas('out-ok', 'out-bad'));
    const summary = join(cwd, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['health', '--env', 'test', '--output', 'markdown', '--junit', 'health.xml'], { cwd, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^## Health: test — UNHEALTHY/);
    expect(r.stdout).toContain('| lambda/out-bad | app | 1.0.0 | UNHEALTHY | error rate 7.');
    const xml = readFileSync(join(cwd, 'health.xml'), 'utf8');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(2 * 5);
    expect(xml).toMatch(/classname="health\.test\.lambda\.out-bad" name="error_rate_percent" time="\d+\.\d{3}">\s*<failure message="UNHEALTHY: error rate 7/);
    expect(xml).toMatch(/classname="health\.test\.lambda\.out-ok" name="error_rate_percent" time="\d+\.\d{3}"\/>/);
    const appended = readFileSync(summary, 'utf8');
    expect(appended.startsWith('# earlier step\n')).toBe(true);
    expect(appended).toContain('## Health: test — UNHEALTHY');
  });

  it('renders hostile registry text (project, version) inert in the Markdown table, each in its own cell', async () => {
    proxy.clearRules();
    const project = 'pay | <script>x</script> `t` *b*';
    const version = '1.0\n<b>2</b> _u_';
    const cwd = makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': registryWith([{ project, version, resources: lambdas('md-none') }]) });
    const r = await runCli(['health', '--env', 'test', '--output', 'markdown'], { cwd });
    const md = inertMarkdown(r.stdout);
    expect(md.headings[0]).toBe('Health: test — UNHEALTHY'); // the function does not exist
    const t = md.tables[0]!;
    expect(t.header).toEqual(['RESOURCE', 'PROJECT', 'VERSION', 'VERDICT', 'WHY']);
    expect(t.rows[0]!.slice(0, 4)).toEqual(['lambda/md-none', project, '1.0 <b>2</b> _u_', 'UNHEALTHY']);
  });

  it('exits 2 naming the closest resource when --resource is not live', async () => {
    const r = await runCli(['health', '--env', 'test', '--resource', 'out-bda'], { cwd: project(lambdas('out-ok', 'out-bad')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no resource "out-bda".*did you mean --resource out-bad\?/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the closest environment for an unknown --env', async () => {
    const r = await runCli(['health', '--env', 'tset'], { cwd: project([]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean --env=test/);
  });

  it('checks only the named resource with --resource', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'out-ok': 200 }));
    const cwd = project(lambdas('out-ok', 'out-bad'));
    const { code, body } = await health(cwd, ['--resource', 'out-ok']);
    expect(code).toBe(0);
    expect(body.resources.map((r) => r.name)).toEqual(['out-ok']);
    expect(existsSync(join(cwd, '.fractary', 'helm', 'status', 'infra.json'))).toBe(false);
  });
});

describe('health across resource types', () => {
  it('judges RDS, ECS, SQS, S3, DynamoDB and API Gateway by their own rules in one run', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'mix-api': 120 }));
    const now = Date.now();
    const start = now - 3600_000;
    await seeder.createDbInstance('mix-db');
    const every = (v: number) => series(start, now, 300_000, () => v);
    await seeder.putMetrics('AWS/RDS', [
      { metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: 'mix-db' }, points: every(35) },
      { metricName: 'DatabaseConnections', dimensions: { DBInstanceIdentifier: 'mix-db' }, points: every(40) },
      { metricName: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: 'mix-db' }, points: every(15 * 1024 ** 3) },
      { metricName: 'ReadLatency', dimensions: { DBInstanceIdentifier: 'mix-db' }, points: every(0.004) },
      { metricName: 'WriteLatency', dimensions: { DBInstanceIdentifier: 'mix-db' }, points: every(0.031) },
    ]);
    await seeder.createEcsService('mix-cluster', 'mix-web', { desired: 2 });
    await seeder.putMetrics('AWS/ECS', [
      { metricName: 'CPUUtilization', dimensions: { ClusterName: 'mix-cluster', ServiceName: 'mix-web' }, points: every(20) },
      { metricName: 'MemoryUtilization', dimensions: { ClusterName: 'mix-cluster', ServiceName: 'mix-web' }, points: every(30) },
    ]);
    await seeder.createQueue('mix-queue');
    await seeder.createBucket('mix-bucket');
    await seeder.createTable('mix-table');
    await seeder.createRestApi('mix-api');
    await seeder.putMetrics('AWS/ApiGateway', [
      { metricName: 'Count', dimensions: { ApiName: 'mix-api' }, points: every(1000) },
      { metricName: '5XXError', dimensions: { ApiName: 'mix-api' }, points: every(0) },
      { metricName: '4XXError', dimensions: { ApiName: 'mix-api' }, points: every(10) },
    ]);
    const cwd = project([
      { type: 'rds', name: 'mix-db' },
      { type: 'ecs_service', name: 'mix-web', cluster: 'mix-cluster' },
      { type: 'sqs', name: 'mix-queue' },
      { type: 'sqs', name: 'mix-gone-queue' },
      { type: 's3', name: 'mix-bucket' },
      { type: 'dynamodb', name: 'mix-table' },
      { type: 'apigateway', name: 'mix-api' },
    ]);
    const { code, body } = await health(cwd);
    expect(code).toBe(3);
    // RDS available, write latency 31 ms over its 20 ms SLO.
    expect(res(body, 'mix-db')).toMatchObject({ verdict: 'UNHEALTHY', state: { status: 'available' } });
    expect(slo(body, 'mix-db', 'write_latency_ms')).toMatchObject({ observed: 31, verdict: 'UNHEALTHY' });
    expect(slo(body, 'mix-db', 'free_storage_min_gb')).toMatchObject({ observed: 15, verdict: 'HEALTHY' });
    // moto starts ECS services with 0 of 2 tasks running and the rollout IN_PROGRESS.
    expect(res(body, 'mix-web')).toMatchObject({ verdict: 'DEGRADED', state: { desired: 2, running: 0, rollout: 'IN_PROGRESS' } });
    expect(res(body, 'mix-web').reasons).toContain('rollout in progress: 0/2 tasks running');
    // An empty queue has no old message even though an idle queue publishes no age metric; no DLQ: not evaluated.
    expect(res(body, 'mix-queue').verdict).toBe('HEALTHY');
    expect(slo(body, 'mix-queue', 'oldest_message_age_seconds')).toMatchObject({ observed: 0, verdict: 'HEALTHY' });
    expect(res(body, 'mix-queue').notEvaluated.map((n) => n.key)).toContain('dead_letter_messages_max');
    expect(res(body, 'mix-gone-queue')).toMatchObject({ verdict: 'UNHEALTHY', reasons: ['sqs "mix-gone-queue" not found in us-east-1'], slos: [] });
    // A bucket without request metrics: reachable, error-rate SLOs listed as not evaluated, never passed.
    expect(res(body, 'mix-bucket')).toMatchObject({ verdict: 'HEALTHY', slos: [] });
    expect(res(body, 'mix-bucket').notEvaluated.map((n) => n.key).sort()).toEqual(['availability_percent', 'client_error_rate_percent', 'error_rate_percent']);
    // DynamoDB publishes throttles and system errors only when non-zero.
    expect(res(body, 'mix-table')).toMatchObject({ verdict: 'HEALTHY', state: { status: 'ACTIVE' } });
    expect(slo(body, 'mix-table', 'system_errors_max')).toMatchObject({ observed: 0, verdict: 'HEALTHY' });
    // API Gateway: 1% 4xx is under the 5% SLO, p95 from the fixture.
    expect(res(body, 'mix-api').verdict).toBe('HEALTHY');
    expect(slo(body, 'mix-api', 'client_error_rate_percent')).toMatchObject({ observed: 1, verdict: 'HEALTHY' });
    expect(slo(body, 'mix-api', 'p95_latency_ms')).toMatchObject({ observed: 120 });
  });
});

describe('health --watch', () => {
  it('prints a banner, every verdict once, then only transitions, and exits 130 on SIGINT', async () => {
    proxy.clearRules();
    proxy.addRule(percentiles({ 'watch-fn': 200 }));
    await seedLambdaProfile(seeder, profile('watch-fn'), Date.now());
    const cwd = project(lambdas('watch-fn'), { 'plugins/helm-cloud/monitoring.toml': '[monitoring]\nhealth_check_interval = "300ms"\n' });
    const child = spawn(process.execPath, [CLI, 'health', '--env', 'test', '--watch', '--output', 'json'], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { resource?: string; environment?: string; from: string | null; to: string });
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && lines().length < n; i++) await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(2);
    expect(lines()).toEqual([
      expect.objectContaining({ resource: 'lambda/watch-fn', from: null, to: 'HEALTHY' }),
      expect.objectContaining({ environment: 'test', from: null, to: 'HEALTHY' }),
    ]);
    await new Promise((r) => setTimeout(r, 1200)); // several unchanged ticks: nothing printed
    expect(lines()).toHaveLength(2);
    await seeder.putAlarm('watch-fn-errors', { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'watch-fn' }, state: 'ALARM', reason: 'errors' });
    await waitFor(4);
    expect(lines().slice(2)).toEqual([
      expect.objectContaining({ resource: 'lambda/watch-fn', from: 'HEALTHY', to: 'UNHEALTHY' }),
      expect.objectContaining({ environment: 'test', from: 'HEALTHY', to: 'UNHEALTHY' }),
    ]);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr.match(/^watching test every 300ms \(\[monitoring\] health_check_interval\); verdict changes print as they happen\. Stop with Ctrl-C \(exit 130\)\.$/gm)).toHaveLength(1);
    expect(stderr).toMatch(/^stopped watching test after \d+ checks$/m);
  });
});
