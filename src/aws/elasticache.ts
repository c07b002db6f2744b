/**
 * ElastiCache adapter. ElastiCache has no "flush" API: clearing a cluster's data means rebooting its nodes
 * (in-memory data is lost; Redis without persistence comes back empty).
 */
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { classifyAwsError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface CacheClusterState {
  id: string;
  engine: string;
  status: string;
  nodeType: string;
  nodeIds: string[];
  replicationGroupId?: string;
}

export interface ElastiCacheApi {
  describeCluster(id: string): Promise<CacheClusterState | undefined>;
  rebootNodes(id: string, nodeIds: string[]): Promise<void>;
}

export function elastiCache(provider: AwsProvider): ElastiCacheApi {
  const client = () => provider.client<ElastiCacheClient>('elasticache', async () => (await import('@aws-sdk/client-elasticache')).ElastiCacheClient);
  const sdk = () => import('@aws-sdk/client-elasticache');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'elasticache', op), provider.describe());
  return {
    async describeCluster(id) {
      const { DescribeCacheClustersCommand } = await sdk();
      try {
        const c = (await (await client()).send(new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }))).CacheClusters?.[0];
        if (!c) return undefined;
        const nodeIds = (c.CacheNodes ?? []).map((n) => n.CacheNodeId ?? '').filter(Boolean);
        // Some endpoints list no nodes; ids are 0001.. in creation order.
        const ids = nodeIds.length ? nodeIds : Array.from({ length: c.NumCacheNodes ?? 0 }, (_, i) => String(i + 1).padStart(4, '0'));
        return { id: c.CacheClusterId ?? id, engine: c.Engine ?? '', status: c.CacheClusterStatus ?? 'unknown', nodeType: c.CacheNodeType ?? '', nodeIds: ids, replicationGroupId: c.ReplicationGroupId };
      } catch (e) {
        if (classifyAwsError(e).category === 'not-found') return undefined;
        throw fail(e, 'DescribeCacheClusters');
      }
    },
    async rebootNodes(id, nodeIds) {
      const { RebootCacheClusterCommand } = await sdk();
      try {
        await (await client()).send(new RebootCacheClusterCommand({ CacheClusterId: id, CacheNodeIdsToReboot: nodeIds }));
      } catch (e) {
        throw fail(e, 'RebootCacheCluster');
      }
    },
  };
}
