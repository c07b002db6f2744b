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
  const client = () =>
    provider.once('apigateway', async () => {
      const { APIGatewayClient } = await import('@aws-sdk/client-api-gateway');
      return new APIGatewayClient(await provider.clientConfig());
    }) as Promise<APIGatewayClient>;
  return {
    async getRestApis() {
      const c = await client();
      const { GetRestApisCommand } = await import('@aws-sdk/client-api-gateway');
      const out: RestApiInfo[] = [];
      let position: string | undefined;
      do {
        hooks.onCall?.('apigateway:GetRestApis');
        const page = await c.send(new GetRestApisCommand({ position, limit: 500 }));
        for (const a of page.items ?? []) out.push({ id: a.id ?? '', name: a.name ?? '' });
        position = page.position;
      } while (position);
      return out;
    },
  };
}
