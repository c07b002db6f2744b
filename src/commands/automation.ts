/** `helm-cloud circuit …` and `helm-cloud trust …`: the brakes on automated remediation. */
import type { Command } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

function operator(): string {
  return process.env.HELM_CLOUD_OPERATOR || process.env.USER || process.env.LOGNAME || 'unknown';
}

export function defineCircuit(program: Command, state: RunState): void {
  const family = program
    .command('circuit')
    .description(describeCommand('circuit'))
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nOpens after [automation] circuit_failures failed or rolled-back remediations within circuit_window; half-open after\ncircuit_cooldown (one automatic trial). Shown by health, dashboard and the shell prompt. (docs/automation.md)');
  const ops: [string, string][] = [
    ['status', 'breakers of the environment (and its actions) with state, since, failures counted and why'],
    ['open', 'open a breaker by hand: no automatic remediation runs until it is closed'],
    ['close', 'close a breaker by hand'],
    ['reset', 'close a breaker and forget the failures it counted'],
  ];
  for (const [op, describe] of ops) {
    const sub = family.command(op).description(describe);
    addCommon(sub).option('--action <id>', 'the breaker of one action (default: the environment\'s)').option('--reason <text>', 'why, recorded in the history');
    sub.exitOverride().configureOutput(program.configureOutput());
    sub.action(async (raw: Record<string, unknown>) => {
      const common = commonOptions(raw, state.io, state.cwd);
      const { runCircuit } = await import('../ops-manager/automation.js');
      const result = await runCircuit({ ...common, op: op as never, action: raw.action as string | undefined, reason: raw.reason as string | undefined, operator: operator() }, state.io);
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    });
  }
}

export function defineTrust(program: Command, state: RunState): void {
  const family = program
    .command('trust')
    .description(describeCommand('trust'))
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nLevels never → confirm → auto start from [remediation] in monitoring.toml; changes are recorded in state/trust.jsonl.\nA promotion is suggested after [automation] trust_promote_after verified successes, never made on its own; a failed\nverification demotes one level. (docs/automation.md)');
  const ops: [string, string][] = [
    ['level', 'each action\'s trust level (never → confirm → auto) in the environment, verified streak, suggested promotions'],
    ['history', 'every change of trust level, automatic or by whom'],
    ['promote', 'raise an action one level (asks on protected environments)'],
    ['demote', 'lower an action one level'],
  ];
  for (const [op, describe] of ops) {
    const sub = family.command(op).description(describe).argument(op === 'promote' || op === 'demote' ? '<action>' : '[action]', 'action id');
    addCommon(sub).option('--reason <text>', 'why, recorded in the history').option('-y, --yes', 'confirm a promotion on a protected environment without asking');
    sub.exitOverride().configureOutput(program.configureOutput());
    sub.action(async (action: string | undefined, raw: Record<string, unknown>) => {
      const common = commonOptions(raw, state.io, state.cwd);
      const { runTrust } = await import('../ops-manager/automation.js');
      const result = await runTrust({ ...common, op: op as never, action, reason: raw.reason as string | undefined, yes: Boolean(raw.yes), operator: operator() }, state.io);
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    });
  }
}
