/**
 * Range arithmetic for Prometheus queries: a step chosen for a range (never over the server's point limit)
 * and the check of a given step. Pure: times in seconds.
 */
export const POINT_LIMIT = 11_000;
/** Points a chart or a table needs to show a range's shape; more only costs transfer. */
const TARGET_POINTS = 240;
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

export function pointsFor(startSec: number, endSec: number, stepSec: number): number {
  return Math.floor((endSec - startSec) / stepSec) + 1;
}

/** The smallest step keeping the range within the point limit. */
export function minimumStep(startSec: number, endSec: number): number {
  return Math.max(1, Math.ceil((endSec - startSec) / (POINT_LIMIT - 1)));
}

/** A round step giving about TARGET_POINTS points, never below the minimum step. */
export function autoStep(startSec: number, endSec: number): number {
  const want = (endSec - startSec) / TARGET_POINTS;
  const nice = NICE_STEPS.find((s) => s >= want) ?? Math.ceil(want / 86400) * 86400;
  return Math.max(nice, minimumStep(startSec, endSec));
}
