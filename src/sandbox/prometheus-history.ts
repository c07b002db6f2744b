/**
 * Deterministic Prometheus history as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`:
 * counters integrated from a rate function of the sample's age, so range queries and burn rates over any
 * window have known answers. Fine samples (default 1 min) over the recent hours, coarse ones (10 min) back to
 * the oldest window (3 days). Used by the test harness, the demo and bench:prom.
 */
export interface CounterSpec {
  /** Family name; the sample is `<family>_total`. */
  family: string;
  labels: Record<string, string>;
  /** Events per second at a given age (seconds before the end). */
  perSecond: (ageSec: number) => number;
}

export interface HistoryShape {
  endSec: number;
  /** Total span (default 3 days + 2 h). */
  spanSec?: number;
  /** Span of fine samples before the end (default 7 h). */
  fineSpanSec?: number;
  fineStepSec?: number;
  coarseStepSec?: number;
}

export function sampleTimes(h: HistoryShape): number[] {
  const span = h.spanSec ?? 3 * 86400 + 7200;
  const fineSpan = h.fineSpanSec ?? 7 * 3600;
  const fine = h.fineStepSec ?? 60;
  const coarse = h.coarseStepSec ?? 600;
  const out: number[] = [];
  const fineFrom = h.endSec - fineSpan;
  for (let t = h.endSec - span; t < fineFrom; t += coarse) out.push(t);
  for (let t = fineFrom; t <= h.endSec; t += fine) out.push(t);
  return out;
}

const labelText = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');

export function countersOpenMetrics(specs: CounterSpec[], h: HistoryShape): string {
  const times = sampleTimes(h);
  const byFamily = new Map<string, CounterSpec[]>();
  for (const s of specs) byFamily.set(s.family, [...(byFamily.get(s.family) ?? []), s]);
  const parts: string[] = [];
  for (const [family, list] of byFamily) {
    parts.push(`# TYPE ${family} counter\n`);
    for (const s of list) {
      const name = `${family}_total{${labelText(s.labels)}}`;
      let v = 0;
      const lines: string[] = [];
      for (let i = 0; i < times.length; i++) {
        if (i > 0) v += s.perSecond(h.endSec - times[i - 1]!) * (times[i]! - times[i - 1]!);
        lines.push(`${name} ${Math.round(v * 1000) / 1000} ${times[i]}`);
      }
      parts.push(lines.join('\n') + '\n');
    }
  }
  parts.push('# EOF\n');
  return parts.join('');
}

/** A service's traffic: requests per second and the shares that fail (5xx) and that are slow. */
export interface ServiceTraffic {
  service: string;
  rps: number;
  errorRatio: (ageSec: number) => number;
  slowRatio?: (ageSec: number) => number;
  labels?: Record<string, string>;
}

/**
 * `http_requests_total{service,code="200"|"500"}` and `http_requests_fast_total{service}` (requests under the
 * latency threshold) for each service.
 */
export function serviceCounters(services: ServiceTraffic[]): CounterSpec[] {
  const out: CounterSpec[] = [];
  for (const s of services) {
    const base = { service: s.service, ...(s.labels ?? {}) };
    out.push(
      { family: 'http_requests', labels: { ...base, code: '200' }, perSecond: (a) => s.rps * (1 - s.errorRatio(a)) },
      { family: 'http_requests', labels: { ...base, code: '500' }, perSecond: (a) => s.rps * s.errorRatio(a) },
    );
  }
  for (const s of services) out.push({ family: 'http_requests_fast', labels: { service: s.service, ...(s.labels ?? {}) }, perSecond: (a) => s.rps * (1 - (s.slowRatio?.(a) ?? 0)) });
  return out;
}
