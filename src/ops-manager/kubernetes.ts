/**
 * ops-manager: the kubernetes family. Reads (pods, services, deployments, events, logs, describe, top,
 * rollout_status) need only a kubeconfig; writes (scale, rollout_restart) are remediations: they need --env
 * and go through the responder as k8s_scale / k8s_rollout_restart (safety level, confirmation, server-side
 * dry run, lock, actions.jsonl, idempotency, verification).
 */
import { KubeProvider, type KubeApi } from '../adapters/kubernetes/client.js';
import { isKubeCallError, kubeHelmError } from '../adapters/kubernetes/errors.js';
import { TYPE_OF } from '../adapters/kubernetes/rollout.js';
import { closest } from '../config/explain.js';
import { loadEnvironments, openWorkspace, type LiveResource } from '../config/load.js';
import { kindWord, parseRef, type RefKind } from '../core/k8s-workload.js';
import type { WorkloadKind } from '../core/k8s-types.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { ActionJson, CommandResult } from '../report/render.js';
import { describeMarkdown, describeTable, deploymentsGrid, eventsGrid, gridMarkdown, gridTable, logsMarkdown, logsText, podsGrid, rolloutText, servicesGrid, topGrid, type Grid } from '../skills/ops-kubernetes/render.js';
import * as reads from '../skills/ops-kubernetes/reads.js';
import { resolveContext } from './context.js';
import { runRemediate } from './remediate.js';
import type { CommonOptions } from './context.js';
import { count } from '../core/plural.js';

export const KUBERNETES_SCHEMA = 'helm-cloud/kubernetes@1';
export const KUBERNETES_ACTIONS = ['pods', 'services', 'deployments', 'events', 'logs', 'describe', 'top', 'rollout_status', 'rollout_restart', 'scale'] as const;
export type KubernetesAction = (typeof KUBERNETES_ACTIONS)[number];

export interface KubernetesRequest extends CommonOptions {
  action: KubernetesAction;
  args: string[];
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  forRef?: string;
  type?: string;
  sinceMs?: number;
  container?: string;
  previous: boolean;
  tail?: number;
  timeoutMs?: number;
  replicas?: number;
  dryRun: boolean;
  yes: boolean;
}

export async function runKubernetes(req: KubernetesRequest, io: Io): Promise<CommandResult> {
  if (req.action === 'scale' || req.action === 'rollout_restart') return write(req, io);
  const calls: Record<string, number> = {};
  const kube = new KubeProvider({ context: req.context ?? envContext(req), onCall: (op) => void (calls[op] = (calls[op] ?? 0) + 1) });
  const api = await kube.api();
  const now = Date.now();
  const ns = req.allNamespaces ? undefined : (req.namespace ?? 'default');
  try {
    return await read(api, req, ns, now, calls);
  } catch (e) {
    if (isKubeCallError(e)) throw kubeHelmError(e.failure, api.where);
    throw e;
  }
}

/** The environment's kube_context when --env is given (reads work without a .fractary tree). */
function envContext(req: CommonOptions): string | undefined {
  if (!req.env) return undefined;
  const ws = openWorkspace(req.cwd, req.root);
  const envs = loadEnvironments(ws);
  const e = envs.environments[req.env];
  if (!e) {
    const near = closest(req.env, Object.keys(envs.environments));
    throw new HelmError('input', `unknown environment "${req.env}"`, { keyPath: '--env', fix: near ? `did you mean --env=${near}?` : `use one of: ${Object.keys(envs.environments).join(', ')}` });
  }
  return e.kube_context;
}

function ref(text: string | undefined, what: string, bare?: RefKind, allowed?: readonly RefKind[]): { kind: RefKind; name: string } {
  if (!text) throw new HelmError('usage', `${what} needs a target`, { fix: bare ? `e.g. ${what} ${bare === 'Pod' ? 'POD' : 'deploy/NAME'}` : `e.g. ${what} deploy/NAME` });
  const r = parseRef(text, bare);
  if ('error' in r) throw new HelmError('usage', r.error, { fix: 'kinds: deploy, sts, ds, rs, pod, svc, node (e.g. deploy/web)' });
  if (allowed && !allowed.includes(r.kind)) {
    // A DaemonSet has no replica count to scale: say what decides its pods instead of offering deploy/NAME.
    if (what === 'scale' && r.kind === 'DaemonSet') throw new HelmError('usage', `scale does not apply to ds/${r.name}: a DaemonSet runs one pod per eligible node and has no replica count`, { fix: `change the nodes it runs on (its nodeSelector, affinity or tolerations), or replace its pods with rollout_restart ds/${r.name}` });
    throw new HelmError('usage', `${what} works on ${allowed.join(', ')}, not ${r.kind}`, { fix: `e.g. ${what} deploy/${r.name}` });
  }
  return r;
}

