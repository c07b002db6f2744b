/**
 * clear_cache: flush an API Gateway stage cache, or empty an ElastiCache cluster by rebooting its nodes
 * (ElastiCache has no flush API). A flush is a per-request action: one by helm-cloud inside the idempotency
 * window counts as done, so running the same remediation twice flushes once.
 */
import { z } from 'zod';
import { apiGatewayWrite } from '../../aws/apigateway-write.js';
import { elastiCache } from '../../aws/elasticache.js';
import { HelmError } from '../../errors.js';
import { DEFAULT_WINDOW_MINUTES, defineAction, iso, notInAws, recentApplied, sh } from '../define.js';
import { count } from '../../core/plural.js';

const Params = z
  .object({
    /** API Gateway stage, when the registry resource does not name one. */
    stage: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a stage name').optional(),
    within_minutes: z.coerce.number().int().min(0).max(1440).default(DEFAULT_WINDOW_MINUTES),
  })
  .strict();

export default defineAction({
  id: 'clear_cache',
  title: 'Clear a cache (API Gateway stage cache; ElastiCache cluster by node reboot)',
  appliesTo: ['apigateway', 'elasticache'],
  params: Params,
  permissions: ['apigateway:GET', 'apigateway:DELETE', 'elasticache:DescribeCacheClusters', 'elasticache:RebootCacheCluster'],
  defaultSafety: 'auto',
  phrases: {
    words: ['flush', 'clear', 'purge', 'invalidate', 'empty', 'wipe', 'cache', 'caches'],
    rules: [
      {
        order: 40,
        example: 'flush the api cache',
        read: (t) => (/\b(flush|clear|purge|invalidate|empty|wipe|reset)\b.*\bcaches?\b|\bcaches?\b.*\b(flush|clear|purge|invalidate)\b/.test(t) ? { params: {}, said: 'clear the cache' } : undefined),
      },
    ],
  },

  async diagnose(ctx) {
    const last = recentApplied(ctx);
    const lastFlush = last ? last.time : null;
    if (ctx.resource.type === 'apigateway') {
      const stage = ctx.params.stage ?? ctx.resource.stage;
      if (!stage) {
        throw new HelmError('input', `API ${ctx.resource.name} has no stage in the registry`, { keyPath: '--param', fix: 'pass --param stage=<name> or add "stage" to the registry resource' });
      }
      const api = apiGatewayWrite(ctx.aws);
      const id = await api.findRestApi(ctx.resource.arn ?? ctx.resource.name);
      if (!id) throw notInAws(ctx.resource, 'REST API');
      const s = await api.getStage(id, stage);
      if (!s) throw notInAws({ ...ctx.resource, name: `${ctx.resource.name}/${stage}` }, 'API stage');
      return { kind: 'apigateway', rest_api_id: id, stage, cache_enabled: s.cacheEnabled, cache_status: s.cacheStatus ?? null, cache_size_gb: s.cacheSizeGb ?? null, last_flush: lastFlush };
    }
    const c = await elastiCache(ctx.aws).describeCluster(ctx.resource.name);
    if (!c) throw notInAws(ctx.resource, 'ElastiCache cluster');
    return { kind: 'elasticache', engine: c.engine, status: c.status, node_type: c.nodeType, nodes: c.nodeIds.join(','), last_flush: lastFlush };
  },

  plan(ctx, before) {
    const isApi = before.kind === 'apigateway';
    const base = {
      blastRadius: isApi
        ? `every cached response of stage ${String(before.stage)} of ${ctx.resource.name} is dropped: the next requests go to the backend until the cache warms (higher latency and backend load)`
        : `all keys on ${count(String(before.nodes).split(',').length, 'node')} of ${ctx.resource.name} are lost and the nodes are unavailable while rebooting (minutes); reads fall through to the backing store`,
      reversible: false,
      undo: 'a flushed cache cannot be restored; it refills from the backend',
      warnings: !isApi && before.status !== 'available' ? [`cluster status is ${String(before.status)}, not available`] : [],
    };
    if (isApi && !before.cache_enabled) return { ...base, changes: [], noopReason: `stage ${String(before.stage)} has no cache enabled: there is nothing to clear` };
    if (before.last_flush) return { ...base, changes: [], noopReason: `already cleared by helm-cloud at ${String(before.last_flush)} (after ${ctx.sinceLabel})` };
    return { ...base, changes: [{ field: 'cache_cleared_at', from: null, to: iso(ctx.now) }] };
  },

  async apply(ctx, before) {
    if (before.kind === 'apigateway') await apiGatewayWrite(ctx.aws).flushStageCache(String(before.rest_api_id), String(before.stage));
    else await elastiCache(ctx.aws).rebootNodes(ctx.resource.name, String(before.nodes).split(',').filter(Boolean));
  },

  // Neither service reports when a cache was last emptied, so verify can confirm acceptance and a usable
  // cache afterwards, not emptiness; the detail says so.
  verify(_ctx, _before, _plan, after) {
    if (after.kind === 'apigateway') {
      const s = String(after.cache_status);
      if (s === 'AVAILABLE') return { ok: true, status: 'verified', detail: 'flush accepted; stage cache AVAILABLE (API Gateway does not report flush times)' };
      if (s === 'FLUSH_IN_PROGRESS') return { ok: true, status: 'pending', detail: 'flush accepted; still in progress' };
      return { ok: false, status: 'failed', detail: `stage cache status is ${s} after the flush` };
    }
    const s = String(after.status);
    if (s === 'available') return { ok: true, status: 'verified', detail: 'reboot accepted; cluster available' };
    if (/reboot/.test(s)) return { ok: true, status: 'pending', detail: `reboot accepted; cluster status "${s}"` };
    return { ok: false, status: 'failed', detail: `cluster status is "${s}" after the reboot` };
  },

  runbook(r, p) {
    const region = r?.region ?? '<region>';
    if (r?.type === 'elasticache') {
      return {
        summary: `Empty ElastiCache cluster ${r.name} by rebooting its nodes (all keys are lost).`,
        steps: ['List the node ids.', 'Reboot all nodes; wait for status available.', 'Watch CacheMisses and the backing store load.'],
        cli: [
          `aws elasticache describe-cache-clusters --cache-cluster-id ${sh(r.name)} --show-cache-node-info --region ${sh(region)}`,
          `aws elasticache reboot-cache-cluster --cache-cluster-id ${sh(r.name)} --cache-node-ids-to-reboot 0001 --region ${sh(region)}`,
        ],
        console: `ElastiCache → ${r.name} → Nodes → select all → Reboot`,
      };
    }
    const stage = p.stage ?? r?.stage ?? '<stage>';
    return {
      summary: `Flush the cache of stage ${stage} of API ${r?.name ?? '<api>'}.`,
      steps: ['Find the REST API id.', `Flush the stage cache of ${stage}.`, 'Watch Latency and CacheMissCount while it refills.'],
      cli: [
        `aws apigateway get-rest-apis --region ${sh(region)} --query "items[?name=='${r?.name ?? '<api>'}'].id"`,
        `aws apigateway flush-stage-cache --rest-api-id <id> --stage-name ${sh(stage)} --region ${sh(region)}`,
      ],
      console: `API Gateway → APIs → ${r?.name ?? '<api>'} → Stages → ${stage} → Flush entire cache`,
    };
  },
});
