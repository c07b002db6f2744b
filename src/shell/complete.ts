/**
 * Tab completion for the operator shell, as a pure function of the line and what is known (commands, their
 * actions and flags, environment and resource names, alert and incident ids), so it is tested without a terminal.
 */
export interface CommandSpec {
  actions: string[];
  flags: string[];
}

export interface CompletionSpec {
  /** Short slash names (`health`) → what they accept. */
  commands: Record<string, CommandSpec>;
  /** Full slash forms (`fractary-helm-cloud:health`) → short name. */
  slash: Record<string, string>;
  /** Shell-only commands (`env`, `exit`, `help`). */
  builtins: string[];
  envs: string[];
  resources: string[];
  /** Alert ids helm-cloud has recorded (acted on, or created by hand). */
  alerts?: string[];
  /** Incident ids of the local on-call backend. */
  incidents?: string[];
}

const ENV_FLAGS = new Set(['--env', '-e']);
const RESOURCE_FLAGS = new Set(['--resource', '--service', '-r']);

/** Returns [candidates, the word they complete], the shape node:readline's completer expects. */
export function complete(line: string, spec: CompletionSpec): [string[], string] {
  const words = line.split(/\s+/);
  const word = words.at(-1) ?? '';
  const before = words.slice(0, -1).filter((w) => w !== '');
  const pick = (all: Iterable<string>) => [...new Set(all)].filter((c) => c.startsWith(word)).sort();
  if (before.length === 0) {
    const names = [...Object.keys(spec.commands), ...spec.builtins, ...Object.keys(spec.slash)].map((n) => '/' + n);
    return [pick(names), word];
  }
  const head = before[0]!.replace(/^\//, '');
  if (head === 'env') return [before.length === 1 ? pick(spec.envs) : [], word];
  const cmd = spec.commands[spec.slash[head] ?? head];
  if (!cmd) return [[], word];
  const prev = before.at(-1)!;
  if (ENV_FLAGS.has(prev)) return [pick(spec.envs), word];
  if (RESOURCE_FLAGS.has(prev)) return [pick(spec.resources), word];
  const eq = /^(--[\w-]+)=(.*)$/.exec(word);
  if (eq) {
    const values = ENV_FLAGS.has(eq[1]!) ? spec.envs : RESOURCE_FLAGS.has(eq[1]!) ? spec.resources : [];
    return [values.filter((v) => v.startsWith(eq[2]!)).map((v) => `${eq[1]}=${v}`).sort(), word];
  }
  if (word.startsWith('-')) return [pick(cmd.flags), word];
  const hasAction = before.slice(1).some((w) => cmd.actions.includes(w));
  if (!hasAction && before.length === 1) return [pick(cmd.actions), word];
  const name = spec.slash[head] ?? head;
  if (name === 'alerts') return [pick([...(spec.alerts ?? []), ...spec.resources]), word];
  if (name === 'incident') return [pick(spec.incidents ?? []), word];
  return [pick(spec.resources), word];
}
