/** API Gateway REST API (stage): everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/apigateway.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const apigatewayType = defineType({
  type: 'apigateway',
  service: 'apigateway',
  readOperation: 'GetRestApis',
  namespace: 'AWS/ApiGateway',
  dimensions: (r) => [{ name: 'ApiName', value: r.name }, ...(r.stage ? [{ name: 'Stage', value: r.stage }] : [])],
  sloKeys: ['error_rate_percent', 'client_error_rate_percent', 'p95_latency_ms', 'availability_percent'],
  investigate: [
    { metricName: '5XXError', stat: 'Sum', kind: 'errors', minAbsolute: 1 },
    { metricName: 'Count', stat: 'Sum', kind: 'traffic', minAbsolute: 5 },
    { metricName: 'Latency', stat: 'Average', kind: 'latency', minAbsolute: 5 },
    { metricName: 'Latency', stat: 'Maximum', kind: 'latency', minAbsolute: 5 },
    { metricName: 'IntegrationLatency', stat: 'Average', kind: 'latency', minAbsolute: 5 },
  ],
  logs: (r) => {
    const id = /restapis\/([A-Za-z0-9]+)/.exec(r.arn ?? '')?.[1];
    if (!id) return { none: 'execution logs need the REST API id: record its arn or log_group in the registry' };
    return { name: `API-Gateway-Execution-Logs_${id}/${r.stage ?? ''}`, exact: false };
  },
  words: { scope: ['api', 'apis', 'gateway', 'apigateway', 'endpoint', 'endpoints'], request: ['api', 'apigateway', 'gateway', 'stage', 'cache'] },
  findingTypes: ['AwsApiGatewayRestApi', 'AwsApiGatewayStage', 'AwsApiGatewayV2Api', 'AwsApiGatewayV2Stage', 'AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Api'],
  iamPrefix: 'apigateway',
  deleteCommand: (r) => `aws apigateway delete-rest-api --rest-api-id <id> --region ${sh(r.region)}`,
  load: async () => (await import('./index.js')).apigateway,
});
