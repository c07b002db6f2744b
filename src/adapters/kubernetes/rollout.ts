/**
 * Reading a workload for an action (diagnose/verify) and waiting for its rollout to end: complete, failed
 * (the controller's progress deadline), or our own deadline, polling like `kubectl rollout status`.
 */
import type { ResourceType } from '../../config/schemas.js';
import type { LiveResource } from '../../config/load.js';
import { rolloutState, workloadCounts, type RolloutState } from '../../core/k8s-workload.js';
import type { K8sWorkload, WorkloadKind } from '../../core/k8s-types.js';
import { HelmError } from '../../errors.js';
import type { KubeApi, KubeProvider } from './client.js';
import { isKubeCallError, kubeHelmError } from './errors.js';

export const KIND_OF: Partial<Record<ResourceType, WorkloadKind>> = { k8s_deployment: 'Deployment', k8s_statefulset: 'StatefulSet', k8s_daemonset: 'DaemonSet' };
export const TYPE_OF: Record<WorkloadKind, ResourceType> = { Deployment: 'k8s_deployment', StatefulSet: 'k8s_statefulset', DaemonSet: 'k8s_daemonset' };

export function kindOf(r: Pick<LiveResource, 'type'>): WorkloadKind {
  const k = KIND_OF[r.type];
  if (!k) throw new HelmError('internal', `${r.type} is not a Kubernetes workload type`);
  return k;
}

export const nsOf = (r: Pick<LiveResource, 'namespace'>) => r.namespace ?? 'default';

/** Runs Kubernetes calls for an action; failures become HelmErrors that name the verb, resource and context. */
export async function withKube<T>(kube: KubeProvider, r: Pick<LiveResource, 'context'>, fn: (api: KubeApi) => Promise<T>): Promise<T> {
  const api = await kube.api(r.context);
  try {
    return await fn(api);
  } catch (e) {
    if (isKubeCallError(e)) throw kubeHelmError(e.failure, api.where);
    throw e;
  }
}

export async function readTarget(api: KubeApi, r: LiveResource): Promise<K8sWorkload> {
  const kind = kindOf(r);
  const w = await api.readWorkload(kind, r.name, nsOf(r));
  if (!w) {
    throw new HelmError('action-failed', `${kind} "${r.name}" is in the registry but not in namespace ${nsOf(r)} (context ${api.where.context})`, {
      fix: 'check the namespace and context of the resource, or whether it was deleted outside the deploy tool',
    });
  }
  return w;
}

/** The state fields actions diagnose and verify. */
export function workloadState(w: K8sWorkload): Record<string, string | number | boolean | null> {
  const c = workloadCounts(w);
  const r = rolloutState(w);
  return {
    replicas: w.kind === 'DaemonSet' ? null : (w.spec?.replicas ?? 1),
    desired: c.desired,
    ready: c.ready,
    available: c.available,
    updated: c.updated,
    generation: w.metadata.generation ?? null,
    observed_generation: w.status?.observedGeneration ?? null,
    restarted_at: w.spec?.template?.metadata?.annotations?.[RESTARTED_AT] ?? null,
    // StatefulSets and DaemonSets: OnDelete replaces a pod only when it is deleted.
    update_strategy: w.kind === 'Deployment' ? (w.spec?.strategy?.type ?? 'RollingUpdate') : (w.spec?.updateStrategy?.type ?? 'RollingUpdate'),
    rollout: r.state,
    rollout_message: r.message,
    paused: w.spec?.paused === true,
  };
}

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** How long to wait for a rollout: --param timeout_seconds, else the progress deadline plus a margin. */
export function rolloutBudgetMs(w: K8sWorkload, timeoutSeconds: number | undefined): number {
  if (timeoutSeconds !== undefined) return timeoutSeconds * 1000;
  return ((w.spec?.progressDeadlineSeconds ?? 600) + 15) * 1000;
}

/** Polls until the rollout is complete or failed, or the budget is spent; returns the last state seen. */
export async function waitForRollout(api: KubeApi, r: LiveResource, budgetMs: number, pollMs = 1000): Promise<RolloutState> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const w = await readTarget(api, r);
    const s = rolloutState(w);
    if (s.state === 'complete' || s.state === 'failed') return s;
    // Paused: no rollout will happen, but a scale does (the controller scales the current ReplicaSet); wait for
    // the replicas to be available, not for a rollout.
    if (s.state === 'paused') {
      const c = workloadCounts(w);
      if (c.available >= c.desired && (w.status?.replicas ?? 0) <= c.desired) return s;
    }
    if (Date.now() + pollMs > deadline) return s;
    await new Promise((res) => setTimeout(res, pollMs));
  }
}
