/** ECS adapter (narrow, lazy). Read methods for health; remediation adds its write methods here. */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface EcsDeploymentInfo {
  status: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  desired: number;
  running: number;
  failedTasks: number;
  taskDefinition?: string;
}

export interface EcsServiceInfo {
  cluster: string;
  name: string;
  arn?: string;
  status: string;
  desired: number;
  running: number;
  pending: number;
  deployments: EcsDeploymentInfo[];
}

export interface EcsApi {
  /** Services of one cluster, 10 a call (the API limit); names not found come back in `missing`. */
  describeServices(cluster: string, names: string[]): Promise<{ services: EcsServiceInfo[]; missing: string[] }>;
}

export const ECS_SERVICES_PER_CALL = 10;

export function ecsApi(provider: AwsProvider, hooks: AdapterHooks = {}): EcsApi {
  const client = () => provider.client<ECSClient>('ecs', async () => (await import('@aws-sdk/client-ecs')).ECSClient);
  return {
    async describeServices(cluster, names) {
      const c = await client();
      const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
      const services: EcsServiceInfo[] = [];
      const missing: string[] = [];
      for (let i = 0; i < names.length; i += ECS_SERVICES_PER_CALL) {
        const chunk = names.slice(i, i + ECS_SERVICES_PER_CALL);
        hooks.onCall?.('ecs:DescribeServices');
        const out = await c.send(new DescribeServicesCommand({ cluster, services: chunk }));
        for (const s of out.services ?? []) {
          services.push({
            cluster,
            name: s.serviceName ?? '',
            arn: s.serviceArn,
            status: s.status ?? 'UNKNOWN',
            desired: s.desiredCount ?? 0,
            running: s.runningCount ?? 0,
            pending: s.pendingCount ?? 0,
            deployments: (s.deployments ?? []).map((d) => ({
              status: d.status ?? '',
              rolloutState: d.rolloutState,
              rolloutStateReason: d.rolloutStateReason,
              desired: d.desiredCount ?? 0,
              running: d.runningCount ?? 0,
              failedTasks: d.failedTasks ?? 0,
              taskDefinition: d.taskDefinition,
            })),
          });
        }
        for (const f of out.failures ?? []) {
          const name = (f.arn ?? '').split('/').pop() ?? '';
          if (f.reason === 'MISSING') missing.push(name);
          else throw Object.assign(new Error(`DescribeServices failure for ${name}: ${f.reason ?? 'unknown'}`), { name: f.reason ?? 'EcsFailure' });
        }
      }
      return { services, missing };
    },
  };
}
