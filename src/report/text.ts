/**
 * Terminal text primitives shared by every renderer: colour, control-character neutralising, and the display
 * width of a string as a terminal draws it (ANSI colour codes take no column, combining marks and zero-width
 * characters none, East Asian wide characters and emoji two).
 */

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

/** Our own colour (SGR) sequences; every other escape in untrusted text is neutralised by safeText. */
// eslint-disable-next-line no-control-regex
export const SGR = /\u001b\[[0-9;]*m/g;
export const stripAnsi = (s: string) => s.replace(SGR, '');

/** Strips control characters (and bidi overrides) from untrusted text before it reaches a terminal. */
export function safeText(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(s ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/**
 * The header rule of every helm-cloud table, terminal and Markdown alike (one rule, so a column reads the same in
 * both): in capitals, whatever case the caller wrote; `literal` headers are data (Prometheus label names are
 * case-sensitive) and stay as written.
 */
export function columnHeader(h: unknown, literal = false): string {
  const text = safeText(h).trim();
  return literal ? text : text.toUpperCase();
}

// Zero columns: combining marks, zero-width space/joiners, variation selectors, soft hyphen.
const ZERO = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufe00-\ufe0f\u00ad]$/u;
// Two columns: emoji presentation and the East Asian Wide/Fullwidth blocks (Unicode 15, the ranges that matter).
const WIDE = /^\p{Emoji_Presentation}$/u;
function wideCodePoint(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) || // Hangul Jamo
    (c >= 0x2e80 && c <= 0x303e) || // CJK radicals, punctuation
    (c >= 0x3041 && c <= 0x33ff) || // kana, CJK symbols
    (c >= 0x3400 && c <= 0x4dbf) || // CJK extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified
    (c >= 0xa000 && c <= 0xa4cf) || // Yi
    (c >= 0xac00 && c <= 0xd7a3) || // Hangul syllables
    (c >= 0xf900 && c <= 0xfaff) || // CJK compatibility
    (c >= 0xfe30 && c <= 0xfe4f) || // CJK compatibility forms
    (c >= 0xff00 && c <= 0xff60) || // fullwidth forms
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd) // CJK extensions B…
  );
}

/** Columns one character (code point) takes on a terminal. */
export function charWidth(ch: string): number {
  if (ZERO.test(ch)) return 0;
  const c = ch.codePointAt(0)!;
  return wideCodePoint(c) || WIDE.test(ch) ? 2 : 1;
}

/** Columns a string takes on a terminal, colour codes excluded. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s)) w += charWidth(ch);
  return w;
}

/** The longest prefix of plain text (no colour codes) that fits `width` columns. */
export function sliceToWidth(s: string, width: number): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** Cuts plain text to `width` columns, ending in "…" when something was cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 1) return '…'.slice(0, width);
  return sliceToWidth(s, width - 1).trimEnd() + '…';
}

/** Wraps plain text to `width` columns at spaces; a word longer than the width is cut across lines. */
export function wrapWords(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/ +/).filter(Boolean)) {
    let rest = word;
    const sep = line ? 1 : 0;
    if (displayWidth(line) + sep + displayWidth(rest) <= width) {
      line += (sep ? ' ' : '') + rest;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    while (displayWidth(rest) > width) {
      const head = sliceToWidth(rest, width) || [...rest][0]!;
      lines.push(head);
      rest = rest.slice(head.length);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
