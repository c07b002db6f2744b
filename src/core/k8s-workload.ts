/**
 * Judging Kubernetes workloads and their pods from API objects: the status words kubectl shows, rollout
 * progress as `kubectl rollout status` decides it, and a health verdict with reasons (available vs desired,
 * a rollout past its progress deadline, crash loops, OOM kills, image pull errors, pending pods, restarts and
 * Warning events in the window). Pure: objects and `now` in, plain data out.
 */
import type { Verdict } from './verdict.js';
import { eventMs, tsMs, type K8sContainerStatus, type K8sEvent, type K8sPod, type K8sWorkload, type WorkloadKind } from './k8s-types.js';

// ---- names -----------------------------------------------------------------------------------------------

export type RefKind = WorkloadKind | 'Pod' | 'Service' | 'Node' | 'ReplicaSet';

const KIND_WORDS: Record<string, RefKind> = {
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  svc: 'Service', service: 'Service', services: 'Service',
  no: 'Node', node: 'Node', nodes: 'Node',
  rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
};
export const KIND_NAMES = Object.keys(KIND_WORDS);

/** `deploy/web`, `deployment.apps/web`, `Deployment/web` → kind and name; a bare name takes `bare`. */
export function parseRef(text: string, bare?: RefKind): { kind: RefKind; name: string } | { error: string; near?: string } {
  const slash = text.indexOf('/');
  if (slash < 0) return bare ? { kind: bare, name: text } : { error: `"${text}" names no kind: write KIND/NAME such as deploy/${text}` };
  const word = text.slice(0, slash).toLowerCase().replace(/\.(apps|v1|core)$/, '');
  const name = text.slice(slash + 1);
  const kind = KIND_WORDS[word];
  if (!kind) return { error: `unknown kind "${text.slice(0, slash)}"` };
  if (!name) return { error: `"${text}" has no name after the slash` };
  return { kind, name };
}

export function kindWord(kind: WorkloadKind): string {
  return kind === 'Deployment' ? 'deploy' : kind === 'StatefulSet' ? 'sts' : 'ds';
}

