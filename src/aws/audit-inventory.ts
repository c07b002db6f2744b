/**
 * Small read-only readers the audit needs (Lambda configuration, RDS instances), plus the one wrapper the
 * audit adapters use to turn an SDK failure into a classified AwsFailure the skill can report as UNKNOWN.
 */
import { classifyAwsError, type AwsFailure } from './errors.js';
import type { AwsProvider } from './provider.js';

/** An AWS call that failed, classified once. Skills read `failure`; nothing matches on SDK error text. */
export class AwsCallError extends Error {
  readonly failure: AwsFailure;
  constructor(failure: AwsFailure) {
    super(`${failure.service}:${failure.operation}: ${failure.code}: ${failure.message}`);
    this.name = 'AwsCallError';
    this.failure = failure;
  }
}

export function isAwsCallError(e: unknown): e is AwsCallError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AwsCallError' && 'failure' in e;
}

export async function attempt<T>(service: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isAwsCallError(e)) throw e;
    throw new AwsCallError(classifyAwsError(e, service, operation));
  }
}

export interface LambdaConfig {
  name: string;
  arn?: string;
  memoryMb: number;
  arch: 'x86_64' | 'arm64';
  lastModifiedMs?: number;
}

export interface DbInstance {
  id: string;
  arn?: string;
  instanceClass: string;
  engine: string;
  status: string;
  multiAz: boolean;
  allocatedGb: number;
  storageType: string;
  createdMs?: number;
}

export interface AuditInventoryApi {
  /** undefined when the function does not exist. */
  getFunction(name: string): Promise<LambdaConfig | undefined>;
  listDbInstances(): Promise<DbInstance[]>;
}

export function auditInventory(provider: AwsProvider): AuditInventoryApi {
  const lambda = () =>
    provider.once('audit:lambda', async () => {
      const { LambdaClient } = await import('@aws-sdk/client-lambda');
      return new LambdaClient(await provider.clientConfig());
    });
  const rds = () =>
    provider.once('audit:rds', async () => {
      const { RDSClient } = await import('@aws-sdk/client-rds');
      return new RDSClient(await provider.clientConfig());
    });
  return {
    async getFunction(name) {
      const { GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
      const client = await lambda();
      try {
        const c = await attempt('lambda', 'GetFunctionConfiguration', () => client.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
        const modified = c.LastModified ? Date.parse(c.LastModified) : NaN;
        return {
          name: c.FunctionName ?? name,
          arn: c.FunctionArn,
          memoryMb: c.MemorySize ?? 128,
          arch: c.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
          lastModifiedMs: Number.isFinite(modified) ? modified : undefined,
        };
      } catch (e) {
        if (isAwsCallError(e) && e.failure.category === 'not-found') return undefined;
        throw e;
      }
    },
    async listDbInstances() {
      const { DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
      const client = await rds();
      const out: DbInstance[] = [];
      let marker: string | undefined;
      do {
        const page = await attempt('rds', 'DescribeDBInstances', () => client.send(new DescribeDBInstancesCommand({ Marker: marker, MaxRecords: 100 })));
        for (const d of page.DBInstances ?? []) {
          out.push({
            id: d.DBInstanceIdentifier ?? '',
            arn: d.DBInstanceArn,
            instanceClass: d.DBInstanceClass ?? '',
            engine: d.Engine ?? '',
            status: d.DBInstanceStatus ?? '',
            multiAz: Boolean(d.MultiAZ),
            allocatedGb: d.AllocatedStorage ?? 0,
            storageType: d.StorageType ?? 'gp2',
            createdMs: d.InstanceCreateTime ? new Date(d.InstanceCreateTime).getTime() : undefined,
          });
        }
        marker = page.Marker;
      } while (marker);
      return out;
    },
  };
}
