/**
 * Safety rules, the lock, the log, issues and free-text requests, end to end against moto. TTY cases run the
 * ops-manager in-process with a buffered io that answers the prompt (a child process has no terminal).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/io.js';
import { runRemediate } from '../../src/ops-manager/remediate.js';
import { openWorkspace } from '../../src/config/load.js';
import { createIssue, readIssue } from '../../src/store/helm.js';
import { moto, Seeder, startFaultProxy } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';
import { cfg, logLines, project, remediate } from './remediate-support.js';

let seeder: Seeder;
beforeAll(() => {
  seeder = new Seeder({ endpoint: moto() });
});
afterAll(() => seeder.destroy());

async function memoryOf(name: string): Promise<number> {
  const L = await import('@aws-sdk/client-lambda');
  const c = new L.LambdaClient(cfg());
  try {
    return (await c.send(new L.GetFunctionCommand({ FunctionName: name }))).Configuration!.MemorySize!;
  } finally {
    c.destroy();
  }
}

const inProcess = (dir: string, extra: Partial<Parameters<typeof runRemediate>[0]>, io: ReturnType<typeof bufferIo>) =>
  runRemediate({ cwd: dir, env: 'test', output: 'json', params: {}, dryRun: false, yes: false, ...extra }, io);

describe('safety levels', () => {
  it('a never_auto action prints the runbook, exits 3, makes no AWS call and logs the refusal', async () => {
    const proxy = await startFaultProxy(moto());
    try {
      const dir = project([{ type: 'rds', name: 'sf-db' }], { endpoint: proxy.endpoint });
      const r = await remediate(dir, ['delete sf-db', '--env', 'test', '--yes']);
      expect(r.code).toBe(3);
      expect(r.r.verdict).toBe('REFUSED');
      expect(r.r.runbook!.cli.join(' ')).toMatch(/aws rds delete-db-instance .*sf-db/);
      expect(Object.keys(proxy.calls())).toEqual([]);
      expect(logLines(dir).map((l) => [l.outcome, l.action])).toEqual([['refused', 'delete_resources']]);
    } finally {
      await proxy.stop();
    }
  });

  it('an action listed in no [remediation] list counts as never_auto', async () => {
    await seeder.createFunction('sf-unlisted', { memory: 128 });
    const toml = '[remediation]\nauto_remediate = ["restart_lambda"]\nrequire_confirmation = []\nnever_auto = []\n';
    const dir = project([{ type: 'lambda', name: 'sf-unlisted' }], { monitoring: toml });
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'sf-unlisted', '--param', 'memory_mb=512', '--env', 'test', '--yes']);
    expect(r.code).toBe(3);
    expect(r.r.safety.reason).toMatch(/not listed/);
    expect(await memoryOf('sf-unlisted')).toBe(128);
  });

  it('a confirmation action without --yes in a non-interactive run is refused with exit 2 and changes nothing', async () => {
    await seeder.createFunction('sf-noyes', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'sf-noyes' }]);
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'sf-noyes', '--param', 'memory_mb=512', '--env', 'test']);
    expect(r.code).toBe(2);
    expect(r.r.steps.find((s) => s.step === 'confirm')).toMatchObject({ status: 'refused' });
    expect(r.r.summary).toMatch(/--yes/);
    expect(await memoryOf('sf-noyes')).toBe(128);
    expect(logLines(dir).map((l) => l.outcome)).toEqual(['refused']);
  });

  it('a protected environment asks even for auto actions: refused without --yes, applied with it', async () => {
    await seeder.createFunction('sf-prod');
    const dir = project([{ type: 'lambda', name: 'sf-prod' }]);
    const refused = await remediate(dir, ['--action', 'restart_lambda', '--target', 'sf-prod', '--env', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.r.safety).toMatchObject({ level: 'confirm', protected: true });
    const applied = await remediate(dir, ['--action', 'restart_lambda', '--target', 'sf-prod', '--env', 'prod', '--yes']);
    expect(applied.r.verdict, applied.stderr).toBe('APPLIED');
  });

  it('--dry-run prints the plan, exits 0, applies nothing and logs nothing', async () => {
    await seeder.createFunction('sf-dry', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'sf-dry' }]);
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'sf-dry', '--param', 'memory_mb=2048', '--env', 'test', '--dry-run', '--yes']);
    expect(r.code).toBe(0);
    expect(r.r.verdict).toBe('PLANNED');
    expect(r.r.plan!.changes).toEqual([{ field: 'memory_mb', from: 128, to: 2048 }]);
    expect(r.r.plan!.permissions).toContain('lambda:UpdateFunctionConfiguration');
    expect(await memoryOf('sf-dry')).toBe(128);
    expect(logLines(dir)).toEqual([]);
  });

  it('on a terminal, a confirmation action asks and applies on yes', async () => {
    await seeder.createFunction('sf-tty-yes', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'sf-tty-yes' }]);
    const io = bufferIo({ tty: true, answers: [true] });
    const res = await inProcess(dir, { action: 'increase_capacity', target: 'sf-tty-yes', params: { memory_mb: '256' } }, io);
    expect(io.asked).toHaveLength(1);
    expect(io.asked[0]).toMatch(/memory_mb: 128 → 256/);
    expect(res.json.verdict).toBe('APPLIED');
    expect(await memoryOf('sf-tty-yes')).toBe(256);
  });

  it('on a terminal, answering no refuses with exit 3 and changes nothing', async () => {
    await seeder.createFunction('sf-tty-no', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'sf-tty-no' }]);
    const io = bufferIo({ tty: true, answers: [false] });
    const res = await inProcess(dir, { action: 'increase_capacity', target: 'sf-tty-no', params: { memory_mb: '256' } }, io);
    expect(res.exitCode).toBe(3);
    expect(res.json.verdict).toBe('REFUSED');
    expect(await memoryOf('sf-tty-no')).toBe(128);
  });

  it('on a terminal, an auto action in an unprotected environment does not ask', async () => {
    await seeder.createFunction('sf-tty-auto');
    const dir = project([{ type: 'lambda', name: 'sf-tty-auto' }]);
    const io = bufferIo({ tty: true, answers: [] });
    const res = await inProcess(dir, { action: 'restart_lambda', target: 'sf-tty-auto' }, io);
    expect(io.asked).toEqual([]);
    expect(res.json.verdict).toBe('APPLIED');
  });
});

describe('lock', () => {
  const lockFile = (dir: string, target: string, env = 'test') => join(dir, '.fractary/plugins/helm-cloud/locks', `${env}--${target}.lock`);

  it('refuses while another live remediation holds the target, naming the holder', async () => {
    await seeder.createFunction('lk-held', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'lk-held' }]);
    mkdirSync(join(dir, '.fractary/plugins/helm-cloud/locks'), { recursive: true });
    // This test process is alive on this host: the lock is genuinely held.
    writeFileSync(lockFile(dir, 'lk-held'), JSON.stringify({ env: 'test', pid: process.pid, host: hostname(), operator: 'alice', action: 'rollback', target: 'lk-held', acquiredAt: new Date().toISOString() }));
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'lk-held', '--param', 'memory_mb=512', '--env', 'test', '--yes']);
    expect(r.code).toBe(3);
    expect(r.r.verdict).toBe('REFUSED');
    expect(r.r.summary).toMatch(/locked by another remediation: alice .*rollback/);
    expect(await memoryOf('lk-held')).toBe(128);
    expect(existsSync(lockFile(dir, 'lk-held'))).toBe(true);
  });

  it('recovers a stale lock left by a dead process and applies, then releases the lock', async () => {
    await seeder.createFunction('lk-stale', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'lk-stale' }]);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    mkdirSync(join(dir, '.fractary/plugins/helm-cloud/locks'), { recursive: true });
    writeFileSync(lockFile(dir, 'lk-stale'), JSON.stringify({ env: 'test', pid: Number(dead), host: hostname(), operator: 'bob', action: 'restart_lambda', target: 'lk-stale', acquiredAt: new Date().toISOString() }));
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'lk-stale', '--param', 'memory_mb=512', '--env', 'test', '--yes']);
    expect(r.r.verdict, r.stderr).toBe('APPLIED');
    expect(r.stderr).toMatch(/recovered a stale lock .* bob/);
    expect(existsSync(lockFile(dir, 'lk-stale'))).toBe(false);
  });
});

describe('actions.jsonl', () => {
  it('records intent before the outcome with every field, and survives a torn line from a killed run', async () => {
    await seeder.createFunction('lg-fn', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'lg-fn' }]);
    mkdirSync(join(dir, '.fractary/plugins/helm-cloud'), { recursive: true });
    appendFileSync(join(dir, '.fractary/plugins/helm-cloud/actions.jsonl'), '{"attempt":"x","outcome":"inte');
    appendFileSync(join(dir, '.fractary/plugins/helm-cloud/actions.jsonl'), '\n');
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'lg-fn', '--param', 'memory_mb=512', '--env', 'test', '--yes'], { USER: 'carol', GITHUB_ACTIONS: undefined });
    expect(r.r.verdict, r.stderr).toBe('APPLIED');
    const lines = readFileSync(join(dir, '.fractary/plugins/helm-cloud/actions.jsonl'), 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.outcome)).toEqual(['intent', 'applied']);
    expect(lines[0].attempt).toBe(lines[1].attempt);
    const applied = lines[1];
    for (const k of ['time', 'operator', 'environment', 'action', 'target', 'params', 'before', 'after', 'verification', 'issue', 'plan', 'safety']) expect(applied).toHaveProperty(k);
    expect(applied).toMatchObject({ operator: 'carol', environment: 'test', action: 'increase_capacity', target: 'lg-fn', params: { memory_mb: 512 }, before: { memory_mb: 128 }, after: { memory_mb: 512 }, verification: { ok: true } });
    expect(r.r.log).toEqual({ path: expect.stringContaining('actions.jsonl'), line: 3 });
  });

  it('names the CI actor as operator in GitHub Actions', async () => {
    await seeder.createFunction('lg-ci');
    const dir = project([{ type: 'lambda', name: 'lg-ci' }]);
    await remediate(dir, ['--action', 'restart_lambda', '--target', 'lg-ci', '--env', 'test'], { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' });
    expect(logLines(dir).at(-1)!.operator).toBe('github:octocat');
  });
});

describe('issues', () => {
  it('--issue takes the diagnosis proposal, cites it in the plan, and resolves the issue when verified', async () => {
    await seeder.createFunction('is-fn', { memory: 128 });
    const dir = project([{ type: 'lambda', name: 'is-fn' }]);
    const ws = openWorkspace(dir);
    const issue = await createIssue(ws, { domain: 'infra', title: 'is-fn timeouts', severity: 'high', environment: 'test', status: 'investigating', diagnosis: { summary: 'out of memory', proposed_actions: [{ action: 'increase_capacity', target: 'is-fn', params: { memory_mb: 1024 }, reason: 'OOM kills' }] } }, Date.now());
    const r = await remediate(dir, ['--issue', issue.id, '--env', 'test', '--yes']);
    expect(r.r.verdict, r.stderr).toBe('APPLIED');
    expect(r.r.request.source).toBe('issue');
    expect(r.r.request.reading).toMatch(new RegExp(`from issue ${issue.id} diagnosis`));
    expect(r.r.steps.find((s) => s.step === 'propose')!.detail).toContain(`proposed by ${issue.id}`);
    expect(await memoryOf('is-fn')).toBe(1024);
    const after = await readIssue(ws, issue.id);
    expect(after.status).toBe('resolved');
    expect(after.actions.at(-1)).toMatchObject({ action: 'increase_capacity', target: 'is-fn', outcome: 'applied' });
    expect(logLines(dir).at(-1)!.issue).toBe(issue.id);
  });

  it('a never_auto action for an issue escalates it to the deploy tool', async () => {
    const dir = project([{ type: 'rds', name: 'is-db' }]);
    const ws = openWorkspace(dir);
    const issue = await createIssue(ws, { domain: 'infra', title: 'db exposed', severity: 'critical', environment: 'test', diagnosis: { summary: 'sg', proposed_actions: [{ action: 'modify_security_groups', target: 'is-db' }] } }, Date.now());
    const r = await remediate(dir, ['--issue', issue.id, '--env', 'test']);
    expect(r.code).toBe(3);
    expect((await readIssue(ws, issue.id)).status).toBe('escalated');
    expect(existsSync(join(dir, '.fractary/faber/escalations', `${issue.id}.json`))).toBe(true);
  });
});

describe('free-text requests', () => {
  it('an ambiguous target is refused with exit 2, listing the candidates, and nothing runs', async () => {
    const dir = project([{ type: 'lambda', name: 'nl-orders-api' }, { type: 'lambda', name: 'nl-orders-worker' }]);
    const r = await runCliRaw(dir, ['remediate', 'restart the orders lambda', '--env', 'test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nl-orders-api.*nl-orders-worker|nl-orders-worker.*nl-orders-api/);
    expect(r.stderr).toMatch(/Phrasings it reads/);
    expect(logLines(dir)).toEqual([]);
  });

  it('a target the registry does not hold is refused with exit 2', async () => {
    const dir = project([{ type: 'lambda', name: 'nl-orders-worker' }]);
    const r = await runCliRaw(dir, ['remediate', 'restart the billing lambda', '--env', 'test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/matches "billing"/);
  });

  it('shows its reading in the plan of a scale request', async () => {
    await seeder.createEcsService('nl-cluster', 'nl-api', { desired: 2 });
    const dir = project([{ type: 'ecs_service', name: 'nl-api', cluster: 'nl-cluster' }]);
    const r = await remediate(dir, ['scale the nl-api service to 6 tasks', '--env', 'test', '--dry-run']);
    expect(r.r.verdict).toBe('PLANNED');
    expect(r.r.request.reading).toMatch(/read as: scale to 6 → scale_resources on nl-api/);
    expect(r.r.plan!.changes).toEqual([{ field: 'desired_count', from: 2, to: 6 }]);
  });

  it('escapes user text in markdown output', async () => {
    const dir = project([{ type: 'lambda', name: 'nl-md' }]);
    const r = await runCliRaw(dir, ['remediate', 'delete nl-md | <script>', '--env', 'test', '--output', 'markdown']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('## Runbook');
    const md = inertMarkdown(r.stdout);
    expect(md.text).toContain('Asked: delete nl-md | <script>');
    // The runbook's commands are code to copy, in an sh block.
    expect(md.code.some((c) => c.info === 'sh' && /\S/.test(c.content))).toBe(true);
  });
});

async function runCliRaw(dir: string, args: string[]) {
  const { runCli } = await import('../support/index.js');
  return runCli(args, { cwd: dir });
}
