import type { Command } from 'commander';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineDemo(program: Command, state: RunState): void {
  program
    .command('demo')
    .description(describeCommand('demo'))
    .option('--dir <dir>', 'where to write the throw-away project', '.sandbox')
    .option('--port <port>', 'emulator port (default: a free one)')
    .option('--keep', 'leave the emulator running and print how to use it')
    .addHelpText('after', '\nThe demo exits 0 when it ran (health\'s own exit code is in its closing lines); with --keep, 0 on Ctrl-C and 4 when the emulator stops on its own (the sandbox\'s AWS endpoint is gone), with the reason on stderr.')
    .action(async (raw: Record<string, unknown>) => {
      const { runDemo } = await import('../sandbox/demo.js');
      state.exitCode = await runDemo({ dir: String(raw.dir), port: raw.port ? Number(raw.port) : undefined, keep: Boolean(raw.keep), cwd: state.cwd }, state.io);
    });
}
