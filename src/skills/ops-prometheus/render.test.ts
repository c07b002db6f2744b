import { describe, expect, it } from 'vitest';
import { inertMarkdown } from '../../../test/support/markdown.js';
import { asMarkdown, asTable, queryView } from './render.js';

describe('Prometheus views', () => {
  it('keep label names as written in Markdown and on the terminal (they are data, case-sensitive)', () => {
    const view = queryView({ resultType: 'vector', result: [{ metric: { __name__: 'up', instanceId: 'i-1', job: 'api' }, value: [1764590400, '1'] }] });
    const md = inertMarkdown(asMarkdown(view));
    expect(md.tables[0]!.header).toEqual(['__name__', 'instanceId', 'job', 'value', 'time']);
    expect(asTable(view, false).split('\n')[0]!.trim().split(/ {2,}/)).toEqual(md.tables[0]!.header);
  });
});
