/**
 * The shapes the audit judges (Lambda configuration, RDS instances): views of what the Lambda and RDS adapters
 * read, not readers of their own. Failures come out classified (AwsCallError).
 */
import { attempt } from './errors.js';
import { lambdaApi } from './lambda.js';
import type { AwsProvider } from './provider.js';
import { rdsApi } from './rds.js';

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
  const lambda = lambdaApi(provider);
  const rds = rdsApi(provider);
  return {
    async getFunction(name) {
      const c = await lambda.getFunction(name);
      if (!c) return undefined;
      const modified = c.lastModified ? Date.parse(c.lastModified) : NaN;
      return {
        name: c.name || name,
        arn: c.arn,
        memoryMb: c.memoryMb,
        arch: c.architecture === 'arm64' ? 'arm64' : 'x86_64',
        lastModifiedMs: Number.isFinite(modified) ? modified : undefined,
      };
    },
    async listDbInstances() {
      const instances = await attempt('rds', 'DescribeDBInstances', () => rds.describeDbInstances());
      return instances.map((d) => ({
        id: d.id,
        arn: d.arn,
        instanceClass: d.instanceClass ?? '',
        engine: d.engine ?? '',
        status: d.status,
        multiAz: Boolean(d.multiAz),
        allocatedGb: d.allocatedStorageGb ?? 0,
        storageType: d.storageType ?? 'gp2',
        createdMs: d.createdMs,
      }));
    },
  };
}
