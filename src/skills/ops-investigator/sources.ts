/**
 * Where evidence lives per resource type: the CloudWatch metrics to read (with what each one means for
 * hypotheses) and the log groups to look in. Data, not code paths: adding a type is adding entries here.
 */
import type { LiveResource } from '../../config/load.js';
import type { MetricKind } from '../../core/correlate.js';

export interface MetricSpec {
  namespace: string;
  metricName: string;
  stat: 'Sum' | 'Average' | 'Maximum' | 'Minimum';
  kind: MetricKind;
  /** Which way is harmful. */
  adverse: 'up' | 'down';
  /** Smallest shift in the metric's unit (per period for counts) worth reporting. */
  minAbsolute: number;
}

/** The dimension that names a resource of each type in CloudWatch (also used to attach alarms). */
export function dimensionsOf(r: Pick<LiveResource, 'type' | 'name' | 'cluster' | 'stage'>): { name: string; value: string }[] | undefined {
  switch (r.type) {
    case 'lambda':
      return [{ name: 'FunctionName', value: r.name }];
    case 'rds':
      return [{ name: 'DBInstanceIdentifier', value: r.name }];
    case 'ecs_service':
      return [
        { name: 'ClusterName', value: r.cluster ?? 'default' },
        { name: 'ServiceName', value: r.name },
      ];
    case 'apigateway':
      return [{ name: 'ApiName', value: r.name }, ...(r.stage ? [{ name: 'Stage', value: r.stage }] : [])];
    case 'dynamodb':
      return [{ name: 'TableName', value: r.name }];
    case 'sqs':
      return [{ name: 'QueueName', value: r.name }];
    case 's3':
      return [
        { name: 'BucketName', value: r.name },
        { name: 'FilterId', value: 'EntireBucket' },
      ];
    case 'elasticache':
      return [{ name: 'CacheClusterId', value: r.name }];
    default:
      return undefined;
  }
}

const m = (namespace: string, metricName: string, stat: MetricSpec['stat'], kind: MetricKind, minAbsolute = 0, adverse: MetricSpec['adverse'] = 'up'): MetricSpec => ({
  namespace,
  metricName,
  stat,
  kind,
  adverse,
  minAbsolute,
});

// Percentiles are left out on purpose: a p95 query fails on some endpoints; Average and Maximum carry the shift.
export const METRICS: Record<string, MetricSpec[]> = {
  lambda: [
    m('AWS/Lambda', 'Errors', 'Sum', 'errors', 1),
    m('AWS/Lambda', 'Invocations', 'Sum', 'traffic', 5),
    m('AWS/Lambda', 'Throttles', 'Sum', 'throttles', 1),
    m('AWS/Lambda', 'Duration', 'Average', 'latency', 5),
    m('AWS/Lambda', 'Duration', 'Maximum', 'latency', 5),
    m('AWS/Lambda', 'ConcurrentExecutions', 'Maximum', 'concurrency', 1),
  ],
  rds: [
    m('AWS/RDS', 'CPUUtilization', 'Average', 'cpu', 5),
    m('AWS/RDS', 'DatabaseConnections', 'Maximum', 'connections', 2),
    m('AWS/RDS', 'ReadLatency', 'Average', 'latency'),
    m('AWS/RDS', 'WriteLatency', 'Average', 'latency'),
    m('AWS/RDS', 'FreeStorageSpace', 'Minimum', 'storage', 0, 'down'),
  ],
  ecs_service: [m('AWS/ECS', 'CPUUtilization', 'Average', 'cpu', 5), m('AWS/ECS', 'MemoryUtilization', 'Maximum', 'memory', 5)],
  apigateway: [
    m('AWS/ApiGateway', '5XXError', 'Sum', 'errors', 1),
    m('AWS/ApiGateway', 'Count', 'Sum', 'traffic', 5),
    m('AWS/ApiGateway', 'Latency', 'Average', 'latency', 5),
    m('AWS/ApiGateway', 'Latency', 'Maximum', 'latency', 5),
    m('AWS/ApiGateway', 'IntegrationLatency', 'Average', 'latency', 5),
  ],
  dynamodb: [
    m('AWS/DynamoDB', 'ReadThrottleEvents', 'Sum', 'throttles', 1),
    m('AWS/DynamoDB', 'WriteThrottleEvents', 'Sum', 'throttles', 1),
    m('AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'Sum', 'traffic', 5),
    m('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'Sum', 'traffic', 5),
  ],
  sqs: [
    m('AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum', 'backlog', 10),
    m('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', 'backlog', 5),
    m('AWS/SQS', 'NumberOfMessagesSent', 'Sum', 'traffic', 5),
  ],
  s3: [m('AWS/S3', '5xxErrors', 'Sum', 'errors', 1), m('AWS/S3', 'AllRequests', 'Sum', 'traffic', 5)],
  elasticache: [
    m('AWS/ElastiCache', 'CPUUtilization', 'Average', 'cpu', 5),
    m('AWS/ElastiCache', 'CurrConnections', 'Maximum', 'connections', 2),
    m('AWS/ElastiCache', 'Evictions', 'Sum', 'memory', 1),
  ],
};

export interface LogSource {
  /** An exact group name, or a prefix whose groups all belong to the resource. */
  name: string;
  exact: boolean;
  /** Said in the report when the group is a convention rather than recorded in the registry. */
  assumed?: string;
}

/** Log groups of a resource; undefined with a reason when none can be known. */
export function logSourceOf(r: Pick<LiveResource, 'type' | 'name' | 'log_group' | 'arn' | 'stage'>): LogSource | { none: string } {
  if (r.log_group) return { name: r.log_group, exact: true };
  switch (r.type) {
    case 'lambda':
      return { name: `/aws/lambda/${r.name}`, exact: true };
    case 'ecs_service':
      return { name: `/ecs/${r.name}`, exact: false, assumed: 'the awslogs group is assumed to follow the console default /ecs/<service>; record log_group in the registry to be sure' };
    case 'rds':
      return { name: `/aws/rds/instance/${r.name}/`, exact: false };
    case 'apigateway': {
      const id = /restapis\/([A-Za-z0-9]+)/.exec(r.arn ?? '')?.[1];
      if (!id) return { none: 'execution logs need the REST API id: record its arn or log_group in the registry' };
      return { name: `API-Gateway-Execution-Logs_${id}/${r.stage ?? ''}`, exact: false };
    }
    default:
      return { none: `${r.type} has no log group of its own; metrics only` };
  }
}
