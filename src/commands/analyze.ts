import type { Command } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions, parseDuration } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineAnalyze(program: Command, state: RunState): void {
  addCommon(
    program
      .command('analyze')
      .description(describeCommand('analyze'))
      .requiredOption('--resource <name>', 'registry resource whose series to analyze')
      .option('--metric <name>', 'only this metric (CloudWatch name such as CPUUtilization, or its id)')
      .option('--since <duration>', 'range ending now', '7d'),
  ).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runAnalyze } = await import('../ops-manager/analyze.js');
    const result = await runAnalyze(
      { ...common, resource: String(raw.resource), metric: raw.metric as string | undefined, sinceMs: parseDuration(String(raw.since), '--since'), width: process.stdout.columns },
      state.io,
    );
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
