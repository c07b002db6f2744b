import type { Command } from 'commander';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineShell(program: Command, state: RunState): void {
  program
    .command('shell')
    .description(describeCommand('shell'))
    .option('-e, --env <name>', 'start with this environment (as /env NAME)')
    .addHelpText('after', '\nIn the shell: /health, /incident list, /circuit status … (every command, short or /fractary-helm-cloud: form), /env NAME\n(sticky), /help, /exit. On a terminal: Tab completes, Up/Down walk the history of this project, Ctrl-C cancels the\nrunning command, Ctrl-D leaves. Without a terminal: one command a line from stdin; exit code = the worst. (docs/shell.md)')
    .action(async (raw: { env?: string }) => {
      const { runShell } = await import('../shell/shell.js');
      state.exitCode = await runShell(state.io, state.cwd, { env: raw.env });
    });
}
