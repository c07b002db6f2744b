/**
 * moto cannot compute percentile statistics: a GetMetricData call holding one fails whole (HTTP 500). For the
 * demo, the fault proxy answers each percentile query from the datapoints moto holds: it asks moto for the same
 * metric minute by minute (the highest value of each minute, which for the sandbox's one datapoint a minute is
 * that datapoint), groups the minutes into the query's periods, and takes the nearest-rank percentile of each
 * period, as CloudWatch would from the samples. Standard statistics of the same call go to moto unchanged.
 */
import type { FixedResponse, Rule } from './fault-proxy.js';

interface WireQuery {
  Id: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace?: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string; Unit?: string };
}
interface WireRequest {
  StartTime: number;
  EndTime: number;
  ScanBy?: string;
  MetricDataQueries: WireQuery[];
}
interface WireResult {
  Id: string;
  Label?: string;
  Timestamps?: number[];
  Values?: number[];
  StatusCode?: string;
}

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;
const isPercentile = (q: WireQuery) => Boolean(q.MetricStat && PERCENTILE.test(q.MetricStat.Stat));
const MAX_QUERIES = 500;

/** Nearest-rank percentile of `values` (not empty). */
export function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Per-period percentiles of minute samples `[t (s), v]` over [start, end) in periods of `period` seconds from `start`. */
export function periodPercentiles(samples: [number, number][], start: number, end: number, period: number, p: number): { t: number; v: number }[] {
  const out: { t: number; v: number }[] = [];
  for (let from = start; from < end; from += period) {
    const vs = samples.filter(([t]) => t >= from && t < from + period && t < end).map(([, v]) => v);
    if (vs.length) out.push({ t: from, v: nearestRank(vs, p) });
  }
  return out;
}

export function percentilesFromData(upstream: string): Rule {
  return {
    service: 'cloudwatch',
    operation: 'GetMetricData',
    when: (c) => /"Stat":"p\d/.test(c.body.toString()),
    respond: async (call): Promise<FixedResponse> => {
      const req = JSON.parse(call.body.toString()) as WireRequest;
      const ask = async (queries: WireQuery[]): Promise<WireResult[]> => {
        const results: WireResult[] = [];
        for (let i = 0; i < queries.length; i += MAX_QUERIES) {
          let token: string | undefined;
          do {
            const res = await fetch(upstream, {
              method: 'POST',
              headers: { 'content-type': String(call.headers['content-type']), 'x-amz-target': String(call.headers['x-amz-target']), authorization: String(call.headers.authorization) },
              body: JSON.stringify({ StartTime: req.StartTime, EndTime: req.EndTime, ScanBy: 'TimestampAscending', MetricDataQueries: queries.slice(i, i + MAX_QUERIES), NextToken: token }),
            });
            if (!res.ok) throw new Error(`the emulator answered GetMetricData with HTTP ${res.status}`);
            const page = (await res.json()) as { MetricDataResults?: WireResult[]; NextToken?: string };
            results.push(...(page.MetricDataResults ?? []));
            token = page.NextToken;
          } while (token);
        }
        return results;
      };
      try {
        const standard = req.MetricDataQueries.filter((q) => !isPercentile(q));
        const pct = req.MetricDataQueries.filter(isPercentile);
        const results = standard.length ? await ask(standard) : [];
        const minutes = await ask(pct.map((q, i) => ({ Id: `minute${i}`, ReturnData: true, MetricStat: { ...q.MetricStat!, Period: 60, Stat: 'Maximum' } })));
        pct.forEach((q, i) => {
          const m = minutes.filter((r) => r.Id === `minute${i}`);
          const samples: [number, number][] = m.flatMap((r) => (r.Timestamps ?? []).map((t, k) => [Number(t), r.Values![k]!] as [number, number]));
          const p = Number(PERCENTILE.exec(q.MetricStat!.Stat)![1]);
          // moto starts its periods at the whole second of StartTime; so do these.
          let points = periodPercentiles(samples, Math.floor(Number(req.StartTime)), Number(req.EndTime), q.MetricStat!.Period, p);
          if (req.ScanBy === 'TimestampDescending') points = points.reverse();
          results.push({ Id: q.Id, Label: q.MetricStat!.Metric.MetricName, Timestamps: points.map((x) => x.t), Values: points.map((x) => x.v), StatusCode: 'Complete' });
        });
        return { status: 200, headers: { 'content-type': String(call.headers['content-type'] ?? 'application/x-amz-json-1.0') }, body: JSON.stringify({ MetricDataResults: results, Messages: [] }) };
      } catch (e) {
        const message = `the sandbox could not compute the percentiles: ${(e as Error).message}`;
        return { status: 500, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'InternalFailure' }, body: JSON.stringify({ __type: 'InternalFailure', message }) };
      }
    },
  };
}
