/**
 * ECS service: usable when ACTIVE, running tasks meet running_tasks_min_percent of desired, and no rollout FAILED.
 * While a rollout is IN_PROGRESS, missing tasks are DEGRADED rather than a breach. Metrics (AWS/ECS,
 * ClusterName + ServiceName): CPUUtilization, MemoryUtilization.
 */
import { ecsApi } from '../../aws/ecs.js';
import { mapLimit } from '../../core/concurrency.js';
import { classifyAwsError } from '../../aws/errors.js';
import type { LiveResource } from '../../config/load.js';
import { defineHealth, type StateRead } from '../types.js';

const clusterOf = (r: LiveResource) => r.cluster ?? 'default';

export const ecsService = defineHealth({
  metrics: [
    { id: 'cpu', metricName: 'CPUUtilization', stat: 'Average' },
    { id: 'memory', metricName: 'MemoryUtilization', stat: 'Average' },
  ],
  slos: [
    { key: 'cpu_percent', label: 'CPU', unit: '%', direction: 'max', scale: 'level', metrics: ['cpu'], observe: (o) => o.metric('cpu') ?? { unknown: 'no CPUUtilization datapoints in the window' } },
    { key: 'memory_percent', label: 'memory', unit: '%', direction: 'max', scale: 'level', metrics: ['memory'], observe: (o) => o.metric('memory') ?? { unknown: 'no MemoryUtilization datapoints in the window' } },
    {
      key: 'running_tasks_min_percent',
      label: 'running tasks',
      unit: '%',
      direction: 'min',
      scale: 'level',
      metrics: [],
      observe: (o) => {
        const desired = o.fact('desired');
        const running = o.fact('running');
        if (desired === undefined || running === undefined) return { unknown: 'service state not read' };
        if (o.fact('rolloutInProgress') === 1 && running < desired) return { notApplicable: `rollout in progress (${running}/${desired} running)` };
        return desired === 0 ? 100 : (running / desired) * 100;
      },
    },
  ],
  notEvaluated: { availability_percent: 'ECS publishes no request success metric; use the load balancer or API in front of the service' },
  async readState(resources, ctx) {
    const api = ecsApi(ctx.aws, { onCall: ctx.onCall });
    const byCluster = new Map<string, LiveResource[]>();
    for (const r of resources) byCluster.set(clusterOf(r), [...(byCluster.get(clusterOf(r)) ?? []), r]);
    const out = new Map<string, StateRead>();
    await mapLimit([...byCluster], ctx.concurrency, async ([cluster, rs]) => {
      try {
        const { services } = await api.describeServices(cluster, rs.map((r) => r.name));
        for (const s of services) {
          const primary = s.deployments.find((d) => d.status === 'PRIMARY');
          const failed = s.deployments.find((d) => d.rolloutState === 'FAILED');
          const inProgress = s.deployments.some((d) => d.rolloutState === 'IN_PROGRESS');
          const state = { status: s.status, desired: s.desired, running: s.running, pending: s.pending, rollout: primary?.rolloutState ?? 'unknown', deployments: s.deployments.length };
          const facts = { desired: s.desired, running: s.running, rolloutInProgress: inProgress ? 1 : 0 };
          let read: StateRead;
          if (s.status !== 'ACTIVE') read = { verdict: 'UNHEALTHY', reason: `service status is ${s.status}`, state, facts };
          else if (failed) read = { verdict: 'UNHEALTHY', reason: `deployment rollout FAILED${failed.rolloutStateReason ? `: ${failed.rolloutStateReason}` : ''}`, state, facts };
          else if (inProgress && s.running < s.desired) read = { verdict: 'DEGRADED', reason: `rollout in progress: ${s.running}/${s.desired} tasks running`, state, facts };
          else read = { verdict: 'HEALTHY', state, facts };
          out.set(s.name, read);
        }
      } catch (e) {
        const f = classifyAwsError(e, 'ecs', 'DescribeServices');
        if (f.category === 'not-found') return; // cluster gone: its services are not found
        for (const r of rs) out.set(r.name, ctx.fail(f));
      }
    });
    return out;
  },
});
