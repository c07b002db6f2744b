/**
 * Evidence from the cluster for k8s_* targets: pod logs through the logs API (mined with the same pattern
 * miner as CloudWatch lines), events, container states and rollout history (ReplicaSets / ControllerRevisions)
 * for the timeline and the Kubernetes hypotheses. Per target: one workload read, one pod list, one event
 * list, one revision list, one log read per container.
 */
import type { KubeProvider } from '../../adapters/kubernetes/client.js';
import { isKubeCallError, isKubeFatal, kubeHelmError, kubeReason } from '../../adapters/kubernetes/errors.js';
import { kindOf, nsOf } from '../../adapters/kubernetes/rollout.js';
import { revisionsOf } from '../../adapters/kubernetes/workloads.js';
import type { LogLine } from '../../aws/logs.js';
import type { LiveResource } from '../../config/load.js';
import type { K8sRollout, K8sTargetEvidence } from '../../core/k8s-hypotheses.js';
import { eventsFor, isTerminal, logContainers, podProblems, podsOf, selectorOf } from '../../core/k8s-workload.js';
import { eventMs, tsMs } from '../../core/k8s-types.js';
import { splitTimestamp } from '../ops-kubernetes/reads.js';

export interface K8sRead {
  target: string;
  lines: LogLine[];
  /** Per pod/container: lines read, or why not. */
  groups: { name: string; status: 'read' | 'failed'; lines: number; truncated: boolean; note?: string }[];
  evidence?: K8sTargetEvidence;
  gap?: string;
}

export async function readK8sEvidence(kube: KubeProvider, r: LiveResource, fromMs: number, toMs: number, lineBudget: number): Promise<K8sRead> {
  const api = await kube.api(r.context);
  const kind = kindOf(r);
  const ns = nsOf(r);
  try {
    const w = await api.readWorkload(kind, r.name, ns);
    if (!w) return { target: r.name, lines: [], groups: [], gap: `${kind} ${r.name} not found in namespace ${ns} (context ${api.where.context})` };
    const sel = selectorOf(w);
    const [pods, events, revisions] = await Promise.all([sel ? api.listPods(ns, { labelSelector: sel }) : Promise.resolve([]), api.listEvents(ns), api.listRevisions(kind, ns)]);
    const mine = revisionsOf(kind, r.name, revisions);
    const revNames = new Set(mine.map((x) => x.metadata.name));
    const owned = podsOf(w, pods, revNames);
    const related = eventsFor(events, kind, r.name, new Set(owned.map((p) => p.metadata.name)), revNames).filter((e) => {
      const at = eventMs(e);
      return at !== undefined && at >= fromMs && at <= toMs;
    });

    // Logs: newest lines of each container in the window, within the budget.
    const lines: LogLine[] = [];
    const groups: K8sRead['groups'] = [];
    // A failed init container's log says why its pod cannot start; a finished or evicted pod has no log left.
    const containers = owned.filter((p) => !isTerminal(p)).flatMap((p) => logContainers(p).map((c) => ({ pod: p.metadata.name, container: c })));
    const per = Math.max(1, Math.floor(lineBudget / Math.max(1, containers.length)));
    const sinceSeconds = Math.max(1, Math.ceil((Date.now() - fromMs) / 1000));
    for (const c of containers) {
      const name = `pod/${c.pod}/${c.container}`;
      try {
        const text = await api.podLog(c.pod, ns, { container: c.container, sinceSeconds, tailLines: per, timestamps: true });
        let n = 0;
        for (const raw of text.split('\n')) {
          if (!raw) continue;
          const { time, message } = splitTimestamp(raw);
          const at = time ? Date.parse(time) : undefined;
          if (at === undefined || at < fromMs || at > toMs) continue;
          lines.push({ group: name, timestampMs: at, message });
          n++;
        }
        groups.push({ name, status: 'read', lines: n, truncated: text.split('\n').filter(Boolean).length >= per });
      } catch (e) {
        if (!isKubeCallError(e)) throw e;
        if (isKubeFatal(e.failure)) throw kubeHelmError(e.failure, api.where);
        groups.push({ name, status: 'failed', lines: 0, truncated: false, note: kubeReason(e.failure) });
      }
    }
    lines.sort((a, b) => a.timestampMs - b.timestampMs);

    const sorted = [...mine].sort((a, b) => (tsMs(a.metadata.creationTimestamp) ?? 0) - (tsMs(b.metadata.creationTimestamp) ?? 0));
    const images = (x: (typeof mine)[number]) => (x.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '?');
    const rollouts: K8sRollout[] = sorted.map((x, i) => ({
      atMs: tsMs(x.metadata.creationTimestamp) ?? 0,
      revision: x.revision ?? (Number(x.metadata.annotations?.['deployment.kubernetes.io/revision']) || undefined),
      name: x.metadata.name,
      images: images(x),
      previousImages: i > 0 ? images(sorted[i - 1]!) : undefined,
    }));
    const evidence: K8sTargetEvidence = {
      target: r.name,
      kind,
      namespace: ns,
      problems: podProblems(owned, toMs, toMs - fromMs),
      events: related.map((e) => ({ atMs: eventMs(e)!, type: e.type ?? '', reason: e.reason ?? '', message: e.message ?? '', object: `${(e.involvedObject.kind ?? '?').toLowerCase()}/${e.involvedObject.name ?? '?'}`, count: e.count ?? 1 })).sort((a, b) => a.atMs - b.atMs),
      rollouts,
      createdMs: tsMs(w.metadata.creationTimestamp),
    };
    return { target: r.name, lines, groups, evidence };
  } catch (e) {
    if (!isKubeCallError(e)) throw e;
    if (isKubeFatal(e.failure)) throw kubeHelmError(e.failure, api.where);
    return { target: r.name, lines: [], groups: [], gap: kubeReason(e.failure) };
  }
}
