/**
 * One namespace's worth of what judging workloads needs, in list calls only: the workloads of a kind, their
 * pods, Warning events and revisions. Four requests per namespace however many workloads it holds.
 */
import type { K8sEvent, K8sPod, K8sRevision, K8sWorkload, WorkloadKind } from '../../core/k8s-types.js';
import type { KubeApi } from './client.js';

export interface NamespaceSnapshot {
  workloads: K8sWorkload[];
  pods: K8sPod[];
  /** Warning events only (field selector type=Warning). */
  warnings: K8sEvent[];
  revisions: K8sRevision[];
}

export async function readNamespaceSnapshot(api: KubeApi, kind: WorkloadKind, ns: string): Promise<NamespaceSnapshot> {
  const [workloads, pods, warnings, revisions] = await Promise.all([
    api.listWorkloads(kind, ns),
    api.listPods(ns),
    api.listEvents(ns, { fieldSelector: 'type=Warning' }),
    // Deployment pods are owned by ReplicaSets: their names tie pods and events to the Deployment.
    kind === 'Deployment' ? api.listRevisions(kind, ns) : Promise.resolve([] as K8sRevision[]),
  ]);
  return { workloads, pods, warnings, revisions };
}

/** The revisions (ReplicaSets / ControllerRevisions) a workload owns. */
export function revisionsOf(kind: WorkloadKind, name: string, revisions: readonly K8sRevision[]): K8sRevision[] {
  return revisions.filter((r) => (r.metadata.ownerReferences ?? []).some((o) => o.kind === kind && o.name === name));
}
