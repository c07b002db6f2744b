import type { Command } from 'commander';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineShell(program: Command, state: RunState): void {
  program
    .command('shell')
    .description(describeCommand('shell'))
    .option('-e, --env <name>', 'start with this environment (as /env NAME)')
    .action(async (raw: { env?: string }) => {
      const { runShell } = await import('../shell/shell.js');
      state.exitCode = await runShell(state.io, state.cwd, { env: raw.env });
    });
}
