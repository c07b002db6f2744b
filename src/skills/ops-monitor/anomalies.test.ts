import { describe, expect, it } from 'vitest';
import { anomalyReason, scoreBaseline } from './anomalies.js';

const END = Date.parse('2026-12-05T06:00:00.000Z');
const P = 300_000;
const H = 3_600_000;
const opts = (sparse: boolean) => ({ sparse, startMs: END - 72 * H, endMs: END, windowStartMs: END - H, periodMs: P });
/** 5-minute points over the baseline, steady with a little jitter, up to `until`. */
const steady = (until: number) => Array.from({ length: Math.floor((until - (END - 72 * H)) / P) }, (_, i) => ({ t: END - 72 * H + i * P, v: 100 + (i % 5) }));

describe('scoreBaseline', () => {
  it('a traffic series that stopped reporting is said, and is a DEGRADED reason (was: scored, nothing unusual)', () => {
    const s = scoreBaseline('Invocations', 'Sum', steady(END - 3 * H), opts(false));
    expect(s).toMatchObject({ status: 'stopped', stoppedAt: new Date(END - 3 * H - P).toISOString(), anomalies: [] });
    expect(anomalyReason(s)).toBe(`anomaly: Invocations Sum stopped: no datapoints since ${new Date(END - 3 * H - P).toISOString()} (3.1 h ago; it reported every 5 min until then)`);
  });

  it('a series reporting up to a few minutes ago is scored, with no reason', () => {
    const s = scoreBaseline('Invocations', 'Sum', steady(END - 5 * 60_000), opts(false));
    expect(s.status).toBe('scored');
    expect(anomalyReason(s)).toBeUndefined();
  });

  it('a sparse count (errors) silent for hours has simply had none', () => {
    const s = scoreBaseline('Errors', 'Sum', steady(END - 3 * H).map((p) => ({ ...p, v: p.t % (6 * H) === 0 ? 2 : 0 })).filter((p) => p.v > 0), opts(true));
    expect(s.status).toBe('scored');
    expect(anomalyReason(s)).toBeUndefined();
  });

  it('a sparse count with no datapoints in the whole baseline had none: scored, zero throughout (was: insufficient history)', () => {
    const s = scoreBaseline('Errors', 'Sum', [], opts(true));
    expect(s).toMatchObject({ status: 'scored', reason: 'none over the baseline (published only when non-zero): zero throughout', anomalies: [] });
    expect(anomalyReason(s)).toBeUndefined();
    // A level with no datapoints at all is still missing history.
    expect(scoreBaseline('CPUUtilization', 'Average', [], opts(false))).toMatchObject({ status: 'insufficient-history', reason: 'no datapoints before the window; the detector needs 24 h' });
  });
});
