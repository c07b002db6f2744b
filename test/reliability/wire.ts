/**
 * Proxy rules shared by the reliability cases: operations moto lacks, answered from the named
 * test/fixtures/wire/*.not-in-moto.json files, so a fault-free control run can reach a HEALTHY/PASS baseline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moto, type Rule } from '../support/index.js';

const WIRE = join(import.meta.dirname, '..', 'fixtures', 'wire');

export function fromFixture(service: string, operation: string, file: string): Rule {
  const f = JSON.parse(readFileSync(join(WIRE, file), 'utf8')) as { status: number; headers: Record<string, string>; body: unknown };
  return { service, operation, respond: () => ({ status: f.status, headers: f.headers, body: JSON.stringify(f.body) }) };
}

/** Audit reads moto lacks, for a quiet account. */
export const quietAccount = (): Rule[] => [
  fromFixture('ce', 'GetAnomalies', 'ce.GetAnomalies.none.not-in-moto.json'),
  fromFixture('ce', 'GetCostForecast', 'ce.GetCostForecast.data-unavailable.not-in-moto.json'),
  fromFixture('securityhub', 'POST /standards/get', 'securityhub.GetEnabledStandards.fsbp-ready.not-in-moto.json'),
  fromFixture('config', 'DescribeConformancePacks', 'config.DescribeConformancePacks.none.not-in-moto.json'),
];

interface WireQuery {
  Id: string;
  MetricStat: { Metric: { MetricName: string }; Period: number; Stat: string };
}
const isPercentile = (q: WireQuery) => /^p\d/.test(q.MetricStat.Stat);

/**
 * moto fails a whole GetMetricData call holding a percentile query (HTTP 500). This rule answers the percentile
 * queries with `p95Ms` in the shape of cloudwatch.GetMetricData.p95.not-in-moto.json and sends the rest to moto.
 */
export function percentiles(p95Ms: number): Rule {
  const template = (JSON.parse(readFileSync(join(WIRE, 'cloudwatch.GetMetricData.p95.not-in-moto.json'), 'utf8')) as { MetricDataResults: object[] }).MetricDataResults[0]!;
  return {
    service: 'cloudwatch',
    operation: 'GetMetricData',
    when: (c) => /"Stat":"p\d/.test(c.body.toString()),
    respond: async (call) => {
      const req = JSON.parse(call.body.toString()) as { MetricDataQueries: WireQuery[]; EndTime: number };
      const standard = req.MetricDataQueries.filter((q) => !isPercentile(q));
      let results: unknown[] = [];
      if (standard.length) {
        const res = await fetch(moto(), {
          method: 'POST',
          headers: { 'content-type': String(call.headers['content-type']), 'x-amz-target': String(call.headers['x-amz-target']), authorization: String(call.headers.authorization) },
          body: JSON.stringify({ ...req, MetricDataQueries: standard }),
        });
        results = ((await res.json()) as { MetricDataResults: unknown[] }).MetricDataResults;
      }
      for (const q of req.MetricDataQueries.filter(isPercentile)) {
        results.push({ ...template, Id: q.Id, Label: q.MetricStat.Metric.MetricName, Timestamps: [req.EndTime - q.MetricStat.Period], Values: [p95Ms] });
      }
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ MetricDataResults: results, Messages: [] }) };
    },
  };
}

/**
 * moto ignores MaxRecords on DescribeAlarms and returns every alarm in one page; real CloudWatch pages by 100.
 * This rule forwards the first call to moto and cuts its answer to the first 100 alarms with a NextToken, so the
 * product has to ask for a second page (which a later rule can then fail). awsJson1_0 only, as the SDK speaks it.
 */
export function pagedDescribeAlarms(): Rule {
  return {
    service: 'cloudwatch',
    operation: 'DescribeAlarms',
    when: (c) => c.protocol === 'json' && !('NextToken' in (JSON.parse(c.body.toString() || '{}') as object)),
    respond: async (call) => {
      const res = await fetch(moto(), {
        method: 'POST',
        headers: { 'content-type': String(call.headers['content-type']), 'x-amz-target': String(call.headers['x-amz-target']), authorization: String(call.headers.authorization) },
        body: call.body,
      });
      const page = (await res.json()) as { MetricAlarms?: unknown[]; NextToken?: string };
      const alarms = page.MetricAlarms ?? [];
      const body = alarms.length > 100 ? { ...page, MetricAlarms: alarms.slice(0, 100), NextToken: 'page-2' } : page;
      return { status: res.status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
    },
  };
}
