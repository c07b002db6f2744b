import { describe, expect, it } from 'vitest';
import type { K8sEvent, K8sPod, K8sWorkload } from './k8s-types.js';
import { age, judgeWorkload, logContainers, parseRef, podProblems, podsOf, podStatusWord, rolloutState, selectorOf, summarizePod } from './k8s-workload.js';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const at = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();

function deployment(p: { desired?: number; ready?: number; available?: number; updated?: number; current?: number; generation?: number; observed?: number; progressing?: { status: string; reason: string; message?: string } } = {}): K8sWorkload {
  const d = p.desired ?? 3;
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', generation: p.generation ?? 2, creationTimestamp: at(600) },
    spec: { replicas: d, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    status: {
      observedGeneration: p.observed ?? p.generation ?? 2,
      replicas: p.current ?? d,
      readyReplicas: p.ready ?? d,
      availableReplicas: p.available ?? d,
      updatedReplicas: p.updated ?? d,
      conditions: p.progressing ? [{ type: 'Progressing', ...p.progressing }] : [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
    },
  };
}

function pod(name: string, s: { phase?: string; waiting?: string; waitingMessage?: string; last?: { reason: string; exitCode: number; minAgo: number }; terminated?: { reason: string; exitCode: number }; restarts?: number; ready?: boolean; createdMinAgo?: number; unschedulable?: string } = {}): K8sPod {
  return {
    metadata: { name, namespace: 'shop', creationTimestamp: at(s.createdMinAgo ?? 60), labels: { app: 'web' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }] },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...(s.unschedulable ? {} : { nodeName: 'kwok-node-0' }) },
    status: {
      phase: s.phase ?? 'Running',
      conditions: s.unschedulable ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: s.unschedulable }] : [{ type: 'Ready', status: s.ready === false ? 'False' : 'True' }],
      containerStatuses: s.unschedulable
        ? []
        : [
            {
              name: 'web',
              ready: s.ready ?? !s.waiting,
              restartCount: s.restarts ?? 0,
              state: s.waiting ? { waiting: { reason: s.waiting, message: s.waitingMessage } } : s.terminated ? { terminated: s.terminated } : { running: { startedAt: at(30) } },
              ...(s.last ? { lastState: { terminated: { reason: s.last.reason, exitCode: s.last.exitCode, finishedAt: at(s.last.minAgo) } } } : {}),
            },
          ],
    },
  };
}

const warning = (reason: string, message: string, minAgo: number, count = 1): K8sEvent => ({ metadata: { name: `e-${reason}`, namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'web-1' }, reason, message, type: 'Warning', count, lastTimestamp: at(minAgo) });

