import { Option, type Command } from 'commander';
import { emit } from '../report/render.js';
import type { AuditType, Severity } from '../ops-manager/requests.js';
import { gated } from './gate.js';
import { addCommon, commonOptions, writableFile } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineAudit(program: Command, state: RunState): void {
  addCommon(
    program
      .command('audit')
      .description(describeCommand('audit'))
      .addOption(new Option('-t, --type <type>', 'what to audit').choices(['cost', 'security', 'compliance', 'all']).default('all'))
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity (default: [audit] fail_on, high)').choices(['critical', 'high', 'medium', 'low']))
      .option('--junit <file>', 'write a JUnit report (a test case per section and per finding; a finding fails when it reaches --fail-on)'),
  ).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runAudit } = await import('../ops-manager/audit.js');
    const junit = raw.junit === undefined ? undefined : writableFile(String(raw.junit), '--junit', state.cwd);
    const env = common.env;
    const result = await gated(
      state.io,
      { command: 'audit', schema: 'helm-cloud/audit@1', environment: env, suite: `helm-cloud audit ${env ?? ''}`.trim(), classname: `audit.${env ?? 'default'}`, junit, output: common.output },
      () => runAudit({ ...common, type: raw.type as AuditType, failOn: raw.failOn as Severity | undefined, junit }, state.io),
    );
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
