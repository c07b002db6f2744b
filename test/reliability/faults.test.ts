/**
 * The fault matrix: every command (health, investigate, remediate, audit) run once per fault the proxy between
 * the CLI and moto can inject — throttling, 5xx, connection reset, a response slower than the client timeout,
 * truncated and garbage bodies, AccessDenied on one service, and a failure on the second page (or second read)
 * of a call. moto produces none of these itself: the proxy is the only way to see them.
 *
 * Every run must end with a documented exit code and a clear message, no stack trace, no HEALTHY/PASS/success
 * on data that failed, no unparseable file under .fractary, and for remediate: a changed function has an
 * outcome line in actions.jsonl. A fault-free control per command shows each check can see the good outcome.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLambdaProfile } from '../../src/sandbox/fleet.js';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, startFaultProxy, type CliResult, type FaultProxy, type Rule } from '../support/index.js';
import { corruptedFiles, isCrash, record } from './ledger.js';
import { pagedDescribeAlarms, percentiles, quietAccount, restartMarker } from './wire.js';

const ACCOUNT = '123456789012';
const MIN = 60_000;
const FNS = ['flt-a', 'flt-b'];
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

type Fault = Rule['fault'];
type Kind = 'throttle' | 'server-error' | 'reset' | 'delay' | 'truncate' | 'garbage' | 'access-denied' | 'second-page';
const KINDS: Kind[] = ['throttle', 'server-error', 'reset', 'delay', 'truncate', 'garbage', 'access-denied', 'second-page'];
const faultOf: Record<Exclude<Kind, 'second-page'>, Fault> = {
  throttle: { kind: 'throttle' },
  'server-error': { kind: 'server-error', status: 503 },
  reset: { kind: 'reset' },
  // Three times the client timeout set for these runs (HELM_CLOUD_REQUEST_TIMEOUT_MS=1000).
  delay: { kind: 'delay', ms: 3000 },
  truncate: { kind: 'truncate' },
  garbage: { kind: 'garbage' },
  'access-denied': { kind: 'access-denied' },
};

const seeder = new Seeder({ endpoint: moto() });
const fnPath = /^\/2015-03-31\/functions\/[^/]+$/;
const isGetFunction = (name: string) => (c: { method: string; path: string }) => c.method === 'GET' && c.path === `/2015-03-31/functions/${name}`;
const isUpdateConfig = (c: { method: string; path: string }) => c.method === 'PUT' && /\/configuration$/.test(c.path);

beforeAll(async () => {
  const now = Date.now();
  for (const name of FNS) await seedLambdaProfile(seeder, { name, project: 'orders', env: 'test', rate: 120, errorPct: 0, durationMs: 200 }, now);
  // Quiet logs for investigate: the function logs, nothing points at a cause.
  const lines: { t: number; message: string }[] = [];
  for (let t = now - 50 * MIN; t < now - MIN; t += 60_000) lines.push({ t, message: `INFO order ${t % 9973} stored in 42 ms` });
  await seeder.putLogEvents('/aws/lambda/flt-a', 'stream-1', lines);
  // 105 alarms: DescribeAlarms needs a second page of 100 (on another function, so all stay OK).
  for (let i = 0; i < 105; i++) await seeder.putAlarm(`flt-other-${String(i).padStart(3, '0')}`, { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'flt-other' }, state: 'OK' });
  // Security Hub with 105 findings: GetFindings needs a second page of 100.
  const sh = await import('@aws-sdk/client-securityhub');
  const hub = new sh.SecurityHubClient({ region: 'us-east-1', endpoint: moto(), credentials: creds });
  await hub.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  const at = new Date().toISOString();
  const findings = Array.from({ length: 105 }, (_, i) => ({
    SchemaVersion: '2018-10-08',
    Id: `flt-finding-${i}`,
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    GeneratorId: `security-control/S3.${i === 0 ? 8 : 1}`,
    AwsAccountId: ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: at,
    UpdatedAt: at,
    Severity: { Label: i === 0 ? 'LOW' : 'INFORMATIONAL' },
    Title: `finding ${i}`,
    Description: 'seeded by the fault matrix',
    Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::flt-bucket-${i}`, Region: 'us-east-1' }],
    Compliance: { Status: i === 0 ? 'FAILED' : 'PASSED', SecurityControlId: `S3.${i === 0 ? 8 : 1}` },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
  }));
  for (let i = 0; i < findings.length; i += 100) await hub.send(new sh.BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) as never }));
  hub.destroy();
  // One function per remediate run, so a change made by one run is never mistaken for another's.
  for (const k of ['control', ...KINDS]) await seeder.createFunction(`flt-r-${k}`);
}, 120_000);
afterAll(() => seeder.destroy());

function project(endpoint: string, resources: { type: string; name: string }[]): string {
  return makeProject({
    'shared/environments.json': environmentsFor(endpoint),
    'registry/deployments.json': registryWith([{ project: 'orders', at: new Date(Date.now() - 40 * 86_400_000).toISOString(), resources }]),
  });
}

interface Outcome {
  /** What a run may exit with under this fault. */
  exits: number[];
  /** True when the run claimed good news from data that failed. */
  falseHealthy: (json: Record<string, any> | undefined, r: CliResult) => boolean;
}

