import { describe, expect, it } from 'vitest';
import type { K8sPod, K8sRevision, K8sWorkload } from '../../core/k8s-types.js';
import { describePod, describeReplicaSet, describeText, describeWorkload, probeText } from './describe.js';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const web: K8sWorkload = {
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', creationTimestamp: ago(7200), labels: { app: 'web' }, generation: 2 },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    progressDeadlineSeconds: 600,
    template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { limits: { memory: '128Mi' } }, readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } }] } },
  },
  status: { observedGeneration: 2, replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] },
};

const crashing: K8sPod = {
  metadata: { name: 'web-abc-1', namespace: 'shop', creationTimestamp: ago(600) },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', livenessProbe: { tcpSocket: { port: 8080 } } }], nodeName: 'kwok-node-0' },
  status: { phase: 'Running', containerStatuses: [{ name: 'web', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(30) } } }] },
};

describe('describe', () => {
  it('shows replicas, strategy, the rollout, containers with limits and probes, conditions, pods and events', () => {
    const text = describeText(describeWorkload(web, [crashing], [], [{ metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'web-abc-1' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container web', count: 9, lastTimestamp: ago(20), source: { component: 'kubelet' } }], NOW));
    expect(text).toMatch(/^Name: +web$/m);
    expect(text).toMatch(/^Replicas: +3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable$/m);
    expect(text).toMatch(/^RollingUpdateStrategy: +25% max unavailable, 25% max surge$/m);
    expect(text).toMatch(/^Rollout: +progressing: 2 of 3 updated replicas are available$/m);
    expect(text).toMatch(/^Container web:\n {2}Image: +nginx:1.27$/m);
    expect(text).toMatch(/^ {2}Limits: +memory=128Mi$/m);
    expect(text).toMatch(/^ {2}Readiness: +http-get http:\/\/:8080\/healthz delay=0s timeout=1s period=5s #success=1 #failure=3$/m);
    expect(text).toMatch(/Available +False +MinimumReplicasUnavailable +Deployment does not have minimum availability\./);
    expect(text).toMatch(/web-abc-1 +0\/1 +CrashLoopBackOff +7 \(30s ago\)/);
    expect(text).toMatch(/Warning +BackOff +20s \(x9\) +kubelet +Back-off restarting failed container web/);
  });

  it('shows a pod container state, last state and restart count', () => {
    const text = describeText(describePod(crashing, [], NOW));
    expect(text).toMatch(/^ {2}State: +Waiting: CrashLoopBackOff — back-off 5m0s$/m);
    expect(text).toMatch(/^ {2}Last State: +Terminated: Error \(exit 1\), finished 30s ago$/m);
    expect(text).toMatch(/^ {2}Restart Count: +7$/m);
    expect(text).toMatch(/^ {2}Liveness: +tcp-socket :8080/m);
    expect(text).toMatch(/^Events:\n {2}<none>$/m);
  });

  it('shows a ReplicaSet: its owner, revision, replicas current/desired, pod phases, template and events', () => {
    const rs: K8sRevision = {
      metadata: { name: 'web-abc', namespace: 'shop', creationTimestamp: ago(600), labels: { app: 'web', 'pod-template-hash': 'abc' }, annotations: { 'deployment.kubernetes.io/revision': '4' }, ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template: web.spec!.template },
      status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 },
    };
    const pending: K8sPod = { metadata: { name: 'web-abc-2', namespace: 'shop', creationTimestamp: ago(60) }, status: { phase: 'Pending' } };
    const text = describeText(describeReplicaSet(rs, [crashing, pending], [{ metadata: { name: 'e2' }, involvedObject: { kind: 'ReplicaSet', name: 'web-abc' }, type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: web-abc-2', lastTimestamp: ago(60), source: { component: 'replicaset-controller' } }], NOW));
    expect(text).toMatch(/^Controlled By: +Deployment\/web$/m);
    expect(text).toMatch(/^Revision: +4$/m);
    expect(text).toMatch(/^Selector: +app=web, pod-template-hash=abc$/m);
    expect(text).toMatch(/^Replicas: +2 current \/ 3 desired$/m);
    expect(text).toMatch(/^Pods Status: +1 Running \/ 1 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(text).toMatch(/^Container web:\n {2}Image: +nginx:1.27$/m);
    expect(text).toMatch(/Normal +SuccessfulCreate +60s +replicaset-controller +Created pod: web-abc-2/);
  });

  it('writes every probe kind', () => {
    expect(probeText({ exec: { command: ['cat', '/tmp/ok'] }, initialDelaySeconds: 3 })).toBe('exec [cat /tmp/ok] delay=3s timeout=1s period=10s #success=1 #failure=3');
    expect(probeText(undefined)).toBeUndefined();
  });
});
