/** DynamoDB table: everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/dynamodb.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const dynamodbType = defineType({
  type: 'dynamodb',
  service: 'dynamodb',
  readOperation: 'DescribeTable',
  namespace: 'AWS/DynamoDB',
  dimensions: (r) => [{ name: 'TableName', value: r.name }],
  sloKeys: ['throttled_requests_max', 'system_errors_max', 'error_rate_percent', 'availability_percent'],
  investigate: [
    { metricName: 'ReadThrottleEvents', stat: 'Sum', kind: 'throttles', minAbsolute: 1 },
    { metricName: 'WriteThrottleEvents', stat: 'Sum', kind: 'throttles', minAbsolute: 1 },
    { metricName: 'ConsumedReadCapacityUnits', stat: 'Sum', kind: 'traffic', minAbsolute: 5 },
    { metricName: 'ConsumedWriteCapacityUnits', stat: 'Sum', kind: 'traffic', minAbsolute: 5 },
  ],
  logs: () => ({ none: 'dynamodb has no log group of its own; metrics only', byNature: true }),
  words: { scope: ['dynamodb', 'dynamo', 'ddb', 'table', 'tables'], request: ['table', 'dynamodb'] },
  findingTypes: ['AwsDynamoDbTable', 'AWS::DynamoDB::Table'],
  iamPrefix: 'dynamodb',
  deleteCommand: (r) => `aws dynamodb delete-table --table-name ${sh(r.name)} --region ${sh(r.region)}   # after an on-demand backup`,
  load: async () => (await import('./index.js')).dynamodb,
});
