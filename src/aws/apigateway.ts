/** API Gateway (REST) adapter (narrow, lazy). Read methods for health. */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface RestApiInfo {
  id: string;
  name: string;
}

export interface ApiGatewayApi {
  /** Every REST API of the region, one paginated read (500 a page). */
  getRestApis(): Promise<RestApiInfo[]>;
}

export function apiGatewayApi(provider: AwsProvider, hooks: AdapterHooks = {}): ApiGatewayApi {
  const client = () => provider.client<APIGatewayClient>('apigateway', async () => (await import('@aws-sdk/client-api-gateway')).APIGatewayClient);
  return {
    async getRestApis() {
      const c = await client();
      const { paginateGetRestApis } = await import('@aws-sdk/client-api-gateway');
      const out: RestApiInfo[] = [];
      for await (const page of paginateGetRestApis({ client: c, pageSize: 500, withCommand: (cmd) => (hooks.onCall?.('apigateway:GetRestApis'), cmd) }, {})) {
        for (const a of page.items ?? []) out.push({ id: a.id ?? '', name: a.name ?? '' });
      }
      return out;
    },
  };
}