/** matchLabels (and In/NotIn/Exists expressions) as a label selector string. */
export function selectorOf(w: Pick<K8sWorkload, 'spec'>): string | undefined {
  const sel = w.spec?.selector;
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

// ---- time -----------------------------------------------------------------------------------------------

/** kubectl's short ages: 45s, 12m, 5h, 3d. */
export function age(fromMs: number | undefined, now: number): string {
  if (fromMs === undefined) return '<unknown>';
  const s = Math.max(0, Math.floor((now - fromMs) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

// ---- pods -----------------------------------------------------------------------------------------------

export interface PodSummary {
  name: string;
  namespace: string;
  status: string;
  ready: string;
  restarts: number;
  lastRestartMs?: number;
  node?: string;
  ip?: string;
  createdMs?: number;
  images: string[];
  owner?: string;
}

/** The STATUS column of `kubectl get pods`: the most telling container reason, else the phase. */
export function podStatusWord(pod: K8sPod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const st = pod.status ?? {};
  let reason = st.reason ?? st.phase ?? 'Unknown';
  const inits = st.initContainerStatuses ?? [];
  const sidecars = nativeSidecars(pod);
  for (const [i, c] of inits.entries()) {
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started) continue;
    if (t) return t.reason ? `Init:${t.reason}` : `Init:ExitCode:${t.exitCode}`;
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') return `Init:${c.state.waiting.reason}`;
    if (!c.ready && !c.started) return `Init:${i}/${inits.length}`;
  }
  let running = false;
  for (const c of [...(st.containerStatuses ?? [])].reverse()) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated) reason = c.state.terminated.reason ?? (c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`);
    else if (c.ready && c.state?.running) running = true;
  }
  if (reason === 'Completed' && running) reason = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  if (st.phase === 'Pending' && reason === 'Pending') {
    const sched = st.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (sched?.reason) return sched.reason === 'Unschedulable' ? 'Pending' : sched.reason;
  }
  return reason;
}

export function lastRestartMs(c: K8sContainerStatus): number | undefined {
  return tsMs(c.lastState?.terminated?.finishedAt);
}

/** Init containers with restartPolicy Always: native sidecars, counted with the containers once started. */
export function nativeSidecars(pod: Pick<K8sPod, 'spec'>): Set<string> {
  return new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
}

/** Every container restart of a pod, init containers included (kubectl's RESTARTS column). */
export function podRestarts(pod: K8sPod): number {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].reduce((a, c) => a + (c.restartCount ?? 0), 0);
}

/** Succeeded or Failed: the pod will not run again (a finished Job pod, an evicted pod). */
export const isTerminal = (pod: K8sPod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export function summarizePod(pod: K8sPod): PodSummary {
  const sidecars = nativeSidecars(pod);
  const sidecarStatuses = (pod.status?.initContainerStatuses ?? []).filter((c) => sidecars.has(c.name));
  const cs = [...sidecarStatuses, ...(pod.status?.containerStatuses ?? [])];
  const total = (pod.spec?.containers?.length ?? (pod.status?.containerStatuses ?? []).length) + sidecars.size;
  const restartsAt = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map(lastRestartMs).filter((x): x is number => x !== undefined);
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    status: podStatusWord(pod),
    ready: `${cs.filter((c) => c.ready).length}/${total}`,
    restarts: podRestarts(pod),
    lastRestartMs: restartsAt.length ? Math.max(...restartsAt) : undefined,
    node: pod.spec?.nodeName,
    ip: pod.status?.podIP,
    createdMs: tsMs(pod.metadata.creationTimestamp),
    images: (pod.spec?.containers ?? []).map((c) => c.image ?? '?'),
    owner: owner ? `${owner.kind}/${owner.name}` : undefined,
  };
}

const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

export type PodProblemKind = 'crash_loop' | 'oom_killed' | 'image_pull' | 'config_error' | 'init_failed' | 'pending' | 'evicted' | 'pod_failed' | 'not_ready' | 'restarted';

export interface PodProblem {
  kind: PodProblemKind;
  pod: string;
  container?: string;
  /** Waiting/terminated reason as the kubelet reports it. */
  reason: string;
  message?: string;
  exitCode?: number;
  atMs?: number;
  restarts?: number;
  /** The container is an init container (it must finish before the others start). */
  init?: boolean;
  /** The container's memory limit (for OOM kills). */
  memoryLimit?: string;
}

/** When the kubelet failed a pod: its DisruptionTarget or Ready transition, else its containers' end. */
function failedAtMs(p: K8sPod): number | undefined {
  const cond = p.status?.conditions?.find((c) => c.type === 'DisruptionTarget') ?? p.status?.conditions?.find((c) => c.type === 'Ready');
  const ends = (p.status?.containerStatuses ?? []).map((c) => tsMs(c.state?.terminated?.finishedAt)).filter((x): x is number => x !== undefined);
  return tsMs(cond?.lastTransitionTime) ?? (ends.length ? Math.max(...ends) : undefined);
}

/** What is wrong with each pod, container by container (a pod may have several problems). */
export function podProblems(pods: readonly K8sPod[], now: number, windowMs: number, pendingGraceMs = 5 * 60_000): PodProblem[] {
  const out: PodProblem[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const st = p.status ?? {};
    if (st.phase === 'Succeeded') continue;
    // A failed pod runs no more: its containers' last states are history. The kubelet failing it (an
    // eviction under node pressure, a node shutdown) is worth naming while it is recent; the controller
    // has replaced it already.
    if (st.phase === 'Failed') {
      const atMs = failedAtMs(p);
      if (st.reason && atMs !== undefined && atMs >= now - windowMs) out.push({ pod: p.metadata.name, kind: st.reason === 'Evicted' ? 'evicted' : 'pod_failed', reason: st.reason, message: st.message, atMs });
      continue;
    }
    const inits = new Set((st.initContainerStatuses ?? []).map((c) => c.name));
    const sidecars = nativeSidecars(p);
    const limits = new Map([...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => [c.name, c.resources?.limits?.memory]));
    for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
      const w = c.state?.waiting;
      const last = c.lastState?.terminated;
      const term = c.state?.terminated;
      // A native sidecar is an init container by declaration but runs beside the containers: named as one of them.
      const init = inits.has(c.name) && !sidecars.has(c.name);
      const base = { pod: p.metadata.name, container: c.name, restarts: c.restartCount, ...(init ? { init: true } : {}) };
      if (w?.reason === 'CrashLoopBackOff') out.push({ ...base, kind: 'crash_loop', reason: last?.reason ?? 'CrashLoopBackOff', message: w.message, exitCode: last?.exitCode, atMs: tsMs(last?.finishedAt) });
      else if (w?.reason && IMAGE_REASONS.has(w.reason)) out.push({ ...base, kind: 'image_pull', reason: w.reason, message: w.message });
      else if (w?.reason && CONFIG_REASONS.has(w.reason)) out.push({ ...base, kind: 'config_error', reason: w.reason, message: w.message });
      // An init container that exited non-zero holds the pod before its containers start (Init:Error).
      if (init && term && term.exitCode !== 0 && term.reason !== 'OOMKilled') out.push({ ...base, kind: 'init_failed', reason: term.reason ?? 'Error', message: term.message, exitCode: term.exitCode, atMs: tsMs(term.finishedAt) });
      const oom = [term, last].find((t) => t?.reason === 'OOMKilled');
      if (oom) out.push({ ...base, kind: 'oom_killed', reason: 'OOMKilled', exitCode: oom.exitCode, atMs: tsMs(oom.finishedAt), ...(limits.get(c.name) ? { memoryLimit: limits.get(c.name) } : {}) });
      const restartedAt = tsMs(last?.finishedAt);
      if (restartedAt !== undefined && restartedAt >= now - windowMs && w?.reason !== 'CrashLoopBackOff' && !oom) {
        out.push({ ...base, kind: 'restarted', reason: last?.reason ?? 'Error', exitCode: last?.exitCode, atMs: restartedAt });
      }
    }
    if (st.phase === 'Pending') {
      const created = tsMs(p.metadata.creationTimestamp) ?? now;
      const sched = st.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const waiting = out.some((x) => x.pod === p.metadata.name && x.kind !== 'restarted');
      if (!waiting && (sched || now - created >= pendingGraceMs)) {
        // Scheduled but not started: say where it waits (Init:0/1 behind an init container that does not
        // finish, ContainerCreating) rather than a bare "Pending".
        const running = (st.initContainerStatuses ?? []).find((c) => c.state?.running && !nativeSidecars(p).has(c.name));
        const word = podStatusWord(p);
        const message = sched?.message ?? (running ? `init container ${running.name} running since ${age(tsMs(running.state?.running?.startedAt), now)} ago` : undefined);
        out.push({ pod: p.metadata.name, kind: 'pending', reason: sched?.reason ?? word, message, atMs: created, ...(running ? { container: running.name, init: true } : {}) });
      }
    }
  }
  return out;
}

// ---- workloads ------------------------------------------------------------------------------------------

export interface WorkloadCounts {
  desired: number;
  ready: number;
  available: number;
  updated: number;
  /** Pods the controller currently runs (old and new revisions). */
  current: number;
}

export function workloadCounts(w: K8sWorkload): WorkloadCounts {
  const s = w.status ?? {};
  if (w.kind === 'DaemonSet') {
    return { desired: s.desiredNumberScheduled ?? 0, ready: s.numberReady ?? 0, available: s.numberAvailable ?? 0, updated: s.updatedNumberScheduled ?? 0, current: s.currentNumberScheduled ?? 0 };
  }
  return { desired: w.spec?.replicas ?? 1, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0, updated: s.updatedReplicas ?? 0, current: s.replicas ?? 0 };
}

export interface RolloutState {
  state: 'complete' | 'progressing' | 'failed' | 'paused';
  message: string;
  reason?: string;
}

/** `kubectl rollout status`, decided from one read of the object. */
export function rolloutState(w: K8sWorkload): RolloutState {
  const name = `${kindWord((w.kind as WorkloadKind) ?? 'Deployment')}/${w.metadata.name}`;
  const s = w.status ?? {};
  const c = workloadCounts(w);
  if ((w.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { state: 'progressing', message: `waiting for the ${w.kind ?? 'workload'} spec update to be observed` };
  if (w.kind === 'DaemonSet') {
    if (w.spec?.updateStrategy?.type === 'OnDelete') return { state: 'complete', message: `${name}: updateStrategy OnDelete, rollout status is not tracked` };
    if (c.updated < c.desired) return { state: 'progressing', message: `${c.updated} of ${c.desired} updated pods are scheduled` };
    if (c.available < c.desired) return { state: 'progressing', message: `${c.available} of ${c.desired} updated pods are available` };
    return { state: 'complete', message: `${name} successfully rolled out` };
  }
  if (w.kind === 'StatefulSet') {
    if (w.spec?.updateStrategy?.type === 'OnDelete') return { state: 'complete', message: `${name}: updateStrategy OnDelete, rollout status is not tracked` };
    if (c.ready < c.desired) return { state: 'progressing', message: `${c.ready} of ${c.desired} pods are ready` };
    const partition = w.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    if (partition > 0) {
      if (c.updated < c.desired - partition) return { state: 'progressing', message: `${c.updated} of ${c.desired - partition} pods above partition ${partition} are updated` };
      return { state: 'complete', message: `${name}: partitioned roll out complete: ${c.updated} new pods have been updated` };
    }
    if (s.updateRevision && s.currentRevision !== s.updateRevision) return { state: 'progressing', message: `${c.updated} of ${c.desired} pods are on revision ${s.updateRevision}` };
    return { state: 'complete', message: `${name}: rolling update complete ${c.current} pods at revision ${s.currentRevision ?? '?'}` };
  }
  const progressing = s.conditions?.find((x) => x.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { state: 'failed', reason: 'ProgressDeadlineExceeded', message: `${name} exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}` };
  if (w.spec?.paused) return { state: 'paused', message: `${name} is paused` };
  if (c.updated < c.desired) return { state: 'progressing', message: `${c.updated} out of ${c.desired} new replicas have been updated` };
  if (c.current > c.updated) return { state: 'progressing', message: `${c.current - c.updated} old replicas are pending termination` };
  if (c.available < c.updated) return { state: 'progressing', message: `${c.available} of ${c.updated} updated replicas are available` };
  return { state: 'complete', message: `${name} successfully rolled out` };
}

/**
 * Is a new revision being rolled out, as opposed to pods of the current one being unavailable? kubectl's
 * rollout status waits for both alike; a health reason must not call an unready pod a rollout.
 */
export function rollingOut(w: K8sWorkload): boolean {
  const s = w.status ?? {};
  const c = workloadCounts(w);
  if ((w.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return true;
  if (w.kind === 'Deployment' && w.spec?.paused) return false;
  if (c.updated < c.desired || c.current > c.updated) return true;
  if (w.kind === 'StatefulSet') return Boolean(s.updateRevision && s.currentRevision !== s.updateRevision);
  if (w.kind === 'DaemonSet') return false;
  const reason = s.conditions?.find((x) => x.type === 'Progressing')?.reason;
  return reason === 'ReplicaSetUpdated' || reason === 'NewReplicaSetCreated' || reason === 'FoundNewReplicaSet';
}

/**
 * How long a StatefulSet rollout may wait on one pod of the new revision that is not ready: StatefulSets have
 * no progress deadline of their own, so the Deployment default (progressDeadlineSeconds 600) stands in.
 */
export const STS_STALL_MS = 600_000;

/** A StatefulSet rollout held by a pod of the update revision that has not been ready for STS_STALL_MS. */
export function stalledStatefulSet(w: K8sWorkload, pods: readonly K8sPod[], now: number): string | undefined {
  const rev = w.status?.updateRevision;
  if (w.kind !== 'StatefulSet' || !rev || w.status?.currentRevision === rev) return undefined;
  const held = pods
    .filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp && p.metadata.labels?.['controller-revision-hash'] === rev)
    .filter((p) => !p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'))
    .map((p) => ({ name: p.metadata.name, since: tsMs(p.metadata.creationTimestamp) ?? now }))
    .filter((p) => now - p.since >= STS_STALL_MS)
    .sort((a, b) => a.since - b.since)[0];
  if (!held) return undefined;
  return `sts/${w.metadata.name} is held by pod ${held.name} of revision ${rev}, not ready for ${age(held.since, now)} (StatefulSets have no progress deadline; ${STS_STALL_MS / 60_000}m is the Deployment default)`;
}

export interface WorkloadJudgement {
  verdict: Verdict;
  reasons: string[];
  state: Record<string, unknown>;
  facts: Record<string, number>;
  problems: PodProblem[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Groups problems of one kind into one sentence: "2 pods in CrashLoopBackOff (api: Error, exit 1)". */
function problemLine(kind: PodProblemKind, ps: PodProblem[]): string {
  const pods = new Set(ps.map((p) => p.pod)).size;
  const first = ps[0]!;
  const who = first.container ? `${first.init ? 'init container ' : ''}${first.container}` : '';
  const detail = `${who ? `${who}: ` : ''}${first.reason}${first.exitCode !== undefined ? `, exit ${first.exitCode}` : ''}${first.message ? ` — ${first.message.slice(0, 160)}` : ''}`;
  switch (kind) {
    case 'crash_loop':
      return `${plural(pods, 'pod')} in CrashLoopBackOff (${detail})`;
    case 'oom_killed':
      // Without a limit the container was the one the node's OOM killer picked when the node ran short.
      return `${plural(pods, 'pod')} OOMKilled (${who || '?'} ${first.memoryLimit ? `exceeded its memory limit ${first.memoryLimit}` : 'was killed with no memory limit set: the node ran out of memory'})`;
    case 'init_failed':
      return `${plural(pods, 'pod')} cannot start: ${who} failed (${first.reason}${first.exitCode !== undefined ? `, exit ${first.exitCode}` : ''}${first.message ? ` — ${first.message.slice(0, 160)}` : ''})`;
    case 'evicted':
      // The kubelet's first sentence names the resource under pressure; the rest is thresholds and usage.
      return `${plural(pods, 'pod')} evicted in the window (${(first.message ?? 'Evicted').split(/(?<=\.)\s/)[0]!.slice(0, 160)})`;
    case 'pod_failed':
      return `${plural(pods, 'pod')} failed by the node in the window (${first.reason}${first.message ? `: ${first.message.slice(0, 160)}` : ''})`;
    case 'image_pull':
      return `${plural(pods, 'pod')} cannot pull the image (${detail})`;
    case 'config_error':
      return `${plural(pods, 'pod')} cannot start a container (${detail})`;
    case 'pending':
      return `${plural(pods, 'pod')} pending (${first.reason}${first.message ? `: ${first.message.slice(0, 160)}` : ''})`;
    case 'restarted':
      return `${plural(ps.length, 'container restart')} in the window (${detail})`;
    default:
      return `${plural(pods, 'pod')} not ready`;
  }
}

/**
 * A workload's verdict. UNHEALTHY: nothing available, a rollout past its progress deadline, crash loops, OOM
 * kills, image pull or container config errors. DEGRADED: fewer available than desired (a rollout in
 * progress included), pending pods, restarts or Warning events in the window. Else HEALTHY.
 */
export function judgeWorkload(w: K8sWorkload, pods: readonly K8sPod[], events: readonly K8sEvent[], now: number, windowMs: number): WorkloadJudgement {
  const c = workloadCounts(w);
  const r = rolloutState(w);
  const problems = podProblems(pods, now, windowMs);
  const byKind = new Map<PodProblemKind, PodProblem[]>();
  for (const p of problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  const unhealthy: string[] = [];
  const degraded: string[] = [];
  // A DaemonSet has no replicas: kubectl counts its pods (desired = nodes it should run on).
  const units = w.kind === 'DaemonSet' ? 'pods' : 'replicas';
  const rolling = r.state === 'progressing' && rollingOut(w);
  if (r.state === 'failed') unhealthy.push(`rollout stuck: ${r.message}`);
  const stalled = stalledStatefulSet(w, pods, now);
  if (stalled) unhealthy.push(`rollout stuck: ${stalled}`);
  if (c.desired > 0 && c.available === 0) unhealthy.push(`0/${c.desired} ${units} available`);
  // A crash loop whose last exit was an OOM kill is said once, as the OOM kill.
  const crashes = (byKind.get('crash_loop') ?? []).filter((p) => p.reason !== 'OOMKilled');
  if (crashes.length) unhealthy.push(problemLine('crash_loop', crashes));
  for (const k of ['oom_killed', 'init_failed', 'image_pull', 'config_error'] as const) if (byKind.has(k)) unhealthy.push(problemLine(k, byKind.get(k)!));
  if (c.desired > 0 && c.available > 0 && c.available < c.desired) degraded.push(`${c.available}/${c.desired} ${units} available${rolling ? ` (rollout in progress: ${r.message})` : ''}`);
  else if (c.available >= c.desired && r.state === 'progressing') degraded.push(`rollout in progress: ${r.message}`);
  // Paused with a template change waiting: the change someone made is not running, and nothing will roll it
  // out until the Deployment is resumed (a forgotten pause). Paused with nothing waiting is a steady state.
  if (r.state === 'paused' && c.desired > 0 && c.updated < c.desired) degraded.push(`rollout paused with ${c.updated}/${c.desired} replicas on the latest pod template (resume: kubectl rollout resume ${kindWord('Deployment')}/${w.metadata.name})`);
  // Desired 0 for a DaemonSet is not a choice someone wrote down (as replicas: 0 is): no node qualifies,
  // so whatever it does on each node (logs, metrics, networking) is done nowhere.
  if (w.kind === 'DaemonSet' && c.desired === 0 && r.state !== 'progressing') degraded.push(`runs on no node: ${noNodeWhy(w)} (desired 0)`);
  for (const k of ['pending', 'evicted', 'pod_failed', 'restarted'] as const) if (byKind.has(k)) degraded.push(problemLine(k, byKind.get(k)!));
  // A scheduling failure is over once its pod has a node (a cluster autoscaler's scale-up, a taint lifted):
  // it says nothing about the workload now. Every other Warning of the window counts.
  const scheduled = new Set(pods.filter((p) => p.spec?.nodeName).map((p) => p.metadata.name));
  const over = (e: K8sEvent) => e.reason === 'FailedScheduling' && e.involvedObject.kind === 'Pod' && scheduled.has(e.involvedObject.name ?? '');
  const warnings = events.filter((e) => e.type === 'Warning' && (eventMs(e) ?? 0) >= now - windowMs && !over(e));
  if (warnings.length) {
    const reasons = countBy(warnings.map((e) => e.reason ?? '?'));
    const top = warnings.sort((a, b) => (eventMs(b) ?? 0) - (eventMs(a) ?? 0))[0]!;
    degraded.push(`${plural(warnings.reduce((a, e) => a + (e.count ?? 1), 0), 'Warning event')} in the window (${[...reasons].map(([k, n]) => `${k}×${n}`).join(', ')}; latest: ${(top.message ?? '').slice(0, 160)})`);
  }
  const verdict: Verdict = unhealthy.length ? 'UNHEALTHY' : degraded.length ? 'DEGRADED' : 'HEALTHY';
  // Pods that run (or will): a finished or evicted pod the controller has replaced is not one of them.
  const live = pods.filter((p) => !isTerminal(p));
  const restarts = live.reduce((a, p) => a + podRestarts(p), 0);
  const note = w.kind !== 'DaemonSet' && c.desired === 0 ? `scaled to 0 ${units}: no pods run` : r.state === 'paused' ? r.message : undefined;
  return {
    verdict,
    reasons: [...unhealthy, ...degraded],
    problems,
    state: {
      kind: w.kind,
      namespace: w.metadata.namespace,
      desired: c.desired,
      ready: c.ready,
      available: c.available,
      updated: c.updated,
      rollout: r.state,
      pods: live.length,
      restarts,
      warningEvents: warnings.length,
      images: (w.spec?.template?.spec?.containers ?? []).map((x) => x.image ?? '?'),
      ...(note ? { note } : {}),
    },
    facts: {
      desired: c.desired,
      available: c.available,
      ready: c.ready,
      restarts_in_window: byKind.get('restarted')?.length ?? 0,
      crash_looping_pods: new Set((byKind.get('crash_loop') ?? []).map((p) => p.pod)).size,
      evicted_pods: new Set((byKind.get('evicted') ?? []).map((p) => p.pod)).size,
      pending_pods: new Set((byKind.get('pending') ?? []).map((p) => p.pod)).size,
      warning_events: warnings.length,
    },
  };
}

/** Why a DaemonSet's pods qualify for no node, as far as its spec tells. */
function noNodeWhy(w: K8sWorkload): string {
  const spec = w.spec?.template?.spec;
  const sel = Object.entries(spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`);
  if (sel.length) return `no node matches its nodeSelector ${sel.join(',')}${spec?.affinity?.nodeAffinity ? ' and node affinity' : ''}`;
  if (spec?.affinity?.nodeAffinity) return 'no node matches its node affinity';
  return 'no node accepts its pods (taints it does not tolerate, or no nodes)';
}

function countBy(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** Events that concern a workload: its own, its ReplicaSets' (name-hash) and its pods'. */
export function eventsFor(events: readonly K8sEvent[], kind: WorkloadKind, name: string, podNames: ReadonlySet<string>, revisionNames: ReadonlySet<string> = new Set()): K8sEvent[] {
  return events.filter((e) => {
    const o = e.involvedObject;
    if (o.kind === kind && o.name === name) return true;
    if (o.kind === 'Pod' && o.name && podNames.has(o.name)) return true;
    if (o.kind === 'ReplicaSet' && o.name && revisionNames.has(o.name)) return true;
    return false;
  });
}

/**
 * Pods a workload owns, by controller reference (Deployment → ReplicaSet → Pod; StatefulSet or DaemonSet →
 * Pod). Not by labels: a Job's pods, a debug pod started with the same labels, or an orphan carry the
 * selector's labels too, and the controllers themselves go by ownership (they adopt a matching orphan,
 * and then it carries the reference).
 */
export function podsOf(w: K8sWorkload, pods: readonly K8sPod[], revisionNames: ReadonlySet<string>): K8sPod[] {
  return pods.filter((p) => {
    const owners = p.metadata.ownerReferences ?? [];
    const ctrl = owners.find((o) => o.controller) ?? (owners.length === 1 ? owners[0] : undefined);
    if (!ctrl) return false;
    return (ctrl.kind === w.kind && ctrl.name === w.metadata.name) || (w.kind === 'Deployment' && ctrl.kind === 'ReplicaSet' && revisionNames.has(ctrl.name));
  });
}

/**
 * The containers whose logs tell what a pod is doing: its containers and native sidecars, and an init
 * container that failed (its log says why the pod cannot start). Init containers that finished cleanly
 * are left out.
 */
export function logContainers(pod: K8sPod): string[] {
  const sidecars = nativeSidecars(pod);
  const failed = new Set(
    (pod.status?.initContainerStatuses ?? [])
      .filter((c) => (c.state?.terminated && c.state.terminated.exitCode !== 0) || c.lastState?.terminated || c.state?.waiting?.reason === 'CrashLoopBackOff')
      .map((c) => c.name),
  );
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name).filter((n) => sidecars.has(n) || failed.has(n));
  return [...inits, ...(pod.spec?.containers ?? []).map((c) => c.name)];
}

/** Every container a pod declares (init containers first), for --container checks. */
export const allContainers = (pod: K8sPod): string[] => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
