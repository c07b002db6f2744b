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

export { percentiles } from '../support/index.js';

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

/** The restart marker restart_lambda writes, read straight from moto (GetFunction: moto's GetFunctionConfiguration omits Environment). */
export async function restartMarker(name: string): Promise<string | undefined> {
  const L = await import('@aws-sdk/client-lambda');
  const c = new L.LambdaClient({ region: 'us-east-1', endpoint: moto(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  try {
    return (await c.send(new L.GetFunctionCommand({ FunctionName: name }))).Configuration?.Environment?.Variables?.HELM_CLOUD_RESTARTED_AT;
  } finally {
    c.destroy();
  }
}
