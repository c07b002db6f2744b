/**
 * A failed call never hides what another call obtained: each case injects one failure with the fault proxy in
 * front of moto and asserts that what the other calls returned is still reported (and still judged).
 * Audit cases (Security Hub standards, Cost Explorer anomalies, Config conformance packs) live in
 * audit.test.ts beside its fixtures. moto paginates neither DescribeAlarms nor ListFunctions, so a failure on a
 * later page cannot be produced here without faking whole responses; those are not covered.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { environmentsFor, makeProject, moto, percentiles, registryWith, runCli, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';

const MIN = 60_000;
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
beforeEach(() => {
  proxy.clearRules();
  proxy.resetCalls();
});

const project = (resources: { type: string; name: string; [k: string]: unknown }[]) =>
  makeProject({ 'shared/environments.json': environmentsFor(proxy.endpoint), 'registry/deployments.json': registryWith([{ resources }]) });

interface HealthJson {
  verdict: string;
  resources: { name: string; verdict: string; reasons: string[]; state: Record<string, unknown>; slos: { key: string; verdict: string; observed: number | null; reason?: string }[] }[];
}

describe('health', () => {
  it('reads each function on its own when ListFunctions fails, and judges it from that answer', async () => {
    await seedLambdaProfile(seeder, { name: 'pd-list-fn', project: 'app', env: 'test', rate: 60, errorPct: 0, durationMs: 150 }, Date.now());
    proxy.addRule(percentiles({ 'pd-list-fn': 160 }));
    const listing = (c: { method: string; path: string }) => c.method === 'GET' && /\/functions\/?$/.test(c.path);
    let listed = 0;
    proxy.addRule({ service: 'lambda', when: (c) => listing(c) && ++listed > 0, fault: { kind: 'server-error', status: 503 } });
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: project([{ type: 'lambda', name: 'pd-list-fn' }]) });
    const body = r.json<HealthJson>();
    expect(listed).toBeGreaterThan(0);
    expect(body.resources[0]!.state, JSON.stringify(body.resources[0])).toMatchObject({ state: 'Active' });
    expect(body.resources[0]!.verdict).toBe('HEALTHY');
    expect(r.code).toBe(0);
  });

  it('keeps an SQS queue state and backlog SLO when only its dead-letter queue read fails', async () => {
    await seeder.createQueue('pd-orders-dlq');
    await seeder.createQueue('pd-orders');
    // The second GetQueueUrl of the run is the dead-letter queue's: fail that one only.
    proxy.addRule({ service: 'sqs', operation: 'GetQueueUrl', when: (c) => c.body.toString().includes('pd-orders-dlq'), fault: { kind: 'server-error', status: 500 } });
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: project([{ type: 'sqs', name: 'pd-orders', dead_letter_queue: 'pd-orders-dlq' }]) });
    const q = r.json<HealthJson>().resources[0]!;
    expect(q.state, JSON.stringify(q)).toMatchObject({ visible: 0, deadLetterQueue: 'pd-orders-dlq' });
    expect(q.slos.find((s) => s.key === 'dead_letter_messages_max')).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/dead-letter queue depth not read: its GetQueueAttributes call failed/) });
    expect(q.verdict).toBe('UNKNOWN');
  });
});

describe('investigate', () => {
  it('reads a Lambda log group by its exact name when DescribeLogGroups fails, and finds the pattern', async () => {
    const now = Date.now();
    await seeder.createFunction('pd-logs-fn');
    const events = Array.from({ length: 30 }, (_, i) => ({ t: now - 30 * MIN + i * MIN, message: `ERROR connect ECONNREFUSED 10.0.3.7:5432 while saving order ${1000 + i}` }));
    await seeder.putLogEvents('/aws/lambda/pd-logs-fn', '2026/12/01/[$LATEST]abc', events);
    proxy.addRule({ service: 'logs', operation: 'DescribeLogGroups', fault: { kind: 'server-error', status: 500 } });
    const r = await runCli(['investigate', 'errors in pd-logs-fn', '--env', 'test', '--output', 'json'], { cwd: project([{ type: 'lambda', name: 'pd-logs-fn' }]) });
    const j = r.json<{ logs: { lines: number }; patterns: { template: string }[]; hypotheses: { kind: string }[]; gaps: { what: string; blocking: boolean }[] }>();
    expect(proxy.count('logs', 'DescribeLogGroups')).toBeGreaterThan(0);
    expect(j.logs.lines, JSON.stringify(j.gaps)).toBeGreaterThanOrEqual(30);
    expect(j.patterns.some((p) => /ECONNREFUSED/.test(p.template))).toBe(true);
    expect(j.hypotheses.map((h) => h.kind)).toContain('dependency_timeout');
    expect(j.gaps.find((g) => g.what.startsWith('log group listing'))).toMatchObject({ blocking: false });
  });
});

describe('doctor', () => {
  it('still probes CloudWatch, Logs and Lambda read access when STS answers with a server error', async () => {
    proxy.addRule({ service: 'sts', fault: { kind: 'server-error', status: 503 } });
    const r = await runCli(['doctor', '--env', 'test', '--output', 'json'], { cwd: project([]) });
    const checks = r.json<{ checks: { check: string; status: string }[] }>().checks;
    expect(checks.find((c) => c.check.startsWith('credentials resolve'))!.status).toBe('FAIL');
    for (const name of ['CloudWatch read', 'CloudWatch Logs read', 'Lambda read']) expect(checks.find((c) => c.check.startsWith(name))?.status, name).toBe('PASS');
  });
});

describe('dashboard', () => {
  it('keeps the other domains registered when one entry of domains.json is broken', async () => {
    const cwd = makeProject({});
    const helm = join(cwd, '.fractary', 'helm');
    mkdirSync(join(helm, 'status'), { recursive: true });
    writeFileSync(join(helm, 'domains.json'), JSON.stringify({ domains: { data: { plugin: 'fractary-helm-data', status_file: 'status/data-team.json', issues_prefix: 'dt-' }, web: { status_file: 42 } } }));
    writeFileSync(join(helm, 'status', 'data-team.json'), JSON.stringify({ verdict: 'UNHEALTHY', summary: 'pipeline late', updated_at: new Date().toISOString() }));
    const r = await runCli(['dashboard', '-o', 'json'], { cwd, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    const d = r.json<{ domains: { domain: string; verdict: string; registered: boolean }[]; unreadable: { file: string; domain?: string; reason: string }[] }>();
    expect(d.domains).toEqual([expect.objectContaining({ domain: 'data', verdict: 'UNHEALTHY', registered: true })]);
    expect(d.unreadable).toEqual([expect.objectContaining({ domain: 'web', reason: expect.stringMatching(/status_file/) })]);
  });
});
