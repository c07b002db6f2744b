/** ECS service: everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/ecs.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const ecsServiceType = defineType({
  type: 'ecs_service',
  service: 'ecs',
  readOperation: 'DescribeServices',
  namespace: 'AWS/ECS',
  dimensions: (r) => [
    { name: 'ClusterName', value: r.cluster ?? 'default' },
    { name: 'ServiceName', value: r.name },
  ],
  sloKeys: ['cpu_percent', 'memory_percent', 'running_tasks_min_percent', 'availability_percent'],
  investigate: [
    { metricName: 'CPUUtilization', stat: 'Average', kind: 'cpu', minAbsolute: 5 },
    { metricName: 'MemoryUtilization', stat: 'Maximum', kind: 'memory', minAbsolute: 5 },
  ],
  logs: (r) => ({ name: `/ecs/${r.name}`, exact: false, assumed: 'the awslogs group is assumed to follow the console default /ecs/<service>; record log_group in the registry to be sure' }),
  words: { scope: ['ecs', 'fargate', 'container', 'containers', 'task', 'tasks'], request: ['ecs', 'service', 'services', 'container', 'containers', 'fargate'] },
  findingTypes: ['AwsEcsService', 'AWS::ECS::Service'],
  iamPrefix: 'ecs',
  deleteCommand: (r) => `aws ecs delete-service --cluster ${sh(r.cluster ?? 'default')} --service ${sh(r.name)} --force --region ${sh(r.region)}`,
  load: async () => (await import('./index.js')).ecsService,
});
