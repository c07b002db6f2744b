/**
 * The ops-manager resolves everything a skill needs — workspace, environment, config, registry, AWS provider,
 * clock, io — once per command, and hands skills one context object. It never calls AWS itself.
 */
import { AwsProvider } from '../aws/provider.js';
import { KubeProvider } from '../adapters/kubernetes/client.js';
import {
  describeNote,
  liveResources,
  loadCredentials,
  loadEnvironments,
  loadMonitoring,
  loadRegistry,
  openWorkspace,
  resolveEnvironment,
  type ConfigNote,
  type LiveResource,
  type ResolvedEnvironment,
  type Workspace,
} from '../config/load.js';
import type { Monitoring, Registry } from '../config/schemas.js';
import type { Io } from '../io.js';
import type { OutputFormat } from '../report/render.js';
import type { SkillContext } from '../skills/context.js';

export interface CommonOptions {
  cwd: string;
  env?: string;
  root?: string;
  profile?: string;
  region?: string;
  output: OutputFormat;
  debug?: boolean;
  /** kubeconfig context (Kubernetes families and k8s_* resources). */
  context?: string;
}

export interface OpsContext {
  ws: Workspace;
  env: ResolvedEnvironment;
  monitoring: Monitoring;
  registry: Registry;
  /** Live resources of the environment (newest deployment per project). */
  resources: LiveResource[];
  aws: AwsProvider;
  /** Kubernetes clients (kubeconfig read on first use); the environment's kube_context unless --context. */
  kube: KubeProvider;
  /** Wall clock, injected so skills stay testable. */
  now: () => number;
  io: Io;
  options: CommonOptions;
}

export interface ContextOverrides {
  now?: () => number;
  aws?: AwsProvider;
  kube?: KubeProvider;
}

export function resolveContext(options: CommonOptions, io: Io, overrides: ContextOverrides = {}): OpsContext {
  const ws = openWorkspace(options.cwd, options.root);
  const notes: ConfigNote[] = [];
  const envs = loadEnvironments(ws, notes);
  const creds = loadCredentials(ws, notes);
  const env = resolveEnvironment(ws, envs, creds, options.env);
  const monitoring = loadMonitoring(ws);
  const registry = loadRegistry(ws, notes);
  // Unknown keys in shared files are ignored (a newer deploy tool may write them); only a likely misspelling
  // of a key we read is worth a line on every run. `doctor` lists them all.
  for (const n of notes) if (n.near) io.err(`warning: ${describeNote(n)}`);
  const region = options.region ?? env.config.region;
  const aws =
    overrides.aws ??
    new AwsProvider({
      region,
      explicitProfile: options.profile,
      configProfile: env.config.aws_profile,
      endpoint: env.config.endpoint_url,
    });
  return {
    ws,
    env,
    monitoring,
    registry,
    resources: liveResources(registry, env.name, region),
    aws,
    kube: overrides.kube ?? new KubeProvider({ context: options.context ?? env.config.kube_context }),
    now: overrides.now ?? (() => Date.now()),
    io,
    options,
  };
}

/** The skills' view of the context: no CLI options, only what changes what a skill does (dryRun). */
export function skillContext(ctx: OpsContext, opts: { dryRun?: boolean } = {}): SkillContext {
  return {
    ws: ctx.ws,
    env: { name: ctx.env.name, protected: ctx.env.config.protected },
    monitoring: ctx.monitoring,
    registry: ctx.registry,
    resources: ctx.resources,
    aws: ctx.aws,
    kube: ctx.kube,
    now: ctx.now,
    io: ctx.io,
    dryRun: opts.dryRun ?? false,
  };
}
