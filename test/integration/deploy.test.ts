/**
 * `helm-cloud deploy` end to end against moto: seeded deploy histories, Lambda versions and aliases, and metric
 * series with known effects. moto cannot answer percentile statistics (p95) in GetMetricData: the comparison
 * falls back to the Average of Duration and says so, which these tests check too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateAliasCommand, LambdaClient, PublishVersionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, runCli, Seeder } from '../support/index.js';
import { readMarkdown } from '../support/markdown.js';

let seeder: Seeder;
let lambda: LambdaClient;
beforeAll(() => {
  seeder = new Seeder({ endpoint: moto() });
  lambda = new LambdaClient({ endpoint: moto(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
});
afterAll(() => {
  seeder.destroy();
  lambda.destroy();
});

const MIN = 60_000;
const now = () => Math.floor(Date.now() / MIN) * MIN;
/** Deterministic per-minute wobble in [-1, 1]. */
const wobble = (i: number, phase = 0) => Math.sin(i * 2.399 + phase);

async function seedVersion(fn: string, alias: string, version: string, o: { minutes: number; rate: number; errorPct: number; durationMs: number; phase?: number; end?: number }) {
  const end = o.end ?? now();
  const dims = { FunctionName: fn, Resource: `${fn}:${alias}`, ExecutedVersion: version };
  const inv: { t: number; v: number }[] = [];
  const err: { t: number; v: number }[] = [];
  const dur: { t: number; v: number }[] = [];
  for (let i = 1; i <= o.minutes; i++) {
    const t = end - i * MIN + 1000;
    const n = Math.round(o.rate * (1 + 0.1 * wobble(i, o.phase)));
    inv.push({ t, v: n });
    err.push({ t, v: Math.round((n * o.errorPct * (1 + 0.3 * wobble(i, (o.phase ?? 0) + 1))) / 100) });
    dur.push({ t, v: o.durationMs * (1 + 0.1 * wobble(i, (o.phase ?? 0) + 2)) });
  }
  await seeder.putMetrics('AWS/Lambda', [
    { metricName: 'Invocations', dimensions: dims, points: inv },
    { metricName: 'Errors', dimensions: dims, points: err },
    { metricName: 'Duration', dimensions: dims, points: dur, unit: 'Milliseconds' },
  ]);
}

function project(resources: object[], o: { deployments?: object[]; toml?: string } = {}) {
  const deployments = o.deployments ?? [{ id: 'dep-1', environment: 'test', project: 'orders', version: '1.0.0', deployed_at: new Date(Date.now() - 86400_000).toISOString(), resources }];
  return makeProject({
    'shared/environments.json': environmentsFor(moto()),
    'registry/deployments.json': { version: 1, deployments },
    ...(o.toml ? { 'plugins/helm-cloud/monitoring.toml': o.toml } : {}),
  });
}
const deploy = (cwd: string, args: string[]) => runCli(['deploy', ...args, '--env', 'test', '--output', 'json'], { cwd });

