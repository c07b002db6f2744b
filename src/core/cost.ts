/**
 * Cost arithmetic, pure: period windows, per-key period totals and change, and monthly-saving estimates for
 * right-sizing. Prices are on-demand list prices (us-east-1, USD) used only to size an opportunity; every
 * estimate carries a sentence saying how it was made so a reader can redo it with their own rates.
 */

export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const DAY = 86_400_000;

export interface DateRange {
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, exclusive (Cost Explorer's convention). */
  end: string;
}

export interface Periods {
  current: DateRange;
  previous: DateRange;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` complete UTC days (today is partial, so it is left out) and the same span before them. */
export function comparisonPeriods(nowMs: number, days: number): Periods {
  const today = Math.floor(nowMs / DAY) * DAY;
  return {
    current: { start: isoDay(today - days * DAY), end: isoDay(today) },
    previous: { start: isoDay(today - 2 * days * DAY), end: isoDay(today - days * DAY) },
  };
}

export interface CostRow {
  /** Start day of the Cost Explorer time bucket, YYYY-MM-DD. */
  date: string;
  /** Group key (service name, tag value); "" for an ungrouped total. */
  key: string;
  amount: number;
  unit: string;
  estimated: boolean;
}

export interface PeriodTotal {
  key: string;
  current: number;
  previous: number;
  /** null when the previous period is zero (a change from nothing has no percentage). */
  changePercent: number | null;
  change: number;
}

const inRange = (date: string, r: DateRange) => date >= r.start && date < r.end;
const round2 = (n: number) => Math.round(n * 100) / 100;

export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

/** Sums rows per key into the two periods; rows outside both periods are ignored. Sorted by current cost. */
export function totalsByKey(rows: readonly CostRow[], p: Periods): PeriodTotal[] {
  const acc = new Map<string, { current: number; previous: number }>();
  for (const r of rows) {
    const which = inRange(r.date, p.current) ? 'current' : inRange(r.date, p.previous) ? 'previous' : undefined;
    if (!which) continue;
    const a = acc.get(r.key) ?? { current: 0, previous: 0 };
    a[which] += r.amount;
    acc.set(r.key, a);
  }
  return [...acc.entries()]
    .map(([key, a]) => ({ key, current: round2(a.current), previous: round2(a.previous), change: round2(a.current - a.previous), changePercent: changePercent(a.current, a.previous) }))
    .sort((x, y) => y.current - x.current || y.previous - x.previous || x.key.localeCompare(y.key));
}

export function grandTotal(totals: readonly PeriodTotal[]): { current: number; previous: number; changePercent: number | null } {
  const current = round2(totals.reduce((s, t) => s + t.current, 0));
  const previous = round2(totals.reduce((s, t) => s + t.previous, 0));
  return { current, previous, changePercent: changePercent(current, previous) };
}

// ---- Lambda ---------------------------------------------------------------------------------------------

/** USD per GB-second of Lambda duration. */
export const LAMBDA_GB_SECOND = { x86_64: 0.0000166667, arm64: 0.0000133334 } as const;

/** Memory to configure for a function whose peak use was `maxUsedMb`: 30% headroom, 64 MB steps, 128 MB floor. */
export function recommendedMemoryMb(maxUsedMb: number): number {
  return Math.max(128, Math.ceil((maxUsedMb * 1.3) / 64) * 64);
}

export interface Estimate {
  monthlySaving: number | null;
  how: string;
}

export function lambdaMemorySaving(o: { configuredMb: number; recommendedMb: number; avgDurationMs: number; invocationsPerMonth: number; arch: 'x86_64' | 'arm64' }): Estimate {
  const price = LAMBDA_GB_SECOND[o.arch];
  const gbSeconds = ((o.configuredMb - o.recommendedMb) / 1024) * (o.avgDurationMs / 1000) * o.invocationsPerMonth;
  return {
    monthlySaving: round2(Math.max(0, gbSeconds * price)),
    how:
      `(${o.configuredMb} − ${o.recommendedMb}) MB × ${round2(o.avgDurationMs)} ms average duration × ` +
      `${Math.round(o.invocationsPerMonth)} invocations/month (observed rate) × $${price}/GB-s (${o.arch}); ` +
      'assumes duration does not grow at the smaller size',
  };
}

// ---- RDS ------------------------------------------------------------------------------------------------

const SIZES = ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'] as const;

/** USD/hour, single-AZ, MySQL/PostgreSQL, on-demand, us-east-1. */
const RDS_HOURLY: Record<string, Partial<Record<(typeof SIZES)[number], number>>> = {
  t3: { micro: 0.018, small: 0.036, medium: 0.072, large: 0.145, xlarge: 0.29, '2xlarge': 0.579 },
  t4g: { micro: 0.016, small: 0.032, medium: 0.065, large: 0.129, xlarge: 0.258, '2xlarge': 0.517 },
  m5: { large: 0.178, xlarge: 0.356, '2xlarge': 0.712, '4xlarge': 1.424, '8xlarge': 2.848, '12xlarge': 4.272, '16xlarge': 5.696, '24xlarge': 8.544 },
  m6i: { large: 0.178, xlarge: 0.356, '2xlarge': 0.712, '4xlarge': 1.424, '8xlarge': 2.848, '12xlarge': 4.272, '16xlarge': 5.696, '24xlarge': 8.544 },
  m6g: { large: 0.159, xlarge: 0.318, '2xlarge': 0.636, '4xlarge': 1.272, '8xlarge': 2.544, '12xlarge': 3.816, '16xlarge': 5.088 },
  r5: { large: 0.25, xlarge: 0.5, '2xlarge': 1.0, '4xlarge': 2.0, '8xlarge': 4.0, '12xlarge': 6.0, '16xlarge': 8.0, '24xlarge': 12.0 },
  r6i: { large: 0.25, xlarge: 0.5, '2xlarge': 1.0, '4xlarge': 2.0, '8xlarge': 4.0, '12xlarge': 6.0, '16xlarge': 8.0, '24xlarge': 12.0 },
  r6g: { large: 0.225, xlarge: 0.45, '2xlarge': 0.899, '4xlarge': 1.798, '8xlarge': 3.597, '12xlarge': 5.395, '16xlarge': 7.194 },
};

/** USD per GB-month of allocated RDS storage, single-AZ. */
const RDS_STORAGE_GB_MONTH: Record<string, number> = { gp2: 0.115, gp3: 0.115, io1: 0.125, io2: 0.125, standard: 0.1 };

function parseClass(cls: string): { family: string; size: (typeof SIZES)[number] } | undefined {
  const m = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(cls);
  if (!m || !(SIZES as readonly string[]).includes(m[2]!)) return undefined;
  return { family: m[1]!, size: m[2] as (typeof SIZES)[number] };
}

export function rdsHourly(cls: string): number | undefined {
  const c = parseClass(cls);
  return c ? RDS_HOURLY[c.family]?.[c.size] : undefined;
}

/** The next smaller class of the same family that the price table knows (half the vCPUs and memory). */
export function rdsSmallerClass(cls: string): string | undefined {
  const c = parseClass(cls);
  if (!c) return undefined;
  const table = RDS_HOURLY[c.family];
  if (!table) return undefined;
  for (let i = SIZES.indexOf(c.size) - 1; i >= 0; i--) if (table[SIZES[i]!] !== undefined) return `db.${c.family}.${SIZES[i]}`;
  return undefined;
}

const azFactor = (multiAz: boolean) => (multiAz ? 2 : 1);

export function rdsIdleSaving(o: { instanceClass: string; multiAz: boolean; allocatedGb: number; storageType: string }): Estimate {
  const hourly = rdsHourly(o.instanceClass);
  const gb = RDS_STORAGE_GB_MONTH[o.storageType] ?? RDS_STORAGE_GB_MONTH.gp2!;
  if (hourly === undefined) {
    return { monthlySaving: null, how: `${o.instanceClass} is not in the price table (on-demand, us-east-1); the saving is the instance's full monthly cost plus its storage` };
  }
  const f = azFactor(o.multiAz);
  const compute = hourly * HOURS_PER_MONTH * f;
  const storage = o.allocatedGb * gb * f;
  return {
    monthlySaving: round2(compute + storage),
    how: `stop or delete (snapshot first): $${hourly}/h × ${HOURS_PER_MONTH} h${f > 1 ? ' × 2 (Multi-AZ)' : ''} + ${o.allocatedGb} GB × $${gb}/GB-month; on-demand us-east-1 list prices`,
  };
}

