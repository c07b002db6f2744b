import { describe, expect, it } from 'vitest';
import { anomalyChanges, Detector, DEVIATION_CAP, scoreSeries, sigmaText, stoppedAt, stopText, type SeriesPoint } from './index.js';

const STEP = 300_000; // 5 minutes
const DAY_POINTS = 288;
const T0 = Date.UTC(2024, 0, 1); // a Monday

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `days` of 5-minute points: a daily cycle of `amplitude` around `base`, noise ±`noise`, and `edit` on top. */
function series(days: number, opts: { base?: number; amplitude?: number; noise?: number; edit?: (i: number, v: number) => number } = {}): SeriesPoint[] {
  const r = rng(42);
  const { base = 50, amplitude = 0, noise = 2, edit = (_i: number, v: number) => v } = opts;
  return Array.from({ length: days * DAY_POINTS }, (_, i) => {
    const v = base + amplitude * Math.sin((2 * Math.PI * i) / DAY_POINTS) + (r() - 0.5) * 2 * noise;
    return { t: T0 + i * STEP, v: edit(i, v) };
  });
}

const at = (day: number, hour = 0) => day * DAY_POINTS + hour * 12;
const inRange = (ms: number, from: number, to: number) => ms >= T0 + from * STEP && ms <= T0 + to * STEP;

describe('scoreSeries flags', () => {
  it.each([
    ['a spike', series(5, { edit: (i, v) => (i === at(4, 10) ? v + 60 : v) }), at(4, 10), 'up'],
    ['a level shift up', series(5, { edit: (i, v) => (i >= at(4, 6) ? v + 30 : v) }), at(4, 6), 'up'],
    ['a drop to zero', series(5, { edit: (i, v) => (i >= at(4, 6) && i < at(4, 8) ? 0 : v) }), at(4, 6), 'down'],
    ['a spike at an unusual hour of a daily cycle', series(6, { amplitude: 30, edit: (i, v) => (i === at(5, 6) ? v + 40 : v) }), at(5, 6), 'up'],
  ])('%s where it starts', (_, pts, index, direction) => {
    const { anomalies } = scoreSeries(pts);
    const hit = anomalies.find((a) => inRange(a.startMs, index, index + 2));
    expect(hit, JSON.stringify(anomalies)).toBeDefined();
    expect(hit!.direction).toBe(direction);
    expect(hit!.deviation).toBeGreaterThan(3);
    // Nothing else in the quiet part after warm-up.
    expect(anomalies.filter((a) => a !== hit && a.startMs < T0 + index * STEP)).toEqual([]);
  });
});

describe('scoreSeries does not flag', () => {
  it.each([
    ['a flat series', series(4, { noise: 0 })],
    ['a flat series with rounding steps', series(4, { base: 0.066, noise: 0, edit: (i, v) => (i % 7 === 0 ? 0.068 : v) })],
    ['noise only', series(7)],
    ['a daily cycle', series(7, { amplitude: 30 })],
    ['a nightly batch spike at the same hour every day', series(7, { edit: (i, v) => (i % DAY_POINTS === 36 ? v + 80 : v) })],
    ['a nightly batch spike whose height varies ±10 %', series(9, { edit: (i, v) => (i % DAY_POINTS === 36 ? v + 80 * (0.9 + 0.2 * ((Math.floor(i / DAY_POINTS) * 0.618) % 1)) : v) })],
  ])('%s after the first two days', (_, pts) => {
    const { anomalies } = scoreSeries(pts);
    expect(anomalies.filter((a) => a.startMs >= T0 + at(2) * STEP)).toEqual([]);
  });

  it('a level shift once the new level is the usual one', () => {
    const { anomalies } = scoreSeries(series(8, { edit: (i, v) => (i >= at(3) ? v + 30 : v) }));
    expect(anomalies.length).toBeGreaterThan(0);
    expect(anomalies.filter((a) => a.startMs >= T0 + at(5) * STEP)).toEqual([]);
  });

  it('missing points: gaps and NaN are skipped and flag nothing', () => {
    const pts = series(6).filter((_, i) => !(i >= at(3) && i < at(3, 8)) && i % 17 !== 0);
    pts.splice(500, 0, { t: pts[500]!.t - 1, v: Number.NaN });
    const { anomalies, scores } = scoreSeries(pts);
    expect(scores[500]).toBeNull();
    expect(anomalies.filter((a) => a.startMs >= T0 + at(2) * STEP)).toEqual([]);
  });
});

