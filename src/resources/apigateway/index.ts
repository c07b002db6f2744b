/**
 * API Gateway REST API: usable when it exists. Metrics (AWS/ApiGateway, ApiName [+ Stage]): Count, 5XXError,
 * 4XXError, Latency p95 → error rate, client error rate, availability, p95 latency.
 */
import { apiGatewayApi } from '../../aws/apigateway.js';
import { defineHealth, ratioPercent, type StateRead } from '../types.js';

export const apigateway = defineHealth({
  metrics: [
    { id: 'count', metricName: 'Count', stat: 'Sum' },
    { id: 'errors_5xx', metricName: '5XXError', stat: 'Sum', sparse: true },
    { id: 'errors_4xx', metricName: '4XXError', stat: 'Sum', sparse: true },
    { id: 'latency_p95', metricName: 'Latency', stat: 'p95' },
  ],
  slos: [
    { key: 'error_rate_percent', label: '5xx error rate', unit: '%', direction: 'max', scale: 'ratio', metrics: ['count', 'errors_5xx'], observe: (o) => ratioPercent(o.metric('errors_5xx'), o.metric('count'), 'requests'), events: { bad: ['errors_5xx'], total: ['count'] } },
    { key: 'client_error_rate_percent', label: '4xx error rate', unit: '%', direction: 'max', scale: 'ratio', metrics: ['count', 'errors_4xx'], observe: (o) => ratioPercent(o.metric('errors_4xx'), o.metric('count'), 'requests'), events: { bad: ['errors_4xx'], total: ['count'] } },
    {
      key: 'availability_percent',
      label: 'availability',
      unit: '%',
      direction: 'min',
      scale: 'ratio',
      metrics: ['count', 'errors_5xx'],
      observe: (o) => {
        const r = ratioPercent(o.metric('errors_5xx'), o.metric('count'), 'requests');
        return typeof r === 'number' ? 100 - r : r;
      },
      events: { bad: ['errors_5xx'], total: ['count'] },
    },
    { key: 'p95_latency_ms', label: 'p95 latency', unit: 'ms', direction: 'max', scale: 'level', metrics: ['latency_p95'], observe: (o) => o.metric('latency_p95') ?? { unknown: 'no Latency datapoints in the window' } },
  ],
  async readState(resources, ctx) {
    const apis = await apiGatewayApi(ctx.aws, { onCall: ctx.onCall }).getRestApis();
    const out = new Map<string, StateRead>();
    for (const r of resources) {
      const found = apis.filter((a) => a.name === r.name || a.id === r.name);
      if (found.length === 1) out.set(r.name, { verdict: 'HEALTHY', state: { id: found[0]!.id, stage: r.stage ?? null } });
      else if (found.length > 1) out.set(r.name, { verdict: 'DEGRADED', reason: `${found.length} REST APIs are named "${r.name}": metrics by ApiName mix them`, state: { ids: found.map((a) => a.id) } });
    }
    return out;
  },
});
