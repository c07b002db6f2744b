/**
 * The sandbox account's security, compliance and cost data, so `helm-cloud audit --type all` has real sections:
 * Security Hub findings (moto stores and returns them), Config rules with a running recorder (moto), and 60 days
 * of daily cost (moto's static Cost Explorer results). What moto cannot serve (enabled standards, rule
 * compliance, anomalies, forecast) the demo's proxy answers from ./wire (see not-in-moto.ts). The deliberate
 * faults match the fleet: checkout-fn is publicly invocable, the orders-exports bucket is unencrypted, and
 * Lambda spend grew once orders-worker started failing and retrying.
 */
import { comparisonPeriods } from '../core/cost.js';
import { SANDBOX_CONFIG_RULES } from './not-in-moto.js';
import { SANDBOX_ACCOUNT, type Seeder } from './seed.js';

const DAY = 86_400_000;
const fnArn = (s: Seeder, name: string) => `arn:aws:lambda:${s.region}:${SANDBOX_ACCOUNT}:function:${name}`;

interface Control {
  id: string;
  control: string;
  title: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
  status: 'PASSED' | 'FAILED';
  resource: string;
  type: string;
  fix: string;
}

function finding(s: Seeder, c: Control, now: number): object {
  const at = new Date(now - 2 * 3600_000).toISOString();
  return {
    SchemaVersion: '2018-10-08',
    Id: `sandbox/${c.id}`,
    ProductArn: `arn:aws:securityhub:${s.region}::product/aws/securityhub`,
    GeneratorId: `security-control/${c.control}`,
    AwsAccountId: SANDBOX_ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'],
    CreatedAt: at,
    UpdatedAt: at,
    Severity: { Label: c.status === 'PASSED' ? 'INFORMATIONAL' : c.severity },
    Title: c.title,
    Description: `${c.control}: ${c.title}`,
    Resources: [{ Type: c.type, Id: c.resource, Region: s.region }],
    Compliance: { Status: c.status, SecurityControlId: c.control },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
    Remediation: { Recommendation: { Text: c.fix, Url: `https://docs.aws.amazon.com/securityhub/latest/userguide/${c.control.split('.')[0]!.toLowerCase()}-controls.html` } },
  };
}

/** Daily UnblendedCost over both comparison periods; `daily[key] = [previous per day, current per day]`. */
function costResult(now: number, daily: Record<string, [number, number]>, tagKey?: string): object {
  const p = comparisonPeriods(now, 30);
  const start = Date.parse(p.previous.start);
  const ResultsByTime = Array.from({ length: 60 }, (_, i) => ({
    TimePeriod: { Start: new Date(start + i * DAY).toISOString().slice(0, 10), End: new Date(start + (i + 1) * DAY).toISOString().slice(0, 10) },
    Total: {},
    Groups: Object.entries(daily).map(([k, [prev, cur]]) => ({ Keys: [tagKey ? `${tagKey}$${k}` : k], Metrics: { UnblendedCost: { Amount: (i < 30 ? prev : cur).toFixed(2), Unit: 'USD' } } })),
    Estimated: i >= 58,
  }));
  return { ResultsByTime, DimensionValueAttributes: [], GroupDefinitions: [{ Type: tagKey ? 'TAG' : 'DIMENSION', Key: tagKey ?? 'SERVICE' }] };
}

export async function seedSandboxAccount(s: Seeder, now: number): Promise<void> {
  await s.createBucket('orders-exports');
  const controls: Control[] = [
    { id: 'lambda-1-checkout-fn', control: 'Lambda.1', title: 'Lambda function policies should prohibit public access', severity: 'CRITICAL', status: 'FAILED', resource: fnArn(s, 'checkout-fn'), type: 'AwsLambdaFunction', fix: 'Remove the statement granting lambda:InvokeFunction to Principal "*" from the function policy.' },
    { id: 's3-8-orders-exports', control: 'S3.8', title: 'S3 general purpose buckets should block public access', severity: 'HIGH', status: 'FAILED', resource: 'arn:aws:s3:::orders-exports', type: 'AwsS3Bucket', fix: 'Turn on all four Block Public Access settings for the bucket.' },
    { id: 'lambda-2-orders-worker', control: 'Lambda.2', title: 'Lambda functions should use supported runtimes', severity: 'MEDIUM', status: 'PASSED', resource: fnArn(s, 'orders-worker'), type: 'AwsLambdaFunction', fix: 'Move the function to a supported runtime.' },
    { id: 'rds-3-orders-db', control: 'RDS.3', title: 'RDS DB instances should have encryption at-rest enabled', severity: 'MEDIUM', status: 'PASSED', resource: `arn:aws:rds:${s.region}:${SANDBOX_ACCOUNT}:db:orders-db`, type: 'AwsRdsDbInstance', fix: 'Encrypt the instance (restore an encrypted snapshot).' },
  ];
  await s.securityHubFindings(controls.map((c) => finding(s, c, now)));
  await s.configRules(SANDBOX_CONFIG_RULES);
  // By service first, then by the project tag: the order the audit asks in.
  await s.costAndUsageResults([
    costResult(now, { 'AWS Lambda': [3.2, 4.48], 'Amazon Relational Database Service': [2.4, 2.4], 'Amazon Elastic Container Service': [1.6, 1.6], 'Amazon CloudWatch': [0.4, 0.45] }),
    costResult(now, { orders: [5.6, 6.9], checkout: [1.6, 1.63], '': [0.4, 0.4] }, 'project'),
  ]);
}
