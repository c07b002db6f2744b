/**
 * ElastiCache cluster: judged from metrics and alarms (AWS/ElastiCache, CacheClusterId): CPUUtilization and
 * Evictions. No state reader yet, so the report says the state was not read rather than calling it usable.
 */
import { defineHealth } from '../types.js';

export const elasticache = defineHealth({
  metrics: [
    { id: 'cpu', metricName: 'CPUUtilization', stat: 'Average' },
    { id: 'evictions', metricName: 'Evictions', stat: 'Sum' },
  ],
  slos: [
    { key: 'cpu_percent', label: 'CPU', unit: '%', direction: 'max', scale: 'level', metrics: ['cpu'], observe: (o) => o.metric('cpu') ?? { unknown: 'no CPUUtilization datapoints in the window' } },
    { key: 'evictions_max', label: 'evictions', unit: 'evictions', direction: 'max', scale: 'level', metrics: ['evictions'], observe: (o) => o.metric('evictions') ?? { unknown: 'no Evictions datapoints in the window' } },
  ],
  notEvaluated: { availability_percent: 'ElastiCache publishes no request failure metric' },
});
