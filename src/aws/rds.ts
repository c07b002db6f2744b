/** RDS adapter (narrow, lazy). Read methods for health; remediation adds its write methods here. */
import type { RDSClient } from '@aws-sdk/client-rds';
import { attempt } from './errors.js';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface DbInstanceInfo {
  id: string;
  arn?: string;
  status: string;
  engine?: string;
  instanceClass?: string;
  multiAz?: boolean;
  allocatedStorageGb?: number;
  storageType?: string;
  createdMs?: number;
}

export interface RdsApi {
  /** Every DB instance of the region, one paginated read (100 a page). Failures come out as AwsCallError. */
  describeDbInstances(): Promise<DbInstanceInfo[]>;
}

export function rdsApi(provider: AwsProvider, hooks: AdapterHooks = {}): RdsApi {
  const client = () => provider.client<RDSClient>('rds', async () => (await import('@aws-sdk/client-rds')).RDSClient);
  return {
    async describeDbInstances() {
      const c = await client();
      const { paginateDescribeDBInstances } = await import('@aws-sdk/client-rds');
      const out: DbInstanceInfo[] = [];
      const pages = paginateDescribeDBInstances({ client: c, pageSize: 100, withCommand: (cmd) => (hooks.onCall?.('rds:DescribeDBInstances'), cmd) }, {});
      await attempt('rds', 'DescribeDBInstances', async () => {
        for await (const page of pages) for (const d of page.DBInstances ?? []) {
          out.push({
            id: d.DBInstanceIdentifier ?? '',
            arn: d.DBInstanceArn,
            status: d.DBInstanceStatus ?? 'unknown',
            engine: d.Engine,
            instanceClass: d.DBInstanceClass,
            multiAz: d.MultiAZ,
            allocatedStorageGb: d.AllocatedStorage,
            storageType: d.StorageType,
            createdMs: d.InstanceCreateTime ? new Date(d.InstanceCreateTime).getTime() : undefined,
          });
        }
      });
      return out;
    },
  };
}
