/**
 * Ranks open issues across Helm domains. The order is lexicographic, most urgent first:
 *   1. severity (critical > high > medium > low)
 *   2. production before non-production
 *   3. higher SLO burn rate first (a measured burn ranks before an unknown one: it is evidence)
 *   4. older first (an issue with no valid open time ranks after dated ones)
 *   5. id, so equal issues keep one stable order across runs
 * Resolved issues are not ranked. Pure: time comes in as `now`.
 */

export const SEVERITY_WEIGHT = { critical: 4, high: 3, medium: 2, low: 1 } as const;
export type RankSeverity = keyof typeof SEVERITY_WEIGHT;

export interface RankInput {
  id: string;
  severity: RankSeverity;
  status: string;
  production: boolean;
  /** Error-budget burn rate (1 = burning exactly on budget); undefined when not measured. */
  slo_burn?: number;
  /** Epoch ms the issue started (or was opened); undefined when unknown. */
  opened_at?: number;
}

export interface RankScore {
  severity: RankSeverity;
  severity_weight: number;
  production: boolean;
  slo_burn: number | null;
  age_seconds: number | null;
  /** The deciding factors in order, in words: "critical · production · burn 14.4× · open 3h 5m". */
  explain: string;
}

export interface Ranked<T extends RankInput> {
  rank: number;
  item: T;
  score: RankScore;
}

export function isOpen(status: string): boolean {
  return status !== 'resolved';
}

export function ageSeconds(openedAt: number | undefined, now: number): number | null {
  if (openedAt === undefined || !Number.isFinite(openedAt)) return null;
  // A clock ahead of ours is age 0, not negative.
  return Math.max(0, Math.floor((now - openedAt) / 1000));
}

/** 3725 → "1h 2m"; 200000 → "2d 7h". Two units at most: enough to compare, short enough for a table. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = seconds;
  for (const [u, n] of units) {
    const q = Math.floor(rest / n);
    if (q > 0 || (parts.length === 0 && u === 's')) {
      parts.push(`${q}${u}`);
      rest -= q * n;
    }
    if (parts.length === 2 || (parts.length > 0 && q === 0)) break;
  }
  return parts.join(' ');
}

function burnOf(x: RankInput): number | null {
  return typeof x.slo_burn === 'number' && Number.isFinite(x.slo_burn) && x.slo_burn >= 0 ? x.slo_burn : null;
}

function compare(a: RankInput, b: RankInput, now: number): number {
  const s = SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity];
  if (s) return s;
  if (a.production !== b.production) return a.production ? -1 : 1;
  const ba = burnOf(a);
  const bb = burnOf(b);
  if (ba !== bb) {
    if (ba === null) return 1;
    if (bb === null) return -1;
    if (bb !== ba) return bb - ba;
  }
  const aa = ageSeconds(a.opened_at, now);
  const ab = ageSeconds(b.opened_at, now);
  if (aa !== ab) {
    if (aa === null) return 1;
    if (ab === null) return -1;
    if (ab !== aa) return ab - aa;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function scoreOf(x: RankInput, now: number): RankScore {
  const burn = burnOf(x);
  const age = ageSeconds(x.opened_at, now);
  const explain = [
    x.severity,
    x.production ? 'production' : 'non-production',
    burn === null ? 'burn unknown' : `burn ${Number(burn.toFixed(2))}×`,
    age === null ? 'age unknown' : `open ${formatAge(age)}`,
  ].join(' · ');
  return { severity: x.severity, severity_weight: SEVERITY_WEIGHT[x.severity], production: x.production, slo_burn: burn, age_seconds: age, explain };
}

/** Open issues, most urgent first, numbered from 1. */
export function rankIssues<T extends RankInput>(items: readonly T[], now: number): Ranked<T>[] {
  return items
    .filter((x) => isOpen(x.status))
    .slice()
    .sort((a, b) => compare(a, b, now))
    .map((item, i) => ({ rank: i + 1, item, score: scoreOf(item, now) }));
}
