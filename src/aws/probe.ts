/** Harmless read calls that tell whether credentials, endpoint and read access work (doctor). */
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
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

/**
 * Plain HTTP reachability of a custom endpoint (any HTTP answer counts as reachable). Asked with node:http, as the
 * SDK's own handler connects: fetch refuses some ports outright ("bad port") that the SDK would use.
 */
export async function probeEndpoint(endpoint: string, timeoutMs = 3000): Promise<ProbeResult> {
  const name = `endpoint reachable (${endpoint})`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { name, ok: false, detail: 'not a URL: expected http://HOST:PORT or https://HOST' };
  }
  const get = url.protocol === 'https:' ? httpsGet : url.protocol === 'http:' ? httpGet : undefined;
  if (!get) return { name, ok: false, detail: `unsupported scheme ${url.protocol}: expected http:// or https://` };
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ name, ok: true, detail: `HTTP ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ name, ok: false, detail: connectFailure(e, url, timeoutMs) }));
  });
}

/** The connection failure in words (the raw code stays in brackets for searching). */
function connectFailure(e: NodeJS.ErrnoException, url: URL, timeoutMs: number): string {
  const where = url.host;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused: nothing listens on ${where} [ECONNREFUSED]`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${url.hostname} not found [${e.code}]`;
    case 'ETIMEDOUT':
      return `no answer from ${where} within ${timeoutMs / 1000} s [ETIMEDOUT]`;
    case 'ECONNRESET':
      return `${where} closed the connection [ECONNRESET]`;
    default:
      return `cannot connect to ${where}: ${e.code ?? e.message}`;
  }
}
