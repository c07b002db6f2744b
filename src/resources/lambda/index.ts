/**
 * Lambda: usable when State is Active and the last update did not fail. Metrics (AWS/Lambda, FunctionName):
 * Invocations, Errors, Throttles, Duration p95 → error rate, throttle rate, availability, p95 latency.
 */
import { lambdaApi, type LambdaFunction } from '../../aws/lambda.js';
import { mapLimit } from '../../core/concurrency.js';
import { classifyAwsError } from '../../aws/errors.js';
import { defineHealth, ratioPercent, sum, type StateRead } from '../types.js';

export function judgeFunction(f: LambdaFunction): StateRead {
  const state = { state: f.state ?? 'unknown', lastUpdateStatus: f.lastUpdateStatus ?? 'unknown', runtime: f.runtime, memoryMb: f.memoryMb };
  const why = (s?: string) => (s ? `: ${s}` : '');
  if (f.state === 'Failed') return { verdict: 'UNHEALTHY', reason: `function State is Failed${why(f.stateReason)}`, state };
  if (f.state === 'Inactive') return { verdict: 'UNHEALTHY', reason: `function State is Inactive${why(f.stateReason)} (the next invocation will fail or be slow while it reactivates)`, state };
  if (f.lastUpdateStatus === 'Failed') return { verdict: 'UNHEALTHY', reason: `last update Failed${why(f.lastUpdateStatusReason)}`, state };
  if (f.state === 'Pending') return { verdict: 'DEGRADED', reason: 'function State is Pending (being created or updated)', state };
  if (f.lastUpdateStatus === 'InProgress') return { verdict: 'DEGRADED', reason: 'an update is in progress', state };
  if (f.state === 'Active') return { verdict: 'HEALTHY', state };
  return { verdict: 'UNKNOWN', reason: 'function state not reported', state };
}

export const lambda = defineHealth({
  metrics: [
    { id: 'invocations', metricName: 'Invocations', stat: 'Sum' },
    { id: 'errors', metricName: 'Errors', stat: 'Sum', sparse: true },
    { id: 'throttles', metricName: 'Throttles', stat: 'Sum', sparse: true },
    { id: 'duration_p95', metricName: 'Duration', stat: 'p95' },
  ],
  slos: [
    {
      key: 'error_rate_percent',
      label: 'error rate',
      unit: '%',
      direction: 'max',
      scale: 'ratio',
      metrics: ['invocations', 'errors'],
      observe: (o) => ratioPercent(o.metric('errors'), o.metric('invocations'), 'invocations'),
      events: { bad: ['errors'], total: ['invocations'] },
    },
    {
      key: 'throttle_rate_percent',
      label: 'throttle rate',
      unit: '%',
      direction: 'max',
      scale: 'ratio',
      metrics: ['invocations', 'throttles'],
      observe: (o) => ratioPercent(o.metric('throttles'), sum(o.metric('invocations'), o.metric('throttles')), 'invocations'),
      events: { bad: ['throttles'], total: ['invocations', 'throttles'] },
    },
    {
      key: 'availability_percent',
      label: 'availability',
      unit: '%',
      direction: 'min',
      scale: 'ratio',
      metrics: ['invocations', 'errors', 'throttles'],
      observe: (o) => {
        const bad = ratioPercent(sum(o.metric('errors'), o.metric('throttles')), sum(o.metric('invocations'), o.metric('throttles')), 'invocations');
        return typeof bad === 'number' ? 100 - bad : bad;
      },
      events: { bad: ['errors', 'throttles'], total: ['invocations', 'throttles'] },
    },
    {
      key: 'p95_latency_ms',
      label: 'p95 latency',
      unit: 'ms',
      direction: 'max',
      scale: 'level',
      metrics: ['duration_p95'],
      observe: (o) => o.metric('duration_p95') ?? { unknown: 'no Duration datapoints in the window' },
    },
  ],
  async readState(resources, ctx) {
    const api = lambdaApi(ctx.aws, { onCall: ctx.onCall });
    const wanted = new Set(resources.map((r) => r.name));
    const out = new Map<string, StateRead>();
    // One paginated listing for the whole fleet instead of a GetFunction per function. When the listing fails,
    // each function is still read on its own: another call may answer what the listing could not.
    let listed: Map<string, LambdaFunction>;
    let listFailed = false;
    try {
      listed = new Map((await api.listFunctions()).filter((f) => wanted.has(f.name)).map((f) => [f.name, f]));
    } catch (e) {
      const f = classifyAwsError(e, 'lambda', 'ListFunctions');
      if (f.category === 'credentials' || f.category === 'endpoint') throw e;
      listFailed = true;
      listed = new Map([...wanted].map((name) => [name, { name } as LambdaFunction]));
    }
    // Real ListFunctions omits State and LastUpdateStatus (only GetFunction returns them):
    // read those functions one by one, bounded.
    const needDetail = [...listed.values()].filter((f) => f.state === undefined || listFailed);
    await mapLimit(needDetail, ctx.concurrency, async (f) => {
      try {
        const full = await api.getFunction(f.name);
        if (full) listed.set(f.name, full);
        else listed.delete(f.name);
      } catch (e) {
        const fail = classifyAwsError(e, 'lambda', 'GetFunction');
        out.set(f.name, ctx.fail(fail));
      }
    });
    for (const [name, f] of listed) if (!out.has(name)) out.set(name, judgeFunction(f));
    return out;
  },
});
