/**
 * Test harness for the Kubernetes family: one real cluster per test file (started in beforeAll, stopped in
 * afterAll; process exit kills it too), plus seeding helpers that go through the API like any client would.
 * Faults come from kwok stages chosen by the pod annotation helm-cloud.test/fault (see kwok-stages.yaml).
 */
import { afterAll, beforeAll } from 'vitest';
import { startKubeCluster, criLine, type KubeCluster, type KubeClusterOptions } from '../../../src/sandbox/kube-cluster.js';

export { criLine, type KubeCluster };

/**
 * Pod faults (kwok stages in kwok-stages.yaml). Whole pod: crashloop | oom | imagepull | unready. One container
 * (named by the pod annotation helm-cloud.test/fault-container, reason Error or OOMKilled by
 * helm-cloud.test/fault-reason): container. The first init container: init-crashloop | init-error. Set on a
 * pod after it started (kubectl annotate): evicted (the kubelet's node-pressure eviction), degrade (turns
 * unready). A bare pod that runs to completion: complete.
 */
export type Fault = 'crashloop' | 'oom' | 'imagepull' | 'unready' | 'container' | 'init-crashloop' | 'init-error' | 'complete';

/** Starts the cluster for this file; the returned getter is valid inside tests. */
export function useKubeCluster(opts: KubeClusterOptions = {}): () => KubeCluster {
  let cluster: KubeCluster | undefined;
  beforeAll(async () => {
    cluster = await startKubeCluster(opts);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return () => {
    if (!cluster) throw new Error('the test cluster did not start (see beforeAll)');
    return cluster;
  };
}

export interface DeploymentSpec {
  name: string;
  namespace: string;
  replicas?: number;
  image?: string;
  fault?: Fault;
  progressDeadlineSeconds?: number;
  nodeSelector?: Record<string, string>;
  /** Pod annotations (kwok usage: kwok.x-k8s.io/usage-cpu, -memory). */
  podAnnotations?: Record<string, string>;
  memoryLimit?: string;
}

export function deployment(d: DeploymentSpec): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace: d.namespace, labels: { app: d.name } },
    spec: {
      replicas: d.replicas ?? 1,
      selector: { matchLabels: { app: d.name } },
      ...(d.progressDeadlineSeconds ? { progressDeadlineSeconds: d.progressDeadlineSeconds } : {}),
      template: {
        metadata: { labels: { app: d.name }, annotations: { ...(d.fault ? { 'helm-cloud.test/fault': d.fault } : {}), ...(d.podAnnotations ?? {}) } },
        spec: {
          ...(d.nodeSelector ? { nodeSelector: d.nodeSelector } : {}),
          containers: [
            {
              name: d.name,
              image: d.image ?? 'nginx:1.27',
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
              resources: { limits: { memory: d.memoryLimit ?? '128Mi' } },
            },
          ],
        },
      },
    },
  };
}

export const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const service = (name: string, ns: string, app: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } });

/** A Warning event as the kubelet would record it about a pod. */
export function podEvent(ns: string, pod: string, reason: string, message: string, count: number, atMs = Date.now()) {
  const t = new Date(atMs).toISOString().replace(/\.\d+Z$/, 'Z');
  return { apiVersion: 'v1', kind: 'Event', metadata: { name: `${pod}.${reason.toLowerCase()}.${Math.random().toString(36).slice(2, 8)}`, namespace: ns }, involvedObject: { kind: 'Pod', name: pod, namespace: ns, apiVersion: 'v1' }, reason, message, type: 'Warning', count, firstTimestamp: t, lastTimestamp: t, source: { component: 'kubelet', host: 'kwok-node-0' } };
}

/** Grants the kubeconfig user "viewer" read access everywhere and nothing else (no patch, no create). */
export const viewerRbac = [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'helm-cloud-test-viewer' }, rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'pods/log', 'services', 'events', 'namespaces', 'nodes', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'controllerrevisions'], verbs: ['get', 'list', 'watch'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'helm-cloud-test-viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'helm-cloud-test-viewer' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] },
];

