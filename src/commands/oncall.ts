/** `helm-cloud oncall <action>`: who_is_oncall, schedule, override_oncall, escalate (also /fractary-helm-cloud:oncall). */
import type { Command } from 'commander';
import { closest } from '../config/explain.js';
import { HelmError } from '../errors.js';
import { emit } from '../report/render.js';
import { addCommon, commonOptions, parseDuration, parseIntFlag } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineOncall(program: Command, state: RunState): void {
  addCommon(
    program
      .command('oncall')
      .description(describeCommand('oncall'))
      .argument('[action]', 'who_is_oncall (default) | schedule | override_oncall | escalate')
      .option('--team <name>', 'team from [oncall.teams] (default: [oncall] default_team, or the only team)')
      .option('--at <time>', 'who_is_oncall: at this time instead of now (ISO-8601, a wall time in the team zone, +2h)')
      .option('--days <n>', 'schedule: days to show (default 7)')
      .option('--tz <zone>', 'show times in this IANA zone (default: $TZ or the system zone)')
      .option('--user <name>', 'override_oncall: who takes the shift')
      .option('--from <time>', 'override_oncall / schedule: start (default now)')
      .option('--to <time>', 'override_oncall: end')
      .option('--replaces <name>', 'override_oncall: swap only this person (default: instead of whoever is on call)')
      .option('--add', 'override_oncall: on call alongside the schedule')
      .option('--note <text>', 'override_oncall: why')
      .option('--remove <id>', 'override_oncall: remove a recorded override (OVR-n)')
      .option('--watch', 'escalate: keep applying due escalations until interrupted')
      .option('--interval <duration>', 'escalate --watch: how often (default 30s)')
      .option('--max-runs <n>', 'escalate --watch: stop after this many checks'),
    { env: false },
  ).action(async (actionArg: string | undefined, raw: Record<string, unknown>) => {
    const { ONCALL_ACTIONS, runOncall } = await import('../ops-manager/oncall.js');
    const action = (actionArg ?? 'who_is_oncall').toLowerCase();
    if (!ONCALL_ACTIONS[action]) {
      const near = closest(action, Object.keys(ONCALL_ACTIONS));
      throw new HelmError('usage', `unknown oncall action "${action.slice(0, 40)}"`, { fix: near ? `did you mean \`helm-cloud oncall ${near}\`? (actions: who_is_oncall, schedule, override_oncall, escalate)` : 'actions: who_is_oncall, schedule, override_oncall, escalate' });
    }
    const common = commonOptions(raw, state.io, state.cwd);
    const req = {
      ...common,
      action,
      team: raw.team as string | undefined,
      at: raw.at as string | undefined,
      days: raw.days !== undefined ? parseIntFlag(String(raw.days), '--days', 1, 90) : undefined,
      tz: raw.tz as string | undefined,
      user: raw.user as string | undefined,
      from: raw.from as string | undefined,
      to: raw.to as string | undefined,
      replaces: raw.replaces as string | undefined,
      add: Boolean(raw.add),
      note: raw.note as string | undefined,
      remove: raw.remove as string | undefined,
    };
    if (raw.watch && ONCALL_ACTIONS[action] === 'escalate') {
      const interval = raw.interval ? parseDuration(String(raw.interval), '--interval') : 30_000;
      const max = raw.maxRuns !== undefined ? parseIntFlag(String(raw.maxRuns), '--max-runs', 1, 1_000_000) : Infinity;
      let stop = false;
      const onInt = () => (stop = true);
      process.once('SIGINT', onInt);
      try {
        for (let run = 1; !stop; run++) {
          const result = await runOncall(req, state.io);
          if (result.json.verdict !== 'OK' || common.output === 'json') emit(result, state.io, common.output);
          state.exitCode = result.exitCode;
          if (run >= max) break;
          await new Promise((r) => setTimeout(r, interval));
        }
      } finally {
        process.removeListener('SIGINT', onInt);
      }
      return;
    }
    const result = await runOncall(req, state.io);
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
