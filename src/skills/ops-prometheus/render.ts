/**
 * Human views of Prometheus and Alertmanager answers: vectors as tables with one column per label, ranges as
 * a table per series plus (on a terminal) a small line chart per series, alerts, targets, rules, silences.
 */
import asciichart from 'asciichart';
import type { Silence } from '../../adapters/alertmanager/client.js';
import { sampleValue, type Labels, type MatrixSeries, type PromAlert, type QueryData, type RuleGroup, type Target, type VectorSample } from '../../adapters/prometheus/client.js';
import { mdTable, renderTable, safeText } from '../../report/render.js';

export interface View {
  headers: string[];
  rows: string[][];
  /** Lines after the table (charts, notes). */
  after?: string[];
}

export const asTable = (v: View, color: boolean) => [renderTable(v.headers, v.rows, { color, maxWidth: 80, literalHeaders: true }), ...(v.after ?? [])].join('\n');
export const asMarkdown = (v: View) => [mdTable(v.headers, v.rows, { literalHeaders: true }), ...(v.after ?? []).map((l) => (l ? `    ${l}` : ''))].join('\n') + '\n';

/** Label names over all series, `__name__` first, then alphabetical. */
export function labelColumns(metrics: Labels[]): string[] {
  const names = new Set<string>();
  for (const m of metrics) for (const k of Object.keys(m)) names.add(k);
  return [...names].sort((a, b) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a.localeCompare(b)));
}

const iso = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
const num = (s: string) => {
  const n = Number(s);
  return Number.isFinite(n) ? sig(n, 4) : s;
};

/**
 * n with `digits` significant digits at most: exponent form for large and tiny magnitudes, trailing zeros dropped
 * (kept with `fixed`, so chart labels line up).
 */
function sig(n: number, digits: number, fixed = false): string {
  if (Math.abs(n) >= 1e6 || (Math.abs(n) < 1e-3 && n !== 0)) {
    const e = n.toExponential(Math.max(3, digits - 1));
    return fixed ? e : e.replace(/\.?0+e/, 'e');
  }
  if (digits <= 4) return String(Math.round(n * 1e6) / 1e6);
  return fixed ? n.toPrecision(digits) : String(Number(n.toPrecision(digits)));
}

export function queryView(data: QueryData): View {
  if (data.resultType === 'vector') {
    const res = data.result as VectorSample[];
    const cols = labelColumns(res.map((r) => r.metric));
    return {
      headers: [...cols, 'value', 'time'],
      rows: res.map((r) => [...cols.map((c) => r.metric[c] ?? ''), num(r.value[1]), iso(r.value[0])]),
      after: res.length ? [] : ['(empty result: no series matched)'],
    };
  }
  if (data.resultType === 'matrix') return rangeView(data.result as MatrixSeries[], false);
  const [t, v] = data.result as [number, string];
  return { headers: [data.resultType, 'time'], rows: [[data.resultType === 'scalar' ? num(v) : v, iso(t)]] };
}

/** A computed number in Prometheus' spelling (+Inf, not Infinity), with the digits that tell it from `other`. */
const promNum = (n: number, other: number) => (n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : sig(n, distinctDigits(n, other)));

/** Significant digits needed to tell two values apart (4 at least, 15 at most). */
function distinctDigits(a: number, b: number): number {
  const span = Math.abs(a - b);
  if (span === 0 || !Number.isFinite(span)) return 4;
  return Math.min(15, Math.max(4, Math.ceil(Math.log10(Math.max(Math.abs(a), Math.abs(b)) / span)) + 2));
}

