import { Option, type Command } from 'commander';
import { HelmError } from '../errors.js';
import { emit, type CommandResult } from '../report/render.js';
import { addCommon, commonOptions, parseDuration } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const SEVERITY = ['critical', 'warning', 'info'];

function labels(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
    if (!m) throw new HelmError('usage', `"${l.slice(0, 60)}" is not a label`, { keyPath: '--label', expected: 'name=value', fix: 'e.g. --label team=payments' });
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function defineAlerts(program: Command, state: RunState): void {
  const family = program.command('alerts').description(describeCommand('alerts')).showSuggestionAfterError(true);
  const action = (spec: string, describe: string, build: (c: Command) => Command, params: (args: unknown[], raw: Record<string, unknown>) => Record<string, unknown>) => {
    const name = spec.split(' ')[0]!;
    const sub = family.command(spec).description(describe);
    build(sub);
    addCommon(sub).option('--timeout <duration>', 'bound on each request to Alertmanager/Prometheus').option('-y, --yes', 'confirm changes on a protected environment without asking');
    sub.exitOverride().configureOutput(program.configureOutput());
    sub.action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const raw = cmd.opts() as Record<string, unknown>;
      const common = commonOptions(raw, state.io, state.cwd);
      const timeoutMs = raw.timeout ? parseDuration(String(raw.timeout), '--timeout') : undefined;
      let result: CommandResult;
      if (name === 'rules') {
        const { runAlertRules } = await import('../ops-manager/alert-rules.js');
        result = await runAlertRules({ ...common, timeoutMs, ...(params(args.slice(0, -2), raw) as { sub: 'list' | 'check' | 'generate' }) }, state.io);
      } else {
        const { runAlerts } = await import('../ops-manager/alerts.js');
        result = await runAlerts({ ...common, timeoutMs, yes: Boolean(raw.yes), action: name as never, ...params(args.slice(0, -2), raw) }, state.io);
      }
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    });
  };
  const sev = (flag: string, d: string) => new Option(flag, d).choices(SEVERITY);
  action('create', 'record an alert by hand (and post it to Alertmanager when one is configured)', (c) =>
    c.requiredOption('--name <name>', 'alert name').addOption(sev('--severity <level>', 'critical | warning | info').makeOptionMandatory()).requiredOption('--description <text>', 'what is wrong').option('--resource <name>', 'registry resource it concerns').option('--label <k=v>', 'label (repeatable)', collect),
    (_a, raw) => ({ name: raw.name, severity: raw.severity, description: raw.description, resource: raw.resource, labels: labels(raw.label as string[]) }));
  action('list', 'firing, acknowledged, silenced and resolved alerts from every source', (c) =>
    c.addOption(new Option('--status <status>', 'only this status').choices(['firing', 'acknowledged', 'silenced', 'resolved', 'unknown'])).addOption(sev('--severity <level>', 'only this severity')).addOption(new Option('--source <source>', 'only this source').choices(['cloudwatch', 'alertmanager', 'local'])),
    (_a, raw) => ({ status: raw.status, severity: raw.severity, source: raw.source }));
  action('acknowledge <id>', 'acknowledge an alert (who and when; ends when it resolves or re-fires)', (c) => c.option('--note <text>', 'a note'), ([id], raw) => ({ id, note: raw.note }));
  action('silence <id>', 'silence an alert: a real Alertmanager silence, or in helm-cloud views for CloudWatch (--disable-actions also turns the alarm actions off until it ends)', (c) =>
    c.requiredOption('--duration <duration>', 'how long, e.g. 2h').option('--comment <text>', 'why').option('--disable-actions', 'CloudWatch alarms: DisableAlarmActions now, EnableAlarmActions when the silence ends (logged in actions.jsonl; asks on a protected environment)'),
    ([id], raw) => ({ id, durationMs: parseDuration(String(raw.duration), '--duration'), comment: raw.comment, disableActions: Boolean(raw.disableActions) }));
  action('escalate <id>', 'raise severity and open or attach a Helm issue (and page on-call where configured)', (c) => c.addOption(sev('--to-severity <level>', 'severity to raise to (default: one level up)')).option('--team <team>', 'team to page'), ([id], raw) => ({ id, toSeverity: raw.toSeverity, team: raw.team }));
  action('correlate', 'group firing alerts that probably share a cause, with evidence and a probable cause', (c) => c.option('--window <duration>', 'how close in time related alerts start (default 30m)'), (_a, raw) => ({ windowMs: raw.window ? parseDuration(String(raw.window), '--window') : undefined }));
  action('group', 'Alertmanager-style grouping by labels, or named manual groups', (c) => c.option('--by <labels>', 'comma-separated label names').option('--name <group>', 'a named group').option('--add <id>', 'add an alert to the named group (repeatable)', collect), (_a, raw) => ({ by: raw.by ? String(raw.by).split(',').map((s) => s.trim()).filter(Boolean) : undefined, group: raw.name, add: raw.add }));
  action('resolve <id>', 'resolve a hand-made alert, or record a resolution note on a source-owned one', (c) => c.option('--note <text>', 'resolution note'), ([id], raw) => ({ id, note: raw.note }));
  action('history [id]', 'one timeline from the sources and helm-cloud actions', (c) => c.option('--since <duration>', 'only events this recent, e.g. 24h'), ([id], raw) => ({ id, sinceMs: raw.since ? parseDuration(String(raw.since), '--since') : undefined }));
  action('rules <sub> [files...]', 'rules list | check FILE… (promtool) | generate [--out FILE] [--env E [--apply]] (burn-rate rules from the PromQL SLOs; with --env, CloudWatch metric-math alarms from the SLOs of its resources, shown as a diff, created with --apply)', (c) =>
    c.option('--out <file>', 'generate: write the Prometheus rule file (shows the diff)').option('--apply', 'generate --env E: create/update the CloudWatch alarms (default: dry run, the diff only; asks on a protected environment)'),
    ([sub, files], raw) => {
      if (!['list', 'check', 'generate'].includes(String(sub))) throw new HelmError('usage', `unknown rules action "${String(sub).slice(0, 30)}"`, { fix: 'use rules list, rules check FILE…, or rules generate' });
      return { sub, files, out: raw.out, apply: Boolean(raw.apply), yes: Boolean(raw.yes) };
    });
}