interface Command {
  name: string;
  /** The rule injecting `kind` into this command's reads (or its apply). */
  rule: (kind: Kind) => Rule;
  /** Rules every run needs (operations moto lacks). */
  base: () => Rule[];
  resources: (kind: Kind | 'control') => { type: string; name: string }[];
  args: (kind: Kind | 'control') => string[];
  control: { exits: number[]; check: (json: Record<string, any>) => void };
  outcome: (kind: Kind) => Outcome;
}

/** The NextToken call for page 2 of DescribeAlarms (moto pages nothing: pagedDescribeAlarms cuts page 1). */
const alarmsPage2: Rule = { service: 'cloudwatch', operation: 'DescribeAlarms', when: (c) => c.body.toString().includes('"NextToken"'), fault: { kind: 'server-error' } };

const lambdas = FNS.map((name) => ({ type: 'lambda', name }));

const COMMANDS: Command[] = [
  {
    name: 'health',
    // Metric reads carry the verdict; the second page is DescribeAlarms' (105 alarms).
    rule: (k) => (k === 'second-page' ? alarmsPage2 : { service: 'cloudwatch', operation: 'GetMetricData', fault: faultOf[k] }),
    base: () => [percentiles(200), pagedDescribeAlarms()],
    resources: () => lambdas,
    args: () => ['health', '--env', 'test', '--output', 'json'],
    control: { exits: [0], check: (j) => expect(j.verdict).toBe('HEALTHY') },
    outcome: () => ({
      exits: [1, 3, 4],
      // Every resource's metrics (or alarms) failed: none may be HEALTHY.
      falseHealthy: (j) => Boolean(j && (j.verdict === 'HEALTHY' || j.resources?.some((x: any) => x.verdict === 'HEALTHY'))),
    }),
  },
  {
    name: 'investigate',
    rule: (k) => (k === 'second-page' ? alarmsPage2 : { service: 'logs', fault: faultOf[k] }),
    base: () => [pagedDescribeAlarms()],
    resources: () => lambdas,
    args: () => ['investigate', 'errors in flt-a', '--env', 'test', '--since', '1h', '--output', 'json'],
    control: { exits: [0, 1], check: (j) => expect(j.verdict).toMatch(/NO_FINDINGS|FINDINGS/) },
    outcome: (k) => ({
      exits: [1, 4],
      // NO_FINDINGS says every source was read in full; after a failed read it is a false all-clear.
      falseHealthy: (j) => Boolean(j && j.verdict === 'NO_FINDINGS'),
    }),
  },
  {
    name: 'remediate',
    // Faults hit the apply call; the "second page" is the second read of the function (the verify step).
    rule: (k) =>
      k === 'second-page'
        ? { service: 'lambda', when: isGetFunction('flt-r-second-page'), skip: 1, fault: { kind: 'server-error' } }
        : k === 'access-denied'
          ? { service: 'lambda', fault: faultOf[k] }
          : { service: 'lambda', when: isUpdateConfig, fault: faultOf[k] },
    base: () => [],
    resources: (k) => [{ type: 'lambda', name: `flt-r-${k}` }],
    args: (k) => ['remediate', '--action', 'restart_lambda', '--target', `flt-r-${k}`, '--param', 'within_minutes=0', '--env', 'test', '--yes', '--output', 'json'],
    control: { exits: [0], check: (j) => expect(j.verdict).toBe('APPLIED') },
    outcome: () => ({
      exits: [3, 4],
      falseHealthy: (j) => Boolean(j && j.verdict === 'APPLIED' && j.verification?.status === 'verified'),
    }),
  },
  {
    name: 'audit-security',
    rule: (k) =>
      k === 'second-page'
        ? { service: 'securityhub', operation: 'POST /findings', skip: 1, fault: { kind: 'server-error' } }
        : k === 'access-denied'
          ? { service: 'securityhub', fault: faultOf[k] }
          : { service: 'securityhub', operation: 'POST /findings', fault: faultOf[k] },
    base: quietAccount,
    resources: () => lambdas,
    args: () => ['audit', '--type', 'security', '--env', 'test', '--output', 'json'],
    control: { exits: [0], check: (j) => expect(j.sections.security.verdict).toMatch(/PASS|WARN/) },
    outcome: () => ({
      exits: [1, 4],
      // A score or "no findings" from a partial read is a false pass: the section must say UNKNOWN.
      falseHealthy: (j) => Boolean(j && j.sections?.security && j.sections.security.verdict !== 'UNKNOWN'),
    }),
  },
];

