import { Option, type Command } from 'commander';
import { emit } from '../report/render.js';
import { gated } from './gate.js';
import { addCommon, commonOptions, parseDuration, writableFile } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineHealth(program: Command, state: RunState): void {
  addCommon(
    program
      .command('health')
      .description(describeCommand('health'))
      .option('-w, --window <duration>', 'evaluation window (default: [monitoring] default_window, 1h)')
      .option('--burn-rate', 'also evaluate multi-window burn rates (SRE workbook, 30-day objective)')
      .addOption(new Option('--fail-on <level>', 'lowest verdict that fails the run').choices(['degraded', 'unhealthy']).default('degraded'))
      .option('--junit <file>', 'write a JUnit report (a test case per resource and SLO)')
      .option('--resource <name>', 'only this registry resource')
      .option('--anomalies', 'also score each SLO series over [monitoring] anomaly_baseline (7d) with the anomaly detector: DEGRADED when one behaves unlike itself')
      .option('--watch', 're-run every health_check_interval and print transitions until interrupted'),
  ).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw, state.io, state.cwd);
    const { runHealth } = await import('../ops-manager/health.js');
    const req = {
      ...common,
      windowMs: raw.window ? parseDuration(String(raw.window), '--window') : undefined,
      burnRate: Boolean(raw.burnRate),
      failOn: raw.failOn as 'degraded' | 'unhealthy',
      junit: raw.junit === undefined ? undefined : writableFile(String(raw.junit), '--junit', state.cwd),
      resource: raw.resource as string | undefined,
      watch: Boolean(raw.watch),
      anomalies: Boolean(raw.anomalies),
    };
    const env = common.env;
    const result = await gated(
      state.io,
      { command: 'health', schema: 'helm-cloud/health@1', environment: env, suite: `helm-cloud health ${env ?? ''}`.trim(), classname: `health.${env ?? 'default'}`, junit: req.junit, output: common.output },
      () => runHealth(req, state.io),
    );
    if (typeof result === 'number') {
      state.exitCode = result; // --watch ended (Ctrl-C: 130)
    } else {
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    }
  });
}
