import type { Command } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineDoctor(program: Command, state: RunState): void {
  addCommon(program.command('doctor').description(describeCommand('doctor'))).action(
    async (raw: Record<string, unknown>) => {
      const common = commonOptions(raw, state.io, state.cwd);
      const { runDoctor } = await import('../ops-manager/doctor.js');
      const result = await runDoctor(common, state.io);
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    },
  );
}
