/**
 * The sandbox account's answers to the operations moto lacks (design notes: "Missing in moto"), from
 * src/sandbox/wire/*.not-in-moto.json in the real wire format of each operation, served by the fault proxy in
 * front of moto. Everything moto can answer goes to moto. Dated fixtures carry `_recorded`: their dates move by
 * (today − _recorded), so an anomaly "since 3 days ago" stays 3 days old whenever the demo runs.
 */
import anomalies from './wire/ce.GetAnomalies.sandbox-lambda-retries.not-in-moto.json' with { type: 'json' };
import forecast from './wire/ce.GetCostForecast.sandbox-thirty-days.not-in-moto.json' with { type: 'json' };
import compliance from './wire/config.DescribeComplianceByConfigRule.sandbox.not-in-moto.json' with { type: 'json' };
import packs from './wire/config.DescribeConformancePacks.none.not-in-moto.json' with { type: 'json' };
import lambdaPublic from './wire/config.GetComplianceDetailsByConfigRule.sandbox-checkout-fn-public.not-in-moto.json' with { type: 'json' };
import s3Unencrypted from './wire/config.GetComplianceDetailsByConfigRule.sandbox-orders-exports-unencrypted.not-in-moto.json' with { type: 'json' };
import standards from './wire/securityhub.GetEnabledStandards.fsbp-ready.not-in-moto.json' with { type: 'json' };
import type { FixedResponse, Rule } from './fault-proxy.js';

interface Fixture {
  _recorded?: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const DAY = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every YYYY-MM-DD string in `v` moved by `days`. */
function shiftDays(v: unknown, days: number): unknown {
  if (typeof v === 'string' && ISO_DAY.test(v)) return new Date(Date.parse(`${v}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map((x) => shiftDays(x, days));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shiftDays(x, days)]));
  return v;
}

function answer(f: Fixture, now: number): FixedResponse {
  const days = f._recorded ? Math.floor((now - Date.parse(`${f._recorded}T00:00:00Z`)) / DAY) : 0;
  return { status: f.status, headers: f.headers, body: JSON.stringify(days ? shiftDays(f.body, days) : f.body) };
}

/** The configuration rules these fixtures evaluate: the demo creates them in moto with PutConfigRule. */
export const SANDBOX_CONFIG_RULES = [
  { name: 'lambda-function-public-access-prohibited', source: 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED', scope: 'AWS::Lambda::Function' },
  { name: 's3-bucket-server-side-encryption-enabled', source: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', scope: 'AWS::S3::Bucket' },
  { name: 'rds-storage-encrypted', source: 'RDS_STORAGE_ENCRYPTED', scope: 'AWS::RDS::DBInstance' },
] as const;

const detailsByRule: Record<string, Fixture> = {
  'lambda-function-public-access-prohibited': lambdaPublic,
  's3-bucket-server-side-encryption-enabled': s3Unencrypted,
};

/** Proxy rules answering what moto lacks for the sandbox account; `now` is read per call. */
export function notInMotoRules(now: () => number = Date.now): Rule[] {
  const from = (service: string, operation: string, f: Fixture): Rule => ({ service, operation, respond: () => answer(f, now()) });
  return [
    from('ce', 'GetAnomalies', anomalies),
    from('ce', 'GetCostForecast', forecast),
    from('securityhub', 'POST /standards/get', standards),
    from('config', 'DescribeComplianceByConfigRule', compliance),
    from('config', 'DescribeConformancePacks', packs),
    {
      service: 'config',
      operation: 'GetComplianceDetailsByConfigRule',
      respond: (call) => {
        const rule = (JSON.parse(call.body.toString()) as { ConfigRuleName?: string }).ConfigRuleName ?? '';
        const f = detailsByRule[rule];
        return f ? answer(f, now()) : { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ EvaluationResults: [] }) };
      },
    },
  ];
}