function result(req: KubernetesRequest, api: KubeApi, ns: string | undefined, now: number, calls: Record<string, number>, body: Record<string, unknown>, view: { verdict?: string; summary: string; exitCode?: number; table: (color: boolean) => string; markdown: () => string }): CommandResult<ActionJson> {
  const exitCode = view.exitCode ?? 0;
  return {
    exitCode,
    json: {
      schema: KUBERNETES_SCHEMA,
      command: 'kubernetes',
      action: req.action,
      context: api.where.context,
      server: api.where.server,
      namespace: ns ?? null,
      generatedAt: new Date(now).toISOString(),
      verdict: view.verdict ?? 'OK',
      summary: view.summary,
      exitCode,
      requests: { total: Object.values(calls).reduce((a, b) => a + b, 0), byOperation: calls },
      ...body,
    },
    table: view.table,
    markdown: view.markdown,
  };
}

async function read(api: KubeApi, req: KubernetesRequest, ns: string | undefined, now: number, calls: Record<string, number>): Promise<CommandResult> {
  const all = ns === undefined;
  const where = all ? 'all namespaces' : `namespace ${ns}`;
  const scope = { namespace: ns, labelSelector: req.selector, now };
  const grid = (title: string, g: Grid, empty: string, body: Record<string, unknown>, summary: string) =>
    result(req, api, ns, now, calls, body, { summary, table: (c) => gridTable(title, g, c, empty), markdown: () => gridMarkdown(title, g, empty) });
  switch (req.action) {
    case 'pods': {
      const rows = await reads.listPods(api, scope);
      return grid(`pods in ${where}`, podsGrid(rows, all, false), `no pods in ${where}`, { pods: rows }, `${count(rows.length, 'pod')} in ${where}`);
    }
    case 'services': {
      const rows = await reads.listServices(api, scope);
      return grid(`services in ${where}`, servicesGrid(rows, all), `no services in ${where}`, { services: rows }, `${count(rows.length, 'service')} in ${where}`);
    }
    case 'deployments': {
      const rows = await reads.listDeployments(api, scope);
      const short = rows.filter((r) => r.available < r.desired).length;
      return result(req, api, ns, now, calls, { deployments: rows }, {
        summary: `${count(rows.length, 'deployment')} in ${where}${short ? `, ${short} with fewer available than desired` : ''}`,
        table: (c) => gridTable(`deployments in ${where}`, deploymentsGrid(rows, all, c), c, `no deployments in ${where}`),
        markdown: () => gridMarkdown(`deployments in ${where}`, deploymentsGrid(rows, all, false), `no deployments in ${where}`),
      });
    }
    case 'events': {
      const forRef = req.forRef ? ref(req.forRef, '--for') : undefined;
      const rows = await reads.listEvents(api, { ...scope, forRef, type: req.type, sinceMs: req.sinceMs });
      const title = `events in ${where}${forRef ? ` for ${forRef.kind}/${forRef.name}` : ''}${req.type ? ` (${req.type})` : ''}`;
      return result(req, api, ns, now, calls, { events: rows }, {
        summary: `${count(rows.length, 'event')}${forRef ? ` for ${forRef.kind}/${forRef.name}` : ''} in ${where}`,
        table: (c) => gridTable(title, eventsGrid(rows, all, c), c, 'no events'),
        markdown: () => gridMarkdown(title, eventsGrid(rows, all, false), 'no events'),
      });
    }
    case 'logs': {
      if (all) throw new HelmError('usage', 'logs reads one namespace', { fix: 'drop --all-namespaces; pass --namespace' });
      const target = ref(req.args[0], 'logs', 'Pod', ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet']);
      const r = await reads.readLogs(api, ns!, target, { container: req.container, previous: req.previous, sinceSeconds: req.sinceMs === undefined ? undefined : Math.max(1, Math.ceil(req.sinceMs / 1000)), tail: req.tail });
      const multi = r.pods.length > 1 || new Set(r.lines.map((l) => l.container)).size > 1;
      return result(req, api, ns, now, calls, { target: `${target.kind}/${target.name}`, ...r }, {
        summary: `${count(r.lines.length, 'line')} from ${count(r.pods.length, 'pod')} of ${target.kind}/${target.name}${r.unread.length ? `; ${count(r.unread.length, 'container log')} unreadable` : ''}`,
        table: () => logsText(r, multi),
        markdown: () => logsMarkdown(`logs of ${target.kind}/${target.name}`, r, multi),
      });
    }
    case 'describe': {
      if (all) throw new HelmError('usage', 'describe reads one namespace', { fix: 'drop --all-namespaces; pass --namespace' });
      const [kindText, name] = req.args;
      const target = name !== undefined ? ref(`${kindText}/${name}`, 'describe') : ref(kindText, 'describe');
      const d = await reads.describe(api, ns!, target, now);
      return result(req, api, ns, now, calls, { description: d }, { summary: `${d.kind} ${d.name}${d.namespace ? ` in namespace ${d.namespace}` : ''}`, table: () => describeTable(d), markdown: () => describeMarkdown(d) });
    }
    case 'top': {
      const what = req.args[0];
      if (what !== 'pods' && what !== 'nodes') throw new HelmError('usage', `top reads pods or nodes${what ? `, not "${what}"` : ''}`, { fix: 'top pods, or top nodes' });
      const r = await reads.top(api, what, what === 'nodes' ? undefined : ns);
      if (!r.ok) {
        return result(req, api, ns, now, calls, { rows: [], available: false, reason: r.reason }, { verdict: 'UNKNOWN', exitCode: 1, summary: r.reason, table: () => `top ${what}: ${r.reason}`, markdown: () => `## top ${what}\n\n${r.reason}\n` });
      }
      const g = topGrid(r.rows, what, all);
      const title = `top ${what}${what === 'pods' ? ` in ${where}` : ''}`;
      return grid(title, g, `no ${what} metrics yet`, { available: true, rows: r.rows }, `${r.rows.length} ${what} with metrics`);
    }
    case 'rollout_status': {
      if (all) throw new HelmError('usage', 'rollout_status reads one namespace', { fix: 'drop --all-namespaces; pass --namespace' });
      const target = ref(req.args[0], 'rollout_status', undefined, ['Deployment', 'StatefulSet', 'DaemonSet']);
      const w = await reads.rolloutStatus(api, ns!, { kind: target.kind as WorkloadKind, name: target.name }, req.timeoutMs ?? 300_000, () => Date.now(), (ms) => new Promise((r) => setTimeout(r, ms)));
      const verdict = w.final.state === 'complete' ? 'COMPLETE' : w.final.state === 'failed' ? 'FAILED' : w.final.state === 'paused' ? 'PAUSED' : 'PROGRESSING';
      const exitCode = verdict === 'COMPLETE' ? 0 : verdict === 'FAILED' ? 3 : 1;
      const summary = verdict === 'PROGRESSING' ? `not complete after ${Math.round(w.waitedMs / 1000)}s: ${w.final.message}` : w.final.message;
      return result(req, api, ns, now, calls, { target: `${kindWord(w.kind)}/${w.name}`, rollout: w }, { verdict, exitCode, summary, table: (c) => rolloutText(w, c), markdown: () => `## rollout of ${kindWord(w.kind)}/${w.name}\n\n**${verdict}** — ${w.final.message}\n` });
    }
    default:
      throw new HelmError('internal', `unhandled kubernetes action ${req.action}`);
  }
}

async function write(req: KubernetesRequest, io: Io): Promise<CommandResult> {
  const action = req.action === 'scale' ? 'k8s_scale' : 'k8s_rollout_restart';
  if (!req.env) throw new HelmError('usage', `${req.action} changes the cluster: it needs --env (safety level, confirmation and the actions.jsonl record are per environment)`, { fix: `e.g. helm-cloud kubernetes ${req.action} ${req.args[0] ?? 'deploy/NAME'} --env test` });
  if (req.allNamespaces) throw new HelmError('usage', `${req.action} acts on one workload`, { fix: 'drop --all-namespaces; pass --namespace' });
  const allowed: RefKind[] = req.action === 'scale' ? ['Deployment', 'StatefulSet'] : ['Deployment', 'StatefulSet', 'DaemonSet'];
  const target = ref(req.args[0], req.action, undefined, allowed);
  if (req.action === 'scale' && req.replicas === undefined) throw new HelmError('usage', 'scale needs --replicas N', { fix: `e.g. scale ${req.args[0]} --replicas 3` });
  const ctx = resolveContext(req, io);
  const type = TYPE_OF[target.kind as WorkloadKind];
  const namespace = req.namespace ?? 'default';
  // The registry's entry when it holds this workload (its project and context); else the workload as named.
  const registered = ctx.resources.find((r) => r.type === type && r.name === target.name && (r.namespace ?? 'default') === namespace);
  const resource: LiveResource = registered ?? { type, name: target.name, namespace, ...(req.context ? { context: req.context } : {}), project: '(command line)', deploymentId: '', version: '', deployedAt: '', region: ctx.env.config.region };
  const api = await ctx.kube.api(resource.context);
  try {
    await reads.ensureNamespace(api, namespace);
  } catch (e) {
    if (isKubeCallError(e)) throw kubeHelmError(e.failure, api.where);
    throw e;
  }
  const params: Record<string, string> = {};
  if (req.replicas !== undefined) params.replicas = String(req.replicas);
  if (req.timeoutMs !== undefined) params.timeout_seconds = String(Math.max(1, Math.round(req.timeoutMs / 1000)));
  return runRemediate({ ...req, action, params, resource, target: resource.name, dryRun: req.dryRun, yes: req.yes }, io, { kube: ctx.kube });
}
