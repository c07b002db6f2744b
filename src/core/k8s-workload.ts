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

/** Does a pod carry every label the workload selects on (matchLabels only; expressions are checked server-side)? */
export function selects(w: Pick<K8sWorkload, 'spec'>, labels: Record<string, string> | undefined): boolean {
  const m = w.spec?.selector?.matchLabels;
  if (!m || !Object.keys(m).length) return false;
  return Object.entries(m).every(([k, v]) => labels?.[k] === v);
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
  for (const [i, c] of inits.entries()) {
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
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

export function summarizePod(pod: K8sPod): PodSummary {
  const cs = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? cs.length;
  const restartsAt = cs.map(lastRestartMs).filter((x): x is number => x !== undefined);
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    status: podStatusWord(pod),
    ready: `${cs.filter((c) => c.ready).length}/${total}`,
    restarts: cs.reduce((a, c) => a + (c.restartCount ?? 0), 0),
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

export type PodProblemKind = 'crash_loop' | 'oom_killed' | 'image_pull' | 'config_error' | 'pending' | 'not_ready' | 'restarted';

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
}

/** What is wrong with each pod, container by container (a pod may have several problems). */
export function podProblems(pods: readonly K8sPod[], now: number, windowMs: number, pendingGraceMs = 5 * 60_000): PodProblem[] {
  const out: PodProblem[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const st = p.status ?? {};
    if (st.phase === 'Succeeded') continue;
    for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
      const w = c.state?.waiting;
      const last = c.lastState?.terminated;
      const term = c.state?.terminated;
      const base = { pod: p.metadata.name, container: c.name, restarts: c.restartCount };
      if (w?.reason === 'CrashLoopBackOff') out.push({ ...base, kind: 'crash_loop', reason: last?.reason ?? 'CrashLoopBackOff', message: w.message, exitCode: last?.exitCode, atMs: tsMs(last?.finishedAt) });
      else if (w?.reason && IMAGE_REASONS.has(w.reason)) out.push({ ...base, kind: 'image_pull', reason: w.reason, message: w.message });
      else if (w?.reason && CONFIG_REASONS.has(w.reason)) out.push({ ...base, kind: 'config_error', reason: w.reason, message: w.message });
      const oom = [term, last].find((t) => t?.reason === 'OOMKilled');
      if (oom) out.push({ ...base, kind: 'oom_killed', reason: 'OOMKilled', exitCode: oom.exitCode, atMs: tsMs(oom.finishedAt) });
      const restartedAt = tsMs(last?.finishedAt);
      if (restartedAt !== undefined && restartedAt >= now - windowMs && w?.reason !== 'CrashLoopBackOff' && !oom) {
        out.push({ ...base, kind: 'restarted', reason: last?.reason ?? 'Error', exitCode: last?.exitCode, atMs: restartedAt });
      }
    }
    if (st.phase === 'Pending') {
      const created = tsMs(p.metadata.creationTimestamp) ?? now;
      const sched = st.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const waiting = out.some((x) => x.pod === p.metadata.name && x.kind !== 'restarted');
      if (!waiting && (sched || now - created >= pendingGraceMs)) out.push({ pod: p.metadata.name, kind: 'pending', reason: sched?.reason ?? 'Pending', message: sched?.message, atMs: created });
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
  const detail = `${first.container ? `${first.container}: ` : ''}${first.reason}${first.exitCode !== undefined ? `, exit ${first.exitCode}` : ''}${first.message ? ` — ${first.message.slice(0, 160)}` : ''}`;
  switch (kind) {
    case 'crash_loop':
      return `${plural(pods, 'pod')} in CrashLoopBackOff (${detail})`;
    case 'oom_killed':
      return `${plural(pods, 'pod')} OOMKilled (${first.container ?? '?'} exceeded its memory limit)`;
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
  if (r.state === 'failed') unhealthy.push(`rollout stuck: ${r.message}`);
  if (c.desired > 0 && c.available === 0) unhealthy.push(`0/${c.desired} replicas available`);
  for (const k of ['crash_loop', 'oom_killed', 'image_pull', 'config_error'] as const) if (byKind.has(k)) unhealthy.push(problemLine(k, byKind.get(k)!));
  if (c.desired > 0 && c.available > 0 && c.available < c.desired) degraded.push(`${c.available}/${c.desired} replicas available${r.state === 'progressing' ? ` (rollout in progress: ${r.message})` : ''}`);
  else if (c.available >= c.desired && r.state === 'progressing') degraded.push(`rollout in progress: ${r.message}`);
  for (const k of ['pending', 'restarted'] as const) if (byKind.has(k)) degraded.push(problemLine(k, byKind.get(k)!));
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
  const restarts = pods.reduce((a, p) => a + (p.status?.containerStatuses ?? []).reduce((b, x) => b + (x.restartCount ?? 0), 0), 0);
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
      pods: pods.length,
      restarts,
      warningEvents: warnings.length,
      images: (w.spec?.template?.spec?.containers ?? []).map((x) => x.image ?? '?'),
    },
    facts: {
      desired: c.desired,
      available: c.available,
      ready: c.ready,
      restarts_in_window: byKind.get('restarted')?.length ?? 0,
      crash_looping_pods: new Set((byKind.get('crash_loop') ?? []).map((p) => p.pod)).size,
      pending_pods: new Set((byKind.get('pending') ?? []).map((p) => p.pod)).size,
      warning_events: warnings.length,
    },
  };
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

/** Pods a workload owns: by controller reference chain (Deployment → ReplicaSet → Pod), else by selector. */
export function podsOf(w: K8sWorkload, pods: readonly K8sPod[], revisionNames: ReadonlySet<string>): K8sPod[] {
  return pods.filter((p) => {
    const owners = p.metadata.ownerReferences ?? [];
    if (owners.length) {
      return owners.some((o) => (o.kind === w.kind && o.name === w.metadata.name) || (o.kind === 'ReplicaSet' && revisionNames.has(o.name)));
    }
    return selects(w, p.metadata.labels);
  });
}
