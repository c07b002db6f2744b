import { describe, expect, it } from 'vitest';
import { correlate, pairwiseScores, type CorrelationAlert, type CorrelationDeploy } from './alert-correlate.js';

const MIN = 60_000;
const T = 1_800_000_000_000;
const a = (id: string, min: number, o: Partial<CorrelationAlert> = {}): CorrelationAlert => ({ id, name: id, startsAt: T + min * MIN, labels: {}, ...o });
const deploy: CorrelationDeploy = { id: 'dep-7', project: 'shop', atMs: T, resources: ['api', 'cart', 'pay'] };

describe('alert correlation', () => {
  it('alarms on three resources after a deploy of their project form one group caused by the deploy; an unrelated alarm stays alone', () => {
    const groups = correlate([a('x1', 3, { resource: 'api', project: 'shop' }), a('x2', 5, { resource: 'cart', project: 'shop' }), a('x3', 12, { resource: 'pay', project: 'shop' }), a('n1', 6, { resource: 'render', project: 'blog' })], [deploy], 30 * MIN);
    expect(groups.map((g) => g.alerts)).toEqual([['x1', 'x2', 'x3'], ['n1']]);
    expect(groups[0]!.cause).toMatchObject({ kind: 'deploy', deploy: 'dep-7' });
    expect(groups[0]!.cause.summary).toBe('deploy dep-7 of shop, 3m before the first alert');
    expect(groups[0]!.evidence.every((l) => l.evidence.some((e) => e.kind === 'same-deploy'))).toBe(true);
    expect(groups[1]!.cause.kind).toBe('none');
  });

  it('the same project without a deploy is weak evidence: no link on its own', () => {
    const groups = correlate([a('x1', 0, { resource: 'api', project: 'shop' }), a('x2', 20, { resource: 'cart', project: 'shop' })], [], 30 * MIN);
    expect(groups.map((g) => g.alerts.length)).toEqual([1, 1]);
  });

  it('a shared dependency label links alerts across projects, and names the dependency', () => {
    const dep = { dependency: 'db-main' };
    const noise = Array.from({ length: 12 }, (_, i) => a(`n${i}`, i * 200, { labels: { team: 'core' } }));
    const groups = correlate([a('d1', 1000, { project: 'p1', labels: dep }), a('d2', 1004, { project: 'p2', labels: dep }), ...noise], [], 30 * MIN);
    expect(groups[0]!.alerts).toEqual(['d1', 'd2']);
    expect(groups[0]!.cause.summary).toBe('a shared dependency: dependency=db-main (2 of 2 alerts)');
  });

  it('alerts further apart than the window are never linked', () => {
    const groups = correlate([a('r1', 0, { resource: 'api' }), a('r2', 45, { resource: 'api' })], [], 30 * MIN);
    expect(groups).toHaveLength(2);
  });

  it('is deterministic: input order does not change the groups', () => {
    const list = [a('x1', 3, { resource: 'api', project: 'shop' }), a('x2', 5, { resource: 'cart', project: 'shop' }), a('n1', 6, { resource: 'render', project: 'blog' })];
    expect(correlate([...list].reverse(), [deploy], 30 * MIN)).toEqual(correlate(list, [deploy], 30 * MIN));
  });

  it('pairwise precision and recall', () => {
    expect(pairwiseScores([['a', 'b', 'c'], ['d']], [['a', 'b'], ['c', 'd']])).toEqual({ precision: 1 / 3, recall: 0.5, predictedPairs: 3, truePairs: 2 });
    expect(pairwiseScores([['a'], ['b']], [['a'], ['b']])).toMatchObject({ precision: 1, recall: 1 });
  });
});
