/**
 * What a skill gets from the ops-manager: the environment's data, the adapters' providers, a clock and an io
 * sink. Skills import neither ops-manager nor commands (.dependency-cruiser.cjs, rule skills-below-ops-manager)
 * and never read CLI flags: a flag that changes what a skill does arrives here (dryRun) or in the skill's own
 * input type, so a skill runs the same under the CLI, the shell, a workflow or a unit test.
 */
import type { KubeProvider } from '../adapters/kubernetes/client.js';
import type { AwsProvider } from '../aws/provider.js';
import type { LiveResource, Workspace } from '../config/load.js';
import type { Monitoring, Registry } from '../config/schemas.js';

/** The io a skill may use: diagnostics and progress (stderr) and the confirmation question. Data leaves as the result. */
export interface SkillIo {
  err(text: string): void;
  progress(text: string): void;
  readonly stdinIsTTY: boolean;
  confirm(question: string, details?: string[]): Promise<boolean>;
}

export interface SkillContext {
  /** Where the state store lives (.fractary). */
  ws: Workspace;
  env: { name: string; protected: boolean };
  monitoring: Monitoring;
  registry: Registry;
  /** Live resources of the environment (newest deployment per project). */
  resources: LiveResource[];
  /** Makes the AWS adapters (src/aws/*): one client per service, retries and credentials decided there. */
  aws: AwsProvider;
  /** Makes the Kubernetes adapters (kubeconfig read on first use). */
  kube: KubeProvider;
  /** Wall clock (epoch ms), injected so skills stay testable. */
  now: () => number;
  io: SkillIo;
  /** Plan only: read and decide, change nothing, log nothing. */
  dryRun: boolean;
}
