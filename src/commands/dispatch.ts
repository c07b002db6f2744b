/**
 * Argument dispatch. `helm-cloud "/fractary-helm-cloud:health --env=prod"`, `helm-cloud /fractary-helm-cloud:health
 * --env=prod` and `helm-cloud health --env=prod` are one call. Legacy faber-cloud `ops-manage` forms delegate
 * to their replacement and print one deprecation line on stderr.
 */
import { HelmError } from '../errors.js';
import { closest } from '../config/explain.js';
import type { Io } from '../io.js';
import { mapLegacyOptions } from './legacy-options.js';

// One command per line: families add their own line.
export const COMMANDS = [
  'health',
  'investigate',
  'remediate',
  'audit',
  'dashboard',
  'escalate',
  'doctor',
  'init',
  'demo',
  'prometheus',
  'prom',
  'deploy',
  'oncall',
  'incident',
  'circuit',
  'trust',
  'alerts',
  'kubernetes',
  'k8s',
  'shell',
  'workflow',
  'analyze',
] as const;

/** Slash commands by namespace: each maps to a CLI command. */
export const SLASH: Record<string, string> = {
  'fractary-helm-cloud:health': 'health',
  'fractary-helm-cloud:investigate': 'investigate',
  'fractary-helm-cloud:remediate': 'remediate',
  'fractary-helm-cloud:audit': 'audit',
  'fractary-helm:dashboard': 'dashboard',
  'fractary-helm-cloud:prometheus': 'prometheus',
  'fractary-helm-cloud:deploy': 'deploy',
  'fractary-helm-cloud:oncall': 'oncall',
  'fractary-helm-cloud:incident': 'incident',
  oncall: 'oncall',
  incident: 'incident',
  'fractary-helm-cloud:circuit': 'circuit',
  'fractary-helm-cloud:trust': 'trust',
  'fractary-helm-cloud:alerts': 'alerts',
  'fractary-helm-cloud:kubernetes': 'kubernetes',
  'fractary-helm-cloud:shell': 'shell',
  'fractary-helm-cloud:workflow': 'workflow',
  'fractary-helm-cloud:analyze': 'analyze',
};

/** faber-cloud v1.x `ops-manage <operation>` → helm-cloud command. */
export const LEGACY: Record<string, string> = {
  'check-health': 'health',
  'query-logs': 'investigate',
  investigate: 'investigate',
  remediate: 'remediate',
  audit: 'audit',
};
const LEGACY_SLASH = 'fractary-faber-cloud:ops-manage';

/** Splits one string the way a shell would for plain words, quotes and backslashes (no expansion). */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) throw new HelmError('usage', 'unbalanced quote in the command line', { fix: 'close the quote' });
  if (has || cur) out.push(cur);
  return out;
}

function legacy(op: string | undefined, rest: string[], io: Io, spelled: string): string[] {
  if (op === '--help' || op === '-h') {
    io.err(`${spelled} operations: ${Object.entries(LEGACY).map(([o, c]) => `${o} → helm-cloud ${c}`).join(', ')}; see MIGRATION.md`);
    return ['--help'];
  }
  const target = op ? LEGACY[op] : undefined;
  if (!target) {
    const near = op ? closest(op, Object.keys(LEGACY)) : undefined;
    throw new HelmError('usage', op ? `unknown ops-manage operation "${op.slice(0, 40)}"` : 'ops-manage needs an operation', {
      fix: near ? `did you mean \`${spelled} ${near}\`? (operations: ${Object.keys(LEGACY).join(', ')})` : `operations: ${Object.keys(LEGACY).join(', ')}`,
    });
  }
  io.err(`deprecated: ${spelled} ${op} is now \`helm-cloud ${target}\` (/fractary-helm-cloud:${target === 'dashboard' ? target : target}); see MIGRATION.md`);
  return [target, ...mapLegacyOptions(target, rest, io)];
}

/** Rewrites slash-command and legacy forms to plain CLI argv. Plain argv passes through unchanged. */
export function normalizeArgv(argv: string[], io: Io): string[] {
  if (argv.length === 0) return argv;
  let args = argv;
  // A Claude Code command passes "$ARGUMENTS" as one argument: split it when it is a whole slash command.
  if (args[0]!.startsWith('/') && /\s/.test(args[0]!)) args = [...shellSplit(args[0]!), ...args.slice(1)];
  const first = args[0]!;
  if (first.startsWith('/')) {
    const name = first.slice(1);
    if (name === LEGACY_SLASH) return legacy(args[1], args.slice(2), io, `/${LEGACY_SLASH}`);
    const cmd = SLASH[name];
    if (cmd) return [cmd, ...args.slice(1)];
    const near = closest(name, [...Object.keys(SLASH), LEGACY_SLASH]);
    throw new HelmError('usage', `unknown slash command "/${name.slice(0, 60)}"`, {
      fix: near ? `did you mean /${near}?` : `valid: ${Object.keys(SLASH).map((s) => '/' + s).join(', ')}`,
    });
  }
  if (first === 'ops-manage') return legacy(args[1], args.slice(2), io, 'ops-manage');
  return args;
}

export function unknownCommand(name: string): HelmError {
  const near = closest(name, [...COMMANDS]);
  return new HelmError('usage', `unknown command "${name.slice(0, 60)}"`, {
    fix: near ? `did you mean \`helm-cloud ${near}\`? (commands: ${COMMANDS.join(', ')})` : `commands: ${COMMANDS.join(', ')}`,
  });
}
