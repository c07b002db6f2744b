/**
 * Per-minute series for statistical comparison (canary vs baseline, after vs before a deploy), built from the
 * resource descriptors: every ratio SLO (bad / total events) becomes a per-minute ratio, and every percentile
 * metric a per-minute latency. One GetMetricData batch for all of them. A percentile the endpoint cannot answer
 * falls back to the Average of the same metric, and the comparison says so.
 */
import type { CloudWatchApi, MetricQuery } from '../../aws/cloudwatch.js';
import type { LiveResource } from '../../config/load.js';
import type { CanaryMetric } from '../../core/canary-judge.js';
import type { Dim, ResourceDescriptor } from '../../resources/types.js';

export interface Side {
  label: string;
  resource: LiveResource;
  /** Dimensions added to the descriptor's (ExecutedVersion, Resource for an alias). */
  extraDims?: Dim[];
  startMs: number;
  endMs: number;
}

export interface SeriesPlan {
  metrics: { name: string; kind: 'ratio' | 'level'; direction: 'increase' | 'decrease'; critical: boolean; ids: string[] }[];
  queries: MetricQuery[];
}

const PERIOD_S = 60;

function queryId(side: number, metric: string, stat: string): string {
  return `s${side}_${metric}_${stat}`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

/** What to compare for a type: ratio SLOs with events, and percentile metrics. */
export function comparableMetrics(d: ResourceDescriptor): { name: string; kind: 'ratio' | 'level'; bad?: string[]; total?: string[]; metric?: string; direction: 'increase' | 'decrease'; critical: boolean }[] {
  const out: ReturnType<typeof comparableMetrics> = [];
  const seen = new Set<string>();
  for (const s of d.slos) {
    if (!s.events) continue;
    const key = [...s.events.bad, '/', ...s.events.total].join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    // Availability and error rate read the same events: a rising bad share is bad for both.
    out.push({ name: s.key.replace(/_percent$/, ''), kind: 'ratio', bad: s.events.bad, total: s.events.total, direction: 'increase', critical: true });
  }
  for (const m of d.metrics) if (/^p\d+(\.\d+)?$/.test(m.stat)) out.push({ name: m.id, kind: 'level', metric: m.id, direction: 'increase', critical: false });
  return out;
}

export function planQueries(d: ResourceDescriptor, sides: Side[]): MetricQuery[] {
  const queries: MetricQuery[] = [];
  sides.forEach((side, i) => {
    const dims = [...d.dimensions(side.resource), ...(side.extraDims ?? [])];
    for (const m of d.metrics) {
      const stats = /^p\d/.test(m.stat) ? [m.stat, 'Average'] : [m.stat];
      for (const stat of stats) queries.push({ id: queryId(i, m.id, stat), namespace: d.namespace, metricName: m.metricName, dimensions: dims, stat, periodSeconds: PERIOD_S });
    }
  });
  return queries;
}

type Buckets = Map<number, number>;

function bucketsOf(fetch: Awaited<ReturnType<CloudWatchApi['getMetricData']>>, id: string): Buckets | undefined {
  const s = fetch.series.get(id);
  if (!s || fetch.failed.has(id)) return undefined;
  const b: Buckets = new Map();
  s.timestamps.forEach((t, k) => b.set(Math.floor(t / 60_000), (b.get(Math.floor(t / 60_000)) ?? 0) + s.values[k]!));
  return b;
}

export interface Compared {
  metrics: CanaryMetric[];
  notes: string[];
  calls: number;
}

/**
 * Fetches both sides in one batch (each side its own time range: CloudWatch takes one range per call, so sides
 * with different ranges go in one call each) and turns them into judge inputs, side 0 = canary/after.
 */
export async function compareSides(cw: CloudWatchApi, d: ResourceDescriptor, canary: Side, baseline: Side): Promise<Compared> {
  const notes: string[] = [];
  const sameRange = canary.startMs === baseline.startMs && canary.endMs === baseline.endMs;
  const all = planQueries(d, [canary, baseline]);
  const fetches = sameRange
    ? [await cw.getMetricData(all, canary.startMs, canary.endMs)]
    : [
        await cw.getMetricData(all.filter((q) => q.id.startsWith('s0_')), canary.startMs, canary.endMs),
        await cw.getMetricData(all.filter((q) => q.id.startsWith('s1_')), baseline.startMs, baseline.endMs),
      ];
  const get = (side: number, metric: string, stat: string) => {
    for (const f of fetches) {
      const b = bucketsOf(f, queryId(side, metric, stat));
      if (b) return b;
    }
    return undefined;
  };
  const failed = (side: number, metric: string, stat: string) => fetches.some((f) => f.failed.has(queryId(side, metric, stat)));
  const metrics: CanaryMetric[] = [];
  for (const c of comparableMetrics(d)) {
    if (c.kind === 'ratio') {
      const sideSeries = [0, 1].map((side) => {
        const sumOf = (ids: string[]) => {
          const out: Buckets = new Map();
          for (const id of ids) {
            const spec = d.metrics.find((m) => m.id === id)!;
            const b = get(side, id, spec.stat);
            if (!b) {
              // A sparse metric (errors) that answered with nothing is zero; a failed one is unknown.
              if (spec.sparse && !failed(side, id, spec.stat)) continue;
              return undefined;
            }
            for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
          }
          return out;
        };
        const bad = sumOf(c.bad!);
        const total = sumOf(c.total!);
        if (!bad || !total) return undefined;
        const values: number[] = [];
        let events = 0;
        for (const [k, t] of [...total].sort((a, b) => a[0] - b[0])) {
          if (t <= 0) continue;
          values.push(((bad.get(k) ?? 0) / t) * 100);
          events += t;
        }
        return { values, events };
      });
      const [cs, bs] = sideSeries;
      if (!cs || !bs) notes.push(`${c.name}: metrics unavailable for ${!cs ? canary.label : baseline.label}`);
      metrics.push({ name: c.name, canary: cs?.values ?? [], baseline: bs?.values ?? [], direction: c.direction, critical: c.critical, canaryEvents: cs?.events ?? 0, baselineEvents: bs?.events ?? 0 });
    } else {
      const spec = d.metrics.find((m) => m.id === c.metric)!;
      const stat = comparedStat(spec.stat, [Boolean(get(0, spec.id, spec.stat)), Boolean(get(1, spec.id, spec.stat))]);
      const usedAverage = stat !== spec.stat;
      if (usedAverage && (get(0, spec.id, 'Average') || get(1, spec.id, 'Average'))) notes.push(`${c.name}: ${spec.stat} unavailable from the endpoint; compared the Average of ${spec.metricName} instead`);
      const values = (side: number) => [...(get(side, spec.id, stat) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]).map(([, v]) => v * (spec.scale ?? 1));
      metrics.push({ name: usedAverage ? `${spec.metricName.toLowerCase()}_average` : c.name, canary: values(0), baseline: values(1), direction: c.direction, critical: c.critical });
    }
  }
  return { metrics, notes, calls: fetches.reduce((a, f) => a + f.calls, 0) };
}

/**
 * The statistic both sides are compared on: the percentile when both answered it, else the Average on both. A
 * percentile on one side against an Average on the other compares a tail with a centre (p99 is far above the
 * mean), a difference the judge would read as a change.
 */
export function comparedStat(stat: string, answered: readonly [boolean, boolean]): string {
  return answered[0] && answered[1] ? stat : 'Average';
}
