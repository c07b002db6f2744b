/**
 * The descriptor shared by the three Kubernetes workload types. State comes from list calls per (context,
 * namespace) and is judged by src/core/k8s-workload.ts; the SLOs observe the judged facts. There are no
 * CloudWatch metrics or alarms for these types.
 */
import type { AwsFailure } from '../../aws/errors.js';
import { isKubeCallError, kubeReason, type KubeFailure } from '../../adapters/kubernetes/errors.js';
import { readSnapshots, revisionsOf, type SnapshotRead } from '../../adapters/kubernetes/workloads.js';
import type { LiveResource } from '../../config/load.js';
import { isHelmError } from '../../errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { eventsFor, judgeWorkload, podsOf } from '../../core/k8s-workload.js';
import type { WorkloadKind } from '../../core/k8s-types.js';
import { defineHealth, stateKey, type ResourceHealth, type StateRead } from '../types.js';

export const namespaceOf = (r: Pick<LiveResource, 'namespace'>) => r.namespace ?? 'default';

/** A Kubernetes failure in the shape the monitor rolls up (fatal ones stop the run with exit 4). */
export function asFailure(f: KubeFailure): AwsFailure {
  const category = f.category === 'forbidden' ? 'access-denied' : f.category === 'unauthorized' ? 'credentials' : f.category === 'endpoint' ? 'endpoint' : f.category === 'not-found' ? 'not-found' : f.category === 'server' || f.category === 'unavailable' ? 'server' : 'unknown';
  return { category, code: f.status ? `HTTP ${f.status}` : f.message, message: kubeReason(f), service: 'kubernetes', operation: `${f.verb} ${f.resource}${f.namespace ? ` -n ${f.namespace}` : ''}` };
}

export function k8sWorkloadResource(kind: WorkloadKind): ResourceHealth {
  return defineHealth({
    metrics: [],
    slos: [
      {
        key: 'available_replicas_min_percent',
        label: 'available replicas',
        unit: '%',
        direction: 'min',
        scale: 'level',
        metrics: [],
        observe: (o) => {
          const desired = o.fact('desired');
          const available = o.fact('available');
          if (desired === undefined || available === undefined) return { unknown: 'workload state not read' };
          if (desired === 0) return { notApplicable: kind === 'DaemonSet' ? 'runs on no node (desired 0)' : 'scaled to 0 replicas' };
          return (available / desired) * 100;
        },
      },
      {
        key: 'restarts_max',
        label: 'container restarts in the window',
        unit: '',
        direction: 'max',
        scale: 'level',
        metrics: [],
        observe: (o) => o.fact('restarts_in_window') ?? { unknown: 'pod state not read' },
      },
    ],
    notEvaluated: { availability_percent: `Kubernetes reports no request success rate; configure a PromQL SLO for the service behind the workload ([[slos.prometheus]] with resource_type = "k8s_${kind.toLowerCase()}")` },
    async readState(resources, ctx) {
      const out = new Map<string, StateRead>();
      if (!ctx.kube) {
        for (const r of resources) out.set(stateKey(r), { verdict: 'UNKNOWN', reason: 'state: no Kubernetes client in this run', state: {} });
        return out;
      }
      // Per context, per namespace: the lists are per namespace (or cluster-wide for many namespaces).
      const contexts = new Map<string, Map<string, LiveResource[]>>();
      for (const r of resources) {
        const byNs = contexts.get(r.context ?? '') ?? new Map<string, LiveResource[]>();
        contexts.set(r.context ?? '', byNs);
        byNs.set(namespaceOf(r), [...(byNs.get(namespaceOf(r)) ?? []), r]);
      }
      const now = ctx.now ?? Date.now();
      const windowMs = ctx.windowMs ?? 3600_000;
      const failAll = (rs: LiveResource[], e: unknown) => {
        let f: AwsFailure;
        if (isKubeCallError(e)) f = asFailure(e.failure);
        else if (isHelmError(e)) f = { category: e.kind === 'config' || e.kind === 'input' ? 'invalid-request' : 'unknown', code: e.kind, message: e.describe(), service: 'kubernetes', operation: 'kubeconfig' };
        else throw e;
        for (const r of rs) out.set(stateKey(r), ctx.fail(f));
      };
      await mapLimit([...contexts.values()], ctx.concurrency, async (byNs) => {
        const first = [...byNs.values()][0]![0]!;
        let reads: Map<string, SnapshotRead>;
        try {
          const api = await ctx.kube!.api(first.context);
          reads = await readSnapshots(api, kind, [...byNs.keys()], ctx.concurrency);
        } catch (e) {
          return failAll([...byNs.values()].flat(), e);
        }
        for (const [ns, rs] of byNs) {
          const read = reads.get(ns)!;
          if ('error' in read) {
            failAll(rs, read.error);
            continue;
          }
          const snap = read.snapshot;
          const byName = new Map(snap.workloads.map((w) => [w.metadata.name, w]));
          for (const r of rs) {
            const w = byName.get(r.name);
            if (!w) continue; // absent from the map: not found
            const revs = new Set(revisionsOf(kind, r.name, snap.revisions).map((x) => x.metadata.name));
            const pods = podsOf(w, snap.pods, revs);
            const events = eventsFor(snap.warnings, kind, r.name, new Set(pods.map((p) => p.metadata.name)), revs);
            const j = judgeWorkload(w, pods, events, now, windowMs);
            out.set(stateKey(r), { verdict: j.verdict, reason: j.reasons.join('; ') || undefined, state: j.state, facts: j.facts });
          }
        }
      });
      return out;
    },
  });
}