/** One run through its own proxy, judged; returns the CLI result and the report JSON (if any). */
async function runCase(cmd: Command, kind: Kind | 'control') {
  const proxy: FaultProxy = await startFaultProxy(moto());
  try {
    if (kind !== 'control') proxy.addRule(cmd.rule(kind));
    for (const r of cmd.base()) proxy.addRule(r);
    const dir = project(proxy.endpoint, cmd.resources(kind));
    const target = cmd.name === 'remediate' ? `flt-r-${kind}` : undefined;
    const before = target ? await restartMarker(target) : undefined;
    const env = kind === 'delay' ? { HELM_CLOUD_REQUEST_TIMEOUT_MS: '1000' } : {};
    const r = await runCli(cmd.args(kind), { cwd: dir, env, timeoutMs: 90_000 });
    // A delayed request the client gave up on must not reach moto later and change state behind the log.
    if (kind === 'delay' && target) await new Promise((res) => setTimeout(res, 3500));
    let json: Record<string, any> | undefined;
    try {
      json = JSON.parse(r.stdout) as Record<string, any>;
    } catch {
      json = undefined;
    }
    const corrupted = corruptedFiles(join(dir, '.fractary'));
    const crash = isCrash(r);
    const outcome = kind === 'control' ? undefined : cmd.outcome(kind);
    const falseHealthy = outcome ? outcome.falseHealthy(json, r) : false;
    record({ case: `faults: ${cmd.name} × ${kind}`, faults: proxy.faultsInjected(), crash, falseHealthy, corruptedFiles: corrupted });
    const context = `exit ${r.code}, faults ${proxy.faultsInjected()}, calls ${JSON.stringify(proxy.calls())}\nstderr: ${r.stderr.slice(0, 2000)}\nstdout: ${r.stdout.slice(0, 1500)}`;
    expect(crash, context).toBe(false);
    expect(corrupted, context).toEqual([]);
    expect(falseHealthy, context).toBe(false);
    // A clear message: a report whose summary says what happened, or a diagnostic on stderr.
    expect(json?.summary ?? r.stderr.trim(), context).toMatch(/\S/);
    if (json) expect(json.exitCode, context).toBe(r.code);
    if (kind === 'control') {
      expect(cmd.control.exits, context).toContain(r.code);
      cmd.control.check(json!);
    } else {
      expect(proxy.faultsInjected(), 'the fault was never injected: the case tests nothing').toBeGreaterThan(0);
      expect(outcome!.exits, context).toContain(r.code);
    }
    if (target) {
      // Every change made to the function has an outcome line (not only an intent) in actions.jsonl.
      const after = await restartMarker(target);
      const logPath = join(dir, '.fractary/plugins/helm-cloud/actions.jsonl');
      const lines = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { outcome: string; target: string }) : [];
      const outcomes = lines.filter((l) => l.target === target && l.outcome !== 'intent').map((l) => l.outcome);
      if (after !== before) expect(outcomes, `${target} changed; ${context}`).not.toEqual([]);
      // A change that landed although its answer was lost must not be logged as a plain failure.
      const failed = lines.filter((l) => l.target === target && l.outcome === 'failed') as { reason?: string }[];
      if (after !== before && failed.length) expect(JSON.stringify(failed), context).toMatch(/DID land/);
      if (kind !== 'access-denied') expect(outcomes.length, context).toBe(1);
    }
    return { r, json };
  } finally {
    await proxy.stop();
  }
}

for (const cmd of COMMANDS) {
  describe.concurrent(`${cmd.name} under faults`, () => {
    it(`${cmd.name}: a fault-free control run reaches its good outcome`, async () => {
      await runCase(cmd, 'control');
    }, 120_000);
    for (const kind of KINDS) {
      it(`${cmd.name} × ${kind}: documented exit, clear message, no stack, no false good news, no broken file`, async () => {
        await runCase(cmd, kind);
      }, 120_000);
    }
  });
}

// The other audit sections through one representative fault each: their reads differ from Security Hub's.
describe.concurrent('audit cost and compliance under faults', () => {
  const sectionCase = (type: 'cost' | 'compliance', rule: Rule, label: string) =>
    it(`audit --type ${type} × ${label}: section UNKNOWN with the reason, exit 1 or 4, no report claiming a pass`, async () => {
      const cmd: Command = {
        name: `audit-${type}`,
        rule: () => rule,
        base: quietAccount,
        resources: () => lambdas,
        args: () => ['audit', '--type', type, '--env', 'test', '--output', 'json'],
        control: { exits: [0], check: () => undefined },
        outcome: () => ({ exits: [1, 4], falseHealthy: (j) => Boolean(j && j.sections?.[type] && j.sections[type].verdict !== 'UNKNOWN') }),
      };
      const { json } = await runCase(cmd, 'throttle');
      // Either the report with the section's reason, or — when the run stopped at the access problem (exit 4) — the
      // gate's JSON error document saying why; never a JSON document without a reason.
      if (json?.error) expect(json.error.message).toMatch(/\S/);
      else if (json) expect(json.sections[type].reason).toMatch(/\S/);
    }, 120_000);
  sectionCase('cost', { service: 'ce', operation: 'GetCostAndUsage', fault: { kind: 'reset' } }, 'connection reset on GetCostAndUsage');
  sectionCase('compliance', { service: 'config', fault: { kind: 'throttle' } }, 'throttling on every Config call');
  sectionCase('cost', { service: 'ce', operation: 'GetCostAndUsage', fault: { kind: 'garbage' } }, 'garbage body on GetCostAndUsage');
});
