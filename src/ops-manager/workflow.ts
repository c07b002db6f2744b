/**
 * Workflows: templates from the package's workflows/ folder run step by step through the same `run()` as the CLI;
 * each step's result is persisted under .fractary/plugins/helm-cloud/workflows/<run-id>.json before the next
 * starts, so an interrupted run resumes at its first unfinished step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import TOML from '@iarna/toml';
import { HelmError } from '../errors.js';
import { bufferIo, type Io } from '../io.js';
import { closest } from '../core/closest.js';
import { checkTemplate, fill, nextStep, plan, unmet, varsHint, type PlannedStep, type RunRecord, type StepResult, type WorkflowTemplate } from '../core/workflow.js';
import { loadEnvironments, openWorkspace, packageDir } from '../config/load.js';
import { storeOf } from '../store/index.js';
import { mdTable, renderTable, safeText, type CommandResult } from '../report/render.js';
import { shellSplit, COMMANDS } from '../commands/dispatch.js';

export const WORKFLOW_SCHEMA = 'helm-cloud/workflow@1';
/** A run's lock is abandoned after this long even if its holder seems alive (another host, a reused pid). */
const RUN_STALE_MS = 6 * 3600_000;
const DIR = () => join(packageDir(), 'workflows');

export function templates(): WorkflowTemplate[] {
  return readdirSync(DIR())
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((f) => {
      try {
        return checkTemplate(TOML.parse(readFileSync(join(DIR(), f), 'utf8')), `workflows/${f}`);
      } catch (e) {
        throw new HelmError('config', String((e as Error).message), { file: `workflows/${f}`, fix: 'fix the template (see workflows/*.toml)' });
      }
    });
}

export function template(name: string): WorkflowTemplate {
  const all = templates();
  const t = all.find((w) => w.name === name);
  if (!t) {
    const near = closest(name, all.map((w) => w.name));
    throw new HelmError('usage', `unknown workflow "${name.slice(0, 60)}"`, { fix: near ? `did you mean ${near}? (workflow list)` : `workflows: ${all.map((w) => w.name).join(', ')}` });
  }
  return t;
}

export interface WorkflowRequest {
  op: 'list' | 'show' | 'run';
  name?: string;
  env?: string;
  dryRun?: boolean;
  resume?: string;
  /** --var NAME=VALUE, already parsed; on resume they override the recorded ones. */
  vars?: Record<string, string>;
  cwd: string;
}

const result = (json: Record<string, unknown>, exitCode: number, headers: string[], rows: string[][], title: string, footer: string[] = []): CommandResult => ({
  json: { schema: WORKFLOW_SCHEMA, command: 'workflow', generatedAt: new Date().toISOString(), exitCode, ...json } as CommandResult['json'],
  exitCode,
  table: (color) => [title, '', renderTable(headers, rows, { color }), ...footer].join('\n'),
  markdown: () => [`## ${title}`, '', mdTable(headers, rows), ...footer, ''].join('\n'),
});

function planOf(t: WorkflowTemplate, cwd: string, env: string | undefined): { env: string; steps: PlannedStep[] } {
  const ws = openWorkspace(cwd);
  const envs = Object.keys(loadEnvironments(ws).environments);
  const chosen = env ?? (envs.includes('test') ? 'test' : envs[0]!);
  if (!envs.includes(chosen)) {
    const near = closest(chosen, envs);
    throw new HelmError('usage', `unknown environment "${chosen.slice(0, 60)}"`, { fix: near ? `did you mean --env ${near}?` : `environments: ${envs.join(', ')}` });
  }
  return { env: chosen, steps: plan(t, chosen, envs, COMMANDS) };
}

