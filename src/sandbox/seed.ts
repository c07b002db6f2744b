/**
 * Seeding through the ordinary AWS APIs, for the sandbox demo (`helm-cloud demo` runs it) and the tests; never
 * used against real AWS by the product's commands, and the only src/ file outside the adapters that imports
 * service clients (.dependency-cruiser.cjs says so). Interop facts about moto live here:
 * - Large PutMetricData bodies are gzip-compressed by the SDK and moto answers 500: seeding clients set
 *   disableRequestCompression. The product's own clients keep the SDK default.
 * - CreateFunction needs an IAM role to exist first.
 */
import { zipFiles } from './zip.js';

export interface SeedTarget {
  endpoint: string;
  region?: string;
}

export interface Point {
  /** Epoch ms. */
  t: number;
  v: number;
}

export const SANDBOX_ACCOUNT = '123456789012';

export class Seeder {
  readonly endpoint: string;
  readonly region: string;
  private readonly cfg: Record<string, unknown>;
  private roleArn?: string;
  private cache = new Map<string, unknown>();

  constructor(t: SeedTarget) {
    this.endpoint = t.endpoint;
    this.region = t.region ?? 'us-east-1';
    this.cfg = {
      region: this.region,
      endpoint: this.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 2,
      disableRequestCompression: true,
    };
  }

