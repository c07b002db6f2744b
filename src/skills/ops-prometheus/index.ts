/**
 * ops-prometheus: the HTTP-API tool an SRE agent uses — instant and range queries, series and label
 * exploration, alerts, targets, rules, and Alertmanager silences. Each action returns the server's data
 * unchanged in meaning, its warnings, a one-line summary and a human view.
 */
import { AlertmanagerClient, type Matcher, type Silence } from '../../adapters/alertmanager/client.js';
import { PrometheusClient, type MatrixSeries, type QueryData } from '../../adapters/prometheus/client.js';
import type { Endpoint } from '../../adapters/http/json-api.js';
import { autoStep, minimumStep, pointsFor, POINT_LIMIT } from '../../core/promql-time.js';
import { HelmError } from '../../errors.js';
import { alertsView, labelsView, queryView, rangeView, rulesView, seriesView, silencesView, targetsView, type View } from './render.js';

export const PROM_ACTIONS = ['query', 'query_range', 'series', 'labels', 'alerts', 'targets', 'rules', 'silence_create', 'silences', 'silence_expire'] as const;
export type PromAction = (typeof PROM_ACTIONS)[number];

export interface PromParams {
  expr?: string;
  timeSec?: number;
  startSec?: number;
  endSec?: number;
  stepSec?: number;
  match?: string[];
  label?: string;
  matchers?: Matcher[];
  durationMs?: number;
  comment?: string;
  author?: string;
  id?: string;
  /** Draw charts for ranges (a terminal). */
  charts?: boolean;
  /** Alertmanager silences: include expired ones. */
  all?: boolean;
  nowMs: number;
}

