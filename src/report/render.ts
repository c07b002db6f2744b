/**
 * Output formats shared by every command. A command builds a CommandResult; `emit` prints it per --output.
 * JSON is the stable machine interface; table is for terminals; markdown is for reports and PR comments.
 */
import type { Io } from '../io.js';

export type OutputFormat = 'table' | 'json' | 'markdown';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'markdown'];

export interface ResultJson {
  /** "helm-cloud/<command>@1": bump the number on any breaking change. */
  schema: string;
  command: string;
  environment?: string;
  generatedAt: string;
  verdict: string;
  summary: string;
  exitCode: number;
  [key: string]: unknown;
}

export interface CommandResult {
  json: ResultJson;
  table(color: boolean): string;
  markdown(): string;
  exitCode: number;
}

export function emit(result: CommandResult, io: Io, format: OutputFormat): void {
  if (format === 'json') io.out(JSON.stringify(result.json, null, 2));
  else if (format === 'markdown') io.out(result.markdown());
  else io.out(result.table(io.color));
}

// ---- table -------------------------------------------------------------------------------------------

const ESC = '\u001b[';
export const colors = {
  red: (s: string, on: boolean) => (on ? `${ESC}31m${s}${ESC}0m` : s),
  green: (s: string, on: boolean) => (on ? `${ESC}32m${s}${ESC}0m` : s),
  yellow: (s: string, on: boolean) => (on ? `${ESC}33m${s}${ESC}0m` : s),
  grey: (s: string, on: boolean) => (on ? `${ESC}90m${s}${ESC}0m` : s),
  bold: (s: string, on: boolean) => (on ? `${ESC}1m${s}${ESC}0m` : s),
};

export function paintVerdict(v: string, on: boolean): string {
  switch (v) {
    case 'HEALTHY':
    case 'PASS':
    case 'OK':
    case 'applied':
      return colors.green(v, on);
    case 'DEGRADED':
    case 'UNKNOWN':
    case 'WARN':
    case 'skipped':
      return colors.yellow(v, on);
    case 'UNHEALTHY':
    case 'FAIL':
    case 'failed':
    case 'refused':
      return colors.red(v, on);
    default:
      return v;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, '').length;

/** Strips control characters from untrusted text before it reaches a terminal. */
export function safeText(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(s ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

export function renderTable(headers: string[], rows: string[][], opts: { color?: boolean; maxWidth?: number } = {}): string {
  const max = opts.maxWidth ?? 60;
  const cells = rows.map((r) => r.map((c) => {
    // Keep our own colour (SGR) sequences from paintVerdict; neutralise every other control character.
    const s = String(c ?? '')
      .split(/(\u001b\[[0-9;]*m)/)
      .map((part, i) => (i % 2 ? part : safeText(part)))
      .join('')
      .replace(/\n/g, ' ');
    return visible(s) > max ? s.replace(ANSI, '').slice(0, max - 1) + '…' : s;
  }));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => visible(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - visible(c)))).join('  ').trimEnd();
  const head = line(headers.map((h) => colors.bold(h, Boolean(opts.color))));
  return [head, line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

// ---- markdown ----------------------------------------------------------------------------------------

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

// ---- junit -------------------------------------------------------------------------------------------

export function xmlEscape(s: unknown): string {
  return safeText(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface JunitCase {
  classname: string;
  name: string;
  failure?: string;
  skipped?: string;
  timeSeconds?: number;
}

export function junitXml(suite: string, cases: JunitCase[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined && c.failure === undefined).length;
  const body = cases
    .map((c) => {
      const open = `  <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${(c.timeSeconds ?? 0).toFixed(3)}"`;
      if (c.failure !== undefined) return `${open}>\n    <failure message="${xmlEscape(c.failure)}">${xmlEscape(c.failure)}</failure>\n  </testcase>`;
      if (c.skipped !== undefined) return `${open}>\n    <skipped message="${xmlEscape(c.skipped)}"/>\n  </testcase>`;
      return `${open}/>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${body}\n</testsuite>\n`;
}
