/**
 * moto fails a whole GetMetricData call holding a percentile query (HTTP 500). This proxy rule answers the
 * percentile queries in the shape of test/fixtures/wire/cloudwatch.GetMetricData.p95.not-in-moto.json and sends
 * the standard queries of the same call on to moto.
 * `p95`: one value for every percentile query, or values keyed by a dimension value (none: an empty series).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rule } from '../../src/sandbox/fault-proxy.js';

const FIXTURE = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'wire', 'cloudwatch.GetMetricData.p95.not-in-moto.json'), 'utf8')) as {
  MetricDataResults: object[];
};

interface WireQuery {
  Id: string;
  MetricStat: { Metric: { MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string };
}
const isPercentile = (q: WireQuery) => /^p\d/.test(q.MetricStat.Stat);

export function percentiles(p95: number | Record<string, number>): Rule {
  const valueFor = (q: WireQuery): number | undefined => {
    if (typeof p95 === 'number') return p95;
    const key = q.MetricStat.Metric.Dimensions?.map((d) => d.Value).find((value) => value in p95);
    return key === undefined ? undefined : p95[key];
  };
  return {
    service: 'cloudwatch',
    operation: 'GetMetricData',
    when: (c) => /"Stat":"p\d/.test(c.body.toString()),
    respond: async (call) => {
      const req = JSON.parse(call.body.toString()) as { MetricDataQueries: WireQuery[]; EndTime: number };
      const standard = req.MetricDataQueries.filter((q) => !isPercentile(q));
      let results: unknown[] = [];
      if (standard.length) {
        const res = await fetch(process.env.AWS_ENDPOINT_URL!, {
          method: 'POST',
          headers: { 'content-type': String(call.headers['content-type']), 'x-amz-target': String(call.headers['x-amz-target']), authorization: String(call.headers.authorization) },
          body: JSON.stringify({ ...req, MetricDataQueries: standard }),
        });
        results = ((await res.json()) as { MetricDataResults: unknown[] }).MetricDataResults;
      }
      const template = FIXTURE.MetricDataResults[0]!;
      for (const q of req.MetricDataQueries.filter(isPercentile)) {
        const v = valueFor(q);
        results.push({ ...template, Id: q.Id, Label: q.MetricStat.Metric.MetricName, Timestamps: v === undefined ? [] : [req.EndTime - q.MetricStat.Period], Values: v === undefined ? [] : [v] });
      }
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ MetricDataResults: results, Messages: [] }) };
    },
  };
}
