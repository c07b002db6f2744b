/**
 * ops-manager: the deploy family. Resolves environment, project and policy, wires the ops-deploy skill to
 * health (the ops-monitor skill over the project's live resources), the Lambda/ECS/CloudWatch adapters, the
 * incident and on-call families when configured, and the `deployments/` history in the store, where every
 * assessment and verification is recorded with its inputs. The registry stays faber-cloud's: never written.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { cloudWatch } from '../aws/cloudwatch.js';
import { ecsWrite } from '../aws/ecs-write.js';
import { lambdaWrite } from '../aws/lambda.js';
import { DeploySection } from '../config/deploy-schema.js';
import { closest, configProblem, dropNullOptionals, explainZod, printable } from '../config/explain.js';
import { parseJsonStrict } from '../config/json-strict.js';
import { deployTimeline, MAX_REGISTRY_BYTES, readConfigText } from '../config/load.js';
import { Deployment } from '../config/schemas.js';
import { worst } from '../core/verdict.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { JunitCase, JunitSuite } from '../report/junit.js';
import type { ActionJson, CommandResult } from '../report/model.js';
import { publish } from '../report/publish.js';
import { loadResource } from '../resources/index.js';
import { monitor } from '../skills/ops-monitor/monitor.js';
import { runDeployAction, type DeployAction, type DeployContext, type DeployOutcome, type DeployParams, type DeployRecord, type HealthSummary } from '../skills/ops-deploy/index.js';
import { deployMarkdown, deployTable } from '../skills/ops-deploy/render.js';
import { storeOf } from '../store/index.js';
import { openOncall, teamForService, type Oncall } from '../skills/ops-oncall/index.js';
import { resolveContext, type CommonOptions, type ContextOverrides } from './context.js';

export const DEPLOY_SCHEMA = 'helm-cloud/deploy@1';
const HISTORY = 'history.jsonl';

export interface DeployRequest extends CommonOptions {
  action: DeployAction;
  project?: string;
  params: DeployParams;
  junit?: string;
}

export interface DeployOverrides extends ContextOverrides {
  sleep?: (ms: number) => Promise<void>;
}

/** The deploy actions a pipeline gates on: they write JUnit (`--junit`) and the GitHub step summary. */
export const DEPLOY_GATES: readonly DeployAction[] = ['pre_deploy_checklist', 'post_deploy_verify'];

export async function runDeploy(req: DeployRequest, io: Io, overrides: DeployOverrides = {}): Promise<CommandResult<ActionJson>> {
  const t0 = performance.now();
  const ctx = resolveContext(req, io, overrides);
  const policy = ctx.monitoring.deploy ?? DeploySection.parse({});
  const all = deployTimeline(ctx.registry, ctx.env.name);
  const projects = [...new Set(all.map((d) => d.project))].sort();
  const project = req.project ?? (projects.length === 1 ? projects[0] : undefined);
  if (!project || !projects.includes(project)) {
    const near = project ? closest(project, projects) : undefined;
    throw new HelmError('usage', project ? `no project "${printable(project)}" has deployments in ${ctx.env.name}` : `${ctx.env.name} has ${projects.length ? `${projects.length} projects` : 'no deployments'}: name one`, {
      keyPath: '--project',
      fix: near ? `did you mean --project ${near}?` : projects.length ? `use one of: ${projects.join(', ')}` : 'the registry has no deployments for this environment',
    });
  }
  const now = ctx.now();
  const family = storeOf(ctx.ws).family('deployments');
  const resources = ctx.resources.filter((r) => r.project === project);
  const health = async (rs: typeof resources): Promise<HealthSummary> => {
    const m = await monitor({ aws: ctx.aws, monitoring: ctx.monitoring, resources: rs, now, windowMs: 3600_000, burnRate: false, access: { ...ctx.aws.describe() } });
    const budgets = m.resources.flatMap((r) => r.slos.map((s) => s.budgetConsumedPercent)).filter((b): b is number => b !== null && Number.isFinite(b));
    return {
      verdict: worst(m.resources.map((r) => r.verdict)),
      budgetRemainingPercent: budgets.length ? 100 - Math.max(...budgets) : undefined,
      firingAlarms: m.resources.flatMap((r) => r.alarms.filter((a) => a.state === 'ALARM').map((a) => a.name)),
      reasons: m.resources.flatMap((r) => r.reasons.map((x) => `${r.name}: ${x}`)),
    };
  };
  let opened: Promise<Oncall> | undefined;
  const oncall = () => (opened ??= openOncall({ cwd: req.cwd, root: req.root, now: () => now }));
  const dctx: DeployContext = {
    env: { name: ctx.env.name, protected: ctx.env.config.protected },
    project,
    deployments: all.filter((d) => d.project === project),
    resources,
    policy,
    now,
    health,
    descriptor: async (type) => loadResource(type).catch(() => undefined),
    cloudwatch: () => cloudWatch(ctx.aws),
    lambda: () => lambdaWrite(ctx.aws),
    ecs: () => ecsWrite(ctx.aws),
    history: async () => ((await family.readLog(HISTORY)) as DeployRecord[]).filter((h) => h.environment === ctx.env.name && h.project === project),
    // The incident and on-call families answer when [oncall] is configured; without it these lines are UNKNOWN.
    openIncidents: async () => {
      if (!ctx.monitoring.oncall) return null;
      const oc = await oncall();
      const names = new Set([project, ...resources.map((r) => r.name)]);
      const open = await oc.backend.listIncidents({ status: ['triggered', 'acknowledged'] });
      // An incident without a service is counted: nobody said it is elsewhere.
      return open.filter((i) => !i.service || names.has(i.service)).length;
    },
    onCall: async () => {
      if (!ctx.monitoring.oncall) return null;
      const oc = await oncall();
      const team = teamForService(oc.model, project, undefined);
      const who = await oc.whoIsOnCall(team.name, now);
      return { who: (who.tiers[0]?.oncall ?? []).map((p) => `${p.name ?? p.user} (${team.name}, tier 1)`) };
    },
    readTarget: (ref) => readTargetFile(resolve(req.cwd, ref)),
    sleep: overrides.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
  const out = await runDeployAction(req.action, req.params, dctx);
  if (out.record) {
    const rec: DeployRecord = { ...out.record, at: new Date(now).toISOString(), environment: ctx.env.name, project };
    await family.append(HISTORY, { ...rec, inputs: { action: req.action, params: req.params } });
  }
  for (const n of out.notes) io.err(`note: ${n}`);
  const json: ActionJson = {
    schema: DEPLOY_SCHEMA,
    command: 'deploy',
    action: req.action,
    environment: ctx.env.name,
    project,
    generatedAt: new Date(now).toISOString(),
    verdict: out.verdict,
    summary: out.summary,
    exitCode: out.exitCode,
    notes: out.notes,
    ...out.data,
  };
  const elapsedMs = performance.now() - t0;
  const result: CommandResult<ActionJson> = {
    json,
    exitCode: out.exitCode,
    table: (color) => deployTable(out, color),
    markdown: () => deployMarkdown(out, ctx.env.name, project),
    junit: () => deployJunit(out, ctx.env.name, project, { startedAt: now, elapsedMs }),
  };
  const gate = DEPLOY_GATES.includes(req.action);
  await publish(result, { io, junit: gate && req.junit ? resolve(req.cwd, req.junit) : undefined, stepSummary: gate });
  return result;
}

/** A target deployment from a file: the registry's deployment shape, read forward-compatibly. */
function readTargetFile(path: string): import('../config/schemas.js').Deployment | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  // Read like the registry it comes from: encoding and size checks, duplicate keys, null optionals, our words.
  const shown = printable(path, 200);
  const text = readConfigText(path, shown, MAX_REGISTRY_BYTES) ?? '';
  const json = parseJsonStrict(text);
  if (!json.ok) {
    const p = json.problem;
    throw new HelmError('input', `${p.message} at line ${p.line}, column ${p.column}`, { file: shown, keyPath: p.keyPath, fix: 'give a JSON file holding one deployment as the registry records it' });
  }
  const raw = json.value;
  const doc = (raw as { deployments?: unknown[] })?.deployments?.[0] ?? raw;
  const parsed = Deployment.safeParse(dropNullOptionals(Deployment, doc));
  if (!parsed.success) {
    throw configProblem(shown, explainZod(shown, parsed.error, doc, Deployment));
  }
  // Keep per-resource `config` (what the target would set), which the registry schema does not know.
  const resources = ((doc as { resources?: Record<string, unknown>[] }).resources ?? []).map((r, i) => ({ ...parsed.data.resources[i]!, ...(r.config ? { config: r.config } : {}) }));
  return { ...parsed.data, resources } as import('../config/schemas.js').Deployment;
}

