import { describe, expect, it } from 'vitest';
import { baselineFor, buildTimeline, firstOnset, isNewPattern, precedingDeploy, type DeployEvent } from './correlate.js';

const min = 60_000;
const d = (id: string, atMin: number, targets = ['f']): DeployEvent => ({ id, project: 'p', version: id, atMs: atMin * min, targets });

describe('correlate', () => {
  it.each([
    ['seen after the baseline', 20 * min, 0, 10 * min, true],
    ['seen inside the baseline', 5 * min, 0, 10 * min, false],
    ['without a timestamp', undefined, 0, 10 * min, false],
  ])('isNewPattern: %s', (_, first, start, base, want) => expect(isNewPattern(first, start, base)).toBe(want));

  it.each([
    [3600_000, 6 * min],
    [10 * min, 5 * min],
    [7 * 86400_000, 3600_000],
  ])('baselineFor(%i) = %i', (w, want) => expect(baselineFor(w)).toBe(want));

  it.each([
    ['the latest deploy before the onset', [d('a', 0), d('b', 30)], 40, 'b'],
    ['none when the onset is too long after', [d('a', 0)], 120, undefined],
    ['none when the deploy came after', [d('a', 50)], 40, undefined],
    ['a deploy just after, within the slack', [d('a', 42)], 40, 'a'],
    ['none for another target', [d('a', 30, ['g'])], 40, undefined],
  ])('precedingDeploy: %s', (_, ds, atMin, want) => {
    expect(precedingDeploy(ds, atMin * min, 30 * min, 5 * min, 'f')?.deploy.id).toBe(want);
  });

  it('orders the timeline by time, deployments first on ties, and lists only new patterns', () => {
    const tl = buildTimeline({
      deployments: [d('v2', 10)],
      patterns: [
        { target: 'f', template: 'new one', count: 3, firstSeen: 12 * min, example: '', classes: ['error'], isNew: true },
        { target: 'f', template: 'old one', count: 3, firstSeen: 0, example: '', classes: ['error'], isNew: false },
      ],
      changes: [{ target: 'f', metric: 'Errors', stat: 'Sum', kind: 'errors', adverse: true, atMs: 10 * min, index: 10, before: 0, after: 5, direction: 'up', ratio: null, score: 9 }],
      alarms: [],
    });
    expect(tl.map((e) => e.kind)).toEqual(['deployment', 'change-point', 'pattern-onset']);
    expect(firstOnset('f', [], [])).toBeUndefined();
  });
});