export function rdsDownsizeSaving(o: { instanceClass: string; multiAz: boolean }): Estimate & { target?: string } {
  const target = rdsSmallerClass(o.instanceClass);
  const from = rdsHourly(o.instanceClass);
  const to = target ? rdsHourly(target) : undefined;
  if (!target || from === undefined || to === undefined) {
    return { monthlySaving: null, how: `no smaller class of ${o.instanceClass} in the price table (on-demand, us-east-1)` };
  }
  const f = azFactor(o.multiAz);
  return {
    target,
    monthlySaving: round2((from - to) * HOURS_PER_MONTH * f),
    how: `${o.instanceClass} → ${target}: ($${from} − $${to})/h × ${HOURS_PER_MONTH} h${f > 1 ? ' × 2 (Multi-AZ)' : ''}; on-demand us-east-1 list prices`,
  };
}

/** Storage to keep for `usedGb` of data: 50% headroom, 20 GB floor (the RDS minimum for gp2/gp3). */
export function recommendedStorageGb(usedGb: number): number {
  return Math.max(20, Math.ceil(usedGb * 1.5));
}

export function rdsStorageSaving(o: { allocatedGb: number; usedGb: number; storageType: string; multiAz: boolean }): Estimate & { targetGb: number } {
  const targetGb = recommendedStorageGb(o.usedGb);
  const gb = RDS_STORAGE_GB_MONTH[o.storageType] ?? RDS_STORAGE_GB_MONTH.gp2!;
  const f = azFactor(o.multiAz);
  return {
    targetGb,
    monthlySaving: round2(Math.max(0, (o.allocatedGb - targetGb) * gb * f)),
    how:
      `(${o.allocatedGb} − ${targetGb}) GB × $${gb}/GB-month${f > 1 ? ' × 2 (Multi-AZ)' : ''}; ${targetGb} GB = peak use ${round2(o.usedGb)} GB + 50% headroom. ` +
      'RDS storage cannot shrink in place: restore to a smaller instance or migrate',
  };
}
