/**
 * S3 bucket: usable when it exists and is listed for the caller. Request metrics (AWS/S3, BucketName +
 * FilterId=EntireBucket) exist only when enabled on the bucket; without them the error-rate SLOs are reported
 * as not evaluated, never as passing.
 */
import { s3Api } from '../../aws/s3.js';
import { defineHealth, type Observation, type Observed, type StateRead } from '../types.js';

const NO_REQUEST_METRICS = 'request metrics are not enabled for this bucket (no AllRequests datapoints for FilterId EntireBucket)';

function rate(o: Observed, bad: string): Observation {
  const total = o.metric('requests');
  if (total === undefined) return { notApplicable: NO_REQUEST_METRICS };
  if (total <= 0) return { idle: 'no requests in the window' };
  return ((o.metric(bad) ?? 0) / total) * 100;
}

export const s3 = defineHealth({
  metrics: [
    // Not sparse: no AllRequests datapoints means request metrics are off, not zero requests.
    { id: 'requests', metricName: 'AllRequests', stat: 'Sum' },
    { id: 'errors_5xx', metricName: '5xxErrors', stat: 'Sum', sparse: true },
    { id: 'errors_4xx', metricName: '4xxErrors', stat: 'Sum', sparse: true },
  ],
  slos: [
    { key: 'error_rate_percent', label: '5xx error rate', unit: '%', direction: 'max', scale: 'ratio', metrics: ['requests', 'errors_5xx'], observe: (o) => rate(o, 'errors_5xx'), events: { bad: ['errors_5xx'], total: ['requests'] } },
    { key: 'client_error_rate_percent', label: '4xx error rate', unit: '%', direction: 'max', scale: 'ratio', metrics: ['requests', 'errors_4xx'], observe: (o) => rate(o, 'errors_4xx'), events: { bad: ['errors_4xx'], total: ['requests'] } },
    {
      key: 'availability_percent',
      label: 'availability',
      unit: '%',
      direction: 'min',
      scale: 'ratio',
      metrics: ['requests', 'errors_5xx'],
      observe: (o) => {
        const r = rate(o, 'errors_5xx');
        return typeof r === 'number' ? 100 - r : r;
      },
      events: { bad: ['errors_5xx'], total: ['requests'] },
    },
  ],
  async readState(resources, ctx) {
    const owned = new Set(await s3Api(ctx.aws, { onCall: ctx.onCall }).listBuckets());
    const out = new Map<string, StateRead>();
    for (const r of resources) if (owned.has(r.name)) out.set(r.name, { verdict: 'HEALTHY', state: { reachable: true } });
    return out;
  },
});