/**
 * JUnit, failing where the gate fails (exit ≠ 0): a case per checklist line (FAIL fails, UNKNOWN is an error),
 * or for a verification a case per judged resource plus health (FAIL and MARGINAL fail, INCONCLUSIVE is an
 * error); other actions one case. Case times: until the line's reads had answered.
 */
function deployJunit(out: DeployOutcome, env: string, project: string, run: { startedAt: number; elapsedMs: number }): JunitSuite {
  const classname = `helm-cloud.deploy.${env}.${project}`;
  const judged = (status: string, text: string): Partial<JunitCase> =>
    status === 'PASS' ? {} : status === 'UNKNOWN' || status === 'INCONCLUSIVE' ? { error: `${status}: ${text}` } : { failure: `${status}: ${text}` };
  const time = run.elapsedMs / 1000;
  let cases: JunitCase[];
  if (out.lines) {
    cases = out.lines.map((l) => ({ classname, name: l.label, timeSeconds: (out.lineMs?.[l.id] ?? run.elapsedMs) / 1000, ...judged(l.status, l.detail) }));
  } else if (out.action === 'post_deploy_verify') {
    const d = out.data as { resources?: { resource: string; judgement: string; reason: string }[]; health?: { verdict: string; reasons: string[] } | null };
    cases = (d.resources ?? []).map((r) => ({ classname, name: r.resource, timeSeconds: time, ...judged(r.judgement, r.reason) }));
    const h = d.health;
    cases.push({ classname, name: 'health', timeSeconds: time, ...(h ? (h.verdict === 'UNHEALTHY' ? { failure: `UNHEALTHY: ${h.reasons.join('; ')}` } : h.verdict === 'UNKNOWN' ? { error: `UNKNOWN: ${h.reasons.join('; ')}` } : {}) : { error: 'UNKNOWN: health could not be read' }) });
    if (out.verdict !== 'PASS' && !cases.some((c) => c.failure !== undefined || c.error !== undefined)) cases.push({ classname, name: out.action, timeSeconds: time, error: `${out.verdict}: ${out.summary}` });
  } else {
    cases = [{ classname, name: out.action, timeSeconds: time, ...(out.exitCode === 0 ? {} : { failure: `${out.verdict}: ${out.summary}` }) }];
  }
  return { name: `helm-cloud deploy ${out.action} (${env})`, startedAt: run.startedAt, timeSeconds: time, cases };
}
