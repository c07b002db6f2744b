/**
 * ops-kubernetes, the read actions of the `kubernetes` family: pods, services, deployments, events, logs,
 * describe, top, rollout_status. Each reads with list calls where it can, and returns plain data the
 * ops-manager renders. A namespace that does not exist is bad input naming the closest one, never an empty
 * answer.
 */
import { closest } from '../../config/explain.js';
import type { KubeApi } from '../../adapters/kubernetes/client.js';
import { isKubeCallError } from '../../adapters/kubernetes/errors.js';
import { revisionsOf } from '../../adapters/kubernetes/workloads.js';
import { age, allContainers, eventsFor, isTerminal, kindWord, logContainers, podRestarts, podsOf, rolloutState, selectorOf, summarizePod, workloadCounts, type PodSummary, type RefKind, type RolloutState } from '../../core/k8s-workload.js';
import { eventMs, tsMs, type K8sPod, type WorkloadKind } from '../../core/k8s-types.js';
import { HelmError } from '../../errors.js';
import { describeNode, describePod, describeReplicaSet, describeService, describeWorkload, type Description } from './describe.js';

export interface Scope {
  /** undefined: all namespaces. */
  namespace: string | undefined;
  labelSelector?: string;
  now: number;
}

/** Turns "nothing found" into exit 2 when the namespace itself does not exist. */
export async function ensureNamespace(api: KubeApi, ns: string | undefined): Promise<void> {
  if (ns === undefined) return;
  const exists = await api.namespaceExists(ns);
  if (exists !== false) return;
  let names: string[] = [];
  try {
    names = await api.listNamespaces();
  } catch (e) {
    if (!isKubeCallError(e)) throw e;
  }
  const near = closest(ns, names);
  throw new HelmError('input', `namespace "${ns}" not found in context ${api.where.context}`, {
    keyPath: '--namespace',
    fix: near ? `did you mean --namespace ${near}?` : names.length ? `namespaces: ${names.slice(0, 12).join(', ')}` : 'create it, or pick another with --namespace',
  });
}

// ---- pods -----------------------------------------------------------------------------------------------

export interface PodRow extends PodSummary {
  age: string;
  lastRestart?: string;
}