describe('what an episode reports', () => {
  it('expected is the level before the anomalous point, not one pulled towards it', () => {
    const { anomalies } = scoreSeries(series(4, { noise: 0, edit: (i, v) => (i === at(3, 10) ? v + 60 : v) }));
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ value: 110, expected: 50, direction: 'up' });
  });

  it('errors on a series flat at zero for a week: found, usual 0, deviation capped and said as such', () => {
    const { anomalies } = scoreSeries(series(7, { base: 0, noise: 0, edit: (i, v) => (i >= at(6, 12) && i < at(6, 12) + 6 ? 1 : v) }));
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ startMs: T0 + at(6, 12) * STEP, value: 1, expected: 0, deviation: DEVIATION_CAP });
    expect(sigmaText(anomalies[0]!.deviation)).toBe('≥1000σ');
    expect(sigmaText(4.25)).toBe('4.25σ');
  });

  it.each([
    ['bytes (1e12 with small noise)', 1e12, 1e6],
    ['seconds (1e-9 with small noise)', 1e-9, 1e-11],
  ])('a flat series of %s flags nothing, and a doubling is found', (_name, base, noise) => {
    expect(scoreSeries(series(4, { base, noise })).anomalies.filter((a) => a.startMs >= T0 + at(2) * STEP)).toEqual([]);
    const { anomalies } = scoreSeries(series(4, { base, noise, edit: (i, v) => (i === at(3, 10) ? 2 * v : v) }));
    expect(anomalies.map((a) => a.startMs)).toContain(T0 + at(3, 10) * STEP);
    for (const a of anomalies) expect(Number.isFinite(a.deviation) && Number.isFinite(a.expected)).toBe(true);
  });
});

describe('relative novelty (the empirical distribution of recent surprises)', () => {
  it('bursts at random times become usual: few alarms once a few days of bursts have been seen', () => {
    let alarms = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const r = rng(seed);
      let until = -1;
      const pts = Array.from({ length: 12 * DAY_POINTS }, (_, i) => {
        if (i > until && r() < 1 / 150) until = i + 3 + Math.floor(r() * 8);
        return { t: T0 + i * STEP, v: i <= until ? 60 + 20 * r() : 3 + r() };
      });
      alarms += scoreSeries(pts).anomalies.filter((a) => a.startMs >= T0 + at(5) * STEP).length;
    }
    // 10 series × 7 days with about two bursts a day: at most two alarms per series-week.
    expect(alarms).toBeLessThanOrEqual(20);
  });

  it('a spike the size of several seen this week scores lower than a larger, new one', () => {
    const spikes = new Map([[at(1, 7), 20], [at(2, 13), 20], [at(3, 9), 20], [at(4, 17), 20], [at(5, 5), 20], [at(6, 7), 20], [at(6, 19), 60]]);
    const pts = series(7, { edit: (i, v) => v + (spikes.get(i) ?? 0) });
    const { scores } = scoreSeries(pts);
    const repeated = scores[at(6, 7)]!.score;
    expect(repeated).toBeLessThan(scores[at(1, 7)]!.score);
    expect(repeated).toBeLessThan(scores[at(6, 19)]!.score);
  });
});

