/** DynamoDB adapter (narrow, lazy). Read methods for health. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface TableInfo {
  name: string;
  status: string;
  billingMode?: string;
  itemCount?: number;
}

export interface DynamoDbApi {
  /** One table; undefined when it does not exist. DescribeTable has no batch form. */
  describeTable(name: string): Promise<TableInfo | undefined>;
}

export function dynamoDbApi(provider: AwsProvider, hooks: AdapterHooks = {}): DynamoDbApi {
  const client = () => provider.client<DynamoDBClient>('dynamodb', async () => (await import('@aws-sdk/client-dynamodb')).DynamoDBClient);
  return {
    async describeTable(name) {
      const c = await client();
      const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
      hooks.onCall?.('dynamodb:DescribeTable');
      try {
        const t = (await c.send(new DescribeTableCommand({ TableName: name }))).Table;
        return { name, status: t?.TableStatus ?? 'UNKNOWN', billingMode: t?.BillingModeSummary?.BillingMode, itemCount: t?.ItemCount };
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') return undefined;
        throw e;
      }
    },
  };
}
