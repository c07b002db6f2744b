import type { Command } from 'commander';
import { HelmError } from '../errors.js';
import { emit } from '../report/render.js';
import { addCommon, commonOptions } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineRemediate(program: Command, state: RunState): void {
  addCommon(
    program
      .command('remediate')
      .description(describeCommand('remediate'))
      .argument('[request...]', 'free text, e.g. "increase RDS max connections to 200"')
      .option('--action <id>', 'action id, e.g. restart_lambda')
      .option('--target <name>', 'registry resource name')
      .option('--param <key=value...>', 'action parameter (repeatable)')
      .option('--issue <id>', 'remediate what a Helm issue record diagnosed, e.g. infra-001')
      .option('--dry-run', 'print the plan and stop')
      .option('-y, --yes', 'answer yes to confirmations (CI); never needed for dry runs'),
  ).action(async (words: string[], raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const params: Record<string, string> = {};
    for (const p of (raw.param as string[] | undefined) ?? []) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(p);
      if (!m) throw new HelmError('usage', `--param "${p.slice(0, 40)}" is not key=value`, { fix: 'e.g. --param reserved_concurrency=50' });
      params[m[1]!] = m[2]!;
    }
    const { runRemediate } = await import('../ops-manager/remediate.js');
    const result = await runRemediate(
      {
        ...common,
        text: words.length ? words.join(' ') : undefined,
        action: raw.action as string | undefined,
        target: raw.target as string | undefined,
        params,
        issue: raw.issue as string | undefined,
        dryRun: Boolean(raw.dryRun),
        yes: Boolean(raw.yes),
      },
      state.io,
    );
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
