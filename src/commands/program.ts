/** Builds the commander program and runs one invocation; maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import { isHelmError, HelmError, sanitize } from '../errors.js';
import type { Io } from '../io.js';
import { normalizeArgv, unknownCommand, COMMANDS } from './dispatch.js';
import { EPILOGUE, topHelp, VERSION } from './summary.js';
import { usageLine } from './usage-text.js';
import { errorDocument } from '../report/publish.js';
import { defineHealth } from './health.js';
import { defineInvestigate } from './investigate.js';
import { defineRemediate } from './remediate.js';
import { defineAudit } from './audit.js';
import { defineDashboard } from './dashboard.js';
import { defineEscalate } from './escalate.js';
import { defineDoctor } from './doctor.js';
import { defineInit } from './init.js';
import { defineDemo } from './demo.js';
import { definePrometheus } from './prometheus.js';
import { defineDeploy } from './deploy.js';
import { defineOncall } from './oncall.js';
import { defineIncident } from './incident.js';
import { defineCircuit, defineTrust } from './automation.js';
import { defineAlerts } from './alerts.js';
import { defineKubernetes } from './kubernetes.js';
import { defineShell } from './shell.js';
import { defineWorkflow } from './workflow.js';
import { defineAnalyze } from './analyze.js';

export interface RunState {
  io: Io;
  cwd: string;
  exitCode: number;
}


export function buildProgram(state: RunState): Command {
  const program = new Command('helm-cloud')
    .description('Operations for AWS infrastructure recorded in the .fractary registry: health, investigate, remediate, audit.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true) // usage-text turns the suggestion into our "did you mean"
    .configureOutput({
      writeOut: (s) => state.io.out(s.replace(/\n$/, '')),
      writeErr: (s) => state.io.err(s.replace(/\n$/, '')),
      outputError: () => undefined, // we print our own one-line message
    })
    .exitOverride()
    .addHelpText('after', `
${EPILOGUE}`);
  const defines = [
    defineHealth,
    defineInvestigate,
    defineRemediate,
    defineAudit,
    defineDashboard,
    defineEscalate,
    defineDoctor,
    defineInit,
    defineDemo,
    definePrometheus,
    defineDeploy,
    defineOncall,
    defineIncident,
    defineCircuit,
    defineTrust,
    defineAlerts,
    defineKubernetes,
    defineShell,
    defineWorkflow,
    defineAnalyze,
  ];
  for (const define of defines) {
    define(program, state);
  }
  for (const c of program.commands) c.exitOverride().configureOutput(program.configureOutput()).addHelpText('after', `\n${EPILOGUE}`);
  return program;
}

export async function run(argv: string[], outer: Io, cwd: string): Promise<number> {
  // Whether the command printed its data (a gate prints its own error document): stdout gets one document only.
  let printed = false;
  const io: Io = {
    out: (t) => {
      printed = true;
      outer.out(t);
    },
    err: (t) => outer.err(t),
    progress: (t) => outer.progress(t),
    stdoutIsTTY: outer.stdoutIsTTY,
    stdinIsTTY: outer.stdinIsTTY,
    color: outer.color,
    columns: outer.columns,
    confirm: (q, d) => outer.confirm(q, d),
  };
  const state: RunState = { io, cwd, exitCode: 0 };
  const debug = argv.includes('--debug');
  let command: string | undefined;
  let args = argv;
  try {
    args = normalizeArgv(argv, io);
    command = (COMMANDS as readonly string[]).includes(args[0] ?? '') ? args[0] : undefined;
    if (args.length && !args[0]!.startsWith('-') && !(COMMANDS as readonly string[]).includes(args[0]!) && args[0] !== 'help') {
      throw unknownCommand(args[0]!);
    }
    const program = buildProgram(state);
    if (args.length === 0 || (args.length === 1 && ['--help', '-h', 'help'].includes(args[0]!))) {
      io.out(topHelp());
      return 0;
    }
    await (await import('../ops-manager/oncall-tick.js')).autoEscalate(args, io, cwd);
    await program.parseAsync(args, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    const code = reportError(e, io, debug, command);
    if (code !== 0 && !printed && optionValue(args, '--output', '-o') === 'json') {
      // A parse error (unknown option, missing value) is usage, exit 2, in the words the terminal got.
      const [said, fix] = e instanceof CommanderError ? usageLine(e, command).replace(/^error: /, '').split('. Fix: ') : [];
      const err = e instanceof CommanderError ? new HelmError('usage', said!, { fix }) : e;
      io.out(JSON.stringify(errorDocument(err, { command: command ?? 'helm-cloud', schema: command ? undefined : 'helm-cloud/error@1', environment: optionValue(args, '--env') }), null, 2));
    }
    return code;
  }
}

/** The value of an option as written (`--output json`, `--output=json`, `-o json`, `-ojson`), before parsing. */
function optionValue(args: readonly string[], long: string, short?: string): string | undefined {
  let value: string | undefined;
  args.forEach((a, i) => {
    if (a === long || (short && a === short)) value = args[i + 1];
    else if (a.startsWith(`${long}=`)) value = a.slice(long.length + 1);
    else if (short && a.startsWith(short) && a.length > short.length && !a.startsWith('--')) value = a.slice(short.length);
  });
  return value;
}

/** Prints one line for an error that stopped a command and returns its exit code. */
export function reportError(e: unknown, io: Io, debug: boolean, command?: string): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    io.err(usageLine(e, command));
    if (debug) io.err(`(commander: ${sanitize(e.message)})`);
    return 2;
  }
  if (isHelmError(e)) {
    io.err(`error: ${e.describe()}`);
    if (debug && e.cause !== undefined) io.err(`(cause: ${sanitize(String((e.cause as Error)?.message ?? e.cause))})`);
    if (debug && e.kind === 'internal') io.err(String(e.stack));
    return e.exitCode;
  }
  const err = e as Error;
  io.err(`error: internal error: ${sanitize(String(err?.message ?? e).split('\n')[0]!)} — this is a bug, please report it${debug ? '' : ' (run with --debug for details)'}`);
  if (debug) io.err(String(err?.stack ?? e));
  return new HelmError('internal', '').exitCode;
}
