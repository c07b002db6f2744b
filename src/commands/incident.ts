/** `helm-cloud incident <action> [id]`: create, list, show, acknowledge, escalate, resolve, postmortem. */
import type { Command } from 'commander';
import { closest } from '../config/explain.js';
import { HelmError } from '../errors.js';
import { emit } from '../report/render.js';
import { addCommon, commonOptions, parseDuration } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

const ACTIONS = 'create, list, show, acknowledge, escalate, resolve, postmortem';

export function defineIncident(program: Command, state: RunState): void {
  addCommon(
    program
      .command('incident')
      .description(describeCommand('incident'))
      .argument('[action]', `${ACTIONS} (default list)`)
      .argument('[id]', 'incident id (INC-n locally, the backend id otherwise)')
      .option('--title <text>', 'create: what is wrong')
      .option('--urgency <level>', 'create: high | low (default high)')
      .option('--description <text>', 'create: details')
      .option('--service <name>', "create: the affected service (pages the team that lists it)")
      .option('--team <name>', 'create/list: the team (default: the service owner, [oncall] default_team, or the only team)')
      .option('--from-alert <id>', 'create: link the alert that fired')
      .option('--issue <id>', 'create: link a Helm issue, e.g. infra-001 (linked both ways)')
      .option('--status <list>', 'list: triggered,acknowledged,resolved (default: open ones)')
      .option('--note <text>', 'resolve: resolution note')
      .option('--since <duration>', 'postmortem: how far before the incident to look (default 2h)')
      .option('--tz <zone>', 'show times in this IANA zone')
      .option('-e, --env <name>', 'postmortem: only this environment\'s deploys, reports and actions'),
    { env: false },
  ).action(async (actionArg: string | undefined, id: string | undefined, raw: Record<string, unknown>) => {
    const { INCIDENT_ACTIONS, runIncident } = await import('../ops-manager/oncall.js');
    const action = (actionArg ?? 'list').toLowerCase();
    if (!INCIDENT_ACTIONS[action]) {
      const near = closest(action, Object.keys(INCIDENT_ACTIONS));
      throw new HelmError('usage', `unknown incident action "${action.slice(0, 40)}"`, { fix: near ? `did you mean \`helm-cloud incident ${near}\`? (actions: ${ACTIONS})` : `actions: ${ACTIONS}` });
    }
    const common = commonOptions(raw, state.io, state.cwd);
    const result = await runIncident(
      {
        ...common,
        action,
        id,
        title: raw.title as string | undefined,
        urgency: raw.urgency as string | undefined,
        description: raw.description as string | undefined,
        service: raw.service as string | undefined,
        team: raw.team as string | undefined,
        fromAlert: raw.fromAlert as string | undefined,
        issue: raw.issue as string | undefined,
        status: raw.status as string | undefined,
        note: raw.note as string | undefined,
        since: raw.since ? parseDuration(String(raw.since), '--since') : undefined,
        tz: raw.tz as string | undefined,
      },
      state.io,
    );
    emit(result, state.io, common.output);
    state.exitCode = result.exitCode;
  });
}
