import { Option, type Command } from 'commander';
import { emit } from '../report/render.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineWorkflow(program: Command, state: RunState): void {
  program
    .command('workflow')
    .description(describeCommand('workflow'))
    .addOption(new Option('-o, --output <format>', 'table | json | markdown (default: table on a terminal, JSON otherwise)').choices(['table', 'json', 'markdown']))
    .argument('<op>', 'list | show | run')
    .argument('[name]', 'workflow name (workflow list)')
    .option('-e, --env <name>', 'environment the steps run in (default: test, or the only one)')
    .option('--dry-run', 'print the plan and run nothing')
    .option('--resume <id>', 'continue an interrupted or stopped run at its first unfinished step')
    .option('--var <name=value>', 'a run variable for {vars.NAME} placeholders (repeatable; kept for --resume, which may override it)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addHelpText('after', '\nEach step runs one helm-cloud command; its result is saved in .fractary/plugins/helm-cloud/workflows/<run>.json.\nA step that needs a person stops the run with exit 3 and prints the --resume command; a step that fails as a command\n(exit 2, 4, 70) stops it too. Otherwise the exit code is the worst step\'s. Templates: the package\'s workflows/*.toml (docs/workflows.md).')
    .action(async (op: string, name: string | undefined, raw: { output?: string; env?: string; dryRun?: boolean; resume?: string; var?: string[] }) => {
      const { HelmError } = await import('../errors.js');
      if (!['list', 'show', 'run'].includes(op)) throw new HelmError('usage', `unknown workflow operation "${op.slice(0, 40)}"`, { fix: 'workflow list | show NAME | run NAME [--env E] [--var K=V …] [--dry-run] [--resume ID]' });
      if (op !== 'list' && !name && !raw.resume) throw new HelmError('usage', `workflow ${op} needs a NAME`, { fix: 'workflow list shows them' });
      const { parseVar } = await import('../core/workflow.js');
      const vars: Record<string, string> = {};
      for (const a of raw.var ?? []) {
        const v = parseVar(a);
        if ('error' in v) throw new HelmError('usage', v.error, { fix: 'workflow show NAME lists the variables its steps read' });
        vars[v.key] = v.value;
      }
      const { runWorkflow } = await import('../ops-manager/workflow.js');
      const result = await runWorkflow({ op: op as 'list', name, env: raw.env, dryRun: raw.dryRun, resume: raw.resume, vars, cwd: state.cwd }, state.io);
      emit(result, state.io, (raw.output ?? (state.io.stdoutIsTTY ? 'table' : 'json')) as 'json');
      state.exitCode = result.exitCode;
    });
}