/** A word as a shell would need it, so a recorded command line can be pasted back. */
const quote = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`);

/** Whether the step's command (or sub-command) has --dry-run, so a human step can show its plan first. */
async function takesDryRun(argv: string[], cwd: string): Promise<boolean> {
  const { buildProgram } = await import('../commands/program.js');
  const program = buildProgram({ io: bufferIo(), cwd, exitCode: 0 });
  const named = (cs: typeof program.commands, w: string | undefined) => cs.find((c) => c.name() === w || c.aliases().includes(w ?? ''));
  const cmd = named(program.commands, argv[0]);
  const target = (cmd && named(cmd.commands, argv[1])) ?? cmd;
  return Boolean(target?.options.some((o) => o.long === '--dry-run'));
}

export async function runWorkflow(req: WorkflowRequest, io: Io): Promise<CommandResult> {
  if (req.op === 'list') {
    const all = templates();
    return result({ verdict: 'OK', summary: `${all.length} workflows`, workflows: all.map((w) => ({ name: w.name, description: w.description, steps: w.steps.length })) }, 0, ['workflow', 'steps', 'description'], all.map((w) => [w.name, String(w.steps.length), safeText(w.description)]), 'workflows', ['', 'workflow show NAME for the steps; workflow run NAME --env E to run (--dry-run: the plan)']);
  }
  const store = storeOf(openWorkspace(req.cwd)).family('workflows');
  let record: RunRecord | undefined;
  if (req.resume) {
    if (!/^[a-z0-9_-]{1,100}$/i.test(req.resume)) throw new HelmError('usage', `bad run id "${req.resume.slice(0, 60)}"`, { fix: 'use the id `workflow run` printed' });
    record = await store.readJson<RunRecord>(`${req.resume}.json`);
    if (!record) throw new HelmError('usage', `no workflow run "${req.resume}"`, { file: `.fractary/plugins/helm-cloud/workflows/${req.resume}.json`, fix: 'use the id `workflow run` printed' });
    if (req.name && req.name !== record.workflow) throw new HelmError('usage', `run ${req.resume} is a ${record.workflow} run, not ${req.name}`, { fix: `workflow run ${record.workflow} --resume ${req.resume}` });
  }
  const t = template(record?.workflow ?? req.name ?? '');
  const { env, steps } = planOf(t, req.cwd, record?.env ?? req.env);
  const unknown = Object.keys(req.vars ?? {}).filter((k) => !(k in t.vars));
  if (unknown.length) {
    const names = Object.keys(t.vars);
    throw new HelmError('usage', `workflow ${t.name} has no variable "${unknown[0]!.slice(0, 40)}"`, { fix: names.length ? `its variables: ${names.map((n) => `--var ${n}=${t.vars[n]}`).join(' ')}` : `it takes no --var (add a [vars] table to workflows/${t.name}.toml)` });
  }
  if (req.op === 'show' || req.dryRun) {
    const rows = steps.map((s, i) => [String(i + 1), s.key, s.skip ? `skip: ${s.skip}` : `${s.human ? `${s.run} --dry-run (then a person confirms)` : s.run}${s.when ? ` (only when ${s.when})` : ''}`]);
    return result({ verdict: 'OK', summary: `${t.name}: ${steps.length} steps in ${env}`, workflow: t.name, description: t.description, environment: env, dryRun: Boolean(req.dryRun), vars: t.vars, steps }, 0, ['#', 'step', 'command'], rows, `workflow ${t.name} (${env})${req.dryRun ? ' — plan, nothing run' : ''}: ${safeText(t.description)}`, Object.keys(t.vars).length ? ['', `variables: ${Object.entries(t.vars).map(([k, v]) => `--var ${k}=${safeText(v)}`).join(' ')}`] : []);
  }
  record ??= { schema: 'helm-cloud/workflow-run@1', id: `${t.name}-${new Date().toISOString().replace(/[-:]|\.\d+/g, '').toLowerCase()}-${randomBytes(2).toString('hex')}`, workflow: t.name, env, startedAt: new Date().toISOString(), status: 'running', steps: [] };
  const rec = record;
  const save = () => store.replaceJson(`${rec.id}.json`, rec);
  const put = async (r: StepResult) => {
    rec.steps = [...rec.steps.filter((s) => s.key !== r.key), r];
    await save();
  };
  // One process runs a run at a time: a second `--resume` of a run still going is refused, not run twice. A run
  // killed mid-step leaves its lock behind with a dead pid, which the next --resume recovers (store leases).
  const lockKey = `.${rec.id}.run.lock`;
  const lease = await store.lease(lockKey, { what: 'workflow run', run: rec.id }, RUN_STALE_MS, Date.now());
  if (!lease.ok) {
    const h = lease.holder;
    throw new HelmError('action-failed', `workflow run ${rec.id} is being run by another process${h ? ` (pid ${h.pid} on ${h.host} since ${h.acquiredAt})` : ''}`, {
      file: store.display(lockKey),
      fix: 'wait for it to finish; if that process is gone, the lock is recovered automatically',
    });
  }
  // What a process that held the lock until now did is in the record: read it again under the lock.
  if (req.resume) Object.assign(rec, (await store.readJson<RunRecord>(`${rec.id}.json`)) ?? {});
  if (req.vars && Object.keys(req.vars).length) {
    rec.vars = { ...rec.vars, ...req.vars };
    await save();
  }
  io.err(`workflow ${t.name} run ${rec.id} (${env})${req.resume ? ' — resuming' : ''}`);
  if (lease.recovered) io.err(`note: run ${rec.id} was interrupted (its process, pid ${lease.recovered.pid}, is gone): resuming at its first unfinished step`);
  let code = 0;
  let stop: string | undefined;
  try {
    for (let i = nextStep(steps, rec); i < steps.length; i++) {
      const s = steps[i]!;
      const at = () => new Date().toISOString();
      if (s.skip) {
        await put({ key: s.key, command: s.run, status: 'skipped', reason: s.skip, at: at() });
        io.progress(`  ${s.key}: skipped (${s.skip})`);
        continue;
      }
      const why = unmet(s.when, rec.steps);
      if (why) {
        await put({ key: s.key, command: s.run, status: 'skipped', reason: why, at: at() });
        io.progress(`  ${s.key}: skipped (${why})`);
        continue;
      }
      const filled = fill(s.run, rec.id, rec.steps, rec.vars);
      if (!filled.line) {
        const reason = filled.vars ? varsHint(filled.vars, t.vars) : `${filled.missing} has no value (the step it reads did not report it)`;
        await put({ key: s.key, command: s.run, status: 'skipped', reason, at: at() });
        io.progress(`  ${s.key}: skipped (${reason})`);
        continue;
      }
      const argv = shellSplit(filled.line);
      if (s.human && !(await takesDryRun(argv, req.cwd))) {
        // Nothing to preview (acknowledge, silence…): the step is the proposal itself, for a person to run.
        await put({ key: s.key, command: filled.line, status: 'handoff', summary: `proposed for a person: helm-cloud ${filled.line}`, at: at() });
        code = Math.max(code, 3);
        stop = `step ${s.key} needs a person (${s.title}): run \`helm-cloud ${filled.line}\` if it is right, then \`helm-cloud workflow run ${t.name} --resume ${rec.id}\``;
        break;
      }
      if (s.human) argv.push('--dry-run');
      if (!argv.includes('--output')) argv.push('--output', 'json');
      const line = argv.map(quote).join(' ');
      await put({ key: s.key, command: line, status: 'running', at: at() });
      io.progress(`  ${s.key}: ${line}`);
      const b = bufferIo();
      const { run } = await import('../commands/program.js');
      const exitCode = await run(argv, b, req.cwd);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(b.stdout) as Record<string, unknown>;
      } catch {
        /* no JSON report (an error): the summary says why */
      }
      const summary = String(json?.summary ?? b.stderr.trim().split('\n').at(-1) ?? '').slice(0, 300);
      const failed = exitCode === 2 || exitCode === 4 || exitCode >= 70;
      const status = failed ? 'failed' : s.human ? 'handoff' : 'done';
      await put({ key: s.key, command: line, status, exitCode, verdict: json?.verdict as string | undefined, summary, json: JSON.stringify(json ?? null).length < 64_000 ? json : undefined, at: at() });
      code = Math.max(code, exitCode);
      if (failed) {
        stop = `step ${s.key} failed (exit ${exitCode}): ${summary}; fix it, then \`helm-cloud workflow run ${t.name} --resume ${rec.id}\``;
        break;
      }
      if (s.human) {
        code = Math.max(code, 3);
        stop = `step ${s.key} needs a person: review the plan above, apply it (\`helm-cloud ${filled.line}\` confirms on a terminal), then \`helm-cloud workflow run ${t.name} --resume ${rec.id}\``;
        break;
      }
    }
    rec.status = stop ? 'stopped' : 'done';
    await save();
  } finally {
    await lease.release();
  }
  const rows = steps.map((s) => {
    const r = rec.steps.find((x) => x.key === s.key);
    return [s.key, r ? r.status : 'pending', r?.exitCode === undefined ? '—' : String(r.exitCode), r?.verdict ?? '—', safeText(r?.reason ?? r?.summary ?? '')];
  });
  const verdict = stop ? 'STOPPED' : code >= 3 ? 'UNHEALTHY' : code === 1 ? 'DEGRADED' : 'OK';
  return result(
    { verdict, summary: stop ?? `${t.name} finished: ${rec.steps.filter((s) => s.status === 'done').length} steps run, ${rec.steps.filter((s) => s.status === 'skipped').length} skipped`, environment: env, workflow: t.name, run: rec.id, ...(rec.vars ? { vars: rec.vars } : {}), steps: rec.steps.map(({ json: _json, ...r }) => r), ...(stop ? { resume: `helm-cloud workflow run ${t.name} --resume ${rec.id}` } : {}) },
    code,
    ['step', 'status', 'exit', 'verdict', 'summary'],
    rows,
    `workflow ${t.name} run ${rec.id} (${env}): ${verdict}`,
    stop ? ['', stop] : [],
  );
}
