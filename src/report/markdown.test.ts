import { describe, expect, it } from 'vitest';
import { inertMarkdown, readMarkdown } from '../../test/support/markdown.js';
import { mdCode, mdCodeSpan, mdCommandOrText, mdEscape, mdTable, tidyMarkdown } from './markdown.js';
import { renderTable } from './table.js';

const HOSTILE = ['a | b', 'tick ` and ``` fence', '<script>alert(1)</script>', 'line\nbreak', 'bell\u0007 esc\u001b[2J', '*not bold* _not em_ [not](link) ~~x~~', '# not a heading', 'AT&T &copy; 5 < 6 > 4', 'ERROR <*> user_id=<*> took <*>ms', '!', ''];

describe('mdEscape', () => {
  it.each(HOSTILE)('renders %j as the text itself, inert', (text) => {
    const r = inertMarkdown(`Before ${mdEscape(text)} after`);
    expect(r.text).toBe(`Before ${text.replace(/\n/g, ' ').replace(/[\u0007\u001b]/g, '?')} after`);
  });

  it('keeps an entity the user typed as typed (it is text, not markup)', () => {
    expect(readMarkdown(mdEscape('&lt; stays &amp;')).text).toBe('&lt; stays &amp;');
  });

  it('shows a log template as mined, with no backslash or entity (it was escaped twice: "&lt;\\\\*&gt;")', () => {
    const r = inertMarkdown(`- ${mdEscape('GET /orders/<*> failed: <*>_timeout')}`);
    expect(r.text).toBe('GET /orders/<*> failed: <*>_timeout');
  });
});

describe('mdTable', () => {
  it('keeps each hostile text in its own cell: pipes do not split, newlines do not end the row', () => {
    const rows = HOSTILE.map((h, i) => [String(i), h]);
    const r = inertMarkdown(tidyMarkdown(`Intro\n${mdTable(['n', 'text'], rows)}\nAfter`));
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.header).toEqual(['N', 'TEXT']);
    expect(r.tables[0]!.rows.map((x) => x[1])).toEqual(HOSTILE.map((h) => h.replace(/\n/g, ' ').replace(/[\u0007\u001b]/g, '?').trim()));
  });
});

describe('table headers: one rule for the terminal and Markdown', () => {
  const terminalHeads = (t: string) => t.split('\n')[0]!.trim().split(/ {2,}/);

  it('writes headers in capitals whatever case the caller used, word for word as the terminal table does', () => {
    const headers = ['resource', 'Verdict', 'escalates after', 'SLO', 'Saving/month'];
    const r = inertMarkdown(mdTable(headers, [['a', 'b', 'c', 'd', 'e']]));
    expect(r.tables[0]!.header).toEqual(['RESOURCE', 'VERDICT', 'ESCALATES AFTER', 'SLO', 'SAVING/MONTH']);
    expect(r.tables[0]!.header).toEqual(terminalHeads(renderTable(headers, [['a', 'b', 'c', 'd', 'e']])));
  });

  it('keeps headers that are data (Prometheus label names are case-sensitive) as written, in both', () => {
    const headers = ['__name__', 'instanceId', 'value'];
    const r = inertMarkdown(mdTable(headers, [['up', 'i-1', '1']], { literalHeaders: true }));
    expect(r.tables[0]!.header).toEqual(headers);
    expect(terminalHeads(renderTable(headers, [['up', 'i-1', '1']], { literalHeaders: true }))).toEqual(headers);
  });

  it('escapes a hostile header like any cell', () => {
    expect(inertMarkdown(mdTable(['a | b', '<i>x</i>'], [['1', '2']])).tables[0]!.header).toEqual(['A | B', '<I>X</I>']);
  });
});

describe('mdCodeSpan', () => {
  it.each(['restart_lambda', 'a`b', '`edge`', '{"memory_mb":1024,"x":"<y>"}', ' spaced '])('shows %j exactly as code, no escapes', (text) => {
    const r = readMarkdown(`Action: ${mdCodeSpan(text)} here`);
    expect(r.spans).toEqual([text]);
    expect(r.html_tokens).toEqual([]);
  });
});

describe('mdCode', () => {
  it('fences any text so that it cannot break out, and keeps it byte for byte (but control characters)', () => {
    const text = 'one\n```\n# heading?\n<script>x</script>\n````';
    const r = readMarkdown(`${mdCode(text, 'sh')}\n\nafter`);
    expect(r.code).toEqual([{ info: 'sh', content: `${text}\n` }]);
    expect(r.headings).toEqual([]);
    expect(r.text).toBe('after');
  });

  it('puts a shell command in an sh block and leaves an explanation as text', () => {
    const cmd = readMarkdown(mdCommandOrText('aws lambda update-function-configuration --function-name orders --memory-size 512'));
    expect(cmd.code[0]).toMatchObject({ info: 'sh', content: 'aws lambda update-function-configuration --function-name orders --memory-size 512\n' });
    const prose = readMarkdown(mdCommandOrText('only by restoring a backup_copy'));
    expect(prose.code).toEqual([]);
    expect(prose.text).toBe('only by restoring a backup_copy');
  });
});

describe('tidyMarkdown', () => {
  it('puts blank lines around headings, tables and fences so GitHub renders them, and never inside a fence', () => {
    const src = ['# Title', 'text', '## Table', '| a | b |', '| --- | --- |', '| 1 | 2 |', 'after table', '```sh', 'echo 1', '', '## not a heading', '```', 'end', '', '', '', 'last'].join('\n');
    const out = tidyMarkdown(src);
    const r = readMarkdown(out);
    expect(r.headings).toEqual(['Title', 'Table']);
    expect(r.tables).toEqual([{ header: ['a', 'b'], rows: [['1', '2']] }]);
    expect(r.code).toEqual([{ info: 'sh', content: 'echo 1\n\n## not a heading\n' }]);
    expect(out).not.toMatch(/\n\n\n/);
    expect(out.endsWith('last\n')).toBe(true);
    // Without tidying, the table glued to the heading's paragraph is still a table in CommonMark, but the text after it joins the last row.
    expect(readMarkdown(src).tables[0]!.rows.length).toBeGreaterThan(1);
  });
});
