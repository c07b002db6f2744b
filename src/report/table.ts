/**
 * The one terminal table of helm-cloud. Headers in capitals (columnHeader) with a dashed rule under each column; columns two
 * spaces apart; widths measured as the terminal draws them (colour codes, wide and combining characters).
 * A table wider than the terminal shrinks its widest columns first and wraps their text at word boundaries
 * (a cell keeps at most MAX_LINES lines, the last ending in "…"); columns never shrink below their header.
 */
import { colors, columnHeader, displayWidth, safeText, stripAnsi, truncate, wrapWords } from './text.js';

export interface TableOptions {
  color?: boolean;
  /** Longest text a cell keeps, in columns, before it is cut at a word with "…" (default 200). */
  maxWidth?: number;
  /** Terminal width; default: the width of the output being rendered (see withTableWidth), else 120. */
  width?: number;
  /** Left indent of every line (the width counts it). */
  indent?: number;
  /** The headers are data (Prometheus label names, case-sensitive): printed as they are, not in capitals. */
  literalHeaders?: boolean;
}

const GAP = 2;
const MAX_LINES = 4;
const MIN_COLUMN = 6;
export const DEFAULT_WIDTH = 120;

let scopedWidth: number | undefined;

/**
 * Renders `fn` for an output `width` columns wide: tables drawn inside fit it. A scope rather than a parameter so
 * every command's table view (built deep in skills and ops-manager) fits the terminal without each passing it on;
 * rendering is synchronous, so the scope cannot leak into another render.
 */
export function withTableWidth<T>(width: number | undefined, fn: () => T): T {
  const before = scopedWidth;
  scopedWidth = width && width > 20 ? width : undefined;
  try {
    return fn();
  } finally {
    scopedWidth = before;
  }
}

export function tableWidth(): number {
  return scopedWidth ?? DEFAULT_WIDTH;
}

/** Keeps our own colour codes; neutralises every other control character; one line. */
function cleanCell(c: unknown): string {
  return String(c ?? '')
    .split(/(\u001b\[[0-9;]*m)/)
    .map((part, i) => (i % 2 ? part : safeText(part.replace(/\r?\n/g, ' '))))
    .join('');
}

/** Cuts a cell to `max` columns at a word boundary when it can. */
function cap(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  const plain = stripAnsi(s);
  const cut = truncate(plain, max);
  const atWord = cut.slice(0, -1).replace(/\s+\S*$/, '');
  return atWord.length >= max / 2 ? `${atWord}…` : cut;
}

/** Lines of one cell at column width `w`. */
function cellLines(s: string, w: number): string[] {
  if (displayWidth(s) <= w) return [s];
  const lines = wrapWords(stripAnsi(s), w);
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  kept[MAX_LINES - 1] = truncate(`${kept[MAX_LINES - 1]} ${lines[MAX_LINES]}`, w);
  if (!kept[MAX_LINES - 1]!.endsWith('…')) kept[MAX_LINES - 1] = truncate(`${kept[MAX_LINES - 1]}……`, w);
  return kept;
}

/**
 * Column widths: natural widths, then the widest columns shrink together to one level (never below their
 * minimum) until the table fits `width`; narrow columns keep their natural width.
 */
export function fitColumns(natural: number[], minimum: number[], width: number): number[] {
  const gaps = GAP * (natural.length - 1);
  const at = (level: number) => natural.map((n, i) => Math.min(n, Math.max(level, minimum[i]!)));
  const total = (level: number) => at(level).reduce((a, b) => a + b, 0) + gaps;
  let hi = Math.max(0, ...natural);
  if (total(hi) <= width) return [...natural];
  let lo = 0; // total(lo) is the narrowest the table gets
  if (total(lo) > width) return at(lo);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (total(mid) <= width) lo = mid;
    else hi = mid;
  }
  // Columns at the level share what is left over, one column each, left to right.
  const w = at(lo);
  let spare = width - total(lo);
  for (let i = 0; i < w.length && spare > 0; i++) if (w[i]! < natural[i]! && w[i] === Math.max(lo, minimum[i]!)) (w[i]!++, spare--);
  return w;
}

export function renderTable(headers: string[], rows: string[][], opts: TableOptions = {}): string {
  const color = Boolean(opts.color);
  const indent = ' '.repeat(opts.indent ?? 0);
  const head = headers.map((h) => columnHeader(h, opts.literalHeaders));
  const cells = rows.map((r) => head.map((_, i) => cap(cleanCell(r[i]), opts.maxWidth ?? 200)));
  const natural = head.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]!))));
  const minimum = head.map((h, i) => Math.min(natural[i]!, Math.max(displayWidth(h), MIN_COLUMN)));
  const widths = fitColumns(natural, minimum, (opts.width ?? tableWidth()) - indent.length);
  const pad = (s: string, i: number) => (i === widths.length - 1 ? s : s + ' '.repeat(Math.max(0, widths[i]! - displayWidth(s))));
  const line = (parts: string[]) => (indent + parts.map(pad).join(' '.repeat(GAP))).trimEnd();
  const out = [line(head.map((h) => colors.bold(h, color))), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of cells) {
    const split = r.map((c, i) => cellLines(c, widths[i]!));
    const height = Math.max(...split.map((l) => l.length));
    for (let k = 0; k < height; k++) out.push(line(split.map((l) => l[k] ?? '')));
  }
  return out.join('\n');
}