describe('deploy canary_status', () => {
  it('FAILs a canary with three times the baseline error rate, exit 3, naming the metric', async () => {
    await seeder.createFunction('canary-bad');
    await seedVersion('canary-bad', 'live', '2', { minutes: 30, rate: 300, errorPct: 1, durationMs: 120 });
    await seedVersion('canary-bad', 'live', '3', { minutes: 30, rate: 300, errorPct: 3, durationMs: 120, phase: 0.7 });
    const cwd = project([{ type: 'lambda', name: 'canary-bad', alias: 'live' }]);
    const r = await deploy(cwd, ['canary_status', '--canary', 'canary-bad@3', '--baseline', 'canary-bad@2', '--window', '30m']);
    const body = r.json<{ verdict: string; metrics: { name: string; classification: string; failed: boolean }[]; notes: string[] }>();
    expect(r.code, r.stderr).toBe(3);
    expect(body.verdict).toBe('FAIL');
    expect(body.metrics.find((m) => m.name === 'error_rate')).toMatchObject({ classification: 'HIGH', failed: true });
    expect(r.stderr).toMatch(/p95 unavailable from the endpoint; compared the Average of Duration/);
  });

  it('PASSes an identical canary, exit 0, and records the judgement in deployments/', async () => {
    await seeder.createFunction('canary-same');
    await seedVersion('canary-same', 'live', '2', { minutes: 30, rate: 300, errorPct: 1, durationMs: 120 });
    await seedVersion('canary-same', 'live', '3', { minutes: 30, rate: 300, errorPct: 1, durationMs: 120 });
    const cwd = project([{ type: 'lambda', name: 'canary-same', alias: 'live' }]);
    const r = await deploy(cwd, ['canary_status', '--canary', 'canary-same@3', '--baseline', 'canary-same@2', '--window', '30m']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json().verdict).toBe('PASS');
    const history = readFileSync(join(cwd, '.fractary/plugins/helm-cloud/deployments/history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(history.at(-1)).toMatchObject({ kind: 'canary', verdict: 'PASS', project: 'orders', environment: 'test' });
  });

  it('is INCONCLUSIVE with too little canary traffic, exit 1, never PASS', async () => {
    await seeder.createFunction('canary-thin');
    await seedVersion('canary-thin', 'live', '2', { minutes: 30, rate: 300, errorPct: 1, durationMs: 120 });
    await seedVersion('canary-thin', 'live', '3', { minutes: 30, rate: 2, errorPct: 0, durationMs: 120 });
    const cwd = project([{ type: 'lambda', name: 'canary-thin', alias: 'live' }]);
    const r = await deploy(cwd, ['canary_status', '--canary', 'canary-thin@3', '--baseline', 'canary-thin@2', '--window', '30m']);
    expect(r.code).toBe(1);
    expect(r.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'INCONCLUSIVE' });
  });

  it('an unknown function is exit 2 naming the closest', async () => {
    const cwd = project([{ type: 'lambda', name: 'orders-api', alias: 'live' }]);
    const r = await deploy(cwd, ['canary_status', '--canary', 'orders-ap@3', '--baseline', 'orders-api@2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean orders-api/);
  });
});

describe('deploy rollback_check', () => {
  it('is NOT_READY, exit 3, when the alias points at the only published version', async () => {
    await seeder.createFunction('rb-single', { publish: true });
    await lambda.send(new CreateAliasCommand({ FunctionName: 'rb-single', Name: 'live', FunctionVersion: '1' }));
    const cwd = project([{ type: 'lambda', name: 'rb-single', alias: 'live' }]);
    const r = await deploy(cwd, ['rollback_check']);
    expect(r.code).toBe(3);
    const body = r.json<{ verdict: string; summary: string }>();
    expect(body.verdict).toBe('NOT_READY');
    expect(body.summary).toMatch(/no published version before 1/);
  });

  it('is READY when an earlier version exists and the registry has an earlier good deployment', async () => {
    await seeder.createFunction('rb-two', { publish: true });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rb-two', MemorySize: 256 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'rb-two' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'rb-two', Name: 'live', FunctionVersion: '2' }));
    const res = [{ type: 'lambda', name: 'rb-two', alias: 'live' }];
    const at = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    const cwd = project(res, {
      deployments: [
        { id: 'dep-1', environment: 'test', project: 'orders', version: '1.0.0', deployed_at: at(48), resources: res },
        { id: 'dep-2', environment: 'test', project: 'orders', version: '1.1.0', deployed_at: at(2), resources: res },
      ],
    });
    const r = await deploy(cwd, ['rollback_check']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json()).toMatchObject({ verdict: 'READY', previous: 'dep-1' });
  });
});

describe('deploy pre_deploy_checklist', () => {
  it('blocks on an exhausted error budget, exit 3, with a JUnit case per line and UNKNOWN (not PASS) for unconfigured families', async () => {
    await seeder.createFunction('budget-fn');
    const end = now();
    const pts = (v: number) => Array.from({ length: 50 }, (_, i) => ({ t: end - (i + 1) * MIN + 1000, v }));
    await seeder.putMetrics('AWS/Lambda', [
      { metricName: 'Invocations', dimensions: { FunctionName: 'budget-fn' }, points: pts(100) },
      { metricName: 'Errors', dimensions: { FunctionName: 'budget-fn' }, points: pts(5) },
    ]);
    const cwd = project([{ type: 'lambda', name: 'budget-fn' }], { toml: '[slos.lambda]\np95_latency_ms = false\n' });
    const r = await runCli(['deploy', 'pre_deploy_checklist', '--env', 'test', '--output', 'json', '--junit', 'gate.xml'], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const lines = r.json<{ lines: { id: string; status: string; detail: string }[] }>().lines;
    const line = (id: string) => lines.find((l) => l.id === id)!;
    expect(line('error_budget').status).toBe('FAIL');
    expect(line('error_budget').detail).toMatch(/left \(policy blocks at ≤ 0%\)/);
    expect(line('incidents').status).toBe('UNKNOWN');
    expect(line('on_call').status).toBe('UNKNOWN');
    const xml = readFileSync(join(cwd, 'gate.xml'), 'utf8');
    expect(xml).toContain('name="error budget above policy"');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(lines.length);
    expect(xml).toMatch(/<failure message="FAIL: /);
    // UNKNOWN lines are errors (nothing could judge them), each with the time its reads took.
    expect(xml).toMatch(/name="no open incident" time="\d+\.\d{3}">\s*<error message="UNKNOWN: incidents are not configured/);
    const n = (status: string) => lines.filter((l) => l.status === status).length;
    expect(xml).toMatch(new RegExp(`<testsuite [^>]*failures="${n('FAIL')}" errors="${n('UNKNOWN')}" skipped="0" time="\\d+\\.\\d{3}" timestamp="[^"]+"`));
  });

  it('exits 4 like health when AWS cannot be reached, printing the checklist with the reason and leaving JUnit and the step summary', async () => {
    const cwd = makeProject({ 'shared/environments.json': environmentsFor('http://127.0.0.1:9'), 'registry/deployments.json': { version: 1, deployments: [{ id: 'd1', environment: 'test', project: 'app', version: '1', deployed_at: new Date(Date.now() - 86400_000).toISOString(), region: 'us-east-1', resources: [{ type: 'lambda', name: 'gone-fn' }] }] } });
    const summary = join(cwd, 'summary.md');
    const r = await runCli(['deploy', 'pre_deploy_checklist', '--env', 'test', '--output', 'json', '--junit', 'gate.xml'], { cwd, env: { AWS_ENDPOINT_URL: undefined, GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(4);
    const j = r.json<{ exitCode: number; lines: { id: string; status: string; detail: string }[] }>();
    expect(j.exitCode).toBe(4);
    expect(j.lines.find((l) => l.id === 'health')).toMatchObject({ status: 'UNKNOWN', detail: expect.stringMatching(/^health could not be read: cannot reach AWS at http:\/\/127\.0\.0\.1:9/) });
    expect(readFileSync(join(cwd, 'gate.xml'), 'utf8')).toMatch(/name="health is not UNHEALTHY" time="[\d.]+">\s*<error message="UNKNOWN: health could not be read: cannot reach AWS/);
    expect(readMarkdown(readFileSync(summary, 'utf8')).headings[0]).toBe('deploy pre_deploy_checklist: FAIL');
  });
});

describe('deploy change_window', () => {
  const toml = ['[deploy]', 'time_zone = "Europe/London"', '[[deploy.windows]]', 'days = ["mon", "tue", "wed", "thu"]', 'start = "09:00"', 'end = "16:00"', ''].join('\n');
  it('opens at 09:00 local across the spring DST change', async () => {
    const cwd = project([{ type: 'lambda', name: 'x' }], { toml });
    const r = await deploy(cwd, ['change_window', '--at', '2026-03-26T18:00']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ verdict: 'CLOSED', open: false, nextOpen: '2026-03-30T09:00:00+01:00' });
    const open = await deploy(cwd, ['change_window', '--at', '2026-03-30T08:30:00Z']);
    expect(open.code).toBe(0);
    expect(open.json()).toMatchObject({ open: true, nextClose: '2026-03-30T16:00:00+01:00' });
  });

  it('an impossible time is exit 2', async () => {
    const cwd = project([{ type: 'lambda', name: 'x' }], { toml });
    const r = await deploy(cwd, ['change_window', '--at', '2026-02-30T10:00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--at/);
  });
});

describe('deploy post_deploy_verify and diff', () => {
  it('FAILs when errors rose after the deploy, suggesting the rollback without running it', async () => {
    await seeder.createFunction('pdv-fn');
    const deployedAt = now() - 30 * MIN;
    const dims = { FunctionName: 'pdv-fn' };
    const series = (from: number, to: number, errs: number) => Array.from({ length: (to - from) / MIN }, (_, i) => ({ t: from + i * MIN + 1000, inv: Math.round(200 * (1 + 0.1 * wobble(i))), err: errs }));
    const before = series(deployedAt - 30 * MIN, deployedAt, 1);
    const after = series(deployedAt, now(), 12);
    await seeder.putMetrics('AWS/Lambda', [
      { metricName: 'Invocations', dimensions: dims, points: [...before, ...after].map((p) => ({ t: p.t, v: p.inv })) },
      { metricName: 'Errors', dimensions: dims, points: [...before, ...after].map((p) => ({ t: p.t, v: p.err })) },
    ]);
    const res = [{ type: 'lambda', name: 'pdv-fn' }];
    const cwd = project(res, { deployments: [{ id: 'dep-9', environment: 'test', project: 'orders', version: '2.0.0', deployed_at: new Date(deployedAt).toISOString(), resources: res }], toml: '[slos.lambda]\np95_latency_ms = false\n' });
    const r = await deploy(cwd, ['post_deploy_verify', '--window', '30m']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const body = r.json<{ verdict: string; suggestedRemediation: string; resources: { judgement: string }[] }>();
    expect(body.verdict).toBe('FAIL');
    expect(body.resources[0]!.judgement).toBe('FAIL');
    expect(body.suggestedRemediation).toMatch(/^helm-cloud remediate --action rollback --target pdv-fn --env test --dry-run$/);
    expect(existsSync(join(cwd, '.fractary/plugins/helm-cloud/actions.jsonl'))).toBe(false);
  });

  it('diff_analysis names changed configuration and env var names, never their values', async () => {
    await seeder.createFunction('diff-fn', { memory: 128, timeout: 3, env: { DB_URL: 'postgres://secret' } });
    const res = [{ type: 'lambda', name: 'diff-fn' }];
    const cwd = project(res);
    const target = join(cwd, 'target.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(target, JSON.stringify({ id: 'dep-2', environment: 'test', project: 'orders', version: '1.1.0', deployed_at: new Date().toISOString(), resources: [{ type: 'lambda', name: 'diff-fn', config: { memory_mb: 512, timeout_s: 3, environment: { DB_URL: 'postgres://other', FEATURE_X: 'on' } } }] }));
    const r = await deploy(cwd, ['diff_analysis', '--to', 'target.json']);
    expect(r.code).toBe(1);
    const body = r.json<{ changes: { field: string; from: unknown; to: unknown }[] }>();
    expect(body.changes).toContainEqual({ resource: 'lambda/diff-fn', field: 'memory_mb', from: 128, to: 512 });
    expect(body.changes).toContainEqual({ resource: 'lambda/diff-fn', field: 'environment_names', from: ['DB_URL'], to: ['DB_URL', 'FEATURE_X'] });
    expect(r.stdout).not.toContain('postgres://');
  });
});

describe('deploy pre_deploy_checklist with on-call configured', () => {
  const oncallToml = [
    '[slos.lambda]',
    'p95_latency_ms = false',
    '[oncall]',
    'default_team = "orders-team"',
    '[oncall.users]',
    'alice = { name = "Alice Ng" }',
    '[oncall.teams.orders-team]',
    'time_zone = "UTC"',
    'services = ["orders"]',
    'layers = [{ members = ["alice"], rotation = "weekly", start = "2026-01-05T00:00" }]',
    'escalation = { tiers = [{ delay_minutes = 5, targets = ["oncall"] }] }',
    '',
  ].join('\n');

  it('names who is on call and counts open incidents of the project, failing the gate while one is open', async () => {
    await seeder.createFunction('oc-fn');
    const cwd = project([{ type: 'lambda', name: 'oc-fn' }], { toml: oncallToml });
    const line = async (id: string) => (await runCli(['deploy', 'pre_deploy_checklist', '--env', 'test', '--output', 'json'], { cwd })).json<{ lines: { id: string; status: string; detail: string }[] }>().lines.find((l) => l.id === id)!;
    expect(await line('on_call')).toMatchObject({ status: 'PASS', detail: 'on call: Alice Ng (orders-team, tier 1)' });
    expect(await line('incidents')).toMatchObject({ status: 'PASS', detail: '0 open incidents' });
    const created = await runCli(['incident', 'create', '--title', 'orders 5xx', '--urgency', 'high', '--description', 'errors after deploy', '--service', 'orders', '--output', 'json'], { cwd });
    expect(created.code, created.stderr).toBe(0);
    expect(await line('incidents')).toMatchObject({ status: 'FAIL', detail: '1 open incident' });
  });
});
