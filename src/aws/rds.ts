/** RDS adapter (narrow, lazy). Read methods for health; remediation adds its write methods here. */
import type { RDSClient } from '@aws-sdk/client-rds';
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
  /** Every DB instance of the region, one paginated read (100 a page). */
  describeDbInstances(): Promise<DbInstanceInfo[]>;
}

export function rdsApi(provider: AwsProvider, hooks: AdapterHooks = {}): RdsApi {
  const client = () =>
    provider.once('rds', async () => {
      const { RDSClient } = await import('@aws-sdk/client-rds');
      return new RDSClient(await provider.clientConfig());
    }) as Promise<RDSClient>;
  return {
    async describeDbInstances() {
      const c = await client();
      const { DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
      const out: DbInstanceInfo[] = [];
      let marker: string | undefined;
      do {
        hooks.onCall?.('rds:DescribeDBInstances');
        const page = await c.send(new DescribeDBInstancesCommand({ Marker: marker, MaxRecords: 100 }));
        for (const d of page.DBInstances ?? []) {
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
        marker = page.Marker;
      } while (marker);
      return out;
    },
  };
}
