import { describe, expect, it } from 'vitest';
import { judgeCanary } from './canary-judge.js';

/** Deterministic pseudo-noise so tests do not depend on a random seed library. */
function noisy(level: number, n: number, spread: number, phase = 0): number[] {
  return Array.from({ length: n }, (_, i) => level * (1 + spread * Math.sin(i * 2.399 + phase)));
}

describe('judgeCanary', () => {
  it('fails a canary with three times the baseline error rate, naming the metric', () => {
    const j = judgeCanary([
      { name: 'error_rate', canary: noisy(3, 30, 0.2), baseline: noisy(1, 30, 0.2, 1), critical: true },
      { name: 'p95_latency', canary: noisy(200, 30, 0.1), baseline: noisy(200, 30, 0.1, 2) },
    ]);
    expect(j.judgement).toBe('FAIL');
    expect(j.reason).toContain('error_rate');
    expect(j.metrics.find((m) => m.name === 'error_rate')!.classification).toBe('HIGH');
  });

  it('passes an identical canary with score 100', () => {
    const j = judgeCanary([
      { name: 'error_rate', canary: noisy(1, 30, 0.2), baseline: noisy(1, 30, 0.2) },
      { name: 'p95_latency', canary: noisy(200, 30, 0.1), baseline: noisy(200, 30, 0.1) },
    ]);
    expect(j.judgement).toBe('PASS');
    expect(j.score).toBe(100);
  });

  it('is inconclusive with too little traffic, never PASS', () => {
    const j = judgeCanary([{ name: 'error_rate', canary: noisy(1, 30, 0.2), baseline: noisy(1, 30, 0.2), canaryEvents: 40, baselineEvents: 5000 }]);
    expect(j.judgement).toBe('INCONCLUSIVE');
    expect(j.metrics[0]!.reason).toMatch(/too little data/);
  });

  it('is inconclusive with too few points', () => {
    expect(judgeCanary([{ name: 'x', canary: [1, 2, 3], baseline: [1, 2, 3] }]).judgement).toBe('INCONCLUSIVE');
  });

  it('does not fail a significant but tiny shift below the effect floor', () => {
    const j = judgeCanary([{ name: 'p95_latency', canary: noisy(103, 60, 0.01), baseline: noisy(100, 60, 0.01, 1) }]);
    expect(j.metrics[0]!.classification).toBe('PASS');
    expect(j.judgement).toBe('PASS');
  });

  it('does not fail an improvement', () => {
    const j = judgeCanary([{ name: 'error_rate', canary: noisy(0.5, 30, 0.2), baseline: noisy(2, 30, 0.2) }]);
    expect(j.metrics[0]!.classification).toBe('LOW');
    expect(j.metrics[0]!.failed).toBe(false);
    expect(j.judgement).toBe('PASS');
  });

  it('fails a drop in a metric where lower is worse', () => {
    const j = judgeCanary([{ name: 'success_rate', canary: noisy(80, 30, 0.02), baseline: noisy(99, 30, 0.01), direction: 'decrease', critical: true }]);
    expect(j.judgement).toBe('FAIL');
  });

  it('is marginal when a non-critical metric among several fails', () => {
    const ok = (name: string) => ({ name, canary: noisy(10, 30, 0.1), baseline: noisy(10, 30, 0.1) });
    const j = judgeCanary([ok('a'), ok('b'), ok('c'), ok('d'), ok('e'), ok('f'), ok('g'), { name: 'h', canary: noisy(20, 30, 0.1), baseline: noisy(10, 30, 0.1) }]);
    expect(j.score).toBe(87.5);
    expect(j.judgement).toBe('MARGINAL');
  });

  it('a pass with an unjudged metric is inconclusive, saying which', () => {
    const j = judgeCanary([
      { name: 'p95_latency', canary: noisy(200, 30, 0.1), baseline: noisy(200, 30, 0.1) },
      { name: 'error_rate', canary: [], baseline: noisy(1, 30, 0.1) },
    ]);
    expect(j.judgement).toBe('INCONCLUSIVE');
    expect(j.reason).toContain('error_rate');
  });

  it('says a rise off a zero baseline as "from 0", not a made-up +100 %', () => {
    const j = judgeCanary([{ name: 'error_rate', canary: noisy(2, 30, 0.2), baseline: Array(30).fill(0), critical: true }]);
    expect(j.judgement).toBe('FAIL');
    expect(j.metrics[0]).toMatchObject({ classification: 'HIGH', relativeChange: null });
    expect(j.metrics[0]!.reason).toMatch(/^higher than baseline: median [\d.]+ vs 0 \(from 0\), p=/);
  });

  it.each([
    ['no errors on either side', 0],
    ['the same constant latency on both sides', 120],
  ])('identical samples (all ties): %s passes with p = 1', (_name, v) => {
    const j = judgeCanary([{ name: 'm', canary: Array(30).fill(v), baseline: Array(30).fill(v) }]);
    expect(j).toMatchObject({ judgement: 'PASS', score: 100 });
    expect(j.metrics[0]).toMatchObject({ classification: 'PASS', pValue: 1, shift: 0 });
  });

  it('a side whose every sample is NaN or missing is no data, not a pass', () => {
    const j = judgeCanary([{ name: 'p95', canary: Array(30).fill(Number.NaN), baseline: noisy(100, 30, 0.1) }]);
    expect(j).toMatchObject({ judgement: 'INCONCLUSIVE', score: null });
    expect(j.metrics[0]!.reason).toBe('too little data: 0 canary and 30 baseline points (need 10 each)');
  });
});
