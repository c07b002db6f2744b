/** API Gateway (REST) adapter for remediation: find the API and stage, read its cache settings, flush the cache. */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { HelmError } from '../errors.js';
import { classifyAwsError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface StageCacheState {
  restApiId: string;
  stage: string;
  cacheEnabled: boolean;
  /** CREATE_IN_PROGRESS | AVAILABLE | DELETE_IN_PROGRESS | NOT_AVAILABLE | FLUSH_IN_PROGRESS */
  cacheStatus?: string;
  cacheSizeGb?: string;
}

export interface ApiGatewayWriteApi {
  /** The REST API id for a registry name (or ARN / id); undefined when none matches. */
  findRestApi(nameOrArn: string): Promise<string | undefined>;
  getStage(restApiId: string, stage: string): Promise<StageCacheState | undefined>;
  flushStageCache(restApiId: string, stage: string): Promise<void>;
}

export function apiGatewayWrite(provider: AwsProvider): ApiGatewayWriteApi {
  const client = () => provider.client<APIGatewayClient>('apigateway', async () => (await import('@aws-sdk/client-api-gateway')).APIGatewayClient);
  const sdk = () => import('@aws-sdk/client-api-gateway');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'apigateway', op), provider.describe());
  return {
    async findRestApi(nameOrArn) {
      const fromArn = /\/restapis\/([a-z0-9]+)/.exec(nameOrArn)?.[1];
      const { paginateGetRestApis } = await sdk();
      const matches: string[] = [];
      try {
        for await (const page of paginateGetRestApis({ client: await client(), pageSize: 500 }, {})) {
          for (const a of page.items ?? []) if (a.id && (a.id === fromArn || a.name === nameOrArn || a.id === nameOrArn)) matches.push(a.id);
        }
      } catch (e) {
        throw fail(e, 'GetRestApis');
      }
      const unique = [...new Set(matches)];
      if (unique.length > 1) {
        throw new HelmError('input', `${unique.length} REST APIs are named "${nameOrArn}" (${unique.join(', ')})`, { fix: 'put the API ARN in the registry resource (arn) so the target is unambiguous' });
      }
      return unique[0];
    },
    async getStage(restApiId, stage) {
      const { GetStageCommand } = await sdk();
      try {
        const s = await (await client()).send(new GetStageCommand({ restApiId, stageName: stage }));
        return { restApiId, stage, cacheEnabled: Boolean(s.cacheClusterEnabled), cacheStatus: s.cacheClusterStatus, cacheSizeGb: s.cacheClusterSize };
      } catch (e) {
        if (classifyAwsError(e).category === 'not-found') return undefined;
        throw fail(e, 'GetStage');
      }
    },
    async flushStageCache(restApiId, stage) {
      const { FlushStageCacheCommand } = await sdk();
      try {
        await (await client()).send(new FlushStageCacheCommand({ restApiId, stageName: stage }));
      } catch (e) {
        throw fail(e, 'FlushStageCache');
      }
    },
  };
}
