import type { Command } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineEscalate(program: Command, state: RunState): void {
  addCommon(
    program
      .command('escalate')
      .description(describeCommand('escalate'))
      .requiredOption('--issue <id>', 'Helm issue id, e.g. infra-001')
      .option('--reason <text>', 'why it goes to engineering (kept in the escalation record and the issue history)'),
    { env: false },
  ).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runEscalate } = await import('../ops-manager/escalate.js');
    const result = await runEscalate({ ...common, issue: String(raw.issue), reason: raw.reason === undefined ? undefined : String(raw.reason) }, state.io);
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
