/**
 * faber-cloud v1.x options on legacy `ops-manage` calls, mapped to today's options (MIGRATION.md, "Options that
 * changed"): each mapped option prints one deprecation line naming its replacement, then the call runs as the new
 * command. Only legacy calls are mapped; the new commands keep their strict flags.
 */
import type { Io } from '../io.js';
import { sanitize } from '../errors.js';

/** v1.x `--action` values → action ids. */
const LEGACY_ACTIONS: Record<string, string> = { restart: 'restart_lambda', scale: 'scale_resources' };

/** `args` replace the option; `text` joins the symptom text (investigate); `says` ends the deprecation line. */
type Mapping = (value: string) => { args: string[]; text?: string; says: string } | undefined;
const to = (...args: string[]) => ({ args, says: `is now ${args.join(' ')}` });

/** Per new command: v1.x option name → how it maps. */
const MAPPINGS: Record<string, Record<string, Mapping>> = {
  health: {
    service: (v) => to('--resource', v),
    timeframe: (v) => to('--window', v),
    since: (v) => to('--window', v),
    metric: () => ({ args: [], says: 'has no replacement (health evaluates every SLO of the resource type) and is ignored' }),
  },
  investigate: {
    service: (v) => ({ args: [], text: v, says: `is now part of the symptom text ("${v}")` }),
    filter: (v) => ({ args: [], text: v, says: `is now part of the symptom text ("${v}")` }),
    timeframe: (v) => to('--since', v),
  },
  remediate: {
    service: (v) => to('--target', v),
    action: (v) => (LEGACY_ACTIONS[v] ? to('--action', LEGACY_ACTIONS[v]!) : undefined),
  },
  audit: {
    focus: (v) => to('--type', v),
  },
};

/** Rewrites the v1.x options in `rest` (the arguments after the operation) for `command`. */
export function mapLegacyOptions(command: string, rest: string[], io: Io): string[] {
  const table = MAPPINGS[command] ?? {};
  const out: string[] = [];
  const text: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    const map = m ? table[m[1]!] : undefined;
    if (!m || !map) {
      out.push(arg);
      continue;
    }
    // `--name=value` or `--name value` (a following word that is not itself an option).
    let value = m[2];
    let used = 1;
    if (value === undefined && i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) {
      value = rest[i + 1]!;
      used = 2;
    }
    const mapped = value === undefined ? undefined : map(value);
    if (!mapped) {
      out.push(arg);
      continue;
    }
    i += used - 1;
    io.err(sanitize(`deprecated: --${m[1]}=${value} ${mapped.says}; see MIGRATION.md`));
    out.push(...mapped.args);
    if (mapped.text !== undefined) text.push(mapped.text);
  }
  return text.length ? [...out, ...text] : out;
}
