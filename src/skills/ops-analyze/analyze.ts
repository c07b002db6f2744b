/**
 * ops-analyze: one resource's metric series over a range (one batched GetMetricData), each scored by the
 * streaming anomaly detector (src/core/anomaly). A series that could not be read is stated, never skipped.
 */
import { cloudWatch, type MetricQuery } from '../../aws/cloudwatch.js';
import { classifyAwsError, failureReason, isAccessFatal, toHelmError, type AwsFailure } from '../../aws/errors.js';
import type { AwsProvider } from '../../aws/provider.js';
import type { LiveResource } from '../../config/load.js';
import { DEFAULT_WARMUP, scoreSeries, stoppedAt, stopText, type Anomaly } from '../../core/anomaly/index.js';
import { densify } from '../../core/change-point.js';
import type { MetricSpec, ResourceDescriptor } from '../../resources/types.js';

const DAY = 86_400_000;
/** Most points per series: the period grows with the range beyond this (14 days at 5 minutes). */
const MAX_POINTS = 4032;

export interface AnalyzedPoint {
  t: number;
  v: number;
  score: number | null;
  anomalous: boolean;
}

export interface AnalyzedSeries {
  metric: string;
  id: string;
  stat: string;
  /**
   * stopped: scored up to its last point, but nothing came after it for longer than it usually takes;
   * insufficient-history: too few points or too short a range for the detector to judge any of them.
   */
  status: 'scored' | 'stopped' | 'insufficient-history' | 'no-data' | 'unreadable';
  reason?: string;
  points: AnalyzedPoint[];
  anomalies: Anomaly[];
}

export interface AnalyzeInput {
  aws: AwsProvider;
  resource: LiveResource;
  descriptor: ResourceDescriptor;
  metrics: MetricSpec[];
  fromMs: number;
  toMs: number;
  access: { profile?: string; region?: string; endpoint?: string };
}

/** CloudWatch period for a range: 5 minutes, or coarser so a series stays under MAX_POINTS. */
export function periodFor(rangeMs: number): number {
  return Math.max(300, Math.ceil(rangeMs / MAX_POINTS / 60_000) * 60);
}

export async function analyze(input: AnalyzeInput): Promise<{ series: AnalyzedSeries[]; periodSeconds: number; calls: number }> {
  const { resource: r, descriptor: d } = input;
  const period = periodFor(input.toMs - input.fromMs);
  const fromMs = Math.floor(input.fromMs / (period * 1000)) * period * 1000;
  const queries: MetricQuery[] = [];
  const idsOf = new Map<string, string[]>();
  for (const m of input.metrics) {
    const sets = m.dimensionSets ? m.dimensionSets(r) : [d.dimensions(r)];
    idsOf.set(m.id, sets.map((dims, i) => {
      const id = `${m.id}|${i}`;
      queries.push({ id, namespace: d.namespace, metricName: m.metricName, dimensions: dims, stat: m.stat, periodSeconds: period });
      return id;
    }));
  }
  const cw = cloudWatch(input.aws);
  let fetch: Awaited<ReturnType<typeof cw.getMetricData>>;
  try {
    fetch = await cw.getMetricData(queries, fromMs, input.toMs);
  } catch (e) {
    const f = classifyAwsError(e, 'cloudwatch', 'GetMetricData');
    if (isAccessFatal(f)) throw toHelmError(f, input.access);
    fetch = { series: new Map(), failed: new Map(queries.map((q) => [q.id, f])), calls: 0 };
  }
  const failures = [...fetch.failed.values()];
  if (failures.length === queries.length && failures.length > 0 && failures.every(isAccessFatal)) throw toHelmError(failures[0]!, input.access);

  // Short ranges: the detector needs some history before it judges; give it a quarter of the range, at most a day.
  const warmupMs = Math.min(DAY, (input.toMs - fromMs) / 4);
  const series = input.metrics.map((m): AnalyzedSeries => {
    const base = { metric: m.metricName, id: m.id, stat: m.stat, points: [] as AnalyzedPoint[], anomalies: [] as Anomaly[] };
    const byT = new Map<number, number>();
    let failure: AwsFailure | undefined;
    for (const id of idsOf.get(m.id)!) {
      failure ??= fetch.failed.get(id);
      const s = fetch.series.get(id);
      if (s && (s.status === 'Forbidden' || s.status === 'InternalError')) failure ??= { category: 'server', code: s.status, message: s.status, service: 'cloudwatch', operation: 'GetMetricData' };
      s?.timestamps.forEach((t, i) => byT.set(t, (byT.get(t) ?? 0) + s.values[i]! * (m.scale ?? 1)));
    }
    if (failure) return { ...base, status: 'unreadable', reason: failureReason(failure) };
    const ts = [...byT.keys()].sort((a, b) => a - b);
    if (ts.length === 0 && !m.sparse) return { ...base, status: 'no-data', reason: 'no datapoints in the range' };
    // Sparse metrics are zero where nothing was published, up to the last period published.
    const pts = m.sparse
      ? densify(ts, ts.map((t) => byT.get(t)!), fromMs, ts.length ? Math.min(input.toMs, ts[ts.length - 1]! + period * 1000) : input.toMs, period * 1000, 0)
      : ts.map((t) => ({ t, v: byT.get(t)! }));
    const scored = scoreSeries(pts, { warmupMs });
    // A point scored during warm-up has score 0 that says nothing: null, like a point the detector skipped.
    const points = pts.map((p, i) => {
      const s = scored.scores[i];
      return { t: p.t, v: p.v, score: s?.warm ? s.score : null, anomalous: s?.anomalous ?? false };
    });
    if (!scored.scores.some((s) => s?.warm)) {
      const reason = `${pts.length} point${pts.length === 1 ? '' : 's'}: the detector judges a point only after ${DEFAULT_WARMUP} points and ${Math.round(warmupMs / 60_000)} min of history; widen --since`;
      return { ...base, status: 'insufficient-history', reason, points, anomalies: [] };
    }
    // A sparse metric is silent when nothing happens; any other that stops reporting is said, not read as calm.
    const stop = m.sparse ? null : stoppedAt(ts, input.toMs, period * 1000);
    if (stop !== null) return { ...base, status: 'stopped', reason: `${stopText(stop, input.toMs)}: the series stopped; what followed was not judged`, points, anomalies: scored.anomalies };
    return { ...base, status: 'scored', points, anomalies: scored.anomalies };
  });
  return { series, periodSeconds: period, calls: fetch.calls };
}

