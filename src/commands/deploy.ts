/** `helm-cloud deploy <action>`: release intelligence that a CI pipeline can gate on. */
import { Option, type Command } from 'commander';
import { emit } from '../report/render.js';
import { gated } from './gate.js';
import { addCommon, commonOptions, parseDuration, writableFile } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

interface ActionSpec {
  name: string;
  describe: string;
  options?: (c: Command) => Command;
}

const ACTIONS: ActionSpec[] = [
  {
    name: 'assess_risk',
    describe: 'a 0–100 risk score with every factor weighed: error budget, health, incidents, alerts, timing, change-failure rate, diff size, protection, migrations, blast radius',
    options: (c) =>
      c
        .option('--changes <text>', 'what the release changes, e.g. "db migration + new endpoints"')
        .addOption(new Option('--blast-radius <level>', 'declared blast radius').choices(['low', 'medium', 'high']))
        .option('--to <deployment|file>', 'weigh the diff to this deployment id or deployment JSON file'),
  },
  { name: 'change_window', describe: 'is the change window open (windows and freezes from [deploy], DST-correct); when does it next open or close', options: (c) => c.option('--at <time>', 'a time: 2026-12-24T15:00 (in [deploy] time_zone) or with Z/offset') },
  { name: 'diff_analysis', describe: 'live deployment vs a target: version, resources added/removed, live configuration that would change (env var names, never values)', options: (c) => c.requiredOption('--to <deployment|file>', 'deployment id from the registry, or a JSON file holding one deployment') },
  { name: 'rollback_check', describe: 'can we go back: an earlier Lambda version behind the alias, an earlier ACTIVE ECS task definition, a previous good deployment, migration blockers' },
  {
    name: 'canary_status',
    describe: 'canary vs baseline over the same window, each metric judged with a Mann–Whitney U test and an effect-size floor: PASS / MARGINAL / FAIL / INCONCLUSIVE',
    options: (c) => c.requiredOption('--canary <ref>', 'FUNCTION@VERSION or FUNCTION:ALIAS@VERSION').requiredOption('--baseline <ref>', 'FUNCTION@VERSION or FUNCTION:ALIAS@VERSION').option('-w, --window <duration>', 'comparison window (default 1h)'),
  },
  { name: 'pre_deploy_checklist', describe: 'health, alerts, incidents, error budget, change window, rollback readiness, on-call: PASS/FAIL/UNKNOWN per line', options: (c) => c.option('--junit <file>', 'write a JUnit report (a test case per line)') },
  {
    name: 'post_deploy_verify',
    describe: 'the window after the deploy vs the same length before it, per SLO metric, plus current health; FAIL suggests the rollback',
    options: (c) => c.option('--deployment <id>', 'deployment to verify (default: the live one)').option('--wait <duration>', 'poll until confident or the time is up').option('-w, --window <duration>', 'longest window compared on each side (default 1h)').option('--junit <file>', 'write a JUnit report'),
  },
  { name: 'deploy_timeline', describe: 'deployments with the assessments and verifications recorded around them', options: (c) => c.option('--since <duration>', 'how far back (default 7d)') },
];

export function defineDeploy(program: Command, state: RunState): void {
  const family = program.command('deploy').description(describeCommand('deploy')).showSuggestionAfterError(true);
  for (const spec of ACTIONS) {
    const sub = family.command(spec.name).alias(spec.name.replace(/_/g, '-')).description(spec.describe);
    spec.options?.(sub);
    addCommon(sub).option('-p, --project <name>', 'registry project (default: the only one in the environment)').option('--service <name>', 'alias of --project');
    sub.exitOverride().configureOutput(program.configureOutput());
    sub.action(async (raw: Record<string, unknown>) => {
      const common = commonOptions(raw, state.io, state.cwd);
      const { runDeploy, DEPLOY_GATES, DEPLOY_SCHEMA } = await import('../ops-manager/deploy.js');
      const dur = (k: string, flag: string) => (raw[k] ? parseDuration(String(raw[k]), flag) : undefined);
      const junit = raw.junit === undefined ? undefined : writableFile(String(raw.junit), '--junit', state.cwd);
      const env = common.env;
      const gate = { command: 'deploy', schema: DEPLOY_SCHEMA, environment: env, suite: `helm-cloud deploy ${spec.name} (${env ?? ''})`, classname: `helm-cloud.deploy.${env ?? 'default'}`, junit, output: common.output };
      const go = () => runDeploy(
        {
          ...common,
          action: spec.name as never,
          project: (raw.project ?? raw.service) as string | undefined,
          params: {
            ...(raw.at ? { at: String(raw.at) } : {}),
            ...(raw.changes ? { changes: String(raw.changes) } : {}),
            ...(raw.blastRadius ? { blastRadius: raw.blastRadius as 'low' | 'medium' | 'high' } : {}),
            ...(raw.to ? { to: String(raw.to) } : {}),
            ...(raw.canary ? { canary: String(raw.canary) } : {}),
            ...(raw.baseline ? { baseline: String(raw.baseline) } : {}),
            ...(raw.deployment ? { deployment: String(raw.deployment) } : {}),
            ...(raw.window ? { windowMs: dur('window', '--window') } : {}),
            ...(raw.wait ? { waitMs: dur('wait', '--wait') } : {}),
            ...(raw.since ? { sinceMs: dur('since', '--since') } : {}),
          },
          junit,
        },
        state.io,
      );
      const result = DEPLOY_GATES.includes(spec.name as never) ? await gated(state.io, gate, go) : await go();
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    });
  }
}
