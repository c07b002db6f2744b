/**
 * Test harness for the Kubernetes family: one real cluster per test file (started in beforeAll, stopped in
 * afterAll; process exit kills it too), plus seeding helpers that go through the API like any client would.
 * Faults come from kwok stages chosen by the pod annotation helm-cloud.test/fault (see kwok-stages.yaml).
 */
import { afterAll, beforeAll } from 'vitest';
import { startKubeCluster, criLine, type KubeCluster, type KubeClusterOptions } from '../../../src/sandbox/kube-cluster.js';

export { criLine, type KubeCluster };

export type Fault = 'crashloop' | 'oom' | 'imagepull' | 'unready';

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
