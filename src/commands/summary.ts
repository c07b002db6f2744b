/**
 * Top-level help and version, kept free of imports so `helm-cloud --help` and `--version` start as fast as
 * node itself: commander and every command module load only when a command runs.
 */
export const VERSION = '0.1.0';

export const COMMAND_SUMMARIES: readonly (readonly [name: string, usage: string, description: string])[] = [
  ['health', '[options]', 'verdict per resource and for the environment: state, metrics and alarms against the SLOs'],
  ['investigate', '[options] [symptom...]', 'from a symptom to an evidence-linked root cause: logs, error patterns, metrics, deploys, alarms'],
  ['remediate', '[options] [request...]', 'safe, idempotent, verified fixes: diagnose → propose → impact → confirm → apply → verify → document'],
  ['audit', '[options]', 'cost, security and compliance reports an operator can act on'],
  ['dashboard', '[options]', "central Helm: every domain's status and one ranked list of open issues"],
  ['escalate', '[options]', 'hand an issue to the deploy tool (FABER): writes .fractary/faber/escalations/<id>.json'],
  ['doctor', '[options]', 'troubleshooting checks: files, environment, credentials, endpoint, read access'],
  ['init', '[options]', 'create the .fractary skeleton and copy the example monitoring config (never overwrites)'],
  ['prometheus', '<action> [options]', 'Prometheus/Alertmanager (alias prom): query, query_range, series, labels, alerts, targets, rules, silence_create, silences, silence_expire'],
  ['deploy', '<action> [options]', 'release gates: assess_risk, change_window, diff_analysis, rollback_check, canary_status, pre_deploy_checklist, post_deploy_verify, deploy_timeline'],
  ['oncall', '[action] [options]', 'who is on call (per escalation tier, until when), schedule, override_oncall, escalate: local, GoAlert or PagerDuty'],
  ['incident', '[action] [id] [options]', 'create (pages tier 1), list, show, acknowledge, escalate, resolve, postmortem'],
  ['circuit', '<status|open|close|reset> [options]', 'the automation circuit breaker per environment and action: opens after repeated failed remediations'],
  ['trust', '<level|history|promote|demote> [action]', 'progressive trust: each action\'s safety level per environment, promotions suggested from verified successes'],
  ['alerts', '<action> [options]', 'one alert lifecycle over CloudWatch, Alertmanager and hand-made alerts: create, list, acknowledge, silence, escalate, correlate, group, resolve, history, rules'],
  ['kubernetes', '<action> [options]', 'Kubernetes (alias k8s): pods, services, deployments, events, logs, describe, top, rollout_status; rollout_restart and scale as remediations'],
  ['shell', '[--env NAME]', 'operator REPL: slash commands (/health, /incident …), /env sticky context, Tab completion, history; reads stdin when not a TTY'],
  ['workflow', '<list|show|run> [name]', 'runnable SRE workflows (incident_response, sre_deployment, alert_triage, sre_health_review): --dry-run plan, --resume ID'],
  ['analyze', '--resource R [options]', "a resource's metric series with anomaly scores: terminal chart with anomalies marked, JSON otherwise"],
  ['demo', '[options]', 'sandbox: start a local AWS emulator (moto), seed a small fleet and account with faults (metrics, logs, findings, config rules, costs), run health against it'],
];

export function describeCommand(name: string): string {
  return COMMAND_SUMMARIES.find((c) => c[0] === name)?.[2] ?? '';
}

export const EPILOGUE = `Exit codes: 0 ok · 1 degraded or findings · 2 usage, input or config error · 3 unhealthy or action failed · 4 AWS access problem · 70 internal error (a bug) · 130 --watch stopped (Ctrl-C)
Slash forms: helm-cloud /fractary-helm-cloud:health --env=prod  ≡  helm-cloud health --env=prod`;

export function topHelp(): string {
  const width = Math.max(...COMMAND_SUMMARIES.map(([n, u]) => `${n} ${u}`.length));
  const lines = COMMAND_SUMMARIES.map(([n, u, d]) => `  ${`${n} ${u}`.padEnd(width)}  ${d}`);
  return `Usage: helm-cloud [options] [command]

Operations for AWS infrastructure recorded in the .fractary registry: health, investigate, remediate, audit.

Options:
  -V, --version  output the version number
  -h, --help     display help for command

Commands:
${lines.join('\n')}
  help [command]  display help for command

Run \`helm-cloud <command> --help\` for a command's options.

${EPILOGUE}
`;
}
