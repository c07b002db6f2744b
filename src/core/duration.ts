/**
 * The one duration grammar: a number and a unit, `500ms`, `30s`, `5m`, `1h`, `3d`, `2w`. Flags (commands/options
 * parseDuration), config values (schemas DURATION_RE) and server settings all read durations through here.
 */
export const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
export const DURATION_FORMS = '30s, 5m, 1h, 3d, 2w';
const GRAMMAR = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** Milliseconds, or undefined when the text is not a duration. */
export function durationMs(text: string): number | undefined {
  const m = GRAMMAR.exec(text.trim());
  return m ? Number(m[1]) * DURATION_UNITS_MS[m[2]!]! : undefined;
}
