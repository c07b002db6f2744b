import { Option, type Command } from 'commander';
import { emit } from '../report/render.js';
import type { AuditType, Severity } from '../ops-manager/requests.js';
import { addCommon, commonOptions } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineAudit(program: Command, state: RunState): void {
  addCommon(
    program
      .command('audit')
      .description(describeCommand('audit'))
      .addOption(new Option('-t, --type <type>', 'what to audit').choices(['cost', 'security', 'compliance', 'all']).default('all'))
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity (default: [audit] fail_on, high)').choices(['critical', 'high', 'medium', 'low'])),
  ).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runAudit } = await import('../ops-manager/audit.js');
    const result = await runAudit({ ...common, type: raw.type as AuditType, failOn: raw.failOn as Severity | undefined }, state.io);
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
