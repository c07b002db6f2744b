import { describe, expect, it } from 'vitest';
import { inertMarkdown } from '../../../test/support/markdown.js';
import { asMarkdown, asTable, queryView, rangeView } from './render.js';

describe('Prometheus views', () => {
  it('keep label names as written in Markdown and on the terminal (they are data, case-sensitive)', () => {
    const view = queryView({ resultType: 'vector', result: [{ metric: { __name__: 'up', instanceId: 'i-1', job: 'api' }, value: [1764590400, '1'] }] });
    const md = inertMarkdown(asMarkdown(view));
    expect(md.tables[0]!.header).toEqual(['__name__', 'instanceId', 'job', 'value', 'time']);
    expect(asTable(view, false).split('\n')[0]!.trim().split(/ {2,}/)).toEqual(md.tables[0]!.header);
  });
});

describe('range view of awkward series', () => {
  const at = (vs: string[]) => vs.map((v, i) => [1764590400 + i * 60, v] as [number, string]);
  const view = rangeView(
    [
      { metric: { job: 'q' }, values: at(['1', '2', 'NaN', '+Inf', '3', '4']) },
      { metric: { job: 'empty' }, values: at(['NaN', 'NaN', 'NaN']) },
      { metric: { job: 'bytes' }, values: at(['1e12', '1.000001e12', '1e12']) },
    ],
    true,
  );
  const row = (job: string) => view.rows.find((r) => r[0] === job)!;

  it('shows +Inf in max (histogram_quantile above the last bucket) instead of hiding it; NaN is no value', () => {
    expect(row('q')).toEqual(['q', '6', '1', '+Inf', '4']);
    expect(row('empty')).toEqual(['empty', '3', '-', '-', 'NaN']);
  });

  it('prints min and max of a large series with the digits that tell them apart', () => {
    expect(row('bytes')).toEqual(['bytes', '3', '1e+12', '1.000001e+12', '1e+12']);
  });

  it('says which points the chart leaves out, and labels its axis with distinct values', () => {
    const after = view.after!.join('\n');
    expect(after).toContain('(2 of 6 points are NaN or ±Inf: not drawn)');
    expect(after).toContain('{job="empty"}  no chart: 3 of 3 points are NaN or ±Inf');
    const labels = view.after!.filter((l) => l.includes('┤') || l.includes('┼')).join('\n').match(/^ *[\d.e+]+ [┤┼]/gm)!;
    const bytes = labels.slice(-7).map((l) => l.trim().slice(0, -2));
    expect(new Set(bytes).size).toBe(7);
  });
});
