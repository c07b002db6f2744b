/** Harmless read calls that tell whether credentials, endpoint and read access work (doctor). */
import { count } from '../core/plural.js';
import { classifyAwsError, type AwsFailure } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface ProbeResult {
  name: string;
  ok: boolean;
  detail: string;
  failure?: AwsFailure;
}

async function attempt(name: string, service: string, operation: string, fn: () => Promise<string>): Promise<ProbeResult> {
  try {
    return { name, ok: true, detail: await fn() };
  } catch (e) {
    const failure = classifyAwsError(e, service, operation);
    return { name, ok: false, detail: `${failure.code}: ${failure.message}`, failure };
  }
}

export async function probeIdentity(p: AwsProvider): Promise<ProbeResult> {
  return attempt('credentials resolve (sts:GetCallerIdentity)', 'sts', 'GetCallerIdentity', async () => {
    const sts = await import('@aws-sdk/client-sts');
    const out = await (await p.client('sts', async () => sts.STSClient)).send(new sts.GetCallerIdentityCommand({}));
    return `account ${out.Account ?? '?'} as ${out.Arn ?? '?'}`;
  });
}

export async function probeReadAccess(p: AwsProvider): Promise<ProbeResult[]> {
  return Promise.all([
    attempt('CloudWatch read (cloudwatch:DescribeAlarms)', 'cloudwatch', 'DescribeAlarms', async () => {
      const cw = await import('@aws-sdk/client-cloudwatch');
      const out = await (await p.client('cloudwatch', async () => cw.CloudWatchClient)).send(new cw.DescribeAlarmsCommand({ MaxRecords: 1 }));
      return `ok (${count(out.MetricAlarms?.length ?? 0, 'alarm')} on the first page)`;
    }),
    attempt('CloudWatch Logs read (logs:DescribeLogGroups)', 'logs', 'DescribeLogGroups', async () => {
      const logs = await import('@aws-sdk/client-cloudwatch-logs');
      const out = await (await p.client('logs', async () => logs.CloudWatchLogsClient)).send(new logs.DescribeLogGroupsCommand({ limit: 1 }));
      return `ok (${count(out.logGroups?.length ?? 0, 'log group')} on the first page)`;
    }),
    attempt('Lambda read (lambda:ListFunctions)', 'lambda', 'ListFunctions', async () => {
      const lambda = await import('@aws-sdk/client-lambda');
      const out = await (await p.client('lambda', async () => lambda.LambdaClient)).send(new lambda.ListFunctionsCommand({ MaxItems: 1 }));
      return `ok (${count(out.Functions?.length ?? 0, 'function')} on the first page)`;
    }),
    // What audit reads: Security Hub findings, Config rules, Cost Explorer costs.
    attempt('Security Hub read for audit (securityhub:GetFindings)', 'securityhub', 'GetFindings', async () => {
      const sh = await import('@aws-sdk/client-securityhub');
      const out = await (await p.client('securityhub', async () => sh.SecurityHubClient)).send(new sh.GetFindingsCommand({ MaxResults: 1 }));
      return `ok (${count(out.Findings?.length ?? 0, 'finding')} on the first page)`;
    }),
    attempt('Config read for audit (config:DescribeConfigRules)', 'config', 'DescribeConfigRules', async () => {
      const config = await import('@aws-sdk/client-config-service');
      const out = await (await p.client('config', async () => config.ConfigServiceClient)).send(new config.DescribeConfigRulesCommand({}));
      return `ok (${count(out.ConfigRules?.length ?? 0, 'rule')} on the first page)`;
    }),
    attempt('Cost Explorer read for audit (ce:GetCostAndUsage)', 'ce', 'GetCostAndUsage', async () => {
      const ce = await import('@aws-sdk/client-cost-explorer');
      const day = (d: number) => new Date(Date.now() - d * 86400_000).toISOString().slice(0, 10);
      const out = await (await p.client('ce', async () => ce.CostExplorerClient)).send(new ce.GetCostAndUsageCommand({ TimePeriod: { Start: day(2), End: day(1) }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }));
      return `ok (${count(out.ResultsByTime?.length ?? 0, 'day')} of costs)`;
    }),
  ]);
}

/** Plain HTTP reachability of a custom endpoint (any HTTP answer counts as reachable). */
export async function probeEndpoint(endpoint: string, timeoutMs = 3000): Promise<ProbeResult> {
  const name = `endpoint reachable (${endpoint})`;
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    return { name, ok: true, detail: `HTTP ${res.status}` };
  } catch (e) {
    return { name, ok: false, detail: String((e as Error).cause ?? (e as Error).message) };
  }
}
