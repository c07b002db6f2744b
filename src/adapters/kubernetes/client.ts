/**
 * The one importer of @kubernetes/client-node. Reads kubeconfig the way kubectl does (KUBECONFIG, a list of
 * files merged with the first current-context winning, else ~/.kube/config; --context picks another), and
 * hands out a narrow facade per context. Every call is counted (one list page = one request) and failures
 * come out as KubeCallError naming the verb and resource. The client library loads on first use.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { homedir } from 'node:os';
import { closest } from '../../config/explain.js';
import type { K8sEvent, K8sNode, K8sPod, K8sRevision, K8sService, K8sWorkload, NodeUsage, PodUsage, WorkloadKind } from '../../core/k8s-types.js';
import { HelmError } from '../../errors.js';
import { classifyKube, KubeCallError, type KubeWhere } from './errors.js';

type Lib = typeof import('@kubernetes/client-node');

export interface KubeProviderOptions {
  /** --context; else the kubeconfig's current-context. */
  context?: string;
  /** Environment to read KUBECONFIG and HOME from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Counts each request, keyed "verb resource". */
  onCall?: (op: string) => void;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Namespace `undefined` means all namespaces. */
export interface KubeApi {
  readonly where: KubeWhere;
  listPods(ns: string | undefined, o?: ListOptions): Promise<K8sPod[]>;
  listWorkloads(kind: WorkloadKind, ns: string | undefined, o?: ListOptions): Promise<K8sWorkload[]>;
  readWorkload(kind: WorkloadKind, name: string, ns: string): Promise<K8sWorkload | undefined>;
  readPod(name: string, ns: string): Promise<K8sPod | undefined>;
  listServices(ns: string | undefined, o?: ListOptions): Promise<K8sService[]>;
  readService(name: string, ns: string): Promise<K8sService | undefined>;
  listEvents(ns: string | undefined, o?: ListOptions): Promise<K8sEvent[]>;
  /** Deployment revisions are ReplicaSets; StatefulSet and DaemonSet revisions are ControllerRevisions. */
  listRevisions(kind: WorkloadKind, ns: string, o?: ListOptions): Promise<K8sRevision[]>;
  listNodes(): Promise<K8sNode[]>;
  readNode(name: string): Promise<K8sNode | undefined>;
  /** True/false when the namespace is known to exist or not; undefined when that cannot be read. */
  namespaceExists(ns: string): Promise<boolean | undefined>;
  listNamespaces(): Promise<string[]>;
  podLog(name: string, ns: string, o: { container?: string; previous?: boolean; sinceSeconds?: number; tailLines?: number; timestamps?: boolean }): Promise<string>;
  podMetrics(ns: string | undefined): Promise<PodUsage[]>;
  nodeMetrics(): Promise<NodeUsage[]>;
  /** Merge patch on the workload; dryRun asks the server to validate and admit without persisting. */
  patchWorkload(kind: WorkloadKind, name: string, ns: string, patch: object, dryRun: boolean): Promise<K8sWorkload>;
  /** Merge patch on the scale subresource (what `kubectl scale` does). */
  patchScale(kind: Exclude<WorkloadKind, 'DaemonSet'>, name: string, ns: string, replicas: number, dryRun: boolean): Promise<{ replicas: number }>;
}

const PLURAL: Record<WorkloadKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/** Plain API JSON: the client's model objects carry Date instances and class prototypes. */
function plain<T>(x: unknown): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export class KubeProvider {
  private lib?: Promise<Lib>;
  private readonly apis = new Map<string, Promise<KubeApi>>();
  constructor(private readonly opts: KubeProviderOptions = {}) {}

  /** The same kubeconfig and context, counting requests into `onCall` (one ledger per command run). */
  counting(onCall: (op: string) => void): KubeProvider {
    return new KubeProvider({ ...this.opts, onCall });
  }

  get contextOption(): string | undefined {
    return this.opts.context;
  }

  /** The facade for a context (a resource's own, else --context, else current-context). */
  api(context?: string): Promise<KubeApi> {
    const key = context ?? this.opts.context ?? '';
    let p = this.apis.get(key);
    if (!p) {
      p = this.build(context ?? this.opts.context);
      this.apis.set(key, p);
    }
    return p;
  }

  private async build(context: string | undefined): Promise<KubeApi> {
    this.lib ??= import('@kubernetes/client-node');
    const k = await this.lib;
    const kc = new k.KubeConfig();
    const env = this.opts.env ?? process.env;
    const files = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
    const fallback = join(env.HOME ?? homedir(), '.kube', 'config');
    const paths = files.length ? files : [fallback];
    const present = paths.filter((f) => existsSync(f));
    if (!present.length) {
      throw new HelmError('config', `no kubeconfig: ${files.length ? `KUBECONFIG names ${paths.join(', ')}, none of which exists` : `${fallback} does not exist and KUBECONFIG is not set`}`, {
        fix: 'point KUBECONFIG at a kubeconfig file (as for kubectl), or create ~/.kube/config',
      });
    }
    try {
      kc.loadFromFile(present[0]!);
      for (const f of present.slice(1)) {
        const more = new k.KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true); // kubectl: the first file that sets current-context wins
      }
    } catch (e) {
      throw new HelmError('config', `cannot read the kubeconfig ${present.join(', ')}: ${String((e as Error).message).split('\n')[0]}`, { fix: 'check the file is valid kubeconfig YAML (`kubectl config view`)' });
    }
    const names = kc.getContexts().map((c) => c.name);
    if (context !== undefined) {
      if (!names.includes(context)) {
        const near = closest(context, names);
        throw new HelmError('input', `no context "${context}" in the kubeconfig`, { keyPath: '--context', fix: near ? `did you mean --context ${near}?` : `contexts: ${names.join(', ') || 'none'}` });
      }
      kc.setCurrentContext(context);
    }
    const current = kc.getCurrentContext();
    if (!current || !kc.getContextObject(current)) {
      throw new HelmError('config', 'the kubeconfig sets no current-context', { keyPath: '--context', fix: names.length ? `pass --context with one of: ${names.join(', ')}` : 'add a context to the kubeconfig' });
    }
    const where: KubeWhere = { context: current, server: kc.getCurrentCluster()?.server ?? '?' };
    return makeApi(k, kc, where, this.opts);
  }
}

