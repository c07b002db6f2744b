/**
 * Root-cause hypotheses for Kubernetes workloads from what the cluster itself says: container states
 * (OOMKilled, CrashLoopBackOff with its exit code, image pull errors), events (probe failures, back-offs,
 * pull failures) and rollout history (a new revision shortly before the first symptom). Same confidence
 * rule as hypotheses.ts: independent evidence combined as 1 − Π(1 − w), capped at 0.95. Pure.
 */
import { combine, levelOf, type Evidence, type Hypothesis, type HypothesisKind } from './hypotheses.js';
import type { PodProblem } from './k8s-workload.js';
import { count } from './plural.js';

export interface K8sEventFact {
  atMs: number;
  type: string;
  reason: string;
  message: string;
  object: string;
  count: number;
}

export interface K8sRollout {
  atMs: number;
  revision?: number;
  /** The ReplicaSet / ControllerRevision name. */
  name: string;
  images: string[];
  previousImages?: string[];
}

export interface K8sTargetEvidence {
  target: string;
  kind: string;
  namespace: string;
  problems: PodProblem[];
  events: K8sEventFact[];
  rollouts: K8sRollout[];
  /** When the workload was created: no symptom-free baseline can reach before it. */
  createdMs?: number;
  /** First error-class log line of the window, if logs were read. */
  firstErrorLogMs?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const mins = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)} min`);
const PROBE_RE = /(Readiness|Liveness|Startup) probe failed/i;
const PULL_RE = /Failed to pull image|ErrImagePull|ImagePullBackOff|pull access denied|manifest unknown|not found/i;

function draft(kind: HypothesisKind, target: string, title: string, evidence: Evidence[], refutedBy: string): Hypothesis {
  const confidence = combine(evidence.map((e) => e.weight));
  return { id: `${kind}:${target}`, kind, title, target, confidence, level: levelOf(confidence), evidence: [...evidence].sort((a, b) => b.weight - a.weight), refutedBy };
}

function podsText(ps: PodProblem[]): string {
  const pods = [...new Set(ps.map((p) => p.pod))];
  return `${count(pods.length, 'pod')}${pods.length ? ` (${pods.slice(0, 3).join(', ')}${pods.length > 3 ? ', …' : ''})` : ''}`;
}

export function k8sHypotheses(t: K8sTargetEvidence, window: { fromMs: number; toMs: number }, alignMs = 30 * 60_000): Hypothesis[] {
  const out: Hypothesis[] = [];
  const by = (k: PodProblem['kind']) => t.problems.filter((p) => p.kind === k);
  const evs = (re: RegExp, reasons: string[] = []) => t.events.filter((e) => reasons.includes(e.reason) || re.test(e.message));
  const eventEvidence = (es: K8sEventFact[], label: string, weight: number): Evidence[] => {
    if (!es.length) return [];
    const n = es.reduce((a, e) => a + e.count, 0);
    const first = Math.min(...es.map((e) => e.atMs));
    return [{ kind: 'event', summary: `${n}× ${label}: "${es[es.length - 1]!.message.slice(0, 160)}" (first at ${iso(first)})`, at: iso(first), weight: Math.min(0.4, weight + 0.05 * Math.log2(Math.max(1, n))) }];
  };

  // --- out of memory
  const oom = by('oom_killed');
  const oomEvents = evs(/OOMKill|out of memory/i, ['OOMKilling']);
  if (oom.length || oomEvents.length) {
    const ev: Evidence[] = [];
    if (oom.length) ev.push({ kind: 'pod-state', summary: `${podsText(oom)}: container ${oom[0]!.container ?? '?'} last terminated OOMKilled (exit ${oom[0]!.exitCode ?? 137})`, at: iso(oom[0]!.atMs), weight: 0.55 + (new Set(oom.map((p) => p.pod)).size > 1 ? 0.1 : 0) });
    ev.push(...eventEvidence(oomEvents, 'OOM events', 0.2));
    out.push(draft('memory_limit', t.target, `${t.target} is OOMKilled: its containers exceed their memory limit`, ev, 'the containers stay below their memory limit (top pods) and the terminations carry another reason than OOMKilled'));
  }

  // --- crash loop (not caused by OOM: that has its own hypothesis)
  // An init container that exits non-zero (Init:Error, Init:CrashLoopBackOff) is the same failure, earlier.
  const crash = [...by('crash_loop'), ...by('init_failed')].filter((p) => p.reason !== 'OOMKilled');
  if (crash.length) {
    const codes = [...new Set(crash.map((p) => p.exitCode).filter((c) => c !== undefined))];
    const first = crash[0]!;
    const which = `${first.init ? 'init container' : 'container'} ${first.container ?? '?'}`;
    const state = first.kind === 'init_failed' ? 'cannot start' : 'in CrashLoopBackOff';
    const ev: Evidence[] = [{ kind: 'pod-state', summary: `${podsText(crash)} ${state}: ${which} exits ${first.reason}${codes.length ? ` with code ${codes.join('/')}` : ''} (${first.restarts ?? '?'} restarts)`, at: iso(first.atMs), weight: 0.5 }];
    ev.push(...eventEvidence(evs(/Back-off restarting failed container/i, ['BackOff']), 'back-off events', 0.2));
    if (t.firstErrorLogMs !== undefined) ev.push({ kind: 'log-pattern', summary: `error lines in the pod logs from ${iso(t.firstErrorLogMs)}`, at: iso(t.firstErrorLogMs), weight: 0.15 });
    const exits = `its ${which} exits${codes.length ? ` with code ${codes.join('/')}` : ''}`;
    // An init container that failed once (Init:Error) has not looped yet: its pod cannot start.
    const title = first.kind === 'init_failed' ? `${t.target} cannot start: ${exits}` : `${t.target} crash-loops: ${exits} right after starting`;
    out.push(draft('crash_loop', t.target, title, ev, `the previous container logs (logs --previous) show a clean shutdown, or the restarts stop without a change`));
  }

  // --- failed probes
  const probes = evs(PROBE_RE, []);
  if (probes.length) {
    const which = [...new Set(probes.map((e) => PROBE_RE.exec(e.message)?.[1] ?? 'probe'))].join('/');
    out.push(draft('failed_probe', t.target, `The ${which.toLowerCase()} probe of ${t.target} fails`, eventEvidence(probes, `${which} probe failures`, 0.35), 'the probe endpoint answers within its timeout when called from inside the pod, or the failures stop while the symptom continues'));
  }

  // --- bad image
  const pull = by('image_pull');
  const pullEvents = evs(PULL_RE, ['Failed', 'ErrImagePull']).filter((e) => /image/i.test(e.message));
  if (pull.length || pullEvents.length) {
    const ev: Evidence[] = [];
    if (pull.length) ev.push({ kind: 'pod-state', summary: `${podsText(pull)} waiting in ${pull[0]!.reason}${pull[0]!.message ? `: ${pull[0]!.message.slice(0, 160)}` : ''}`, weight: 0.6 });
    ev.push(...eventEvidence(pullEvents, 'image pull failures', 0.2));
    const image = /image "?([^"\s]+)"?/i.exec(pull[0]?.message ?? pullEvents[0]?.message ?? '')?.[1];
    out.push(draft('bad_image', t.target, `${t.target} cannot pull its image${image ? ` ${image}` : ''}`, ev, 'the image tag exists in the registry and the node can pull it (imagePullSecrets, registry reachability)'));
  }

  // --- a rollout shortly before the first symptom
  const onsets = [...t.problems.map((p) => p.atMs), ...t.events.filter((e) => e.type === 'Warning').map((e) => e.atMs), t.firstErrorLogMs].filter((x): x is number => x !== undefined);
  const firstSymptom = onsets.length ? Math.min(...onsets) : undefined;
  if (firstSymptom !== undefined) {
    // Only an update counts: a workload's first revision is its creation, not a change that could regress it.
    const before = t.rollouts.filter((r) => r.previousImages !== undefined && r.atMs <= firstSymptom + 60_000 && firstSymptom - r.atMs <= alignMs).sort((a, b) => b.atMs - a.atMs)[0];
    if (before) {
      const lag = Math.max(0, firstSymptom - before.atMs);
      // The quiet time before the rollout that was seen: from the window's start, or from the workload's
      // creation when it is younger (a workload created a minute before has no hour of calm to compare with).
      const since = Math.max(window.fromMs, t.createdMs ?? -Infinity);
      const baseline = before.atMs - since;
      const noBaseline = since > window.fromMs ? ` (the workload was created ${mins(Math.max(0, baseline))} before it: no baseline)` : ' (the window starts after the rollout: no baseline before it)';
      const change = before.previousImages && before.previousImages.join(',') !== before.images.join(',') ? `${before.previousImages.join(',')} → ${before.images.join(',')}` : before.images.join(',');
      const ev: Evidence[] = [
        { kind: 'deployment', summary: `rollout of ${t.kind.toLowerCase()}/${t.target}: revision ${before.revision ?? '?'} (${before.name}, ${change}) at ${iso(before.atMs)}`, at: iso(before.atMs), weight: baseline >= 5 * 60_000 ? 0.2 : 0.1 },
        { kind: 'timing', summary: `first symptom ${mins(lag)} after the rollout${baseline >= 5 * 60_000 ? `, none in the ${mins(baseline)} before it` : noBaseline}`, at: iso(firstSymptom), weight: baseline < 5 * 60_000 ? 0.15 : lag <= 15 * 60_000 ? 0.45 : 0.3 },
      ];
      const prev = t.rollouts.filter((r) => r.atMs < before.atMs).sort((a, b) => b.atMs - a.atMs)[0];
      const h = draft('deploy_regression', t.target, `The rollout of ${t.target} to revision ${before.revision ?? '?'} (${change}) broke it`, ev, `the same failures appear before ${iso(before.atMs)}, or they persist after \`kubectl rollout undo ${t.kind.toLowerCase()}/${t.target} -n ${t.namespace}\`${prev ? ` (back to revision ${prev.revision ?? '?'})` : ''}`);
      out.push(h);
    }
  }
  return out.filter((h) => h.confidence >= 0.2);
}