export function rangeView(series: MatrixSeries[], charts: boolean, width = 72): View {
  const cols = labelColumns(series.map((s) => s.metric));
  const rows = series.map((s) => {
    // ±Inf is a value (histogram_quantile above the last bucket): min and max show it; NaN (0/0) is no value.
    const vs = s.values.map((p) => sampleValue(p[1])).filter((v) => !Number.isNaN(v));
    return [
      ...cols.map((c) => s.metric[c] ?? ''),
      String(s.values.length),
      vs.length ? promNum(Math.min(...vs), Math.max(...vs)) : '-',
      vs.length ? promNum(Math.max(...vs), Math.min(...vs)) : '-',
      s.values.length ? num(s.values[s.values.length - 1]![1]) : '-',
    ];
  });
  const after: string[] = [];
  if (!series.length) after.push('(empty result: no series matched)');
  if (charts) {
    const shown = series.slice(0, 12);
    for (const s of shown) {
      const all = s.values.map((p) => sampleValue(p[1]));
      const vs = resample(all, width);
      const undrawn = all.length - all.filter(Number.isFinite).length;
      if (vs.length < 2) {
        if (undrawn) after.push('', safeText(`{${labelText(s.metric)}}  no chart: ${undrawn} of ${all.length} points are NaN or ±Inf`));
        continue;
      }
      const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
      // A flat series (float noise only) is drawn flat, not stretched across the whole height.
      const flat = hi - lo <= 1e-9 * Math.max(Math.abs(hi), Math.abs(lo));
      const scale = flat ? { min: Math.min(0, lo), max: hi > 0 ? hi * 2 : hi < 0 ? 0 : 1 } : {};
      // Labels precise enough to differ: 1e12 bytes moving by 1e6 needs 7 digits, not 1.000e+12 on every row.
      const digits = flat ? 4 : distinctDigits(hi, lo);
      const label = (x: number) => sig(x, digits, digits > 4).padStart(10);
      after.push('', safeText(`{${labelText(s.metric)}}  ${iso(s.values[0]![0])} → ${iso(s.values[s.values.length - 1]![0])}`), asciichart.plot(vs, { height: 6, ...scale, format: label }));
      if (undrawn) after.push(`(${undrawn} of ${all.length} points are NaN or ±Inf: not drawn)`);
    }
    if (series.length > shown.length) after.push('', `(charts for the first ${shown.length} of ${series.length} series; --output json has them all)`);
  }
  return { headers: [...cols, 'points', 'min', 'max', 'last'], rows, after };
}

const labelText = (m: Labels) => (Object.keys(m).length ? Object.entries(m).map(([k, v]) => `${k}="${v}"`).join(', ') : '{}');

/** At most `width` points: the mean of each bucket (NaN-free). */
function resample(values: number[], width: number): number[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length <= width) return finite;
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * finite.length) / width);
    const to = Math.floor(((i + 1) * finite.length) / width);
    const slice = finite.slice(from, Math.max(to, from + 1));
    out.push(slice.reduce((a, b) => a + b, 0) / slice.length);
  }
  return out;
}

export function seriesView(series: Labels[]): View {
  const cols = labelColumns(series);
  return { headers: cols.length ? cols : ['series'], rows: series.map((s) => cols.map((c) => s[c] ?? '')), after: series.length ? [] : ['(no series matched)'] };
}

export function labelsView(name: string | undefined, values: string[]): View {
  return { headers: [name ? `${name} values` : 'label'], rows: values.map((v) => [v]), after: values.length ? [] : ['(none)'] };
}

const rest = (l: Labels, skip: string[]) => Object.entries(l).filter(([k]) => !skip.includes(k)).map(([k, v]) => `${k}=${v}`).join(' ');

export function alertsView(alerts: PromAlert[]): View {
  return {
    headers: ['alertname', 'state', 'severity', 'active since', 'value', 'labels', 'summary'],
    rows: alerts.map((a) => [a.labels.alertname ?? '', a.state, a.labels.severity ?? '', a.activeAt ?? '', num(a.value), rest(a.labels, ['alertname', 'severity']), a.annotations.summary ?? a.annotations.description ?? '']),
    after: alerts.length ? [] : ['(no active alerts)'],
  };
}

export function targetsView(targets: Target[]): View {
  return {
    headers: ['job', 'instance', 'health', 'last scrape', 'duration', 'last error'],
    rows: targets.map((t) => [t.labels.job ?? t.scrapePool, t.labels.instance ?? t.scrapeUrl, t.health, t.lastScrape, `${Math.round(t.lastScrapeDuration * 1e4) / 10} ms`, t.lastError]),
    after: targets.length ? [] : ['(no targets)'],
  };
}

export function rulesView(groups: RuleGroup[]): View {
  const rows: string[][] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      rows.push([g.name, r.type, r.name, r.health, r.type === 'alerting' ? (r.state ?? '') : '', r.lastEvaluation ?? '', r.evaluationTime === undefined ? '' : `${Math.round(r.evaluationTime * 1e5) / 100} ms`, r.lastError ?? '']);
    }
  }
  return { headers: ['group', 'type', 'name', 'health', 'state', 'last evaluation', 'took', 'last error'], rows, after: rows.length ? [] : ['(no rules)'] };
}

export const matcherText = (m: Silence['matchers'][number]) => `${m.name}${m.isEqual === false ? '!' : ''}${m.isRegex ? '=~' : m.isEqual === false ? '=' : '='}${m.value}`.replace('!=~', '!~');

export function silencesView(silences: Silence[]): View {
  return {
    headers: ['id', 'state', 'matchers', 'starts', 'ends', 'created by', 'comment'],
    rows: silences.map((s) => [s.id, s.status.state, s.matchers.map(matcherText).join(' '), s.startsAt, s.endsAt, s.createdBy, s.comment]),
    after: silences.length ? [] : ['(no silences)'],
  };
}