function makeApi(k: Lib, kc: InstanceType<Lib['KubeConfig']>, where: KubeWhere, opts: KubeProviderOptions): KubeApi {
  const core = kc.makeApiClient(k.CoreV1Api);
  const apps = kc.makeApiClient(k.AppsV1Api);
  const custom = kc.makeApiClient(k.CustomObjectsApi);
  const mergePatch = k.setHeaderOptions('Content-Type', k.PatchStrategy.MergePatch);

  async function call<T>(verb: string, resource: string, ns: string | undefined, name: string | undefined, fn: () => Promise<T>): Promise<T> {
    opts.onCall?.(`${verb} ${resource}`);
    try {
      return await fn();
    } catch (e) {
      throw new KubeCallError(classifyKube(e, { verb, resource, namespace: ns, name }));
    }
  }
  /** A read that answers undefined for 404 (absence is data, not an error). */
  async function maybe<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof KubeCallError && e.failure.category === 'not-found') return undefined;
      throw e;
    }
  }
  /** Every page of a list (500 per page, as kubectl does). */
  async function pages<T>(resource: string, ns: string | undefined, fetch: (cont: string | undefined) => Promise<{ items: unknown[]; metadata?: { _continue?: string } }>): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const page = await call('list', resource, ns, undefined, () => fetch(cont));
      out.push(...plain<T[]>(page.items));
      cont = page.metadata?._continue || undefined;
    } while (cont);
    return out;
  }
  const limit = 500;

  return {
    where,
    listPods: (ns, o = {}) =>
      pages<K8sPod>('pods', ns, (c) => (ns === undefined ? core.listPodForAllNamespaces({ ...o, limit, _continue: c }) : core.listNamespacedPod({ namespace: ns, ...o, limit, _continue: c }))),
    listWorkloads: (kind, ns, o = {}) =>
      pages<K8sWorkload>(PLURAL[kind], ns, (c) => {
        const q = { ...o, limit, _continue: c };
        if (kind === 'Deployment') return ns === undefined ? apps.listDeploymentForAllNamespaces(q) : apps.listNamespacedDeployment({ namespace: ns, ...q });
        if (kind === 'StatefulSet') return ns === undefined ? apps.listStatefulSetForAllNamespaces(q) : apps.listNamespacedStatefulSet({ namespace: ns, ...q });
        return ns === undefined ? apps.listDaemonSetForAllNamespaces(q) : apps.listNamespacedDaemonSet({ namespace: ns, ...q });
      }).then((xs) => xs.map((x) => ({ ...x, kind }))),
    readWorkload: (kind, name, ns) =>
      maybe(
        call('get', PLURAL[kind], ns, name, () =>
          kind === 'Deployment' ? apps.readNamespacedDeployment({ name, namespace: ns }) : kind === 'StatefulSet' ? apps.readNamespacedStatefulSet({ name, namespace: ns }) : apps.readNamespacedDaemonSet({ name, namespace: ns }),
        ).then((x) => ({ ...plain<K8sWorkload>(x), kind })),
      ),
    readPod: (name, ns) => maybe(call('get', 'pods', ns, name, () => core.readNamespacedPod({ name, namespace: ns })).then((x) => plain<K8sPod>(x))),
    listServices: (ns, o = {}) =>
      pages<K8sService>('services', ns, (c) => (ns === undefined ? core.listServiceForAllNamespaces({ ...o, limit, _continue: c }) : core.listNamespacedService({ namespace: ns, ...o, limit, _continue: c }))),
    readService: (name, ns) => maybe(call('get', 'services', ns, name, () => core.readNamespacedService({ name, namespace: ns })).then((x) => plain<K8sService>(x))),
    listEvents: (ns, o = {}) =>
      pages<K8sEvent>('events', ns, (c) => (ns === undefined ? core.listEventForAllNamespaces({ ...o, limit, _continue: c }) : core.listNamespacedEvent({ namespace: ns, ...o, limit, _continue: c }))),
    listRevisions: async (kind, ns, o = {}) => {
      if (kind === 'Deployment') {
        const rs = await pages<K8sRevision>('replicasets', ns, (c) => apps.listNamespacedReplicaSet({ namespace: ns, ...o, limit, _continue: c }));
        return rs.map((r) => ({ ...r, revision: Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? NaN) || undefined }));
      }
      const cr = await pages<K8sRevision & { revision?: number }>('controllerrevisions', ns, (c) => apps.listNamespacedControllerRevision({ namespace: ns, ...o, limit, _continue: c }));
      return cr;
    },
    listNodes: () => pages<K8sNode>('nodes', undefined, (c) => core.listNode({ limit, _continue: c })),
    readNode: (name) => maybe(call('get', 'nodes', undefined, name, () => core.readNode({ name })).then((x) => plain<K8sNode>(x))),
    namespaceExists: async (ns) => {
      try {
        await call('get', 'namespaces', undefined, ns, () => core.readNamespace({ name: ns }));
        return true;
      } catch (e) {
        if (e instanceof KubeCallError && e.failure.category === 'not-found') return false;
        if (e instanceof KubeCallError && e.failure.category === 'forbidden') return undefined;
        throw e;
      }
    },
    listNamespaces: async () => (await pages<{ metadata: { name: string } }>('namespaces', undefined, (c) => core.listNamespace({ limit, _continue: c }))).map((n) => n.metadata.name),
    podLog: (name, ns, o) =>
      call('get', 'pods/log', ns, name, () =>
        core.readNamespacedPodLog({ name, namespace: ns, container: o.container, previous: o.previous, sinceSeconds: o.sinceSeconds, tailLines: o.tailLines, timestamps: o.timestamps }),
      ).then((s) => (typeof s === 'string' ? s : String(s ?? ''))),
    podMetrics: async (ns) => {
      const r = (await call('list', 'pods.metrics.k8s.io', ns, undefined, () =>
        ns === undefined
          ? custom.listClusterCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods' })
          : custom.listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace: ns, plural: 'pods' }),
      )) as { items?: { metadata: { name: string; namespace: string }; containers?: { name: string; usage?: { cpu?: string; memory?: string } }[] }[] };
      return (r.items ?? []).map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, containers: (p.containers ?? []).map((c) => ({ name: c.name, cpu: c.usage?.cpu ?? '0', memory: c.usage?.memory ?? '0' })) }));
    },
    nodeMetrics: async () => {
      const r = (await call('list', 'nodes.metrics.k8s.io', undefined, undefined, () => custom.listClusterCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', plural: 'nodes' }))) as {
        items?: { metadata: { name: string }; usage?: { cpu?: string; memory?: string } }[];
      };
      return (r.items ?? []).map((n) => ({ name: n.metadata.name, cpu: n.usage?.cpu ?? '0', memory: n.usage?.memory ?? '0' }));
    },
    patchWorkload: (kind, name, ns, patch, dryRun) =>
      call('patch', PLURAL[kind], ns, name, () => {
        const q = { name, namespace: ns, body: patch, dryRun: dryRun ? 'All' : undefined, fieldManager: 'helm-cloud' };
        if (kind === 'Deployment') return apps.patchNamespacedDeployment(q, mergePatch);
        if (kind === 'StatefulSet') return apps.patchNamespacedStatefulSet(q, mergePatch);
        return apps.patchNamespacedDaemonSet(q, mergePatch);
      }).then((x) => ({ ...plain<K8sWorkload>(x), kind })),
    patchScale: (kind, name, ns, replicas, dryRun) =>
      call('patch', `${PLURAL[kind]}/scale`, ns, name, () => {
        const q = { name, namespace: ns, body: { spec: { replicas } }, dryRun: dryRun ? 'All' : undefined, fieldManager: 'helm-cloud' };
        return kind === 'Deployment' ? apps.patchNamespacedDeploymentScale(q, mergePatch) : apps.patchNamespacedStatefulSetScale(q, mergePatch);
      }).then((s) => ({ replicas: Number((s as { spec?: { replicas?: number } }).spec?.replicas ?? 0) })),
  };
}
