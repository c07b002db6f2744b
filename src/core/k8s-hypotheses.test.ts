import { describe, expect, it } from 'vitest';
import { k8sHypotheses, type K8sTargetEvidence } from './k8s-hypotheses.js';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const min = (m: number) => T0 + m * 60_000;
const window = { fromMs: min(0), toMs: min(60) };
const base: K8sTargetEvidence = { target: 'web', kind: 'Deployment', namespace: 'shop', problems: [], events: [], rollouts: [] };
const ev = (atMin: number, reason: string, message: string, type = 'Warning', count = 1) => ({ atMs: min(atMin), type, reason, message, object: 'pod/web-1', count });

describe('k8sHypotheses', () => {
  it('names OOM when containers were OOMKilled, above a plain crash loop', () => {
    const hs = k8sHypotheses({ ...base, problems: [{ kind: 'oom_killed', pod: 'web-1', container: 'web', reason: 'OOMKilled', exitCode: 137, atMs: min(40) }, { kind: 'crash_loop', pod: 'web-1', container: 'web', reason: 'OOMKilled', exitCode: 137 }] }, window);
    expect(hs.map((h) => h.kind)).toEqual(['memory_limit']);
    expect(hs[0]!.evidence[0]!.summary).toMatch(/OOMKilled \(exit 137\)/);
  });

  it('names a crash loop with the exit code and counts back-off events as support', () => {
    const alone = k8sHypotheses({ ...base, problems: [{ kind: 'crash_loop', pod: 'web-1', container: 'web', reason: 'Error', exitCode: 1, restarts: 5 }] }, window);
    const withEvents = k8sHypotheses({ ...base, problems: alone.length ? [{ kind: 'crash_loop', pod: 'web-1', container: 'web', reason: 'Error', exitCode: 1, restarts: 5 }] : [], events: [ev(30, 'BackOff', 'Back-off restarting failed container web in pod web-1', 'Warning', 12)] }, window);
    expect(alone[0]).toMatchObject({ kind: 'crash_loop', title: expect.stringContaining('code 1') });
    expect(withEvents[0]!.confidence).toBeGreaterThan(alone[0]!.confidence);
  });

  it('names the failing probe from Unhealthy events', () => {
    const hs = k8sHypotheses({ ...base, events: [ev(20, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'Warning', 30)] }, window);
    expect(hs.find((h) => h.kind === 'failed_probe')?.title).toBe('The readiness probe of web fails');
  });

  it('names the image that cannot be pulled', () => {
    const hs = k8sHypotheses({ ...base, problems: [{ kind: 'image_pull', pod: 'web-2', container: 'web', reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.local/web:9.9"' }] }, window);
    expect(hs[0]).toMatchObject({ kind: 'bad_image', title: 'web cannot pull its image registry.local/web:9.9' });
  });

  it('blames a rollout only when it came shortly before the first symptom', () => {
    const rollouts = [{ atMs: min(10), revision: 3, name: 'web-7d9', images: ['web:2.0'], previousImages: ['web:1.9'] }];
    const soon = k8sHypotheses({ ...base, rollouts, events: [ev(14, 'BackOff', 'Back-off restarting failed container')] }, window);
    const late = k8sHypotheses({ ...base, rollouts, events: [ev(55, 'BackOff', 'Back-off restarting failed container')] }, window);
    const before = k8sHypotheses({ ...base, rollouts: [{ ...rollouts[0]!, atMs: min(20) }], events: [ev(14, 'BackOff', 'x')] }, window);
    const reg = soon.find((h) => h.kind === 'deploy_regression');
    expect(reg?.title).toBe('The rollout of web to revision 3 (web:1.9 → web:2.0) broke it');
    expect(reg?.evidence.map((e) => e.kind)).toEqual(['timing', 'deployment']);
    expect(late.some((h) => h.kind === 'deploy_regression')).toBe(false);
    expect(before.some((h) => h.kind === 'deploy_regression')).toBe(false);
  });

  it('does not claim a calm baseline from before the workload existed', () => {
    const rollouts = [{ atMs: min(30), revision: 2, name: 'web-7d9', images: ['web:2.0'], previousImages: ['web:1.9'] }];
    const events = [ev(31, 'BackOff', 'Back-off restarting failed container')];
    const old = k8sHypotheses({ ...base, rollouts, events, createdMs: min(-600) }, window).find((h) => h.kind === 'deploy_regression')!;
    expect(old.evidence.find((e) => e.kind === 'timing')?.summary).toBe('first symptom 1 min after the rollout, none in the 30 min before it');
    const young = k8sHypotheses({ ...base, rollouts, events, createdMs: min(29) }, window).find((h) => h.kind === 'deploy_regression')!;
    expect(young.evidence.find((e) => e.kind === 'timing')?.summary).toBe('first symptom 1 min after the rollout (the workload was created 1 min before it: no baseline)');
    expect(young.confidence).toBeLessThan(old.confidence);
  });

  it('finds nothing in a quiet workload', () => {
    expect(k8sHypotheses({ ...base, events: [ev(5, 'ScalingReplicaSet', 'Scaled up replica set web-1 to 3', 'Normal')] }, window)).toEqual([]);
  });
});
