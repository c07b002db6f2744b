import { describe, expect, it } from 'vitest';
import { formatAge, rankIssues, type RankInput } from './rank.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const H = 3600_000;
const issue = (id: string, over: Partial<RankInput> = {}): RankInput => ({ id, severity: 'medium', status: 'open', production: false, opened_at: NOW - H, ...over });
const order = (xs: RankInput[]) => rankIssues(xs, NOW).map((r) => r.item.id);

describe('rankIssues', () => {
  it('puts higher severity first regardless of production, burn or age', () => {
    expect(
      order([
        issue('low-prod-hot-old', { severity: 'low', production: true, slo_burn: 50, opened_at: NOW - 100 * H }),
        issue('critical-test', { severity: 'critical' }),
        issue('medium-prod', { severity: 'medium', production: true, slo_burn: 20 }),
        issue('high-test', { severity: 'high' }),
      ]),
    ).toEqual(['critical-test', 'high-test', 'medium-prod', 'low-prod-hot-old']);
  });

  it('puts production before non-production at equal severity, even when the other burns faster and is older', () => {
    expect(order([issue('test', { slo_burn: 30, opened_at: NOW - 48 * H }), issue('prod', { production: true, slo_burn: 1 })])).toEqual(['prod', 'test']);
  });

  it('puts the higher SLO burn first at equal severity and production, even when younger', () => {
    expect(order([issue('slow', { slo_burn: 2, opened_at: NOW - 10 * H }), issue('fast', { slo_burn: 14.4, opened_at: NOW - H })])).toEqual(['fast', 'slow']);
  });

  it('ranks a measured burn before an unknown burn', () => {
    expect(order([issue('unknown', { opened_at: NOW - 10 * H }), issue('measured', { slo_burn: 0.1 })])).toEqual(['measured', 'unknown']);
  });

  it('puts the older issue first when everything else is equal, and undated issues last', () => {
    expect(order([issue('new', { opened_at: NOW - H }), issue('undated', { opened_at: undefined }), issue('old', { opened_at: NOW - 5 * H })])).toEqual(['old', 'new', 'undated']);
  });

  it('breaks a full tie by id so the order is stable', () => {
    expect(order([issue('b'), issue('a'), issue('c')])).toEqual(['a', 'b', 'c']);
  });

  it('leaves resolved issues out and numbers the rest from 1', () => {
    const r = rankIssues([issue('done', { status: 'resolved', severity: 'critical' }), issue('x', { status: 'escalated' }), issue('y', { status: 'investigating' })], NOW);
    expect(r.map((x) => [x.rank, x.item.id])).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it('ignores negative and non-finite burns as unknown', () => {
    const r = rankIssues([issue('nan', { slo_burn: Number.NaN }), issue('neg', { slo_burn: -1 }), issue('ok', { slo_burn: 0 })], NOW);
    expect(r[0]!.item.id).toBe('ok');
    expect(r.slice(1).map((x) => x.score.slo_burn)).toEqual([null, null]);
  });

  it('explains every factor of the score', () => {
    const [r] = rankIssues([issue('a', { severity: 'critical', production: true, slo_burn: 14.4, opened_at: NOW - 3 * H - 5 * 60_000 })], NOW);
    expect(r!.score).toEqual({ severity: 'critical', severity_weight: 4, production: true, slo_burn: 14.4, age_seconds: 3 * 3600 + 300, explain: 'critical · production · burn 14.4× · open 3h 5m' });
    const [u] = rankIssues([issue('b', { opened_at: undefined })], NOW);
    expect(u!.score.explain).toBe('medium · non-production · burn unknown · age unknown');
  });

  it('counts an issue opened in the future (clock skew) as age 0', () => {
    expect(rankIssues([issue('a', { opened_at: NOW + H })], NOW)[0]!.score.age_seconds).toBe(0);
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [90, '1m 30s'],
    [3600, '1h'],
    [3725, '1h 2m'],
    [86400 + 5, '1d'],
    [2 * 86400 + 7 * 3600 + 59, '2d 7h'],
    [null, 'unknown'],
  ])('%s s → %s', (s, text) => expect(formatAge(s)).toBe(text));
});
