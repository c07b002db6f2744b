/**
 * Cost Explorer adapter: GetCostAndUsage (paginated, one group-by), GetAnomalies (paginated), GetCostForecast.
 * Calls run one after another: Cost Explorer's request quota is low and the emulator pairs seeded results with
 * requests in arrival order.
 */
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { CostRow, DateRange } from '../core/cost.js';
import { attempt } from './errors.js';
import type { AwsProvider } from './provider.js';

export const COST_METRIC = 'UnblendedCost';

export interface CostFilter {
  accountId?: string;
  tag?: { key: string; value: string };
}

export type GroupBy = { type: 'DIMENSION'; key: 'SERVICE' } | { type: 'TAG'; key: string };

export interface CostAnomaly {
  id: string;
  start?: string;
  end?: string;
  dimension?: string;
  totalImpact: number;
  impactPercent?: number;
  maxImpact: number;
  expectedSpend?: number;
  actualSpend?: number;
  rootCauses: { service?: string; region?: string; account?: string; usageType?: string }[];
  monitorArn?: string;
  feedback?: string;
}

export interface CostForecast {
  start: string;
  end: string;
  amount: number;
  unit: string;
  lower?: number;
  upper?: number;
}

export interface CostExplorerApi {
  getCostAndUsage(range: DateRange, groupBy: GroupBy, filter: CostFilter): Promise<{ rows: CostRow[]; calls: number }>;
  getAnomalies(range: DateRange): Promise<CostAnomaly[]>;
  getCostForecast(range: DateRange, filter: CostFilter): Promise<CostForecast>;
}

type Expression = Record<string, unknown>;

/** LINKED_ACCOUNT and the cost-allocation tag, and-ed; undefined when neither is known. */
export function costFilter(f: CostFilter): Expression | undefined {
  const parts: Expression[] = [];
  if (f.accountId) parts.push({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [f.accountId], MatchOptions: ['EQUALS'] } });
  if (f.tag) parts.push({ Tags: { Key: f.tag.key, Values: [f.tag.value], MatchOptions: ['EQUALS'] } });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

/** Tag group keys come back as "key$value"; an untagged cost has an empty value. */
export function tagGroupValue(raw: string): string {
  const i = raw.indexOf('$');
  return i >= 0 ? raw.slice(i + 1) : raw;
}

export function costExplorer(provider: AwsProvider): CostExplorerApi {
  const client = () => provider.client<CostExplorerClient>('ce', async () => (await import('@aws-sdk/client-cost-explorer')).CostExplorerClient);
  const sdk = () => import('@aws-sdk/client-cost-explorer');

  return {
    async getCostAndUsage(range, groupBy, filter) {
      const ce = await client();
      const { GetCostAndUsageCommand } = await sdk();
      const rows: CostRow[] = [];
      let token: string | undefined;
      let calls = 0;
      // The SDK has no paginator for GetCostAndUsage (NextPageToken without a page size): the one loop of our own.
      do {
        calls++;
        const out = await attempt('ce', 'GetCostAndUsage', () =>
          ce.send(
            new GetCostAndUsageCommand({
              TimePeriod: { Start: range.start, End: range.end },
              Granularity: 'DAILY',
              Metrics: [COST_METRIC],
              GroupBy: [{ Type: groupBy.type, Key: groupBy.key }],
              Filter: costFilter(filter) as never,
              NextPageToken: token,
            }),
          ),
        );
        for (const t of out.ResultsByTime ?? []) {
          const date = t.TimePeriod?.Start ?? '';
          const estimated = Boolean(t.Estimated);
          for (const g of t.Groups ?? []) {
            const m = g.Metrics?.[COST_METRIC];
            const amount = Number(m?.Amount);
            if (!Number.isFinite(amount)) continue;
            const key = groupBy.type === 'TAG' ? tagGroupValue(g.Keys?.[0] ?? '') : g.Keys?.[0] ?? '';
            rows.push({ date, key, amount, unit: m?.Unit ?? 'USD', estimated });
          }
          // Some responses carry only a Total (no spend in any group): keep it so the period is not read as missing.
          if ((t.Groups ?? []).length === 0) {
            const m = t.Total?.[COST_METRIC];
            const amount = Number(m?.Amount ?? 0);
            if (Number.isFinite(amount) && amount !== 0) rows.push({ date, key: '', amount, unit: m?.Unit ?? 'USD', estimated });
          }
        }
        token = out.NextPageToken;
      } while (token);
      return { rows, calls };
    },

    async getAnomalies(range) {
      const ce = await client();
      const { paginateGetAnomalies } = await sdk();
      const out: CostAnomaly[] = [];
      await attempt('ce', 'GetAnomalies', async () => {
        for await (const page of paginateGetAnomalies({ client: ce, pageSize: 100 }, { DateInterval: { StartDate: range.start, EndDate: range.end } })) for (const a of page.Anomalies ?? []) {
          out.push({
            id: a.AnomalyId ?? '',
            start: a.AnomalyStartDate,
            end: a.AnomalyEndDate,
            dimension: a.DimensionValue,
            totalImpact: a.Impact?.TotalImpact ?? a.Impact?.MaxImpact ?? 0,
            impactPercent: a.Impact?.TotalImpactPercentage,
            maxImpact: a.Impact?.MaxImpact ?? 0,
            expectedSpend: a.Impact?.TotalExpectedSpend,
            actualSpend: a.Impact?.TotalActualSpend,
            rootCauses: (a.RootCauses ?? []).map((r) => ({ service: r.Service, region: r.Region, account: r.LinkedAccount, usageType: r.UsageType })),
            monitorArn: a.MonitorArn,
            feedback: a.Feedback,
          });
        }
      });
      return out;
    },

    async getCostForecast(range, filter) {
      const ce = await client();
      const { GetCostForecastCommand } = await sdk();
      const out = await attempt('ce', 'GetCostForecast', () =>
        ce.send(
          new GetCostForecastCommand({
            TimePeriod: { Start: range.start, End: range.end },
            Metric: 'UNBLENDED_COST',
            Granularity: 'MONTHLY',
            Filter: costFilter(filter) as never,
            PredictionIntervalLevel: 80,
          }),
        ),
      );
      const lower = (out.ForecastResultsByTime ?? []).reduce((s, r) => s + Number(r.PredictionIntervalLowerBound ?? NaN), 0);
      const upper = (out.ForecastResultsByTime ?? []).reduce((s, r) => s + Number(r.PredictionIntervalUpperBound ?? NaN), 0);
      return {
        start: range.start,
        end: range.end,
        amount: Number(out.Total?.Amount ?? NaN),
        unit: out.Total?.Unit ?? 'USD',
        lower: Number.isFinite(lower) ? lower : undefined,
        upper: Number.isFinite(upper) ? upper : undefined,
      };
    },
  };
}