export interface PromOutcome {
  /** The API's data for JSON output. */
  data: unknown;
  warnings: string[];
  summary: string;
  view: View;
  server: string;
  /** Requests made, by endpoint. */
  requests: Record<string, number>;
  /** Set for writes: what changed. */
  change?: { outcome: 'applied' | 'skipped'; detail: string; id?: string };
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 || w.endsWith('s') ? '' : 's'}`;

/** Explains a PromQL parse error: the server's text plus the position it names (line:col). */
export function explainQueryError(e: unknown, expr: string): unknown {
  const err = e as HelmError;
  if (!err || err.kind !== 'input') return e;
  const m = /(\d+):(\d+): parse error: (.*)$/s.exec(err.message);
  if (!m) return e;
  const [line, col] = [Number(m[1]), Number(m[2])];
  const text = expr.split('\n')[line - 1] ?? expr;
  const caret = `${text}\n${' '.repeat(Math.max(0, col - 1))}^`;
  return new HelmError('input', `PromQL syntax error at line ${line}, column ${col}: ${m[3]!.trim()}\n  ${caret.replace('\n', '\n  ')}`);
}

export async function runPromAction(action: PromAction, p: PromParams, eps: { prometheus?: () => Endpoint; alertmanager?: () => Endpoint }): Promise<PromOutcome> {
  const requests: Record<string, number> = {};
  const count = (what: string) => void (requests[what] = (requests[what] ?? 0) + 1);
  const prom = () => new PrometheusClient(eps.prometheus!(), count);
  const am = () => new AlertmanagerClient(eps.alertmanager!(), count);
  switch (action) {
    case 'query': {
      const c = prom();
      const a = await c.query(p.expr!, p.timeSec).catch((e) => Promise.reject(explainQueryError(e, p.expr!)));
      const n = Array.isArray(a.data.result) && a.data.resultType !== 'scalar' && a.data.resultType !== 'string' ? a.data.result.length : 1;
      const summary = a.data.resultType === 'vector' || a.data.resultType === 'matrix' ? (n ? `${plural(n, 'series')} (${a.data.resultType})` : `empty ${a.data.resultType}: no series matched`) : a.data.resultType;
      return { data: a.data, warnings: a.warnings, summary, view: queryView(a.data), server: c.endpoint.url, requests };
    }
    case 'query_range': {
      const { startSec, endSec } = p as Required<Pick<PromParams, 'startSec' | 'endSec'>>;
      if (endSec < startSec) throw new HelmError('usage', '--end is before --start', { fix: 'swap them' });
      let step = p.stepSec;
      if (step !== undefined && pointsFor(startSec, endSec, step) > POINT_LIMIT) {
        throw new HelmError('input', `--step ${step}s over this range gives ${pointsFor(startSec, endSec, step).toLocaleString('en')} points per series; Prometheus allows at most ${POINT_LIMIT.toLocaleString('en')}`, {
          keyPath: '--step',
          fix: `use --step ${minimumStep(startSec, endSec)}s or more, or leave --step out to have one chosen`,
        });
      }
      step ??= autoStep(startSec, endSec);
      const c = prom();
      const a = await c.queryRange(p.expr!, startSec, endSec, step).catch((e) => Promise.reject(explainQueryError(e, p.expr!)));
      const series = a.data.resultType === 'matrix' ? (a.data.result as MatrixSeries[]) : [];
      const view = a.data.resultType === 'matrix' ? rangeView(series, Boolean(p.charts)) : queryView(a.data as QueryData);
      return {
        data: { ...a.data, step },
        warnings: a.warnings,
        summary: series.length ? `${plural(series.length, 'series')}, step ${step}s` : `empty matrix: no series matched (step ${step}s)`,
        view,
        server: c.endpoint.url,
        requests,
      };
    }
    case 'series': {
      const c = prom();
      const a = await c.series(p.match!, p.startSec, p.endSec);
      return { data: a.data, warnings: a.warnings, summary: a.data.length ? plural(a.data.length, 'series') : 'no series matched', view: seriesView(a.data), server: c.endpoint.url, requests };
    }
    case 'labels': {
      const c = prom();
      const a = p.label ? await c.labelValues(p.label, p.match, p.startSec, p.endSec) : await c.labels(p.match, p.startSec, p.endSec);
      return { data: a.data, warnings: a.warnings, summary: p.label ? `${plural(a.data.length, 'value')} of ${p.label}` : plural(a.data.length, 'label name'), view: labelsView(p.label, a.data), server: c.endpoint.url, requests };
    }
    case 'alerts': {
      const c = prom();
      const a = await c.alerts();
      const firing = a.data.alerts.filter((x) => x.state === 'firing').length;
      return { data: a.data, warnings: a.warnings, summary: `${plural(a.data.alerts.length, 'active alert')} (${firing} firing, ${a.data.alerts.length - firing} pending)`, view: alertsView(a.data.alerts), server: c.endpoint.url, requests };
    }
    case 'targets': {
      const c = prom();
      const a = await c.targets();
      const down = a.data.activeTargets.filter((t) => t.health !== 'up').length;
      return { data: a.data, warnings: a.warnings, summary: `${plural(a.data.activeTargets.length, 'target')}, ${down} not up`, view: targetsView(a.data.activeTargets), server: c.endpoint.url, requests };
    }
    case 'rules': {
      const c = prom();
      const a = await c.rules();
      const rules = a.data.groups.flatMap((g) => g.rules);
      const bad = rules.filter((r) => r.health !== 'ok').length;
      return { data: a.data, warnings: a.warnings, summary: `${plural(rules.length, 'rule')} in ${plural(a.data.groups.length, 'group')}${bad ? `, ${bad} unhealthy` : ''}`, view: rulesView(a.data.groups), server: c.endpoint.url, requests };
    }
    case 'silences': {
      const c = am();
      const all = await c.silences();
      const shown = p.all ? all : all.filter((s) => s.status.state !== 'expired');
      shown.sort((a, b) => a.endsAt.localeCompare(b.endsAt));
      return { data: shown, warnings: [], summary: `${plural(shown.length, 'silence')}${p.all ? '' : ' (active or pending; --all shows expired)'}`, view: silencesView(shown), server: c.endpoint.url, requests };
    }
    case 'silence_create': {
      const c = am();
      const endsAt = new Date(p.nowMs + p.durationMs!).toISOString();
      // Idempotent: an active silence with the same matchers and comment that lasts at least as long is reused.
      const same = (await c.silences()).find((s) => s.status.state === 'active' && s.comment === p.comment && sameMatchers(s.matchers, p.matchers!) && Date.parse(s.endsAt) >= Date.parse(endsAt) - 60_000);
      if (same) {
        return { data: same, warnings: [], summary: `already silenced by ${same.id} until ${same.endsAt}`, view: silencesView([same]), server: c.endpoint.url, requests, change: { outcome: 'skipped', detail: `an identical active silence exists (${same.id})`, id: same.id } };
      }
      const id = await c.createSilence({ matchers: p.matchers!, startsAt: new Date(p.nowMs).toISOString(), endsAt, createdBy: p.author!, comment: p.comment! });
      const created = await c.silence(id);
      return { data: created, warnings: [], summary: `silence ${id} created, until ${created.endsAt}`, view: silencesView([created]), server: c.endpoint.url, requests, change: { outcome: 'applied', detail: `silence ${id} created`, id } };
    }
    case 'silence_expire': {
      const c = am();
      const before = await c.silence(p.id!).catch((e) => {
        if ((e as HelmError).kind === 'input') throw new HelmError('input', `no silence "${p.id}" in Alertmanager at ${c.endpoint.url}`, { fix: 'list them with `helm-cloud prometheus silences --all`' });
        throw e;
      });
      if (before.status.state === 'expired') {
        return { data: before, warnings: [], summary: `silence ${before.id} had already expired (${before.endsAt})`, view: silencesView([before]), server: c.endpoint.url, requests, change: { outcome: 'skipped', detail: 'already expired', id: before.id } };
      }
      await c.expireSilence(p.id!);
      const after = await c.silence(p.id!);
      return { data: after, warnings: [], summary: `silence ${after.id} expired`, view: silencesView([after]), server: c.endpoint.url, requests, change: { outcome: 'applied', detail: `silence ${after.id} expired`, id: after.id } };
    }
  }
}

export function sameMatchers(a: Matcher[], b: Matcher[]): boolean {
  const key = (m: Matcher) => `${m.name}\u0000${m.value}\u0000${m.isRegex}\u0000${m.isEqual !== false}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** `name=value`, `name!=value`, `name=~regex`, `name!~regex` → Alertmanager matchers. */
export function parseMatcher(text: string): Matcher {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/.exec(text);
  if (!m) throw new HelmError('usage', `"${text.slice(0, 60)}" is not a matcher`, { keyPath: '--matcher', expected: 'label=value, label!=value, label=~regex or label!~regex', fix: 'e.g. --matcher alertname=HighLatency --matcher service=checkout' });
  const value = m[3]!.replace(/^"(.*)"$/, '$1');
  if (m[2] === '=' && value === '') throw new HelmError('usage', `matcher "${text}" matches every alert lacking the label`, { keyPath: '--matcher', fix: 'give a value' });
  return { name: m[1]!, value, isRegex: m[2] === '=~' || m[2] === '!~', isEqual: m[2] === '=' || m[2] === '=~' };
}

export type { Silence };
