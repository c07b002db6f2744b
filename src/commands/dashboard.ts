import type { Command } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineDashboard(program: Command, state: RunState): void {
  addCommon(
    program.command('dashboard').description(describeCommand('dashboard')),
    { env: false },
  ).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runDashboard } = await import('../ops-manager/dashboard.js');
    const result = await runDashboard(common, state.io);
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
