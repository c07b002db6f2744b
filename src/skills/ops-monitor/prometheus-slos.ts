/**
 * ops-monitor, Prometheus part: runs the PromQL SLO plan (one instant query per expression and window, at
 * `now`, concurrently with a bound) and turns each service into a health resource of type `prometheus`.
 * A failed query makes only its SLO UNKNOWN, with the server's reason; nothing missing is called healthy.
 */
import type { Endpoint } from '../../adapters/http/json-api.js';
import { PrometheusClient, sampleValue, type VectorSample } from '../../adapters/prometheus/client.js';
import { mapLimit } from '../../core/concurrency.js';
import { evaluatePromSlos, planPromSloQueries, type PromSloDef, type QueryAnswer } from '../../core/promql-slo.js';
import { worst, verdictRank, type Verdict } from '../../core/verdict.js';
import type { ResourceHealth } from './monitor.js';

export interface PromSloInput {
  /** undefined: no Prometheus configured (every SLO UNKNOWN with how to configure it). */
  endpoint?: Endpoint;
  notConfigured?: string;
  slos: PromSloDef[];
  now: number;
  windowMs: number;
  degradedPercent: number;
  concurrency: number;
}

export interface PromSloHealth {
  resources: ResourceHealth[];
  requests: Record<string, number>;
  queries: number;
  hourBurn: number | null;
}

export async function monitorPromSlos(input: PromSloInput): Promise<PromSloHealth> {
  const plan = planPromSloQueries(input.slos, input.windowMs);
  const requests: Record<string, number> = {};
  const answers = new Map<string, QueryAnswer>();
  if (!input.endpoint) {
    for (const q of plan) answers.set(q.id, { ok: false, reason: input.notConfigured ?? 'no Prometheus URL is configured' });
  } else {
    const client = new PrometheusClient(input.endpoint, (what) => void (requests[what] = (requests[what] ?? 0) + 1));
    await mapLimit(plan, input.concurrency, async (q) => {
      try {
        const a = await client.query(q.expr, input.now / 1000);
        if (a.data.resultType !== 'vector') {
          answers.set(q.id, { ok: false, reason: `the expression gives a ${a.data.resultType}, not an instant vector by label` });
          return;
        }
        answers.set(q.id, { ok: true, samples: (a.data.result as VectorSample[]).map((s) => ({ labels: s.metric, value: sampleValue(s.value[1]) })) });
      } catch (e) {
        answers.set(q.id, { ok: false, reason: String((e as Error).message).split('\n')[0]!.slice(0, 300) });
      }
    });
  }
  const r = evaluatePromSlos(input.slos, plan, answers, { mainWindowMs: input.windowMs, degradedPercent: input.degradedPercent });
  const server = input.endpoint?.url ?? null;
  const resources: ResourceHealth[] = r.services.map((s) => {
    const verdicts: Verdict[] = s.slos.map((o) => o.verdict);
    // A service whose every SLO is idle had no traffic: nothing breached, nothing unknown.
    const verdict = verdicts.length ? worst(verdicts) : s.notEvaluated.length ? 'HEALTHY' : 'UNKNOWN';
    const reasons = s.slos.filter((o) => o.verdict !== 'HEALTHY' && o.reason).sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict)).map((o) => o.reason!);
    if (!verdicts.length && s.notEvaluated.length) reasons.push(`idle: ${s.notEvaluated.map((n) => n.key).join(', ')} had no events in the window`);
    return { type: 'prometheus', name: s.service, project: s.project ?? 'prometheus', version: '-', verdict, reasons, slos: s.slos, notEvaluated: s.notEvaluated, alarms: [], state: { server } };
  });
  for (const u of r.unattributed) {
    resources.push({ type: 'prometheus', name: `slo:${u.slo}`, project: 'prometheus', version: '-', verdict: 'UNKNOWN', reasons: [`${u.slo}: ${u.reason}`], slos: [], notEvaluated: [], alarms: [], state: { server } });
  }
  return { resources, requests, queries: plan.length, hourBurn: r.hourBurn };
}