  private async client<T>(key: string, make: (cfg: Record<string, unknown>) => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, await make(this.cfg));
    return this.cache.get(key) as T;
  }

  private lambda() {
    return this.client('lambda', async (c) => new (await import('@aws-sdk/client-lambda')).LambdaClient(c));
  }
  private cw() {
    return this.client('cw', async (c) => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(c));
  }
  private logs() {
    return this.client('logs', async (c) => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(c));
  }

  async lambdaRole(): Promise<string> {
    if (this.roleArn) return this.roleArn;
    const { IAMClient, CreateRoleCommand, GetRoleCommand } = await import('@aws-sdk/client-iam');
    const iam = await this.client('iam', async (c) => new IAMClient(c));
    const RoleName = 'helm-cloud-sandbox-lambda';
    try {
      this.roleArn = (await iam.send(new GetRoleCommand({ RoleName }))).Role!.Arn!;
    } catch {
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
      this.roleArn = (await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: doc }))).Role!.Arn!;
    }
    return this.roleArn;
  }

  async createFunction(name: string, opts: { memory?: number; timeout?: number; env?: Record<string, string>; runtime?: string; publish?: boolean } = {}): Promise<string> {
    const { CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
    const out = await (await this.lambda()).send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: (opts.runtime ?? 'nodejs20.x') as never,
        Role: await this.lambdaRole(),
        Handler: 'index.handler',
        Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => ({ statusCode: 200 });\n' }) },
        MemorySize: opts.memory ?? 128,
        Timeout: opts.timeout ?? 3,
        Environment: opts.env ? { Variables: opts.env } : undefined,
        Publish: opts.publish ?? false,
      }),
    );
    return out.FunctionArn!;
  }

  /** PutMetricData in batches of 1000 datapoints (the API limit). */
  async putMetric(namespace: string, metricName: string, dimensions: Record<string, string>, points: Point[], unit?: string): Promise<void> {
    const { PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const cw = await this.cw();
    const dims = Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
    for (let i = 0; i < points.length; i += 1000) {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: points.slice(i, i + 1000).map((p) => ({ MetricName: metricName, Dimensions: dims, Timestamp: new Date(p.t), Value: p.v, Unit: unit as never })),
        }),
      );
    }
  }

  /** Several metrics in one PutMetricData stream (fewer calls when seeding fleets). */
  async putMetrics(namespace: string, items: { metricName: string; dimensions: Record<string, string>; points: Point[]; unit?: string }[]): Promise<void> {
    const { PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const cw = await this.cw();
    const flat = items.flatMap((it) =>
      it.points.map((p) => ({
        MetricName: it.metricName,
        Dimensions: Object.entries(it.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Timestamp: new Date(p.t),
        Value: p.v,
        Unit: it.unit as never,
      })),
    );
    for (let i = 0; i < flat.length; i += 1000) await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: flat.slice(i, i + 1000) }));
  }

  async putAlarm(name: string, o: { namespace: string; metricName: string; dimensions: Record<string, string>; threshold?: number; state?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; reason?: string }): Promise<void> {
    const { PutMetricAlarmCommand, SetAlarmStateCommand } = await import('@aws-sdk/client-cloudwatch');
    const cw = await this.cw();
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: o.namespace,
        MetricName: o.metricName,
        Dimensions: Object.entries(o.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: o.threshold ?? 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    // moto never evaluates alarms: set the state explicitly.
    if (o.state) await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: o.state, StateReason: o.reason ?? `seeded ${o.state}` }));
  }

  async putLogEvents(group: string, stream: string, events: { t: number; message: string }[]): Promise<void> {
    const { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const logs = await this.logs();
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    } catch (e) {
      if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
    }
    try {
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    } catch (e) {
      if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
    }
    const sorted = [...events].sort((a, b) => a.t - b.t);
    for (let i = 0; i < sorted.length; i += 5000) {
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: sorted.slice(i, i + 5000).map((e) => ({ timestamp: e.t, message: e.message })) }));
    }
  }

  async createDbInstance(id: string, o: { instanceClass?: string; engine?: string; storageGb?: number; parameterGroup?: string } = {}): Promise<string> {
    const { RDSClient, CreateDBInstanceCommand, CreateDBParameterGroupCommand } = await import('@aws-sdk/client-rds');
    const rds = await this.client('rds', async (c) => new RDSClient(c));
    if (o.parameterGroup) {
      try {
        await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: o.parameterGroup, DBParameterGroupFamily: 'postgres16', Description: 'helm-cloud sandbox' }));
      } catch (e) {
        if (!/AlreadyExists/.test((e as Error).name)) throw e;
      }
    }
    const out = await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: o.instanceClass ?? 'db.t3.micro',
        Engine: o.engine ?? 'postgres',
        AllocatedStorage: o.storageGb ?? 20,
        MasterUsername: 'sandbox',
        MasterUserPassword: 'sandbox-password-1',
        DBParameterGroupName: o.parameterGroup,
      }),
    );
    return out.DBInstance!.DBInstanceArn!;
  }

  async createEcsService(cluster: string, service: string, o: { desired?: number; image?: string } = {}): Promise<string> {
    const { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand } = await import('@aws-sdk/client-ecs');
    const ecs = await this.client('ecs', async (c) => new ECSClient(c));
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: service, containerDefinitions: [{ name: service, image: o.image ?? 'public.ecr.aws/nginx/nginx:latest', memory: 512, essential: true }] }),
    );
    const out = await ecs.send(new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: o.desired ?? 2 }));
    return out.service!.serviceArn!;
  }

  async registerTaskDefinition(family: string, image: string): Promise<string> {
    const { ECSClient, RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    const ecs = await this.client('ecs', async (c) => new ECSClient(c));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: family, image, memory: 512, essential: true }] }));
    return td.taskDefinition!.taskDefinitionArn!;
  }

  async createBucket(name: string): Promise<void> {
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const s3 = await this.client('s3', async (c) => new S3Client({ ...c, forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  }

  async createQueue(name: string): Promise<string> {
    const { SQSClient, CreateQueueCommand } = await import('@aws-sdk/client-sqs');
    const sqs = await this.client('sqs', async (c) => new SQSClient(c));
    return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }

  async createTable(name: string): Promise<void> {
    const { DynamoDBClient, CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
    const ddb = await this.client('ddb', async (c) => new DynamoDBClient(c));
    await ddb.send(
      new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
  }

  async createRestApi(name: string, stage = 'prod'): Promise<string> {
    const { APIGatewayClient, CreateRestApiCommand, GetResourcesCommand, PutMethodCommand, PutIntegrationCommand, CreateDeploymentCommand } = await import('@aws-sdk/client-api-gateway');
    const api = await this.client('apigw', async (c) => new APIGatewayClient(c));
    const rest = await api.send(new CreateRestApiCommand({ name }));
    const root = (await api.send(new GetResourcesCommand({ restApiId: rest.id! }))).items!.find((r) => r.path === '/')!;
    await api.send(new PutMethodCommand({ restApiId: rest.id!, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await api.send(new PutIntegrationCommand({ restApiId: rest.id!, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK' }));
    await api.send(new CreateDeploymentCommand({ restApiId: rest.id!, stageName: stage }));
    return rest.id!;
  }

  /** Enables Security Hub (no default standards) and imports `findings` (ASFF), 100 a call. */
  async securityHubFindings(findings: object[]): Promise<void> {
    const sh = await import('@aws-sdk/client-securityhub');
    const client = await this.client('securityhub', async (c) => new sh.SecurityHubClient(c));
    try {
      await client.send(new sh.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    } catch (e) {
      if ((e as Error).name !== 'ResourceConflictException') throw e;
    }
    for (let i = 0; i < findings.length; i += 100) await client.send(new sh.BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) as never }));
  }

  /** A started configuration recorder with its delivery channel, and AWS managed `rules`. */
  async configRules(rules: readonly { name: string; source: string; scope: string }[]): Promise<void> {
    const cs = await import('@aws-sdk/client-config-service');
    const client = await this.client('config', async (c) => new cs.ConfigServiceClient(c));
    const bucket = `config-delivery-${SANDBOX_ACCOUNT}`;
    await this.createBucket(bucket).catch((e: Error) => {
      if (!/BucketAlready/.test(e.name)) throw e;
    });
    await client.send(new cs.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${SANDBOX_ACCOUNT}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } } }));
    await client.send(new cs.PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: bucket } }));
    await client.send(new cs.StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    for (const r of rules) {
      await client.send(new cs.PutConfigRuleCommand({ ConfigRule: { ConfigRuleName: r.name, Source: { Owner: 'AWS', SourceIdentifier: r.source }, Scope: { ComplianceResourceTypes: [r.scope] } } }));
    }
  }

  /**
   * Queues GetCostAndUsage results (moto tracks no cost): moto hands them out in request order, one per distinct
   * request, and answers the same request with the same result after that.
   */
  async costAndUsageResults(results: object[]): Promise<void> {
    const r = await fetch(`${this.endpoint}/moto-api/static/ce/cost-and-usage-results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results }) });
    if (!r.ok) throw new Error(`moto refused the cost results: HTTP ${r.status}`);
  }

  destroy(): void {
    for (const c of this.cache.values()) (c as { destroy?: () => void }).destroy?.();
  }
}

/** Evenly spaced points over [start, end) every stepMs, value from f(t). */
export function series(startMs: number, endMs: number, stepMs: number, f: (t: number, i: number) => number): Point[] {
  const out: Point[] = [];
  let i = 0;
  for (let t = startMs; t < endMs; t += stepMs) out.push({ t, v: f(t, i++) });
  return out;
}
