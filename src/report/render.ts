/**
 * Output formats shared by every command. A command builds a CommandResult; `emit` prints it per --output.
 * JSON is the stable machine interface; table is for terminals; markdown is for reports and PR comments.
 */
import type { Io } from '../io.js';
import type { CommandResult, OutputFormat, ResultJson } from './model.js';
import { tidyMarkdown } from './markdown.js';
import { withTableWidth } from './table.js';

export { OUTPUT_FORMATS, type ActionJson, type CommandResult, type ErrorJson, type OutputFormat, type ReportPaths, type ResultJson } from './model.js';
export { type JunitSuite } from './junit.js';

export function emit<J extends ResultJson>(result: CommandResult<J>, io: Io, format: OutputFormat): void {
  if (format === 'json') io.out(JSON.stringify(result.json, null, 2));
  else if (format === 'markdown') io.out(tidyMarkdown(result.markdown()));
  else io.out(withTableWidth(io.columns, () => result.table(io.color)));
}

export { colors, paintVerdict, safeText, displayWidth, stripAnsi } from './text.js';
export { renderTable, withTableWidth, type TableOptions } from './table.js';
export { looksLikeCommand, mdCode, mdCodeSpan, mdCommandOrText, mdEscape, mdTable, tidyMarkdown } from './markdown.js';
export { junitXml, xmlEscape, type JunitCase } from './junit.js';
