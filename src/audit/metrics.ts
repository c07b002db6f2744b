/** Reductions over a MetricResult the checks share; undefined when the series has no datapoints. */
import type { MetricResult } from './inventory.js';

export const sumOf = (m: MetricResult & { ok: true }) => m.values.reduce((s, v) => s + v, 0);
export const maxOf = (m: MetricResult & { ok: true }) => (m.values.length ? Math.max(...m.values) : undefined);
export const minOf = (m: MetricResult & { ok: true }) => (m.values.length ? Math.min(...m.values) : undefined);
export const meanOf = (m: MetricResult & { ok: true }) => (m.values.length ? sumOf(m) / m.values.length : undefined);

/** Resources younger than the window cannot be judged idle: their history is shorter than the question. */
export function youngerThanWindow(firstSeenMs: number | undefined, nowMs: number, windowDays: number): boolean {
  // Unknown age counts as young: calling something idle needs evidence it existed for the whole window.
  return firstSeenMs === undefined || firstSeenMs > nowMs - windowDays * 86_400_000;
}
