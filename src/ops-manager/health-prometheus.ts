/**
 * health: adds the `[[slos.prometheus]]` services to a monitor result (resources of type `prometheus`, the
 * same verdicts, JUnit cases and step summary as the CloudWatch ones). The request ledger counts Prometheus
 * queries beside the AWS calls.
 */
import { dirname } from 'node:path';
import { PATHS } from '../config/load.js';
import { notConfigured, resolveServer } from '../config/monitoring-servers.js';
import { isHelmError } from '../errors.js';
import { verdictRank, worst } from '../core/verdict.js';
import type { MonitorResult, ResourceHealth } from '../skills/ops-monitor/monitor.js';
import { monitorPromSlos } from '../skills/ops-monitor/prometheus-slos.js';
import type { OpsContext } from './context.js';

export async function withPrometheusSlos(ctx: OpsContext, m: MonitorResult, windowMs: number, now: number, only?: string): Promise<MonitorResult> {
  const slos = ctx.monitoring.slos.prometheus ?? [];
  if (!slos.length) return m;
  let endpoint;
  let why: string | undefined;
  try {
    endpoint = resolveServer('prometheus', {
      file: ctx.monitoring.prometheus,
      fileDisplay: ctx.ws.display(PATHS.monitoring),
      env: { name: ctx.env.name, config: ctx.env.config, display: ctx.ws.display(PATHS.environments) },
      baseDir: dirname(ctx.ws.fractary),
      vars: process.env,
    });
    if (!endpoint) why = notConfigured('prometheus', ctx.ws.display(PATHS.monitoring)).describe();
  } catch (e) {
    if (!isHelmError(e)) throw e;
    why = e.describe();
  }
  const p = await monitorPromSlos({
    endpoint,
    notConfigured: why,
    slos,
    now,
    windowMs,
    degradedPercent: ctx.monitoring.monitoring.degraded_budget_percent,
    concurrency: ctx.monitoring.monitoring.concurrency,
  });
  const { resources: own, prometheus } = attach(m.resources, p.resources, slos);
  const resources = only === undefined ? prometheus : prometheus.filter((r) => r.name === only);
  const byOperation = { ...m.apiCalls.byOperation, ...p.requests };
  const promCalls = Object.values(p.requests).reduce((a, b) => a + b, 0);
  return {
    ...m,
    resources: [...own, ...resources],
    apiCalls: { ...m.apiCalls, total: m.apiCalls.total + promCalls, byOperation, prometheusQueries: p.queries } as MonitorResult['apiCalls'],
    sloBurn: p.hourBurn === null ? m.sloBurn : Math.max(m.sloBurn ?? 0, p.hourBurn),
  };
}

/**
 * SLOs with `resource_type`: a service whose label value is a live registry resource of that type (a workload
 * named "checkout") is judged as part of it — the SLO joins the resource's SLOs and its verdict counts in the
 * resource's. Names repeat across Kubernetes namespaces; the label cannot tell them apart, so each gets the SLO.
 * What names no such resource stays a `prometheus` resource.
 */
export function attach(registry: readonly ResourceHealth[], services: readonly ResourceHealth[], slos: readonly { name: string; resource_type?: string }[]): { resources: ResourceHealth[]; prometheus: ResourceHealth[] } {
  const typeOf = new Map(slos.flatMap((s) => (s.resource_type ? [[s.name, s.resource_type] as const] : [])));
  if (!typeOf.size) return { resources: [...registry], prometheus: [...services] };
  const resources = registry.map((r) => ({ ...r, slos: [...r.slos], reasons: [...r.reasons], notEvaluated: [...r.notEvaluated] }));
  const prometheus: ResourceHealth[] = [];
  for (const svc of services) {
    const owners = (key: string) => resources.filter((r) => r.type === typeOf.get(key) && r.name === svc.name);
    const keep = { slos: svc.slos.filter((o) => !owners(o.key).length), notEvaluated: svc.notEvaluated.filter((n) => !owners(n.key).length) };
    for (const o of svc.slos) {
      for (const r of owners(o.key)) {
        r.slos.push(o);
        if (o.verdict !== 'HEALTHY' && o.reason) r.reasons.push(o.reason);
        r.verdict = worst([r.verdict, o.verdict]);
      }
    }
    for (const n of svc.notEvaluated) for (const r of owners(n.key)) r.notEvaluated.push(n);
    if (keep.slos.length === svc.slos.length && keep.notEvaluated.length === svc.notEvaluated.length) prometheus.push(svc);
    else if (keep.slos.length || keep.notEvaluated.length) {
      const verdicts = keep.slos.map((o) => o.verdict);
      prometheus.push({ ...svc, ...keep, verdict: verdicts.length ? worst(verdicts) : 'HEALTHY', reasons: keep.slos.filter((o) => o.verdict !== 'HEALTHY' && o.reason).sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict)).map((o) => o.reason!) });
    }
  }
  return { resources, prometheus };
}

