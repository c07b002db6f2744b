/**
 * The audit's pre-fetched inventory: registry Lambda functions and RDS instances with their configuration and
 * the usage metrics the optimisation checks judge. Fetched once per run; metrics in one batched GetMetricData.
 * A read that fails leaves a reason in place of the data, so the checks report UNKNOWN instead of guessing.
 */
import { auditInventory, type DbInstance, type LambdaConfig } from '../aws/audit-inventory.js';
import { cloudWatch, type MetricQuery } from '../aws/cloudwatch.js';
import { failureReason, isAccessFatal, isAwsCallError, toHelmError, type AwsFailure } from '../aws/errors.js';
import type { AwsProvider } from '../aws/provider.js';
import type { LiveResource } from '../config/load.js';
import { mapLimit } from '../core/concurrency.js';
import { RESOURCES } from '../resources/index.js';

export type MetricResult = { ok: true; values: number[] } | { ok: false; reason: string };

interface Item {
  name: string;
  arn?: string;
  region: string;
  project: string;
  /** When the registry first recorded the resource in this environment: the evidence for how long it has existed. */
  firstSeenMs?: number;
  /** Why the resource's configuration could not be read (absent, denied, failed). */
  error?: string;
}

export interface LambdaItem extends Item {
  config?: LambdaConfig;
  invocations: MetricResult;
  duration: MetricResult;
  /** Lambda Insights `used_memory_max` (MB); the only published measure of memory actually used. */
  memoryUsedMax: MetricResult;
}

export interface DbItem extends Item {
  instance?: DbInstance;
  connectionsMax: MetricResult;
  cpuAvg: MetricResult;
  cpuMax: MetricResult;
  freeStorageMin: MetricResult;
}

export interface AuditInventory {
  windowDays: number;
  nowMs: number;
  lambdas: LambdaItem[];
  dbs: DbItem[];
  /** GetMetricData requests made. */
  metricCalls: number;
}

const DAY_S = 86_400;

function fatal(e: unknown, provider: AwsProvider): never | AwsFailure {
  if (!isAwsCallError(e)) throw e;
  if (isAccessFatal(e.failure)) throw toHelmError(e.failure, provider.describe());
  return e.failure;
}

export async function buildInventory(o: { aws: AwsProvider; resources: readonly LiveResource[]; firstSeen: ReadonlyMap<string, number>; nowMs: number; windowDays: number; concurrency: number }): Promise<AuditInventory> {
  const readers = auditInventory(o.aws);
  const lambdas: LambdaItem[] = [];
  const dbs: DbItem[] = [];
  const pending: MetricResult = { ok: false, reason: 'not fetched' };

  const fnResources = o.resources.filter((r) => r.type === 'lambda');
  const dbResources = o.resources.filter((r) => r.type === 'rds');

  await mapLimit(fnResources, o.concurrency, async (r) => {
    const item: LambdaItem = { name: r.name, arn: r.arn, region: r.region, project: r.project, firstSeenMs: o.firstSeen.get(`lambda:${r.name}`), invocations: pending, duration: pending, memoryUsedMax: pending };
    try {
      item.config = await readers.getFunction(r.name);
      if (!item.config) item.error = 'function not found in the account';
      else item.arn ??= item.config.arn;
    } catch (e) {
      item.error = failureReason(fatal(e, o.aws));
    }
    lambdas.push(item);
  });
  lambdas.sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name));

  if (dbResources.length) {
    let instances: DbInstance[] | undefined;
    let error: string | undefined;
    try {
      instances = await readers.listDbInstances();
    } catch (e) {
      error = failureReason(fatal(e, o.aws));
    }
    for (const r of dbResources) {
      const instance = instances?.find((d) => d.id === r.name || (r.arn !== undefined && d.arn === r.arn));
      dbs.push({
        name: r.name,
        arn: r.arn ?? instance?.arn,
        region: r.region,
        project: r.project,
        firstSeenMs: o.firstSeen.get(`rds:${r.name}`),
        instance,
        error: error ?? (instance ? undefined : 'DB instance not found in the account'),
        connectionsMax: pending,
        cpuAvg: pending,
        cpuMax: pending,
        freeStorageMin: pending,
      });
    }
  }

  // One batch for every metric of every resource that exists.
  const queries: MetricQuery[] = [];
  // Namespace and dimensions come from the resource registry; Lambda Insights is an extension with its own.
  const q = (id: string, type: 'lambda' | 'rds', name: string, metricName: string, stat: string) =>
    queries.push({ id, namespace: RESOURCES[type].namespace, metricName, dimensions: RESOURCES[type].dimensions({ name }), stat, periodSeconds: DAY_S });
  lambdas.forEach((l, i) => {
    if (!l.config) return;
    q(`l${i}.inv`, 'lambda', l.name, 'Invocations', 'Sum');
    q(`l${i}.dur`, 'lambda', l.name, 'Duration', 'Average');
    queries.push({ id: `l${i}.mem`, namespace: 'LambdaInsights', metricName: 'used_memory_max', dimensions: [{ name: 'function_name', value: l.name }], stat: 'Maximum', periodSeconds: DAY_S });
  });
  dbs.forEach((d, i) => {
    if (!d.instance) return;
    q(`d${i}.conn`, 'rds', d.name, 'DatabaseConnections', 'Maximum');
    q(`d${i}.cpuavg`, 'rds', d.name, 'CPUUtilization', 'Average');
    q(`d${i}.cpumax`, 'rds', d.name, 'CPUUtilization', 'Maximum');
    q(`d${i}.free`, 'rds', d.name, 'FreeStorageSpace', 'Minimum');
  });
  let metricCalls = 0;
  if (queries.length) {
    const end = Math.floor(o.nowMs / 60_000) * 60_000;
    const fetch = await cloudWatch(o.aws).getMetricData(queries, end - o.windowDays * DAY_S * 1000, end, { concurrency: o.concurrency });
    metricCalls = fetch.calls;
    for (const f of fetch.failed.values()) if (isAccessFatal(f)) throw toHelmError(f, o.aws.describe());
    const get = (id: string): MetricResult => {
      const failed = fetch.failed.get(id);
      if (failed) return { ok: false, reason: failureReason(failed) };
      const s = fetch.series.get(id);
      if (!s) return { ok: false, reason: 'no series returned' };
      if (s.status !== 'Complete' && s.values.length === 0) return { ok: false, reason: `metric status ${s.status}` };
      return { ok: true, values: s.values };
    };
    lambdas.forEach((l, i) => {
      if (!l.config) return;
      l.invocations = get(`l${i}.inv`);
      l.duration = get(`l${i}.dur`);
      l.memoryUsedMax = get(`l${i}.mem`);
    });
    dbs.forEach((d, i) => {
      if (!d.instance) return;
      d.connectionsMax = get(`d${i}.conn`);
      d.cpuAvg = get(`d${i}.cpuavg`);
      d.cpuMax = get(`d${i}.cpumax`);
      d.freeStorageMin = get(`d${i}.free`);
    });
  }
  return { windowDays: o.windowDays, nowMs: o.nowMs, lambdas, dbs, metricCalls };
}
