/**
 * What a resource type is to health: how to read its state (batched where the API allows), where its metrics
 * live in CloudWatch, which queries to run, and how each SLO key is observed from them. Descriptors are data
 * plus small pure functions; the ops-monitor skill does the fetching, evaluation and roll-up.
 */
import type { AwsFailure } from '../aws/errors.js';
import type { AwsProvider } from '../aws/provider.js';
import type { KubeProvider } from '../adapters/kubernetes/client.js';
import type { LiveResource } from '../config/load.js';
import type { ResourceType } from '../config/schemas.js';
import type { SloObjective } from '../core/slo.js';
import type { Verdict } from '../core/verdict.js';

export interface Dim {
  name: string;
  value: string;
}

/** Result of reading one resource's state. */
export interface StateRead {
  /** HEALTHY when usable; UNHEALTHY when gone or unusable; DEGRADED when usable but in transition. */
  verdict: Verdict;
  reason?: string;
  /** Facts shown in the report (status, counts...). */
  state: Record<string, unknown>;
  /** Facts some SLOs observe directly (ECS running/desired, SQS dead-letter depth). */
  facts?: Record<string, number>;
}

export interface ReadContext {
  aws: AwsProvider;
  concurrency: number;
  onCall: (op: string) => void;
  /** Kubernetes clients per kubeconfig context, counting into the run's call ledger. */
  kube?: KubeProvider;
  /** Evaluation time and window, for readers that judge recent events (restarts, Warning events). */
  now?: number;
  windowMs?: number;
  /** Records a failed call for one resource and returns its UNKNOWN state ("state: access denied on ..."). */
  fail: (f: AwsFailure) => StateRead;
}

export interface MetricSpec {
  /** Local id within the type: "errors". */
  id: string;
  metricName: string;
  /** Sum, Average, Maximum, Minimum, SampleCount or a percentile such as p95. */
  stat: string;
  /** AWS publishes the metric only when non-zero: a successful query without datapoints means 0. */
  sparse?: boolean;
  /** Multiplier applied to values (seconds → ms, bytes → GB). */
  scale?: number;
  /** Dimensions when they differ from the type's (one query per entry, values summed: DynamoDB operations). */
  dimensionSets?: (r: LiveResource) => Dim[][];
}

/** What an SLO's observer sees: window aggregates by metric id (undefined: no datapoints) and state facts. */
export interface Observed {
  metric(id: string): number | undefined;
  fact(name: string): number | undefined;
}

/**
 * `idle`: the traffic metric answered with zero requests, so a rate has nothing to divide (not UNKNOWN: the
 * data is there and says "no traffic").
 */
export type Observation = number | { unknown: string } | { notApplicable: string } | { idle: string };

export interface SloSpec extends Omit<SloObjective, 'key' | 'target'> {
  key: string;
  /** Metric ids this SLO reads; a failed or empty (non-sparse) one makes the SLO UNKNOWN. */
  metrics: string[];
  observe(o: Observed): Observation;
  /** Bad and total event metrics, for burn rates (ratio SLOs only). */
  events?: { bad: string[]; total: string[] };
}

export interface ResourceDescriptor {
  type: ResourceType;
  /** Service name in reasons and the API call ledger. */
  service: string;
  namespace: string;
  /** CloudWatch dimensions identifying the resource (also used to match alarms). */
  dimensions(r: LiveResource): Dim[];
  metrics: MetricSpec[];
  slos: SloSpec[];
  /** SLO keys of the type that this descriptor cannot evaluate, and why (documented, never silently passed). */
  notEvaluated?: Record<string, string>;
  /** Reads state for every resource of the type at once, keyed by stateKey(); resources absent from the map are not found. */
  readState?(resources: LiveResource[], ctx: ReadContext): Promise<Map<string, StateRead>>;
}


export const defineResource = (d: ResourceDescriptor): ResourceDescriptor => d;

/**
 * The key a state reader files a resource under. Names are unique per AWS type and region, but a Kubernetes
 * name is unique only within its namespace and cluster (svc-a in every namespace).
 */
export function stateKey(r: Pick<LiveResource, 'type' | 'name' | 'namespace' | 'context'>): string {
  return r.type.startsWith('k8s_') ? `${r.context ?? ''}|${r.namespace ?? 'default'}|${r.name}` : r.name;
}

/** Helpers for observers. */
export function ratioPercent(bad: number | undefined, total: number | undefined, what: string): Observation {
  if (total === undefined) return { unknown: `no ${what} datapoints in the window` };
  if (total <= 0) return { idle: `no ${what} in the window` };
  return ((bad ?? 0) / total) * 100;
}

export const sum = (...xs: (number | undefined)[]): number | undefined => (xs.every((x) => x === undefined) ? undefined : xs.reduce<number>((a, x) => a + (x ?? 0), 0));