describe('judgeWorkload', () => {
  const H = 3600_000;
  it('is HEALTHY when every desired replica is available and nothing is wrong with its pods', () => {
    const j = judgeWorkload(deployment(), [pod('web-1'), pod('web-2'), pod('web-3')], [], NOW, H);
    expect(j.verdict).toBe('HEALTHY');
    expect(j.reasons).toEqual([]);
    expect(j.facts).toMatchObject({ desired: 3, available: 3 });
  });

  it('is UNHEALTHY naming the reason when pods crash-loop, with the last exit code', () => {
    const j = judgeWorkload(deployment({ available: 1, ready: 1 }), [pod('web-1'), pod('web-2', { waiting: 'CrashLoopBackOff', last: { reason: 'Error', exitCode: 1, minAgo: 2 }, restarts: 6 })], [], NOW, H);
    expect(j.verdict).toBe('UNHEALTHY');
    expect(j.reasons.join(' ')).toMatch(/1 pod in CrashLoopBackOff \(web: Error, exit 1/);
    expect(j.reasons.join(' ')).toMatch(/1\/3 replicas available/);
    expect(j.facts.crash_looping_pods).toBe(1);
  });

  it('names OOMKilled separately from a plain crash loop', () => {
    const j = judgeWorkload(deployment({ available: 2 }), [pod('web-1', { waiting: 'CrashLoopBackOff', last: { reason: 'OOMKilled', exitCode: 137, minAgo: 1 } })], [], NOW, H);
    expect(j.verdict).toBe('UNHEALTHY');
    // No limit on the container: the node's OOM killer chose it. The crash loop it causes is not said twice.
    expect(j.reasons).toEqual(['1 pod OOMKilled (web was killed with no memory limit set: the node ran out of memory)', '2/3 replicas available']);
    const limited = pod('web-1', { waiting: 'CrashLoopBackOff', last: { reason: 'OOMKilled', exitCode: 137, minAgo: 1 } });
    limited.spec!.containers[0]!.resources = { limits: { memory: '64Mi' } };
    expect(judgeWorkload(deployment({ available: 2 }), [limited], [], NOW, H).reasons[0]).toBe('1 pod OOMKilled (web exceeded its memory limit 64Mi)');
  });

  it('is UNHEALTHY when the image cannot be pulled, quoting the kubelet message', () => {
    const j = judgeWorkload(deployment({ available: 2 }), [pod('web-1', { phase: 'Pending', waiting: 'ImagePullBackOff', waitingMessage: 'Back-off pulling image "nginx:nope"' })], [], NOW, H);
    expect(j.verdict).toBe('UNHEALTHY');
    expect(j.reasons.join(' ')).toMatch(/cannot pull the image \(web: ImagePullBackOff — Back-off pulling image "nginx:nope"\)/);
  });

  it('is UNHEALTHY when the rollout exceeded its progress deadline, even with old pods still available', () => {
    const j = judgeWorkload(deployment({ updated: 1, progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-2" has timed out progressing.' } }), [pod('web-1')], [], NOW, H);
    expect(j.verdict).toBe('UNHEALTHY');
    expect(j.reasons[0]).toMatch(/rollout stuck: deploy\/web exceeded its progress deadline: ReplicaSet "web-2" has timed out progressing/);
  });

  it('is UNHEALTHY when nothing is available', () => {
    expect(judgeWorkload(deployment({ available: 0, ready: 0 }), [], [], NOW, H).reasons).toContain('0/3 replicas available');
  });

  it('is DEGRADED, not UNHEALTHY, while a rollout is replacing pods', () => {
    const j = judgeWorkload(deployment({ available: 2, updated: 2, current: 4 }), [pod('web-1'), pod('web-2')], [], NOW, H);
    expect(j.verdict).toBe('DEGRADED');
    expect(j.reasons[0]).toMatch(/2\/3 replicas available \(rollout in progress: 2 out of 3 new replicas have been updated\)/);
  });

  it('is DEGRADED for a pod the scheduler cannot place, with the scheduler message', () => {
    const j = judgeWorkload(deployment(), [pod('web-1'), pod('web-2', { phase: 'Pending', unschedulable: '0/1 nodes are available: 1 node(s) didn\'t match Pod\'s node affinity/selector.' })], [], NOW, H);
    expect(j.verdict).toBe('DEGRADED');
    expect(j.reasons.join(' ')).toMatch(/1 pod pending \(Unschedulable: 0\/1 nodes are available/);
  });

  it('counts restarts inside the window only', () => {
    const inside = judgeWorkload(deployment(), [pod('web-1', { last: { reason: 'Error', exitCode: 2, minAgo: 10 }, restarts: 1 })], [], NOW, H);
    const before = judgeWorkload(deployment(), [pod('web-1', { last: { reason: 'Error', exitCode: 2, minAgo: 120 }, restarts: 1 })], [], NOW, H);
    expect(inside.verdict).toBe('DEGRADED');
    expect(inside.facts.restarts_in_window).toBe(1);
    expect(before.verdict).toBe('HEALTHY');
    expect(before.facts.restarts_in_window).toBe(0);
  });

  it('reports Warning events of the window with their reasons and the latest message', () => {
    const j = judgeWorkload(deployment(), [pod('web-1')], [warning('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 5, 4), warning('BackOff', 'old', 200)], NOW, H);
    expect(j.verdict).toBe('DEGRADED');
    expect(j.reasons[0]).toBe('4 Warning events in the window (Unhealthy×1; latest: Readiness probe failed: HTTP probe failed with statuscode: 503)');
  });

  it('a scheduling failure of a pod that has a node since is over; one of a pod still unscheduled counts', () => {
    const failed = warning('FailedScheduling', "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }", 5);
    expect(judgeWorkload(deployment(), [pod('web-1')], [failed], NOW, H)).toMatchObject({ verdict: 'HEALTHY', facts: { warning_events: 0 } });
    const still = judgeWorkload(deployment(), [pod('web-1', { unschedulable: '0/1 nodes are available' })], [failed], NOW, H);
    expect(still.verdict).toBe('DEGRADED');
    expect(still.facts.warning_events).toBe(1);
  });

  it('treats a workload scaled to zero as healthy', () => {
    expect(judgeWorkload(deployment({ desired: 0, available: 0, ready: 0, updated: 0, current: 0 }), [], [], NOW, H).verdict).toBe('HEALTHY');
  });

  it('judges DaemonSets by scheduled and available pods', () => {
    const ds: K8sWorkload = { kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', generation: 1 }, spec: {}, status: { observedGeneration: 1, desiredNumberScheduled: 4, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 4, currentNumberScheduled: 4 } };
    const j = judgeWorkload(ds, [], [], NOW, H);
    expect(j.verdict).toBe('DEGRADED');
    // A DaemonSet's pods, not replicas; every pod is on the current template: not a rollout.
    expect(j.reasons).toEqual(['3/4 pods available']);
  });

  it('says a DaemonSet that runs on no node, naming its node selector', () => {
    const ds: K8sWorkload = { kind: 'DaemonSet', metadata: { name: 'gpu', generation: 1 }, spec: { template: { spec: { containers: [], nodeSelector: { accelerator: 'nvidia' } } } }, status: { observedGeneration: 1, desiredNumberScheduled: 0 } };
    expect(judgeWorkload(ds, [], [], NOW, H)).toMatchObject({ verdict: 'DEGRADED', reasons: ['runs on no node: no node matches its nodeSelector accelerator=nvidia (desired 0)'] });
    const bare = { ...ds, spec: { template: { spec: { containers: [] } } } };
    expect(judgeWorkload(bare, [], [], NOW, H).reasons).toEqual(['runs on no node: no node accepts its pods (taints it does not tolerate, or no nodes) (desired 0)']);
    // Just created: the controller has not counted the nodes yet.
    expect(judgeWorkload({ ...ds, status: { observedGeneration: 0 } }, [], [], NOW, H).reasons[0]).toMatch(/^rollout in progress/);
  });

  it('names the container that fails in a pod with a sidecar, and an init container as such', () => {
    const p = pod('web-1', { ready: false });
    p.spec!.containers.push({ name: 'envoy' });
    p.status!.containerStatuses!.push({ name: 'envoy', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: at(1) } } });
    expect(judgeWorkload(deployment({ available: 2 }), [p], [], NOW, H).reasons).toEqual(['1 pod in CrashLoopBackOff (envoy: Error, exit 1)', '2/3 replicas available']);
    const init = pod('web-2', { phase: 'Pending', ready: false });
    init.spec!.initContainers = [{ name: 'migrate' }];
    init.status!.containerStatuses = [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }];
    init.status!.initContainerStatuses = [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1, finishedAt: at(1) } } }];
    expect(podStatusWord(init)).toBe('Init:Error');
    const j = judgeWorkload(deployment({ available: 2 }), [init], [], NOW, H);
    expect(j.verdict).toBe('UNHEALTHY');
    expect(j.reasons).toContain('1 pod cannot start: init container migrate failed (Error, exit 1)');
    init.status!.initContainerStatuses = [{ name: 'migrate', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: at(1) } } }];
    expect(podStatusWord(init)).toBe('Init:CrashLoopBackOff');
    expect(summarizePod(init).restarts).toBe(4);
    expect(judgeWorkload(deployment({ available: 2 }), [init], [], NOW, H).reasons[0]).toBe('1 pod in CrashLoopBackOff (init container migrate: Error, exit 1)');
  });

  it('counts a native sidecar among the ready containers, and it does not hold the pod in Init', () => {
    const p = pod('web-1');
    p.spec!.initContainers = [{ name: 'proxy', restartPolicy: 'Always' }];
    p.status!.initContainerStatuses = [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: { startedAt: at(30) } } }];
    expect(podStatusWord(p)).toBe('Running');
    expect(summarizePod(p)).toMatchObject({ ready: '2/2', restarts: 1 });
    expect(logContainers(p)).toEqual(['proxy', 'web']);
    p.status!.initContainerStatuses = [{ name: 'proxy', ready: false, started: false, restartCount: 6, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 2, finishedAt: at(1) } } }];
    expect(judgeWorkload(deployment(), [p], [], NOW, H).reasons[0]).toBe('1 pod in CrashLoopBackOff (proxy: Error, exit 2)');
  });

  it('does not count finished or evicted pods; names an eviction of its own in the window', () => {
    const evicted = pod('web-4', { terminated: { reason: 'Error', exitCode: 137 } });
    evicted.status = { ...evicted.status, phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', conditions: [{ type: 'DisruptionTarget', status: 'True', lastTransitionTime: at(20) }] };
    const done = { ...pod('web-5', { terminated: { reason: 'Completed', exitCode: 0 } }), status: { phase: 'Succeeded' } };
    const j = judgeWorkload(deployment(), [pod('web-1'), pod('web-2'), pod('web-3'), evicted, done], [], NOW, H);
    expect(j).toMatchObject({ verdict: 'DEGRADED', reasons: ['1 pod evicted in the window (The node was low on resource: memory.)'], state: { pods: 3 }, facts: { evicted_pods: 1 } });
    evicted.status.conditions![0]!.lastTransitionTime = at(120);
    expect(judgeWorkload(deployment(), [pod('web-1'), pod('web-2'), pod('web-3'), evicted], [], NOW, H)).toMatchObject({ verdict: 'HEALTHY', state: { pods: 3 } });
  });

  it('a paused Deployment: DEGRADED while a template change waits, HEALTHY when nothing waits', () => {
    const paused = deployment({ updated: 0 });
    paused.spec!.paused = true;
    paused.status!.conditions = [{ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }];
    expect(judgeWorkload(paused, [pod('web-1')], [], NOW, H)).toMatchObject({ verdict: 'DEGRADED', reasons: ['rollout paused with 0/3 replicas on the latest pod template (resume: kubectl rollout resume deploy/web)'], state: { rollout: 'paused' } });
    const idle = deployment();
    idle.spec!.paused = true;
    expect(judgeWorkload(idle, [pod('web-1')], [], NOW, H)).toMatchObject({ verdict: 'HEALTHY', state: { rollout: 'paused', note: 'deploy/web is paused' } });
  });

  it('says a Deployment scaled to 0 runs no pods', () => {
    expect(judgeWorkload(deployment({ desired: 0, available: 0, ready: 0, updated: 0, current: 0 }), [], [], NOW, H)).toMatchObject({ verdict: 'HEALTHY', reasons: [], state: { note: 'scaled to 0 replicas: no pods run' } });
  });

  it('does not call an unready pod of the current template a rollout', () => {
    const d = deployment({ available: 2 });
    expect(judgeWorkload(d, [], [], NOW, H).reasons).toEqual(['2/3 replicas available']);
    d.status!.conditions = [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }];
    expect(judgeWorkload(d, [], [], NOW, H).reasons).toEqual(['2/3 replicas available (rollout in progress: 2 of 3 updated replicas are available)']);
  });

  it('a StatefulSet rollout held by a pod of the new revision for longer than the stall limit is stuck', () => {
    const sts: K8sWorkload = { kind: 'StatefulSet', metadata: { name: 'db', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, readyReplicas: 2, availableReplicas: 2, replicas: 3, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' } };
    const held = (minAgo: number): K8sPod => ({ ...pod('db-2', { ready: false, createdMinAgo: minAgo }), metadata: { name: 'db-2', creationTimestamp: at(minAgo), labels: { 'controller-revision-hash': 'db-2' }, ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] } });
    const young = judgeWorkload(sts, [held(3)], [], NOW, H);
    expect(young).toMatchObject({ verdict: 'DEGRADED', reasons: ['2/3 replicas available (rollout in progress: 2 of 3 pods are ready)'] });
    const old = judgeWorkload(sts, [held(25)], [], NOW, H);
    expect(old.verdict).toBe('UNHEALTHY');
    expect(old.reasons[0]).toBe('rollout stuck: sts/db is held by pod db-2 of revision db-2, not ready for 25m (StatefulSets have no progress deadline; 10m is the Deployment default)');
  });
});