describe('Detector', () => {
  it('is deterministic and its state does not grow', () => {
    const pts = series(3, { amplitude: 10 });
    const a = new Detector();
    const b = new Detector();
    const size = a.stateBytes();
    for (const p of pts) expect(a.update(p.t, p.v)).toEqual(b.update(p.t, p.v));
    expect(a.stateBytes()).toBe(size);
  });

  it('says which points were judged: none before warm-up (24 points and a day by default)', () => {
    const { scores } = scoreSeries(series(2));
    const firstWarm = scores.findIndex((x) => x?.warm);
    expect(firstWarm).toBe(DAY_POINTS);
    expect(scores.slice(0, firstWarm).every((x) => x!.score === 0)).toBe(true);
    expect(scoreSeries(series(1).slice(0, 12), { warmupMs: 15 * 60_000 }).scores.some((x) => x?.warm)).toBe(false);
  });

  it('ignores a repeated or older timestamp without learning from it', () => {
    const d = new Detector();
    expect(d.update(T0, 1)).not.toBeNull();
    expect(d.update(T0, 1000)).toBeNull();
    expect(d.update(T0 - 1, 1000)).toBeNull();
    expect(d.count).toBe(1);
  });
});

describe('anomalyChanges', () => {
  it('gives anomalies from fromMs on as change evidence: expected before, value after, deviation as score', () => {
    const pts = series(4, { edit: (i, v) => (i === at(1, 6) || i === at(3, 14) ? v + 60 : v) });
    const got = anomalyChanges(pts, T0 + at(3) * STEP);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ atMs: T0 + at(3, 14) * STEP, index: at(3, 14), direction: 'up' });
    expect(got[0]!.after - got[0]!.before).toBeGreaterThan(50);
    expect(got[0]!.score).toBeGreaterThan(10);
  });
});

describe('stoppedAt', () => {
  const H = 3_600_000;
  const every = (step: number, from: number, to: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
  it.each([
    ['5-minute points up to 10 minutes ago (ingestion lag)', every(STEP, 0, 72 * H - 10 * 60_000), null],
    ['5-minute points that ended 6 hours ago', every(STEP, 0, 66 * H), { lastMs: 66 * H, usualMs: STEP }],
    ['a daily metric whose last point is 20 hours old', every(24 * H, 0, 52 * H - 20 * H), null],
    ['a daily metric silent for 4 days', every(24 * H, -10 * 24 * H, -24 * H), { lastMs: -24 * H, usualMs: 24 * H }],
    ['a single point 3 hours ago', [69 * H], { lastMs: 69 * H, usualMs: 0 }],
    ['no points (said elsewhere as no data)', [], null],
    // Requests only from 08:00 to 20:00 for three days, now midnight: as quiet as every night.
    ['a service idle every night, at night', every(STEP, 0, 72 * H).filter((t) => (t / H) % 24 >= 8 && (t / H) % 24 < 20), null],
    ['the same service silent since yesterday morning (longer than any night)', every(STEP, 0, 72 * H).filter((t) => (t / H) % 24 >= 8 && (t / H) % 24 < 20 && t < 33 * H), { lastMs: 33 * H - STEP, usualMs: STEP }],
  ])('%s', (_name, times, expected) => {
    expect(stoppedAt(times, 72 * H, STEP)).toEqual(expected);
  });

  it('a repeated or unsorted timestamp does not shrink the usual spacing', () => {
    const times = every(STEP, 0, 60 * H);
    expect(stoppedAt([...times, ...times].reverse(), 72 * H, STEP)).toEqual({ lastMs: 60 * H, usualMs: STEP });
  });

  it('waits three periods on a coarse range (hourly points of a long analysis)', () => {
    expect(stoppedAt(every(H, 0, 70 * H), 72 * H, H)).toBeNull();
    expect(stoppedAt(every(H, 0, 68 * H), 72 * H, H)).toEqual({ lastMs: 68 * H, usualMs: H });
  });

  it('is said with when and how often it reported', () => {
    expect(stopText({ lastMs: Date.UTC(2026, 11, 5, 3), usualMs: STEP }, Date.UTC(2026, 11, 5, 9, 12), 'ago')).toBe('no datapoints since 2026-12-05T03:00:00.000Z (6.2 h ago; it reported every 5 min until then)');
  });
});
