/** Markdown for reports, PR comments and the GitHub step summary. */
import { safeText } from './text.js';

/** Escapes text for a Markdown table cell or inline context: pipes, backticks, HTML, newlines. */
export function mdEscape(s: unknown): string {
  return safeText(s)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    // Emphasis and link syntax: log templates are full of <*> and ids with underscores.
    .replace(/([*_[\]~#])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

export function mdTable(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.map(mdEscape).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdEscape).join(' | ')} |`),
  ].join('\n');
}

/** A fenced code block that cannot be broken out of by its content. */
export function mdCode(text: string, lang = ''): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}${lang}\n${safeText(text).replace(/\r/g, '')}\n${fence}`;
}

