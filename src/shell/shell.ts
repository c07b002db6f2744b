/**
 * The operator shell: a REPL where every line is a slash command, run in-process by the same `run()` and Io as
 * the CLI. On a TTY: line editing, completion, per-project history, a prompt with the environment and its circuit
 * breaker; Ctrl-C cancels the running command (a `--watch` stops, others finish), Ctrl-D exits. On a non-TTY it
 * reads one command per line and returns the worst exit code.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { HelmError } from '../errors.js';
import { bufferIo, type Io } from '../io.js';
import { closest } from '../config/explain.js';
import { COMMANDS, SLASH, shellSplit } from '../commands/dispatch.js';
import { COMMAND_SUMMARIES } from '../commands/summary.js';
import { complete, type CompletionSpec } from './complete.js';

export const BUILTINS = ['env', 'exit', 'help'];
const HISTORY_KEEP = 500;

export type Parsed = { kind: 'skip' } | { kind: 'exit' } | { kind: 'env'; env?: string } | { kind: 'run'; argv: string[] };

/** One shell line → what to do. `env` is the sticky environment, added where the command takes --env and has none. */
export function parseLine(line: string, env: string | undefined, spec: Pick<CompletionSpec, 'commands'>): Parsed {
  const text = line.trim();
  if (!text || text.startsWith('#')) return { kind: 'skip' };
  const words = shellSplit(text);
  const head = words[0]!;
  const name = head.replace(/^\//, '');
  if (name === 'exit' || name === 'quit') return { kind: 'exit' };
  if (name === 'env') return { kind: 'env', env: words[1] };
  if (name === 'help') return { kind: 'run', argv: words[1] ? [words[1].replace(/^\//, ''), '--help'] : ['--help'] };
  if (name === 'shell') throw new HelmError('usage', 'already in the shell', { fix: 'type a command such as /health, or /exit' });
  let argv: string[];
  if (head.startsWith('/') && name.includes(':')) argv = words; // full forms: the dispatcher maps them
  else if ((COMMANDS as readonly string[]).includes(name)) argv = [name, ...words.slice(1)];
  else {
    const known = [...COMMANDS, ...BUILTINS, ...Object.keys(SLASH)];
    const near = closest(name, known);
    throw new HelmError('usage', `unknown command "${head.slice(0, 60)}"`, {
      fix: near ? `did you mean /${near}? (/help lists the commands)` : 'type /help for the commands',
    });
  }
  const cmd = spec.commands[argv[0]!.startsWith('/') ? SLASH[argv[0]!.slice(1)] ?? '' : argv[0]!];
  const givesEnv = words.some((w) => w === '--env' || w === '-e' || w.startsWith('--env='));
  if (env && !givesEnv && cmd?.flags.includes('--env') && !words.includes('--help')) argv = [...argv, '--env', env];
  return { kind: 'run', argv };
}

/** What completion knows: commands with their actions and flags (from the commander program), envs, resources. */
export async function completionSpec(cwd: string): Promise<CompletionSpec> {
  const { buildProgram } = await import('../commands/program.js');
  const program = buildProgram({ io: bufferIo(), cwd, exitCode: 0 });
  const commands: CompletionSpec['commands'] = {};
  for (const c of program.commands) {
    const usage = COMMAND_SUMMARIES.find((s) => s[0] === c.name());
    let actions = c.commands.map((s) => s.name());
    if (!actions.length && usage) {
      const alt = /<([\w|-]+)>|\[([\w|]+)\]/.exec(usage[1]);
      if (alt && (alt[1] ?? alt[2])!.includes('|')) actions = (alt[1] ?? alt[2])!.split('|');
      else if (/action/.test(usage[1])) actions = (usage[2].split(': ').slice(1).join(': ').match(/\b[a-z][a-z_]+\b/g) ?? []).filter((a) => !['local', 'or', 'and'].includes(a));
    }
    const flags = [...c.options, ...c.commands.flatMap((s) => s.options)].map((o) => o.long).filter((f): f is string => Boolean(f));
    commands[c.name()] = { actions, flags: [...new Set([...flags, '--help'])] };
  }
  return { commands, slash: SLASH, builtins: BUILTINS, ...(await knownNames(cwd)) };
}

/** The project's names for completion; read again after every command, which may have added some (an incident). */
export async function knownNames(cwd: string): Promise<Pick<CompletionSpec, 'envs' | 'resources' | 'alerts' | 'incidents'>> {
  let envs: string[] = [];
  let resources: string[] = [];
  let alerts: string[] = [];
  let incidents: string[] = [];
  try {
    const { openWorkspace, loadEnvironments, loadRegistry } = await import('../config/load.js');
    const ws = openWorkspace(cwd);
    try {
      envs = Object.keys(loadEnvironments(ws).environments);
    } catch {
      /* no environments file: nothing to complete */
    }
    try {
      resources = [...new Set(loadRegistry(ws).deployments.flatMap((d) => d.resources.map((r) => r.name)))];
    } catch {
      /* no registry yet */
    }
    try {
      const { storeOf } = await import('../store/index.js');
      const ids = async (family: string, log: string, field: string, shape: RegExp) =>
        [...new Set((await storeOf(ws).family(family).readLog(log)).map((r) => (r as Record<string, unknown>)[field]).filter((v): v is string => typeof v === 'string' && shape.test(v)))];
      alerts = await ids('alerts', 'events.jsonl', 'id', /^A-[0-9a-f]{8}$/);
      incidents = await ids('oncall', 'incidents.jsonl', 'incident', /^INC-\d+$/);
    } catch {
      /* no alert or incident recorded yet */
    }
  } catch {
    /* not in a project */
  }
  return { envs, resources, alerts, incidents };
}

/** Exit codes combine as the worst one (the highest). */
export const worst = (a: number, b: number) => Math.max(a, b);

export interface ShellOptions {
  env?: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output?: NodeJS.WritableStream;
}

export async function runShell(io: Io, cwd: string, opts: ShellOptions = {}): Promise<number> {
  const { run, reportError } = await import('../commands/program.js');
  const spec = await completionSpec(cwd);
  const input = opts.input ?? process.stdin;
  let env = opts.env;
  let code = 0;
  const execute = async (line: string): Promise<'exit' | void> => {
    let parsed: Parsed;
    try {
      parsed = parseLine(line, env, spec);
    } catch (e) {
      code = worst(code, reportError(e, io, false));
      return;
    }
    if (parsed.kind === 'skip') return;
    if (parsed.kind === 'exit') return 'exit';
    if (parsed.kind === 'env') {
      if (parsed.env && spec.envs.length && !spec.envs.includes(parsed.env)) {
        const near = closest(parsed.env, spec.envs);
        code = worst(code, reportError(new HelmError('usage', `unknown environment "${parsed.env.slice(0, 60)}"`, { fix: near ? `did you mean /env ${near}?` : `environments: ${spec.envs.join(', ')}` }), io, false));
        return;
      }
      if (parsed.env) env = parsed.env;
      io.err(env ? `environment: ${env}` : 'no environment set: commands use their default (/env NAME sets one)');
      return;
    }
    code = worst(code, await run(parsed.argv, io, cwd));
  };

  if (!input.isTTY) {
    const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    for await (const line of rl) if ((await execute(line)) === 'exit') break;
    rl.close();
    return code;
  }

  let file: string | undefined;
  try {
    const { openWorkspace } = await import('../config/load.js');
    file = openWorkspace(cwd).path('plugins/helm-cloud/shell/history');
  } catch {
    /* not in a project: no history file */
  }
  let history: string[] = [];
  try {
    if (file) history = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_KEEP).reverse();
  } catch {
    /* first session */
  }
  const rl = createInterface({
    input,
    output: opts.output ?? process.stderr,
    terminal: true,
    history,
    historySize: HISTORY_KEEP,
    removeHistoryDuplicates: true,
    completer: (line: string) => complete(line, spec),
  });
  const prompt = async () => {
    if (!env) return 'helm-cloud> ';
    const b = bufferIo();
    await run(['circuit', 'status', '--env', env, '--output', 'json'], b, cwd);
    let state = '?';
    try {
      state = String(JSON.parse(b.stdout).verdict ?? '?').toLowerCase().replace('_', '-');
    } catch {
      /* circuit state unknown: say so */
    }
    return `helm-cloud ${env} [circuit ${state}]> `;
  };
  io.err('helm-cloud shell — slash commands (/health, /incident list, /env prod …), Tab completes, /help, /exit or Ctrl-D');
  return await new Promise<number>((done) => {
    let busy = false;
    const next = async () => {
      rl.setPrompt(await prompt());
      rl.prompt();
    };
    rl.on('SIGINT', () => {
      rl.write(null, { ctrl: true, name: 'u' });
      io.err('^C (/exit or Ctrl-D leaves the shell)');
      void next();
    });
    rl.on('line', async (line) => {
      if (busy) return;
      busy = true;
      if (file && line.trim()) remember(file, line.trim());
      rl.pause();
      // Cooked mode while a command runs: Ctrl-C reaches the process as SIGINT, where `--watch` loops stop on it;
      // the shell's own listener keeps the process (and so the shell) alive.
      input.setRawMode?.(false);
      // A command the operator cancelled (a --watch ends with 130) does not count towards the shell's exit code.
      let interrupted = false;
      const keep = () => {
        interrupted = true;
      };
      process.on('SIGINT', keep);
      const before = code;
      let verdict: 'exit' | void;
      try {
        verdict = await execute(line);
      } finally {
        process.off('SIGINT', keep);
        input.setRawMode?.(true);
        rl.resume();
        busy = false;
      }
      if (interrupted) code = before;
      Object.assign(spec, await knownNames(cwd));
      if (verdict === 'exit') rl.close();
      else void next();
    });
    rl.on('close', () => done(code));
    void next();
  });
}

function remember(file: string, line: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, line.replace(/[\r\n]/g, ' ') + '\n');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    if (lines.length > HISTORY_KEEP * 2) writeFileSync(file, lines.slice(-HISTORY_KEEP).join('\n') + '\n');
  } catch {
    /* history is a convenience: never fail a command over it */
  }
}
