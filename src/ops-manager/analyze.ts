/**
 * ops-manager: analyze. One live resource's metric series over --since, scored by the anomaly detector.
 * Exit codes: 0 every series read and none anomalous, 1 an anomaly or a series unread or stopped, 2 bad input, 4 access.
 */
import { closest, printable } from '../config/explain.js';
import { roundValue } from '../core/round.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import { loadResource } from '../resources/index.js';
import { analyze } from '../skills/ops-analyze/analyze.js';
import { analyzeMarkdown, analyzeTable, type AnalyzeView } from '../skills/ops-analyze/render.js';
import { resolveContext, type ContextOverrides } from './context.js';
import type { AnalyzeRequest } from './requests.js';

export const ANALYZE_SCHEMA = 'helm-cloud/analyze@1';

export async function runAnalyze(req: AnalyzeRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult> {
  const ctx = resolveContext(req, io, overrides);
  const names = ctx.resources.map((r) => r.name);
  const resource = ctx.resources.find((r) => r.name === req.resource);
  if (!resource) {
    const near = closest(req.resource, names);
    throw new HelmError('input', `no resource "${printable(req.resource)}" is live in ${ctx.env.name}`, {
      keyPath: '--resource',
      fix: near ? `did you mean --resource ${near}?` : names.length ? `use one of: ${names.slice(0, 10).join(', ')}` : 'the registry has no live resources for this environment',
    });
  }
  const d = await loadResource(resource.type);
  let metrics = d.metrics;
  if (req.metric !== undefined) {
    const want = req.metric.toLowerCase();
    metrics = d.metrics.filter((m) => m.id.toLowerCase() === want || m.metricName.toLowerCase() === want);
    if (!metrics.length) {
      const all = [...new Set(d.metrics.map((m) => m.metricName))];
      const near = closest(req.metric, [...all, ...d.metrics.map((m) => m.id)]);
      throw new HelmError('input', `${resource.type} has no metric "${printable(req.metric)}"`, { keyPath: '--metric', fix: near ? `did you mean --metric ${near}?` : `use one of: ${all.join(', ')}` });
    }
  }
  const now = ctx.now();
  const toMs = Math.floor(now / 60_000) * 60_000;
  const fromMs = toMs - req.sinceMs;
  io.progress(`analyze: ${metrics.length} series of ${resource.type}/${resource.name} over ${new Date(fromMs).toISOString()} → ${new Date(toMs).toISOString()}…`);
  const out = await analyze({ aws: ctx.aws, resource, descriptor: d, metrics, fromMs, toMs, access: { ...ctx.aws.describe() } });

  const iso = (ms: number) => new Date(ms).toISOString();
  const round = roundValue;
  const series = out.series.map((s) => ({
    metric: s.metric,
    stat: s.stat,
    status: s.status,
    ...(s.reason ? { reason: s.reason } : {}),
    points: s.points.map((p) => ({ t: iso(p.t), v: round(p.v), score: p.score === null ? null : round(p.score), anomalous: p.anomalous })),
    anomalies: s.anomalies.map((a) => ({ start: iso(a.startMs), end: iso(a.endMs), peakAt: iso(a.peakMs), value: round(a.value), expected: round(a.expected), deviation: round(a.deviation), score: round(a.peakScore), direction: a.direction, beyondRange: a.beyondRange })),
  }));
  const found = series.filter((s) => s.anomalies.length);
  const unread = series.filter((s) => s.status !== 'scored' && s.status !== 'stopped');
  const stopped = series.filter((s) => s.status === 'stopped');
  const verdict = found.length ? 'ANOMALIES' : unread.length || stopped.length ? 'UNKNOWN' : 'NO_ANOMALIES';
  const summary =
    (found.length ? `${found.reduce((a, s) => a + s.anomalies.length, 0)} anomalies in ${found.map((s) => s.metric).join(', ')}` : 'no anomalies') +
    (stopped.length ? `; ${stopped.length} of ${series.length} series stopped (${stopped.map((s) => `${s.metric}: ${s.reason}`).join('; ')})` : '') +
    (unread.length ? `; ${unread.length} of ${series.length} series not scored (${unread.map((s) => `${s.metric}: ${s.status}`).join(', ')})` : '');
  const exitCode = verdict === 'NO_ANOMALIES' ? 0 : 1;
  const view: AnalyzeView = { environment: ctx.env.name, resource: { name: resource.name, type: resource.type }, range: { from: iso(fromMs), to: iso(toMs) }, periodSeconds: out.periodSeconds, verdict, summary, series };
  const json = { schema: ANALYZE_SCHEMA, command: 'analyze', generatedAt: iso(now), exitCode, apiCalls: { 'cloudwatch:GetMetricData': out.calls }, ...view };
  return { json, exitCode, table: (color) => analyzeTable(view, color, req.width ?? 100), markdown: () => analyzeMarkdown(view) };
}