describe('podsOf', () => {
  const owned = (name: string, kind: string, owner: string) => ({ ...pod(name), metadata: { name, labels: { app: 'web' }, ownerReferences: [{ kind, name: owner, controller: true }] } });
  it('takes the pods a workload controls, not pods that only carry its labels', () => {
    const bare = { ...pod('web-debug'), metadata: { name: 'web-debug', labels: { app: 'web' } } };
    const pods = [owned('web-abc-1', 'ReplicaSet', 'web-abc'), owned('web-migrate-x', 'Job', 'web-migrate'), bare, owned('other-1', 'ReplicaSet', 'other-1a')];
    expect(podsOf(deployment(), pods, new Set(['web-abc'])).map((p) => p.metadata.name)).toEqual(['web-abc-1']);
    const sts: K8sWorkload = { kind: 'StatefulSet', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } };
    expect(podsOf(sts, [owned('web-0', 'StatefulSet', 'web'), bare], new Set()).map((p) => p.metadata.name)).toEqual(['web-0']);
  });
});

describe('rolloutState', () => {
  it.each([
    ['complete', deployment(), /successfully rolled out/],
    ['progressing', deployment({ generation: 3, observed: 2 }), /spec update to be observed/],
    ['progressing', deployment({ updated: 1 }), /1 out of 3 new replicas have been updated/],
    ['progressing', deployment({ current: 5 }), /2 old replicas are pending termination/],
    ['progressing', deployment({ available: 2 }), /2 of 3 updated replicas are available/],
    ['failed', deployment({ progressing: { status: 'False', reason: 'ProgressDeadlineExceeded' } }), /exceeded its progress deadline/],
  ] as const)('%s: %s', (state, w, message) => {
    const r = rolloutState(w);
    expect(r.state).toBe(state);
    expect(r.message).toMatch(message);
  });

  it('follows a StatefulSet until the update revision is current', () => {
    const sts: K8sWorkload = { kind: 'StatefulSet', metadata: { name: 'db', generation: 2 }, spec: { replicas: 2 }, status: { observedGeneration: 2, readyReplicas: 2, replicas: 2, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' } };
    expect(rolloutState(sts).state).toBe('progressing');
    expect(rolloutState({ ...sts, status: { ...sts.status, currentRevision: 'db-2', updatedReplicas: 2 } }).state).toBe('complete');
  });
});

describe('pods', () => {
  it.each([
    ['CrashLoopBackOff', pod('a', { waiting: 'CrashLoopBackOff' })],
    ['Running', pod('a')],
    ['Pending', pod('a', { phase: 'Pending', unschedulable: 'no nodes' })],
    ['OOMKilled', pod('a', { terminated: { reason: 'OOMKilled', exitCode: 137 } })],
  ])('shows %s as kubectl does', (word, p) => expect(podStatusWord(p)).toBe(word));

  it('reports a pod as Terminating once deletion has begun', () => {
    const p = pod('a');
    p.metadata.deletionTimestamp = at(0);
    expect(podStatusWord(p)).toBe('Terminating');
  });

  it('says where a scheduled pod waits: behind an init container that does not finish', () => {
    const p = pod('web-1', { phase: 'Pending', createdMinAgo: 20 });
    p.spec!.initContainers = [{ name: 'wait-db' }];
    p.status!.conditions = [{ type: 'PodScheduled', status: 'True' }];
    p.status!.initContainerStatuses = [{ name: 'wait-db', ready: false, restartCount: 0, state: { running: { startedAt: at(19) } } }];
    p.status!.containerStatuses = [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }];
    expect(podStatusWord(p)).toBe('Init:0/1');
    expect(judgeWorkload(deployment({ available: 2 }), [p], [], NOW, 3600_000).reasons).toContain('1 pod pending (Init:0/1: init container wait-db running since 19m ago)');
  });

  it('waits out a grace period before calling a young pending pod a problem', () => {
    const young = { ...pod('a', { phase: 'Pending', createdMinAgo: 1 }), status: { phase: 'Pending' } };
    expect(podProblems([young], NOW, 3600_000)).toEqual([]);
    expect(podProblems([{ ...young, metadata: { ...young.metadata, creationTimestamp: at(10) } }], NOW, 3600_000)[0]?.kind).toBe('pending');
  });
});

describe('names and selectors', () => {
  it.each([
    ['deploy/web', { kind: 'Deployment', name: 'web' }],
    ['deployment.apps/web', { kind: 'Deployment', name: 'web' }],
    ['sts/db', { kind: 'StatefulSet', name: 'db' }],
    ['pod/web-1', { kind: 'Pod', name: 'web-1' }],
  ])('reads %s', (text, want) => expect(parseRef(text)).toEqual(want));

  it('refuses an unknown kind and a bare name without a default', () => {
    expect(parseRef('deploymnt/web')).toMatchObject({ error: 'unknown kind "deploymnt"' });
    expect(parseRef('web')).toMatchObject({ error: expect.stringContaining('deploy/web') });
    expect(parseRef('web', 'Pod')).toEqual({ kind: 'Pod', name: 'web' });
  });

  it('builds a label selector from matchLabels and expressions', () => {
    expect(selectorOf({ spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] } } })).toBe('app=web,tier in (a,b),!canary');
  });

  it.each([
    [30_000, '30s'],
    [5 * 60_000 + 5000, '5m5s'],
    [90 * 60_000, '90m'],
    [5 * 3600_000, '5h'],
    [3 * 86400_000, '3d'],
  ])('formats an age of %i ms as %s', (ms, want) => expect(age(NOW - ms, NOW)).toBe(want));
});
