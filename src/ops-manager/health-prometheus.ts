/**
 * health: adds the `[[slos.prometheus]]` services to a monitor result (resources of type `prometheus`, the
 * same verdicts, JUnit cases and step summary as the CloudWatch ones). The request ledger counts Prometheus
 * queries beside the AWS calls.
 */
import { dirname } from 'node:path';
import { PATHS } from '../config/load.js';
import { notConfigured, resolveServer } from '../config/monitoring-servers.js';
import { isHelmError } from '../errors.js';
import type { MonitorResult } from '../skills/ops-monitor/monitor.js';
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
  const resources = only === undefined ? p.resources : p.resources.filter((r) => r.name === only);
  const byOperation = { ...m.apiCalls.byOperation, ...p.requests };
  const promCalls = Object.values(p.requests).reduce((a, b) => a + b, 0);
  return {
    ...m,
    resources: [...m.resources, ...resources],
    apiCalls: { ...m.apiCalls, total: m.apiCalls.total + promCalls, byOperation, prometheusQueries: p.queries } as MonitorResult['apiCalls'],
    sloBurn: p.hourBurn === null ? m.sloBurn : Math.max(m.sloBurn ?? 0, p.hourBurn),
  };
}
