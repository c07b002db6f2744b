/**
 * Metric values as reports show them: one decimal from 100 up, three below, and four significant digits under 1,
 * so a series of 0.0004 s latencies is not reported as 0 (three decimals alone made every tiny value zero).
 */
export function roundValue(x: number): number {
  const a = Math.abs(x);
  if (!Number.isFinite(x) || x === 0) return x;
  if (a >= 100) return Math.round(x * 10) / 10;
  if (a >= 1) return Math.round(x * 1000) / 1000;
  return Number(x.toPrecision(4));
}
