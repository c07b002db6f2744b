import type { Command } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions, parseDuration, parseIntFlag, parseTime } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineInvestigate(program: Command, state: RunState): void {
  addCommon(
    program
      .command('investigate')
      .description(describeCommand('investigate'))
      .argument('[symptom...]', 'free text, e.g. "Lambda errors in API function"')
      .option('--issue <id>', 'investigate a Helm issue record, e.g. infra-001')
      .option('--since <duration>', 'look back this far (default: from the issue start, or 1h)')
      .option('--from <time>', 'window start (ISO-8601)')
      .option('--to <time>', 'window end (ISO-8601; default now)')
      .option('--max-lines <n>', 'log lines to read at most (default: [investigate] max_lines)'),
  ).action(async (words: string[], raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runInvestigate } = await import('../ops-manager/investigate.js');
    const result = await runInvestigate(
      {
        ...common,
        text: words.length ? words.join(' ') : undefined,
        issue: raw.issue as string | undefined,
        sinceMs: raw.since ? parseDuration(String(raw.since), '--since') : undefined,
        fromMs: raw.from ? parseTime(String(raw.from), '--from') : undefined,
        toMs: raw.to ? parseTime(String(raw.to), '--to') : undefined,
        maxLines: raw.maxLines ? parseIntFlag(String(raw.maxLines), '--max-lines', 1, 1_000_000) : undefined,
      },
      state.io,
    );
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