export async function applyAll(c: KubeCluster, docs: object[]): Promise<void> {
  await c.apply(docs.map((d) => JSON.stringify(d)).join('\n'));
}

/** Waits until a kubectl JSONPath query answers `want` (or the predicate holds). */
export async function waitFor(c: KubeCluster, args: string[], ok: (out: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const r = await c.kubectl(args);
    last = r.stdout + r.stderr;
    if (r.code === 0 && ok(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`timed out waiting for kubectl ${args.join(' ')}; last output: ${last.slice(0, 500)}`);
}

export interface ContainerSpec {
  name: string;
  image?: string;
  memoryLimit?: string;
  /** Init containers only: Always makes a native sidecar. */
  restartPolicy?: 'Always';
}

export interface WorkloadSpec {
  name: string;
  namespace: string;
  replicas?: number;
  fault?: Fault;
  /** For fault "container": which container fails, and how (Error, exit 1 | OOMKilled, exit 137). */
  faultContainer?: string;
  faultReason?: 'Error' | 'OOMKilled';
  /** Containers besides the main one (named after the workload). */
  sidecars?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  nodeSelector?: Record<string, string>;
  labels?: Record<string, string>;
  /** StatefulSet: Parallel starts every pod at once (OrderedReady waits for each to be ready). */
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  paused?: boolean;
  /** StatefulSet / DaemonSet: OnDelete replaces a pod only when it is deleted. */
  updateStrategy?: 'RollingUpdate' | 'OnDelete';
}

function podTemplate(w: WorkloadSpec) {
  const labels = { app: w.name, ...(w.labels ?? {}) };
  const annotations: Record<string, string> = {
    ...(w.fault ? { 'helm-cloud.test/fault': w.fault } : {}),
    ...(w.faultContainer ? { 'helm-cloud.test/fault-container': w.faultContainer } : {}),
    ...(w.faultReason ? { 'helm-cloud.test/fault-reason': w.faultReason } : {}),
  };
  const container = (c: ContainerSpec) => ({ name: c.name, image: c.image ?? 'nginx:1.27', resources: { limits: { memory: c.memoryLimit ?? '128Mi' } }, ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}) });
  return {
    metadata: { labels, annotations },
    spec: {
      ...(w.nodeSelector ? { nodeSelector: w.nodeSelector } : {}),
      ...(w.initContainers ? { initContainers: w.initContainers.map(container) } : {}),
      containers: [{ ...container({ name: w.name }), ports: [{ containerPort: 8080 }] }, ...(w.sidecars ?? []).map(container)],
    },
  };
}

/** A Deployment, StatefulSet or DaemonSet with sidecars, init containers and faults. */
export function workload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', w: WorkloadSpec): Record<string, unknown> {
  const spec: Record<string, unknown> = { selector: { matchLabels: { app: w.name } }, template: podTemplate(w) };
  if (kind !== 'DaemonSet') spec.replicas = w.replicas ?? 1;
  if (kind === 'StatefulSet') Object.assign(spec, { serviceName: w.name, podManagementPolicy: w.podManagementPolicy ?? 'OrderedReady' });
  if (w.paused) spec.paused = true;
  if (w.updateStrategy) spec.updateStrategy = { type: w.updateStrategy };
  return { apiVersion: 'apps/v1', kind, metadata: { name: w.name, namespace: w.namespace, labels: { app: w.name } }, spec };
}

/** A pod without a controller (as `kubectl run` makes), with the given labels. */
export function barePod(name: string, ns: string, labels: Record<string, string>, fault?: Fault): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels, annotations: fault ? { 'helm-cloud.test/fault': fault } : {} }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } };
}

/** A Job whose pod runs to completion (kwok's pod-complete stage), its pod carrying `labels`. */
export function job(name: string, ns: string, labels: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns }, spec: { backoffLimit: 0, template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } } };
}

/** Another fake node (kwok takes it over: it turns Ready within seconds). */
export function kwokNode(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' }, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok', ...labels } },
    status: { allocatable: { cpu: '32', memory: '128Gi', pods: '1000' }, capacity: { cpu: '32', memory: '128Gi', pods: '1000' }, phase: 'Running' },
  };
}
