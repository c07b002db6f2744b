/**
 * RDS instance: usable when DBInstanceStatus is "available" (maintenance states that keep serving are DEGRADED).
 * Metrics (AWS/RDS, DBInstanceIdentifier): CPUUtilization, DatabaseConnections, FreeStorageSpace, Read/WriteLatency.
 */
import { rdsApi } from '../../aws/rds.js';
import { defineHealth, type StateRead } from '../types.js';

/** Statuses in which the instance still serves traffic. */
const SERVING = new Set(['backing-up', 'modifying', 'storage-optimization', 'configuring-enhanced-monitoring', 'configuring-log-exports', 'configuring-iam-database-auth', 'maintenance', 'upgrading', 'renaming']);

export const rds = defineHealth({
  metrics: [
    { id: 'cpu', metricName: 'CPUUtilization', stat: 'Average' },
    { id: 'connections', metricName: 'DatabaseConnections', stat: 'Maximum' },
    { id: 'free_storage_gb', metricName: 'FreeStorageSpace', stat: 'Minimum', scale: 1 / 1024 ** 3 },
    { id: 'read_latency_ms', metricName: 'ReadLatency', stat: 'Average', scale: 1000 },
    { id: 'write_latency_ms', metricName: 'WriteLatency', stat: 'Average', scale: 1000 },
  ],
  slos: [
    { key: 'cpu_percent', label: 'CPU', unit: '%', direction: 'max', scale: 'level', metrics: ['cpu'], observe: (o) => o.metric('cpu') ?? { unknown: 'no CPUUtilization datapoints in the window' } },
    { key: 'connections_max', label: 'connections', unit: 'connections', direction: 'max', scale: 'level', metrics: ['connections'], observe: (o) => o.metric('connections') ?? { unknown: 'no DatabaseConnections datapoints in the window' } },
    { key: 'free_storage_min_gb', label: 'free storage', unit: 'GB', direction: 'min', scale: 'level', metrics: ['free_storage_gb'], observe: (o) => o.metric('free_storage_gb') ?? { unknown: 'no FreeStorageSpace datapoints in the window' } },
    { key: 'read_latency_ms', label: 'read latency', unit: 'ms', direction: 'max', scale: 'level', metrics: ['read_latency_ms'], observe: (o) => o.metric('read_latency_ms') ?? { unknown: 'no ReadLatency datapoints in the window' } },
    { key: 'write_latency_ms', label: 'write latency', unit: 'ms', direction: 'max', scale: 'level', metrics: ['write_latency_ms'], observe: (o) => o.metric('write_latency_ms') ?? { unknown: 'no WriteLatency datapoints in the window' } },
  ],
  notEvaluated: { availability_percent: 'RDS publishes no request success metric; availability is judged from the instance status' },
  async readState(resources, ctx) {
    const wanted = new Set(resources.map((r) => r.name));
    const out = new Map<string, StateRead>();
    for (const d of await rdsApi(ctx.aws, { onCall: ctx.onCall }).describeDbInstances()) {
      if (!wanted.has(d.id)) continue;
      const state = { status: d.status, engine: d.engine, instanceClass: d.instanceClass, multiAz: d.multiAz };
      if (d.status === 'available') out.set(d.id, { verdict: 'HEALTHY', state });
      else if (SERVING.has(d.status)) out.set(d.id, { verdict: 'DEGRADED', reason: `instance status is ${d.status}`, state });
      else out.set(d.id, { verdict: 'UNHEALTHY', reason: `instance status is ${d.status}, not available`, state });
    }
    return out;
  },
});
