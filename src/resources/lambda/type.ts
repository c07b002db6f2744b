/** Lambda function: everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/lambda.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const lambdaType = defineType({
  type: 'lambda',
  service: 'lambda',
  readOperation: 'ListFunctions',
  namespace: 'AWS/Lambda',
  dimensions: (r) => [{ name: 'FunctionName', value: r.name }],
  sloKeys: ['error_rate_percent', 'p95_latency_ms', 'availability_percent', 'throttle_rate_percent'],
  investigate: [
    { metricName: 'Errors', stat: 'Sum', kind: 'errors', minAbsolute: 1 },
    { metricName: 'Invocations', stat: 'Sum', kind: 'traffic', minAbsolute: 5 },
    { metricName: 'Throttles', stat: 'Sum', kind: 'throttles', minAbsolute: 1 },
    { metricName: 'Duration', stat: 'Average', kind: 'latency', minAbsolute: 5 },
    { metricName: 'Duration', stat: 'Maximum', kind: 'latency', minAbsolute: 5 },
    { metricName: 'ConcurrentExecutions', stat: 'Maximum', kind: 'concurrency', minAbsolute: 1 },
  ],
  logs: (r) => ({ name: `/aws/lambda/${r.name}`, exact: true }),
  words: { scope: ['lambda', 'lambdas', 'function', 'functions', 'fn', 'serverless'], request: ['lambda', 'lambdas', 'function', 'functions', 'fn'] },
  findingTypes: ['AwsLambdaFunction', 'AWS::Lambda::Function'],
  iamPrefix: 'lambda',
  deleteCommand: (r) => `aws lambda delete-function --function-name ${sh(r.name)} --region ${sh(r.region)}`,
  load: async () => (await import('./index.js')).lambda,
});