export async function listPods(api: KubeApi, s: Scope): Promise<PodRow[]> {
  const pods = await api.listPods(s.namespace, { labelSelector: s.labelSelector });
  if (!pods.length) await ensureNamespace(api, s.namespace);
  return pods
    .map((p) => {
      const x = summarizePod(p);
      return { ...x, age: age(x.createdMs, s.now), lastRestart: x.lastRestartMs ? `${age(x.lastRestartMs, s.now)} ago` : undefined };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

// ---- services -------------------------------------------------------------------------------------------

export interface ServiceRow {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string;
  externalIP: string;
  ports: string;
  selector: string;
  age: string;
}

export async function listServices(api: KubeApi, s: Scope): Promise<ServiceRow[]> {
  const svcs = await api.listServices(s.namespace, { labelSelector: s.labelSelector });
  if (!svcs.length) await ensureNamespace(api, s.namespace);
  return svcs
    .map((x) => ({
      namespace: x.metadata.namespace ?? 'default',
      name: x.metadata.name,
      type: x.spec?.type ?? 'ClusterIP',
      clusterIP: x.spec?.clusterIP ?? '<none>',
      externalIP: x.spec?.externalName ?? (x.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname).join(',') ?? '',
      ports: (x.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(','),
      selector: Object.entries(x.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>',
      age: age(tsMs(x.metadata.creationTimestamp), s.now),
    }))
    .map((r) => ({ ...r, externalIP: r.externalIP || '<none>' }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

// ---- deployments ----------------------------------------------------------------------------------------

export interface DeploymentRow {
  namespace: string;
  name: string;
  ready: string;
  upToDate: number;
  available: number;
  desired: number;
  restarts: number;
  age: string;
  images: string[];
  rollout: RolloutState['state'];
}

/** Three list calls whatever the count: deployments, their ReplicaSets, pods (for restarts). */
export async function listDeployments(api: KubeApi, s: Scope): Promise<DeploymentRow[]> {
  const [deps, rss, pods] = await Promise.all([api.listWorkloads('Deployment', s.namespace, { labelSelector: s.labelSelector }), s.namespace === undefined ? Promise.resolve([]) : api.listRevisions('Deployment', s.namespace), api.listPods(s.namespace)]);
  if (!deps.length) await ensureNamespace(api, s.namespace);
  return deps
    .map((d) => {
      const c = workloadCounts(d);
      const revs = new Set(revisionsOf('Deployment', d.metadata.name, rss).map((r) => r.metadata.name));
      const mine = pods.filter((p) => p.metadata.namespace === d.metadata.namespace);
      // Across namespaces the ReplicaSets are not listed: a ReplicaSet is named after its Deployment and the pod
      // template hash its pods carry (a name prefix alone would take web-api's pods for web's).
      const owned = revs.size ? podsOf(d, mine, revs) : mine.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'ReplicaSet' && o.name === `${d.metadata.name}-${p.metadata.labels?.['pod-template-hash'] ?? ''}`));
      return {
        namespace: d.metadata.namespace ?? 'default',
        name: d.metadata.name,
        ready: `${c.ready}/${c.desired}`,
        upToDate: c.updated,
        available: c.available,
        desired: c.desired,
        restarts: owned.filter((p) => !isTerminal(p)).reduce((a, p) => a + podRestarts(p), 0),
        age: age(tsMs(d.metadata.creationTimestamp), s.now),
        images: (d.spec?.template?.spec?.containers ?? []).map((x) => x.image ?? '?'),
        rollout: rolloutState(d).state,
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

// ---- events ---------------------------------------------------------------------------------------------

export interface EventRow {
  time: string | null;
  namespace: string;
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
  source: string;
}

export async function listEvents(api: KubeApi, s: Scope & { forRef?: { kind: RefKind; name: string }; type?: string; sinceMs?: number }): Promise<EventRow[]> {
  const fields: string[] = [];
  if (s.forRef) fields.push(`involvedObject.kind=${s.forRef.kind}`, `involvedObject.name=${s.forRef.name}`);
  if (s.type) fields.push(`type=${s.type}`);
  const events = await api.listEvents(s.namespace, { fieldSelector: fields.join(',') || undefined });
  if (!events.length) await ensureNamespace(api, s.namespace);
  const from = s.sinceMs === undefined ? -Infinity : s.now - s.sinceMs;
  return events
    .filter((e) => (eventMs(e) ?? 0) >= from)
    .sort((a, b) => (eventMs(a) ?? 0) - (eventMs(b) ?? 0))
    .map((e) => {
      const at = eventMs(e);
      return {
        time: at === undefined ? null : new Date(at).toISOString(),
        namespace: e.metadata.namespace ?? e.involvedObject.namespace ?? '',
        type: e.type ?? '',
        reason: e.reason ?? '',
        object: `${(e.involvedObject.kind ?? '?').toLowerCase()}/${e.involvedObject.name ?? '?'}`,
        message: e.message ?? '',
        count: e.count ?? 1,
        source: e.source?.component ?? e.reportingComponent ?? '',
      };
    });
}

// ---- logs -----------------------------------------------------------------------------------------------

export interface LogLineRow {
  pod: string;
  container: string;
  time: string | null;
  message: string;
}

export interface LogsResult {
  pods: string[];
  lines: LogLineRow[];
  /** Containers whose log could not be read, with why (e.g. no previous instance). */
  unread: { pod: string; container: string; reason: string }[];
}

/** `<RFC3339Nano> <message>` as the kubelet writes with timestamps=true. */
export function splitTimestamp(line: string): { time: string | null; message: string } {
  const sp = line.indexOf(' ');
  const head = sp > 0 ? line.slice(0, sp) : '';
  if (/^\d{4}-\d\d-\d\dT/.test(head) && !Number.isNaN(Date.parse(head))) return { time: new Date(Date.parse(head)).toISOString(), message: line.slice(sp + 1) };
  return { time: null, message: line };
}

export async function readLogs(
  api: KubeApi,
  ns: string,
  target: { kind: RefKind; name: string },
  o: { container?: string; previous?: boolean; sinceSeconds?: number; tail?: number },
): Promise<LogsResult> {
  let pods: K8sPod[];
  if (target.kind === 'Pod') {
    const p = await api.readPod(target.name, ns);
    if (!p) {
      await ensureNamespace(api, ns);
      throw notFound(api, 'pod', target.name, ns, (await api.listPods(ns)).map((x) => x.metadata.name));
    }
    pods = [p];
  } else if (target.kind === 'Deployment' || target.kind === 'StatefulSet' || target.kind === 'DaemonSet') {
    const w = await api.readWorkload(target.kind, target.name, ns);
    if (!w) {
      await ensureNamespace(api, ns);
      throw notFound(api, kindWord(target.kind), target.name, ns, (await api.listWorkloads(target.kind, ns)).map((x) => x.metadata.name));
    }
    const sel = selectorOf(w);
    // The pods it owns that still run: a Job's or a debug pod with the same labels is not one of them, and
    // a finished or evicted pod has no container left to read.
    const [matching, revisions] = await Promise.all([sel ? api.listPods(ns, { labelSelector: sel }) : Promise.resolve([] as K8sPod[]), target.kind === 'Deployment' ? api.listRevisions('Deployment', ns, { metadataOnly: true, labelSelector: sel }) : Promise.resolve([])]);
    const revNames = new Set(revisionsOf(target.kind, target.name, revisions).map((r) => r.metadata.name));
    pods = podsOf(w, matching, revNames).filter((p) => !isTerminal(p));
  } else {
    throw new HelmError('usage', `logs reads pods and workloads, not ${target.kind}`, { fix: 'logs POD, logs deploy/NAME, logs sts/NAME or logs ds/NAME' });
  }
  const lines: LogLineRow[] = [];
  const unread: LogsResult['unread'] = [];
  for (const p of pods) {
    // Named: any container, init containers included (as kubectl -c). Else the ones that tell what the pod does.
    const containers = o.container ? allContainers(p).filter((c) => c === o.container) : logContainers(p);
    if (o.container && !containers.length) {
      const names = allContainers(p);
      throw new HelmError('input', `pod ${p.metadata.name} has no container "${o.container}"`, { keyPath: '--container', fix: `containers: ${names.join(', ')}` });
    }
    for (const c of containers) {
      try {
        const text = await api.podLog(p.metadata.name, ns, { container: c, previous: o.previous, sinceSeconds: o.sinceSeconds, tailLines: o.tail, timestamps: true });
        for (const raw of text.split('\n')) {
          if (!raw) continue;
          lines.push({ pod: p.metadata.name, container: c, ...splitTimestamp(raw) });
        }
      } catch (e) {
        if (!isKubeCallError(e) || e.failure.category === 'forbidden' || e.failure.category === 'unauthorized' || e.failure.category === 'endpoint') throw e;
        unread.push({ pod: p.metadata.name, container: c, reason: e.failure.message });
      }
    }
  }
  // --since on our side too: a log source that ignores sinceSeconds must not widen the answer.
  if (o.sinceSeconds !== undefined) {
    const from = Date.now() - o.sinceSeconds * 1000;
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.time !== null && Date.parse(lines[i]!.time!) < from) lines.splice(i, 1);
  }
  // Across pods, in time order; lines without a timestamp keep their place after the timed ones.
  lines.sort((a, b) => (a.time === null ? 1 : b.time === null ? -1 : a.time.localeCompare(b.time)));
  return { pods: pods.map((p) => p.metadata.name), lines, unread };
}

// ---- describe -------------------------------------------------------------------------------------------

export async function describe(api: KubeApi, ns: string, ref: { kind: RefKind; name: string }, now: number): Promise<Description> {
  if (ref.kind === 'Deployment' || ref.kind === 'StatefulSet' || ref.kind === 'DaemonSet') {
    const w = await api.readWorkload(ref.kind, ref.name, ns);
    if (!w) {
      await ensureNamespace(api, ns);
      throw notFound(api, kindWord(ref.kind), ref.name, ns, (await api.listWorkloads(ref.kind, ns)).map((x) => x.metadata.name));
    }
    const sel = selectorOf(w);
    const [pods, revisions, events] = await Promise.all([sel ? api.listPods(ns, { labelSelector: sel }) : Promise.resolve([]), api.listRevisions(ref.kind, ns, { labelSelector: ref.kind === 'Deployment' ? sel : undefined }), api.listEvents(ns)]);
    const mine = revisionsOf(ref.kind, ref.name, revisions);
    const revNames = new Set(mine.map((r) => r.metadata.name));
    const owned = podsOf(w, pods, revNames);
    return describeWorkload(w, owned, mine, eventsFor(events, ref.kind, ref.name, new Set(owned.map((p) => p.metadata.name)), revNames), now);
  }
  if (ref.kind === 'Pod') {
    const p = await api.readPod(ref.name, ns);
    if (!p) {
      await ensureNamespace(api, ns);
      throw notFound(api, 'pod', ref.name, ns, (await api.listPods(ns)).map((x) => x.metadata.name));
    }
    const events = await api.listEvents(ns, { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${ref.name}` });
    return describePod(p, events, now);
  }
  if (ref.kind === 'ReplicaSet') {
    const rs = await api.readReplicaSet(ref.name, ns);
    if (!rs) {
      await ensureNamespace(api, ns);
      throw notFound(api, 'rs', ref.name, ns, (await api.listRevisions('Deployment', ns, { metadataOnly: true })).map((x) => x.metadata.name));
    }
    const sel = selectorOf(rs);
    const [pods, events] = await Promise.all([sel ? api.listPods(ns, { labelSelector: sel }) : Promise.resolve([]), api.listEvents(ns, { fieldSelector: `involvedObject.kind=ReplicaSet,involvedObject.name=${ref.name}` })]);
    // The selector may match pods of a sibling revision that share its labels: only the pods this ReplicaSet controls.
    const owned = pods.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'ReplicaSet' && o.name === ref.name));
    return describeReplicaSet(rs, owned, events, now);
  }
  if (ref.kind === 'Service') {
    const svc = await api.readService(ref.name, ns);
    if (!svc) {
      await ensureNamespace(api, ns);
      throw notFound(api, 'service', ref.name, ns, (await api.listServices(ns)).map((x) => x.metadata.name));
    }
    const sel = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const [pods, events] = await Promise.all([sel ? api.listPods(ns, { labelSelector: sel }) : Promise.resolve([]), api.listEvents(ns, { fieldSelector: `involvedObject.kind=Service,involvedObject.name=${ref.name}` })]);
    return describeService(svc, pods, events, now);
  }
  if (ref.kind === 'Node') {
    const n = await api.readNode(ref.name);
    if (!n) throw notFound(api, 'node', ref.name, undefined, (await api.listNodes()).map((x) => x.metadata.name));
    const [pods, events] = await Promise.all([api.listPods(undefined, { fieldSelector: `spec.nodeName=${ref.name}` }), api.listEvents(undefined, { fieldSelector: `involvedObject.kind=Node,involvedObject.name=${ref.name}` })]);
    return describeNode(n, pods, events, now);
  }
  throw new HelmError('usage', `describe does not read ${ref.kind} yet`, { fix: 'describe deploy|sts|ds|rs|pod|svc|node NAME' });
}

function notFound(api: KubeApi, kind: string, name: string, ns: string | undefined, names: string[]): HelmError {
  const near = closest(name, names);
  return new HelmError('input', `${kind} "${name}" not found${ns ? ` in namespace ${ns}` : ''} (context ${api.where.context})`, {
    fix: near ? `did you mean ${kind}/${near}?` : names.length ? `${kind}s here: ${names.slice(0, 10).join(', ')}` : `there are no ${kind}s${ns ? ` in namespace ${ns}` : ''}`,
  });
}

// ---- top ------------------------------------------------------------------------------------------------

export interface TopRow {
  namespace?: string;
  name: string;
  cpuMillicores: number;
  memoryBytes: number;
  cpu: string;
  memory: string;
}

/** Kubernetes quantities: "250m" CPU, "12Mi" memory, "1234567n" nano-cores. */
export function cpuMillis(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(n|u|m)?$/.exec(q.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'n' ? v / 1e6 : m[2] === 'u' ? v / 1e3 : m[2] === 'm' ? v : v * 1000;
}

export function memBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(q.trim());
  if (!m) return NaN;
  const mult: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * (m[2] ? mult[m[2]]! : 1);
}

const fmtCpu = (m: number) => `${Math.round(m)}m`;
const fmtMem = (b: number) => `${Math.round(b / 1024 ** 2)}Mi`;

export type TopResult = { ok: true; rows: TopRow[] } | { ok: false; reason: string };

/** From the metrics API (metrics.k8s.io, served by metrics-server through API aggregation). */
export async function top(api: KubeApi, what: 'pods' | 'nodes', ns: string | undefined): Promise<TopResult> {
  try {
    if (what === 'nodes') {
      const ns_ = await api.nodeMetrics();
      return { ok: true, rows: ns_.map((n) => ({ name: n.name, cpuMillicores: cpuMillis(n.cpu), memoryBytes: memBytes(n.memory), cpu: fmtCpu(cpuMillis(n.cpu)), memory: fmtMem(memBytes(n.memory)) })).sort((a, b) => a.name.localeCompare(b.name)) };
    }
    const pods = await api.podMetrics(ns);
    if (!pods.length) await ensureNamespace(api, ns);
    const rows = pods.map((p) => {
      const cpu = p.containers.reduce((a, c) => a + (cpuMillis(c.cpu) || 0), 0);
      const mem = p.containers.reduce((a, c) => a + (memBytes(c.memory) || 0), 0);
      return { namespace: p.namespace, name: p.name, cpuMillicores: cpu, memoryBytes: mem, cpu: fmtCpu(cpu), memory: fmtMem(mem) };
    });
    return { ok: true, rows: rows.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name)) };
  } catch (e) {
    if (!isKubeCallError(e)) throw e;
    const f = e.failure;
    if (f.category === 'not-found') return { ok: false, reason: 'the metrics API (metrics.k8s.io) is not served by this cluster: metrics-server is absent. Install metrics-server to use top' };
    if (f.category === 'unavailable' || f.category === 'server') return { ok: false, reason: `the metrics API (metrics.k8s.io) is registered but not answering (${f.message}): metrics-server is down or still starting (it needs two scrapes, about a minute)` };
    throw e;
  }
}

// ---- rollout status -------------------------------------------------------------------------------------

export interface RolloutWatch {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  final: RolloutState;
  /** Each distinct message seen while waiting, in order. */
  progress: { at: string; message: string }[];
  timedOut: boolean;
  waitedMs: number;
}

export async function rolloutStatus(api: KubeApi, ns: string, ref: { kind: WorkloadKind; name: string }, timeoutMs: number, clock: () => number, sleep: (ms: number) => Promise<void>): Promise<RolloutWatch> {
  const start = clock();
  const progress: RolloutWatch['progress'] = [];
  for (;;) {
    const w = await api.readWorkload(ref.kind, ref.name, ns);
    if (!w) {
      await ensureNamespace(api, ns);
      throw notFound(api, kindWord(ref.kind), ref.name, ns, (await api.listWorkloads(ref.kind, ns)).map((x) => x.metadata.name));
    }
    const s = rolloutState(w);
    if (progress.at(-1)?.message !== s.message) progress.push({ at: new Date(clock()).toISOString(), message: s.message });
    const waited = clock() - start;
    if (s.state !== 'progressing' || waited >= timeoutMs) return { kind: ref.kind, name: ref.name, namespace: ns, final: s, progress, timedOut: s.state === 'progressing', waitedMs: waited };
    await sleep(Math.min(1000, Math.max(0, timeoutMs - waited)));
  }
}

