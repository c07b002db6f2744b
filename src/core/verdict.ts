/** Health verdicts and how they roll up. UNKNOWN never rolls up as HEALTHY. */
export type Verdict = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY' | 'UNKNOWN';

/** Severity order for roll-up: UNHEALTHY > UNKNOWN > DEGRADED > HEALTHY. */
const RANK: Record<Verdict, number> = { HEALTHY: 0, DEGRADED: 1, UNKNOWN: 2, UNHEALTHY: 3 };

export function worst(verdicts: Iterable<Verdict>): Verdict {
  let w: Verdict | undefined;
  for (const v of verdicts) if (w === undefined || RANK[v] > RANK[w]) w = v;
  // Nothing to judge is not healthy: it is unknown.
  return w ?? 'UNKNOWN';
}

export function verdictRank(v: Verdict): number {
  return RANK[v];
}

/** Exit code for a verdict: 0 healthy, 1 degraded or unknown, 3 unhealthy. */
export function verdictExitCode(v: Verdict, failOn: 'degraded' | 'unhealthy' = 'degraded'): 0 | 1 | 3 {
  if (v === 'UNHEALTHY') return 3;
  if (v === 'HEALTHY') return 0;
  if (failOn === 'unhealthy') return v === 'UNKNOWN' ? 1 : 0;
  return 1;
}
