/**
 * What a resource type is to health: how to read its state (batched where the API allows), where its metrics
 * live in CloudWatch, which queries to run, and how each SLO key is observed from them. Descriptors are data
 * plus small pure functions; the ops-monitor skill does the fetching, evaluation and roll-up.
 */
import type { AwsFailure } from '../aws/errors.js';
import type { AwsProvider } from '../aws/provider.js';
import type { KubeProvider } from '../adapters/kubernetes/client.js';
import type { LiveResource } from '../config/load.js';
import type { MetricKind } from '../core/correlate.js';
import type { SloObjective } from '../core/slo.js';
import type { Verdict } from '../core/verdict.js';
import type { ResourceType } from './index.js';

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

/** A CloudWatch metric the investigator reads for change points and levels (namespace: the type's). */
export interface InvestigationMetric {
  metricName: string;
  stat: 'Sum' | 'Average' | 'Maximum' | 'Minimum';
  kind: MetricKind;
  /** Which way is harmful (default up). */
  adverse?: 'up' | 'down';
  /** Smallest shift in the metric's unit (per period for counts) worth reporting (default 0). */
  minAbsolute?: number;
}

export interface LogSource {
  /** An exact group name, or a prefix whose groups all belong to the resource. */
  name: string;
  exact: boolean;
  /** Said in the report when the group is a convention rather than recorded in the registry. */
  assumed?: string;
}

/** A field that does not apply to a type says why, so a forgotten field and a deliberate absence differ. */
export interface None {
  none: string;
}

/**
 * Everything helm-cloud knows of a resource type without loading its reader: the single home of the type.
 * config (RESOURCE_TYPES, SLO_KEYS), investigate (metrics, logs, dimensions), scope and request parsing (words),
 * audit (finding types, metric dimensions), remediate (IAM prefix, delete runbook) all read it from here.
 * Kept free of adapters so config can import it; the reader and SLO observers load lazily through `load`.
 */
export interface ResourceTypeInfo {
  type: ResourceType;
  /** Service name in reasons and the API call ledger. */
  service: string;
  /** The call named when reading the type's state fails. */
  readOperation: string;
  /** CloudWatch namespace of the type's metrics and alarms; '' when `noCloudWatch` says why there is none. */
  namespace: string;
  noCloudWatch?: string;
  /** CloudWatch dimensions identifying the resource (metrics, alarms, investigation, audit). */
  dimensions(r: Pick<LiveResource, 'name' | 'cluster' | 'stage'>): Dim[];
  /** Keys users may set under [slos.<type>] (period_days is added for every type). */
  sloKeys: readonly string[];
  /** Metrics investigate reads for change points (percentiles left out: a p95 query fails on some endpoints). */
  investigate: readonly InvestigationMetric[] | None;
  /**
   * Where the resource's logs live when the registry records no log_group. `none` with `byNature`: the type keeps
   * no logs (not a gap in an investigation); without it, the logs exist but cannot be found (a gap).
   */
  logs(r: Pick<LiveResource, 'name' | 'arn' | 'stage'>): LogSource | (None & { byNature?: true });
  /** Words that name the type: `scope` in investigate's free text, `request` in remediate's. */
  words: { scope: readonly string[]; request: readonly string[] } | None;
  /** Security Hub ASFF and AWS Config resource types that name a resource of this type. */
  findingTypes: readonly string[] | None;
  /** IAM service prefix of the type's API calls ("ecs" for ecs_service): permissions are filtered by it. */
  iamPrefix: string | None;
  /** The command an operator runs to delete a resource of the type by hand (delete_resources' runbook). */
  deleteCommand(r: { name: string; region: string; cluster?: string; namespace?: string }): string;
  /** The health part: metrics, SLO observers and the state reader (imports the type's adapter). */
  load(): Promise<ResourceHealth>;
}

export interface ResourceHealth {
  metrics: MetricSpec[];
  slos: SloSpec[];
  /** SLO keys of the type that this descriptor cannot evaluate, and why (documented, never silently passed). */
  notEvaluated?: Record<string, string>;
  /** Reads state for every resource of the type at once, keyed by stateKey(); resources absent from the map are not found. */
  readState?(resources: LiveResource[], ctx: ReadContext): Promise<Map<string, StateRead>>;
}

/** A loaded type: its static info and its health part. */
export type ResourceDescriptor = Omit<ResourceTypeInfo, 'load'> & ResourceHealth;

export const defineType = (d: ResourceTypeInfo): ResourceTypeInfo => d;
export const defineHealth = (d: ResourceHealth): ResourceHealth => d;
export const isNone = (x: unknown): x is None => typeof x === 'object' && x !== null && 'none' in x;


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
