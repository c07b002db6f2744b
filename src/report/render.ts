/**
 * Output formats shared by every command. A command builds a CommandResult; `emit` prints it per --output.
 * JSON is the stable machine interface; table is for terminals; markdown is for reports and PR comments.
 */
import type { Io } from '../io.js';
import { withTableWidth } from './table.js';

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
  else io.out(withTableWidth(io.columns, () => result.table(io.color)));
}

export { colors, paintVerdict, safeText, displayWidth, stripAnsi } from './text.js';
export { renderTable, withTableWidth, type TableOptions } from './table.js';
export { mdEscape, mdTable, mdCode } from './markdown.js';
export { junitXml, xmlEscape, type JunitCase } from './junit.js';
