/** ElastiCache cluster: everything helm-cloud knows of the type; health judges it from metrics and alarms (./index.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const elasticacheType = defineType({
  type: 'elasticache',
  service: 'elasticache',
  readOperation: 'DescribeCacheClusters',
  namespace: 'AWS/ElastiCache',
  dimensions: (r) => [{ name: 'CacheClusterId', value: r.name }],
  sloKeys: ['cpu_percent', 'evictions_max', 'availability_percent'],
  investigate: [
    { metricName: 'CPUUtilization', stat: 'Average', kind: 'cpu', minAbsolute: 5 },
    { metricName: 'CurrConnections', stat: 'Maximum', kind: 'connections', minAbsolute: 2 },
    { metricName: 'Evictions', stat: 'Sum', kind: 'memory', minAbsolute: 1 },
  ],
  logs: () => ({ none: 'elasticache has no log group of its own; metrics only' }),
  words: { scope: ['elasticache', 'redis', 'memcached', 'cache'], request: ['cache', 'redis', 'memcached', 'elasticache', 'valkey'] },
  findingTypes: ['AwsElastiCacheCacheCluster', 'AwsElastiCacheReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup'],
  iamPrefix: 'elasticache',
  deleteCommand: (r) => `aws elasticache delete-cache-cluster --cache-cluster-id ${sh(r.name)} --final-snapshot-identifier ${sh(r.name)}-final --region ${sh(r.region)}`,
  load: async () => (await import('./index.js')).elasticache,
});
