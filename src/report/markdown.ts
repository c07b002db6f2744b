/**
 * Markdown for reports, PR comments and the GitHub step summary (CommonMark + GitHub tables). Untrusted text
 * (log templates, resource and project names, issue titles, AWS messages) goes through exactly one of:
 * mdEscape (prose and table cells), mdCodeSpan (inline code: nothing is escaped inside), mdCode (a fenced
 * block). Escaping twice, or escaping inside code, shows the user backslashes and "&amp;lt;".
 */
import { columnHeader, safeText } from './text.js';

/**
 * Text that renders as itself: every character Markdown could read as syntax is backslash-escaped (emphasis,
 * links, code, HTML, entities, table pipes, headings); newlines become spaces; control characters "?".
 */
export function mdEscape(s: unknown): string {
  return safeText(s)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]~#|<>&!]/g, (c) => `\\${c}`);
}

/**
 * Inline code showing `s` exactly: the fence is longer than any run of backticks inside, with a space of
 * padding when the text starts or ends with a backtick (CommonMark strips one space each side).
 */
export function mdCodeSpan(s: unknown): string {
  const text = safeText(s).replace(/\r?\n|\r/g, ' ');
  const fence = '`'.repeat(Math.max(1, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const pad = /^`|`$|^ .* $/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A GitHub table; every cell escaped, on one line, never empty (an empty cell can end a row early). Headers follow
 * the terminal table's rule (columnHeader: capitals, or as written when `literalHeaders` says they are data).
 */
export function mdTable(headers: string[], rows: string[][], opts: { literalHeaders?: boolean } = {}): string {
  const cell = (c: unknown) => mdEscape(c).trim() || ' ';
  return [
    `| ${headers.map((h) => cell(columnHeader(h, opts.literalHeaders))).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${headers.map((_, i) => cell(r[i] ?? '')).join(' | ')} |`),
  ].join('\n');
}

/** A fenced code block that cannot be broken out of by its content. */
export function mdCode(text: string, lang = ''): string {
  const body = safeText(text.replace(/\r\n?/g, '\n'));
  const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** A shell command the reader may run (undo, runbook, rollback). */
export const looksLikeCommand = (s: string) => /^(aws|kubectl|helm-cloud|helm|terraform|npx|curl)\s/.test(s.trim());

/** A shell command as a fenced `sh` block; other text (an explanation) as escaped prose. */
export function mdCommandOrText(s: string): string {
  return looksLikeCommand(s) ? mdCode(s.trim(), 'sh') : mdEscape(s);
}

/**
 * Blank lines around headings, tables and fenced blocks (GitHub renders a table glued to a paragraph as text),
 * never inside a fence; at most one blank line in a row; one newline at the end.
 */
export function tidyMarkdown(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  const blank = () => {
    if (out.length && out[out.length - 1] !== '') out.push('');
  };
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      out.push(line);
      if (line.startsWith(fence) && line.slice(fence.length).trim() === '') {
        fence = undefined;
        if (lines[i + 1]?.trim()) out.push('');
      }
      continue;
    }
    const open = /^(`{3,}|~{3,})/.exec(line);
    if (open) {
      blank();
      fence = open[1];
      out.push(line);
      continue;
    }
    const isTable = line.startsWith('|');
    const wasTable = (out[out.length - 1] ?? '').startsWith('|');
    if (/^#{1,6} /.test(line)) {
      blank();
      out.push(line);
      if (lines[i + 1]?.trim()) out.push('');
      continue;
    }
    if (isTable && !wasTable) blank();
    if (!isTable && wasTable && line.trim()) out.push('');
    if (line.trim() === '') blank();
    else out.push(line);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  while (out.length && out[0] === '') out.shift();
  return out.join('\n') + '\n';
}
