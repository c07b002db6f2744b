import { describe, expect, it } from 'vitest';
import { renderTable, withTableWidth, fitColumns } from './table.js';
import { colors, displayWidth, stripAnsi, wrapWords } from './text.js';

const widths = (table: string) => table.split('\n').map(displayWidth);
/** Start column of each header in the first line (headers hold no spaces in these tests). */
const starts = (line: string) => [...stripAnsi(line).matchAll(/\S+/g)].map((m) => m.index);

describe('display width', () => {
  it('counts wide characters as two columns, combining marks and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute
    expect(displayWidth('🔥')).toBe(2);
    expect(displayWidth(colors.red('FAIL', true))).toBe(4);
  });

  it('wraps at spaces and cuts a word longer than the line', () => {
    expect(wrapWords('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapWords('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapWords('日本語日本語', 5)).toEqual(['日本', '語日', '本語']);
  });
});

describe('renderTable', () => {
  it('puts headers in capitals with a rule as wide as each column, rows aligned under them', () => {
    const t = renderTable(['resource', 'Verdict', 'why'], [['lambda/a', 'HEALTHY', 'fine'], ['lambda/longer-name', 'UNHEALTHY', 'error rate']]);
    const [head, rule, ...rows] = t.split('\n');
    expect(head).toBe('RESOURCE            VERDICT    WHY');
    expect(rule).toBe('------------------  ---------  ----------');
    expect(starts(rows[0]!)).toEqual(starts(head!));
  });

  it('aligns columns by what the terminal draws: wide characters, combining marks and colour codes', () => {
    const t = renderTable(['name', 'verdict', 'x'], [['日本語', colors.red('FAIL', true), 'a'], ['e\u0301e\u0301', colors.green('OK', true), 'b'], ['plain', 'PASS', 'c']], { color: true });
    const lines = t.split('\n').map(stripAnsi);
    const col = (line: string) => displayWidth(line.slice(0, line.search(/[abc]$/)));
    expect(lines.slice(2).map(col)).toEqual([col(lines[2]!), col(lines[2]!), col(lines[2]!)]);
    expect(t).toContain('\u001b[31mFAIL\u001b[0m');
  });

  it('fits the terminal: the widest free-text column wraps at words, every line within the width', () => {
    const why = 'error rate 7.60% > 1.00% (SLO breached) and p95 latency 2400 ms over its 1000 ms objective for the last hour';
    const t = renderTable(['resource', 'verdict', 'why'], [['lambda/orders-worker', 'UNHEALTHY', why]], { width: 80 });
    expect(Math.max(...widths(t))).toBeLessThanOrEqual(80);
    const lines = t.split('\n');
    expect(lines.length).toBeGreaterThan(3);
    // Continuation lines start in the WHY column; no word is split.
    const whyAt = lines[0]!.indexOf('WHY');
    for (const l of lines.slice(3)) expect(l.slice(0, whyAt).trim()).toBe('');
    const text = lines.slice(2).map((l) => l.slice(whyAt)).join(' ');
    expect(text.replace(/\s+/g, ' ').trim()).toBe(why);
  });

  it('keeps at most four lines of a long cell and ends it with an ellipsis', () => {
    const t = renderTable(['id', 'text'], [['1', 'word '.repeat(200)]], { width: 40 });
    const lines = t.split('\n').slice(2);
    expect(lines).toHaveLength(4);
    expect(lines[3]!.trimEnd().endsWith('…')).toBe(true);
  });

  it('takes its width from the output it is rendered for', () => {
    const rows = [['a', 'x '.repeat(60)]];
    expect(Math.max(...widths(withTableWidth(50, () => renderTable(['k', 'v'], rows))))).toBeLessThanOrEqual(50);
    expect(Math.max(...widths(withTableWidth(undefined, () => renderTable(['k', 'v'], rows))))).toBeGreaterThan(50);
  });

  it('neutralises control characters and newlines in cells, keeping its own colour codes', () => {
    const t = renderTable(['a'], [['bad\u001b]0;title\u0007\nline']]);
    expect(t).not.toMatch(/[\u0007\n]line/);
    expect(t.split('\n')[2]).toBe('bad?]0;title? line');
  });

  it('shrinks the widest columns together, leaves narrow ones whole, and never goes below a header', () => {
    const w = fitColumns([6, 30, 30, 200], [6, 5, 6, 3], 70);
    expect(w[0]).toBe(6);
    expect(w.reduce((a, b) => a + b, 0) + 2 * 3).toBe(70);
    expect(Math.max(...w.slice(1)) - Math.min(...w.slice(1))).toBeLessThanOrEqual(1);
    expect(fitColumns([4, 10, 200], [4, 6, 6], 60)).toEqual([4, 10, 42]);
    expect(fitColumns([30, 40], [8, 6], 20)).toEqual([9, 9]);
    expect(fitColumns([30, 40], [12, 6], 20)).toEqual([12, 6]);
    expect(fitColumns([5, 5], [5, 5], 4)).toEqual([5, 5]);
  });

  it('indents every line when asked, within the width', () => {
    const t = renderTable(['slo', 'target'], [['error_rate_percent', '1%']], { indent: 2 });
    for (const l of t.split('\n')) expect(l.startsWith('  ')).toBe(true);
  });
});
