/**
 * ECS adapter for remediation: desired count and task definition of a service.
 * Revisions come from the task definition ARN and ListTaskDefinitions (moto's DescribeTaskDefinition
 * response does not deserialise in SDK v3, and the ARN already holds family and revision).
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import { classifyAwsError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface EcsServiceState {
  cluster: string;
  service: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** family:revision */
  taskDefinition: string;
  deployments: number;
  rolloutState?: string;
}

export interface EcsWriteApi {
  describeService(cluster: string, service: string): Promise<EcsServiceState | undefined>;
  updateService(cluster: string, service: string, change: { desiredCount?: number; taskDefinition?: string }): Promise<void>;
  /** ACTIVE revisions of one family, ascending. */
  listRevisions(family: string): Promise<number[]>;
}

/** "arn:aws:ecs:…:task-definition/orders:7" or "orders:7" → {family, revision}. */
export function parseTaskDefinition(ref: string): { family: string; revision: number } | undefined {
  const m = /(?:task-definition\/)?([A-Za-z0-9_-]+):(\d+)$/.exec(ref);
  return m ? { family: m[1]!, revision: Number(m[2]) } : undefined;
}

export function ecsWrite(provider: AwsProvider): EcsWriteApi {
  const client = () => provider.client<ECSClient>('ecs', async () => (await import('@aws-sdk/client-ecs')).ECSClient);
  const sdk = () => import('@aws-sdk/client-ecs');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'ecs', op), provider.describe());
  return {
    async describeService(cluster, service) {
      const { DescribeServicesCommand } = await sdk();
      try {
        const out = await (await client()).send(new DescribeServicesCommand({ cluster, services: [service] }));
        const s = out.services?.find((x) => x.serviceName === service || x.serviceArn?.endsWith('/' + service));
        if (!s || s.status === 'INACTIVE') return undefined;
        const td = parseTaskDefinition(s.taskDefinition ?? '');
        return {
          cluster,
          service,
          status: s.status ?? 'unknown',
          desiredCount: s.desiredCount ?? 0,
          runningCount: s.runningCount ?? 0,
          pendingCount: s.pendingCount ?? 0,
          taskDefinition: td ? `${td.family}:${td.revision}` : s.taskDefinition ?? '',
          deployments: s.deployments?.length ?? 0,
          rolloutState: s.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState,
        };
      } catch (e) {
        if (/ClusterNotFound|ServiceNotFound/.test((e as Error).name ?? '')) return undefined;
        throw fail(e, 'DescribeServices');
      }
    },
    async updateService(cluster, service, change) {
      const { UpdateServiceCommand } = await sdk();
      try {
        await (await client()).send(
          new UpdateServiceCommand({
            cluster,
            service,
            ...(change.desiredCount !== undefined ? { desiredCount: change.desiredCount } : {}),
            ...(change.taskDefinition ? { taskDefinition: change.taskDefinition } : {}),
          }),
        );
      } catch (e) {
        throw fail(e, 'UpdateService');
      }
    },
    async listRevisions(family) {
      const { paginateListTaskDefinitions } = await sdk();
      const out: number[] = [];
      try {
        for await (const page of paginateListTaskDefinitions({ client: await client() }, { familyPrefix: family, status: 'ACTIVE' })) {
          for (const arn of page.taskDefinitionArns ?? []) {
            const td = parseTaskDefinition(arn);
            // familyPrefix also matches longer families ("orders" matches "orders-worker").
            if (td && td.family === family) out.push(td.revision);
          }
        }
      } catch (e) {
        throw fail(e, 'ListTaskDefinitions');
      }
      return out.sort((a, b) => a - b);
    },
  };
}
