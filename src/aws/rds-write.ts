/** RDS adapter for remediation: instance class/storage changes and DB parameter group edits. */
import type { RDSClient } from '@aws-sdk/client-rds';
import { classifyAwsError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface DbInstanceState {
  id: string;
  instanceClass: string;
  storageGb: number;
  status: string;
  engine: string;
  multiAz: boolean;
  parameterGroups: { name: string; applyStatus: string }[];
  /** Modifications accepted but not yet applied (maintenance window or in progress). */
  pending: { instanceClass?: string; storageGb?: number };
}

export interface DbParameter {
  name: string;
  value: string | null;
  applyType?: string;
  source?: string;
  modifiable?: boolean;
  allowedValues?: string;
}

export interface RdsWriteApi {
  describeInstance(id: string): Promise<DbInstanceState | undefined>;
  modifyInstance(id: string, change: { instanceClass?: string; storageGb?: number }, applyImmediately: boolean): Promise<void>;
  /** One parameter of a group; undefined when the group does not list it (engine default, never set). */
  getParameter(group: string, name: string): Promise<DbParameter | undefined>;
  modifyParameter(group: string, name: string, value: string, applyMethod: 'immediate' | 'pending-reboot'): Promise<void>;
}

export function rdsWrite(provider: AwsProvider): RdsWriteApi {
  const client = () => provider.client<RDSClient>('rds', async () => (await import('@aws-sdk/client-rds')).RDSClient);
  const sdk = () => import('@aws-sdk/client-rds');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'rds', op), provider.describe());
  const notFound = (e: unknown) => classifyAwsError(e).category === 'not-found';
  return {
    async describeInstance(id) {
      const { DescribeDBInstancesCommand } = await sdk();
      try {
        const d = (await (await client()).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
        if (!d) return undefined;
        return {
          id: d.DBInstanceIdentifier ?? id,
          instanceClass: d.DBInstanceClass ?? '',
          storageGb: d.AllocatedStorage ?? 0,
          status: d.DBInstanceStatus ?? 'unknown',
          engine: d.Engine ?? '',
          multiAz: Boolean(d.MultiAZ),
          parameterGroups: (d.DBParameterGroups ?? []).map((g) => ({ name: g.DBParameterGroupName ?? '', applyStatus: g.ParameterApplyStatus ?? '' })),
          pending: {
            ...(d.PendingModifiedValues?.DBInstanceClass ? { instanceClass: d.PendingModifiedValues.DBInstanceClass } : {}),
            ...(d.PendingModifiedValues?.AllocatedStorage ? { storageGb: d.PendingModifiedValues.AllocatedStorage } : {}),
          },
        };
      } catch (e) {
        if (notFound(e)) return undefined;
        throw fail(e, 'DescribeDBInstances');
      }
    },
    async modifyInstance(id, change, applyImmediately) {
      const { ModifyDBInstanceCommand } = await sdk();
      try {
        await (await client()).send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: id,
            ...(change.instanceClass ? { DBInstanceClass: change.instanceClass } : {}),
            ...(change.storageGb ? { AllocatedStorage: change.storageGb } : {}),
            ApplyImmediately: applyImmediately,
          }),
        );
      } catch (e) {
        throw fail(e, 'ModifyDBInstance');
      }
    },
    async getParameter(group, name) {
      const { paginateDescribeDBParameters } = await sdk();
      try {
        for await (const page of paginateDescribeDBParameters({ client: await client() }, { DBParameterGroupName: group })) {
          const p = (page.Parameters ?? []).find((x) => x.ParameterName === name);
          if (p) {
            return { name, value: p.ParameterValue ?? null, applyType: p.ApplyType, source: p.Source, modifiable: p.IsModifiable, allowedValues: p.AllowedValues };
          }
        }
      } catch (e) {
        throw fail(e, 'DescribeDBParameters');
      }
      return undefined;
    },
    async modifyParameter(group, name, value, applyMethod) {
      const { ModifyDBParameterGroupCommand } = await sdk();
      try {
        await (await client()).send(
          new ModifyDBParameterGroupCommand({ DBParameterGroupName: group, Parameters: [{ ParameterName: name, ParameterValue: value, ApplyMethod: applyMethod }] }),
        );
      } catch (e) {
        throw fail(e, 'ModifyDBParameterGroup');
      }
    },
  };
}
