/**
 * `helm-cloud kubernetes <action>` (alias `k8s`; slash /fractary-helm-cloud:kubernetes <action>). Thin: flags →
 * KubernetesRequest → ops-manager. Namespace, context and output flags on every action, as kubectl spells them.
 */
import { Command, Option } from 'commander';
import { emit } from '../report/render.js';
import { addCommon, commonOptions, parseDuration, parseIntFlag } from './options.js';
import type { RunState } from './program.js';

type Spec = { name: string; args: string; description: string; aliases?: string[]; options?: (c: Command) => Command };

const SPECS: Spec[] = [
  { name: 'pods', args: '', description: 'pods with ready/desired containers, status, restarts, age, node and images', options: (c) => selector(allNs(c)) },
  { name: 'services', args: '', description: 'services with type, cluster IP, ports and selector', options: (c) => selector(allNs(c)) },
  { name: 'deployments', args: '', description: 'deployments with ready/desired, up-to-date, available, restarts, age, rollout and images', options: (c) => selector(allNs(c)) },
  {
    name: 'events',
    args: '',
    description: 'events in time order, oldest first',
    options: (c) =>
      allNs(c)
        .option('--for <kind/name>', 'only events about this object (e.g. deploy/web, pod/web-abc)')
        .addOption(new Option('--type <type>', 'only Normal or Warning events').choices(['Normal', 'Warning']))
        .option('--since <duration>', 'only events in this window (e.g. 1h)'),
  },
  {
    name: 'logs',
    args: '<target>',
    description: 'logs of a pod (POD or pod/NAME) or of every pod of a workload (deploy/NAME), in time order',
    options: (c) =>
      c
        .option('-c, --container <name>', 'only this container (default: every container)')
        .option('-p, --previous', 'the previous, terminated instance of the container')
        .option('--since <duration>', 'only lines newer than this (e.g. 10m)')
        .option('--tail <n>', 'the last N lines of each container'),
  },
  { name: 'describe', args: '<kind> [name]', description: 'what kubectl describe tells: status, conditions, containers, probes, pods, revisions, recent events' },
  { name: 'top', args: '<pods|nodes>', description: 'CPU and memory from the metrics API (metrics-server)', options: (c) => allNs(c) },
  { name: 'rollout_status', args: '<workload>', aliases: ['rollout-status'], description: 'wait for a rollout: complete (0), failed past its progress deadline (3), still progressing at --timeout (1)', options: (c) => c.option('--timeout <duration>', 'how long to wait (default 5m; 0s reads once)') },
  {
    name: 'rollout_restart',
    args: '<workload>',
    aliases: ['rollout-restart'],
    description: 'restart a workload (remediation k8s_rollout_restart: safety level, confirmation, server-side dry run, log, verify)',
    options: (c) => writes(c.option('--timeout <duration>', 'how long verify waits for the rollout (default: progress deadline + 15s)')),
  },
  {
    name: 'scale',
    args: '<workload>',
    description: 'set replicas of a deployment or statefulset (remediation k8s_scale; scaling to the current count changes nothing)',
    options: (c) => writes(c.option('--replicas <n>', 'the replica count').option('--timeout <duration>', 'how long verify waits for the rollout (default: progress deadline + 15s)')),
  },
];

const allNs = (c: Command) => c.option('-A, --all-namespaces', 'every namespace');
const selector = (c: Command) => c.option('-l, --selector <labels>', 'label selector, e.g. app=web,tier!=cache');
const writes = (c: Command) => c.option('--dry-run', 'plan and server-side dry run only; change nothing').option('-y, --yes', 'confirm (needed without a terminal when the safety level asks)');

export function defineKubernetes(program: Command, state: RunState): void {
  const family = program
    .command('kubernetes')
    .alias('k8s')
    .description('Kubernetes workloads: read pods, services, deployments, events, logs; describe; top; rollout status; restart and scale as remediations')
    .addHelpText('after', '\nKubeconfig as kubectl reads it: KUBECONFIG (files merged, first current-context wins), else ~/.kube/config; --context picks a context.');
  for (const s of SPECS) {
    let c = family.command(`${s.name}${s.args ? ` ${s.args}` : ''}`).description(s.description);
    for (const a of s.aliases ?? []) c = c.alias(a);
    c.option('-n, --namespace <ns>', 'namespace (default "default")').option('--context <name>', 'kubeconfig context (default: the environment\'s kube_context, else current-context)');
    if (s.options) c = s.options(c);
    addCommon(c, { env: true });
    c.exitOverride().configureOutput(program.configureOutput());
    c.action(async (...argv: unknown[]) => {
      const cmd = argv[argv.length - 1] as Command;
      const raw = cmd.opts() as Record<string, unknown>;
      const args = cmd.args.map(String);
      const common = commonOptions(raw, state.io, state.cwd);
      const { runKubernetes } = await import('../ops-manager/kubernetes.js');
      const result = await runKubernetes(
        {
          ...common,
          context: raw.context as string | undefined,
          action: s.name as never,
          args,
          namespace: raw.namespace as string | undefined,
          allNamespaces: Boolean(raw.allNamespaces),
          selector: raw.selector as string | undefined,
          forRef: raw.for as string | undefined,
          type: raw.type as string | undefined,
          sinceMs: raw.since ? parseDuration(String(raw.since), '--since') : undefined,
          container: raw.container as string | undefined,
          previous: Boolean(raw.previous),
          tail: raw.tail !== undefined ? parseIntFlag(String(raw.tail), '--tail', 0, 1_000_000) : undefined,
          timeoutMs: raw.timeout !== undefined ? (String(raw.timeout) === '0s' || String(raw.timeout) === '0' ? 0 : parseDuration(String(raw.timeout), '--timeout')) : undefined,
          replicas: raw.replicas !== undefined ? parseIntFlag(String(raw.replicas), '--replicas', 0, 10_000) : undefined,
          dryRun: Boolean(raw.dryRun),
          yes: Boolean(raw.yes),
        },
        state.io,
      );
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    });
  }
  family.exitOverride().configureOutput(program.configureOutput());
}
