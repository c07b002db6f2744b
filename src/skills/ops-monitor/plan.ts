/**
 * Metric query plan: every query of every resource, grouped by time range so one GetMetricData call carries up
 * to 500 of them. Identical queries (same range, metric, dimensions, statistic, period) are asked once.
 *
 * Ranges:
 * - main: the evaluation window W. Sums are read in W/12 buckets (their total is exact, and with W = 1h they are
 *   the very queries the short burn windows need); other statistics in one bucket of W, so averages,
 *   extremes and percentiles are those of the whole window.
 * - burn-short: the last hour in 5-minute buckets (burn windows 5m, 30m, 1h).
 * - burn-long: the last 3 days in 3-hour buckets (burn windows 6h, 3d).
 * - anomaly (health --anomalies): the baseline (default 7 days) in 5-minute buckets, for the anomaly detector.
 * Event metrics only (bad/total) are read for burn rates. Within a range, standard statistics come before
 * percentiles, so a percentile the endpoint cannot answer fails in calls of its own.
 */
import type { MetricQuery } from '../../aws/cloudwatch.js';
import type { LiveResource } from '../../config/load.js';
import type { Dim, MetricSpec, ResourceDescriptor } from '../../resources/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface RangeGroup {
  name: 'main' | 'burn-short' | 'burn-long' | 'anomaly';
  startMs: number;
  endMs: number;
  periodFor(stat: string): number;
}

export interface PlannedRead {
  /** Resource index in the run. */
  resource: number;
  metric: MetricSpec;
  range: RangeGroup['name'];
  /** Query ids (one per dimension set) whose values are summed. */
  queryIds: string[];
}

export interface QueryPlan {
  groups: { range: RangeGroup; queries: MetricQuery[] }[];
  reads: PlannedRead[];
  /** Distinct queries across all groups. */
  queryCount: number;
}

const isPercentile = (stat: string) => /^(p|tm|wm|tc|ts|pr)\d/i.test(stat);
const additive = (stat: string) => stat === 'Sum' || stat === 'SampleCount';

/** Rounds up to a whole minute: CloudWatch periods above 60 s are multiples of 60. */
export function minutes(ms: number): number {
  return Math.max(60, Math.ceil(ms / MIN) * 60);
}

/** Bucket of the anomaly baseline: CloudWatch's standard resolution for most services. */
export const ANOMALY_PERIOD_S = 300;

/**
 * `startMs`: the main window starts exactly there instead of `windowMs` before the end rounded up to whole
 * minutes (verify reads data after the apply only; a window rounded to a minute would reach back before it).
 */
export function rangeGroups(endMs: number, windowMs: number, baselineMs = 7 * 24 * HOUR, startMs?: number): Record<RangeGroup['name'], RangeGroup> {
  const w = minutes(startMs === undefined ? windowMs : endMs - startMs) * 1000;
  const bucket = minutes(w / 12);
  return {
    main: { name: 'main', startMs: startMs ?? endMs - w, endMs, periodFor: (stat) => (additive(stat) ? bucket : w / 1000) },
    'burn-short': { name: 'burn-short', startMs: endMs - HOUR, endMs, periodFor: () => 300 },
    'burn-long': { name: 'burn-long', startMs: endMs - 72 * HOUR, endMs, periodFor: () => 3 * 3600 },
    anomaly: { name: 'anomaly', startMs: endMs - Math.ceil(baselineMs / (ANOMALY_PERIOD_S * 1000)) * ANOMALY_PERIOD_S * 1000, endMs, periodFor: () => ANOMALY_PERIOD_S },
  };
}

export interface PlanInput {
  resources: LiveResource[];
  descriptors: ResourceDescriptor[];
  /** Per resource: metric ids needed for the window, and event metric ids needed for burn rates. */
  windowMetrics: Set<string>[];
  burnMetrics: Set<string>[];
  /** Per resource: metric ids scored by the anomaly detector over the baseline (absent: none). */
  anomalyMetrics?: Set<string>[];
  baselineMs?: number;
  endMs: number;
  windowMs: number;
  /** Exact start of the main window (see rangeGroups). */
  startMs?: number;
}

export function planQueries(p: PlanInput): QueryPlan {
  const groups = rangeGroups(p.endMs, p.windowMs, p.baselineMs, p.startMs);
  const byGroup = new Map<RangeGroup['name'], Map<string, MetricQuery>>();
  const reads: PlannedRead[] = [];
  const add = (range: RangeGroup, ri: number, m: MetricSpec, d: ResourceDescriptor) => {
    const r = p.resources[ri]!;
    const sets: Dim[][] = m.dimensionSets ? m.dimensionSets(r) : [d.dimensions(r)];
    const period = range.periodFor(m.stat);
    const queries = byGroup.get(range.name) ?? new Map<string, MetricQuery>();
    byGroup.set(range.name, queries);
    const ids = sets.map((dims) => {
      // The key doubles as the query id: identical reads collapse into one query.
      const id = JSON.stringify([range.startMs, d.namespace, m.metricName, dims.map((x) => [x.name, x.value]), m.stat, period]);
      if (!queries.has(id)) queries.set(id, { id, namespace: d.namespace, metricName: m.metricName, dimensions: dims, stat: m.stat, periodSeconds: period });
      return id;
    });
    reads.push({ resource: ri, metric: m, range: range.name, queryIds: ids });
  };
  p.resources.forEach((_, ri) => {
    const d = p.descriptors[ri]!;
    for (const m of d.metrics) {
      if (p.windowMetrics[ri]!.has(m.id)) add(groups.main, ri, m, d);
      if (p.burnMetrics[ri]!.has(m.id)) {
        add(groups['burn-short'], ri, m, d);
        add(groups['burn-long'], ri, m, d);
      }
      if (p.anomalyMetrics?.[ri]?.has(m.id)) add(groups.anomaly, ri, m, d);
    }
  });
  // Main and burn-short share a range when W = 1h: one group, so their queries share calls.
  const merged = new Map<string, { range: RangeGroup; queries: Map<string, MetricQuery> }>();
  for (const [name, queries] of byGroup) {
    const range = groups[name];
    const key = `${range.startMs}-${range.endMs}`;
    const cur = merged.get(key);
    if (cur) for (const [id, q] of queries) cur.queries.set(id, q);
    else merged.set(key, { range, queries: new Map(queries) });
  }
  const out = [...merged.values()].map((g) => ({
    range: g.range,
    queries: [...g.queries.values()].sort((a, b) => Number(isPercentile(a.stat)) - Number(isPercentile(b.stat))),
  }));
  return { groups: out, reads, queryCount: out.reduce((a, g) => a + g.queries.length, 0) };
}

/** The fewest GetMetricData calls that can carry the plan: one per 500 queries per time range. */
export function minimumCalls(plan: QueryPlan, perCall = 500): number {
  return plan.groups.reduce((a, g) => a + Math.ceil(g.queries.length / perCall), 0);
}
