/**
 * What judging workloads needs, in list calls only: the workloads of a kind, their pods, Warning events and
 * revisions. Four requests per namespace however many workloads it holds — or, when the registry spans many
 * namespaces of one cluster, four cluster-wide requests in all (falling back to per-namespace lists when RBAC
 * allows only namespaced reads).
 */
import type { K8sEvent, K8sPod, K8sRevision, K8sWorkload, WorkloadKind } from '../../core/k8s-types.js';
import type { KubeApi } from './client.js';
import { mapLimit } from '../../core/concurrency.js';
import { isKubeCallError } from './errors.js';

export interface NamespaceSnapshot {
  workloads: K8sWorkload[];
  pods: K8sPod[];
  /** Warning events only (field selector type=Warning). */
  warnings: K8sEvent[];
  /** Metadata only (names, owners, the revision annotation): that is all judging reads. */
  revisions: K8sRevision[];
}

/**
 * From this many namespaces of one cluster on, one cluster-wide list per kind replaces the per-namespace
 * lists: requests stop growing with namespaces, at the price of reading namespaces the registry does not name.
 */
export const CLUSTER_WIDE_MIN_NAMESPACES = 3;

/** One namespace (`ns`) or every namespace (`undefined`). */
export async function readSnapshot(api: KubeApi, kind: WorkloadKind, ns: string | undefined, first?: Promise<K8sWorkload[]>): Promise<NamespaceSnapshot> {
  const [workloads, pods, warnings, revisions] = await Promise.all([
    first ?? api.listWorkloads(kind, ns),
    api.listPods(ns),
    api.listEvents(ns, { fieldSelector: 'type=Warning' }),
    // Deployment pods are owned by ReplicaSets: their names tie pods and events to the Deployment.
    kind === 'Deployment' ? api.listRevisions(kind, ns, { metadataOnly: true }) : Promise.resolve([] as K8sRevision[]),
  ]);
  return { workloads, pods, warnings, revisions };
}

export const readNamespaceSnapshot = (api: KubeApi, kind: WorkloadKind, ns: string) => readSnapshot(api, kind, ns);

export type SnapshotRead = { snapshot: NamespaceSnapshot } | { error: unknown };

/**
 * The snapshot of each namespace. Many namespaces: cluster-wide lists, split by namespace; a cluster-wide list
 * RBAC forbids (a user with namespaced Roles only) falls back to per-namespace lists. A failure is per namespace.
 */
export async function readSnapshots(api: KubeApi, kind: WorkloadKind, namespaces: readonly string[], concurrency: number): Promise<Map<string, SnapshotRead>> {
  const out = new Map<string, SnapshotRead>();
  const each = async () => {
    await mapLimit([...namespaces], concurrency, async (ns) => {
      try {
        out.set(ns, { snapshot: await readSnapshot(api, kind, ns) });
      } catch (error) {
        out.set(ns, { error });
      }
    });
    return out;
  };
  if (namespaces.length < CLUSTER_WIDE_MIN_NAMESPACES) return each();
  let all: NamespaceSnapshot;
  try {
    // The workloads first: a forbidden cluster-wide list costs one request before the fallback, not four.
    const workloads = await api.listWorkloads(kind, undefined);
    all = await readSnapshot(api, kind, undefined, Promise.resolve(workloads));
  } catch (e) {
    if (isKubeCallError(e) && e.failure.category === 'forbidden') return each();
    for (const ns of namespaces) out.set(ns, { error: e });
    return out;
  }
  for (const ns of namespaces) out.set(ns, { snapshot: { workloads: [], pods: [], warnings: [], revisions: [] } });
  const bucket = <T extends { metadata: { namespace?: string } }>(xs: T[], pick: (s: NamespaceSnapshot) => T[]) => {
    for (const x of xs) {
      const r = out.get(x.metadata.namespace ?? '');
      if (r && 'snapshot' in r) pick(r.snapshot).push(x);
    }
  };
  bucket(all.workloads, (s) => s.workloads);
  bucket(all.pods, (s) => s.pods);
  bucket(all.warnings, (s) => s.warnings);
  bucket(all.revisions, (s) => s.revisions);
  return out;
}

/** The revisions (ReplicaSets / ControllerRevisions) a workload owns. */
export function revisionsOf(kind: WorkloadKind, name: string, revisions: readonly K8sRevision[]): K8sRevision[] {
  return revisions.filter((r) => (r.metadata.ownerReferences ?? []).some((o) => o.kind === kind && o.name === name));
}
