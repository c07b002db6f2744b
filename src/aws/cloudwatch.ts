/**
 * CloudWatch adapter: batched GetMetricData (500 queries a call, paginated), alarms.
 * A batch that fails as a whole is split to isolate the failing queries, so one bad query
 * (e.g. a statistic the endpoint cannot answer) leaves only its own series missing.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { mapLimit } from '../core/concurrency.js';
import { classifyAwsError, type AwsFailure } from './errors.js';
import type { AwsProvider } from './provider.js';

export const MAX_QUERIES_PER_CALL = 500;

export interface MetricQuery {
  /** Caller's id; any string. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  /** Average, Sum, SampleCount, Minimum, Maximum, or a percentile such as p95. */
  stat: string;
  periodSeconds: number;
}

export interface MetricSeries {
  id: string;
  /** Epoch ms, ascending. */
  timestamps: number[];
  values: number[];
  /** Complete, PartialData, InternalError, Forbidden. */
  status: string;
}

export interface MetricFetch {
  series: Map<string, MetricSeries>;
  failed: Map<string, AwsFailure>;
  /** GetMetricData requests made (including pages and split retries). */
  calls: number;
}

export interface Alarm {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string;
  namespace?: string;
  metricName?: string;
  dimensions: { name: string; value: string }[];
  updatedAt?: number;
}

export interface AlarmHistoryItem {
  alarmName: string;
  timestamp: number;
  summary: string;
  oldState?: string;
  newState?: string;
}

export interface CloudWatchApi {
  getMetricData(queries: MetricQuery[], startMs: number, endMs: number, opts?: { concurrency?: number }): Promise<MetricFetch>;
  describeAlarms(opts?: { namePrefix?: string; onCall?: (op: string) => void }): Promise<Alarm[]>;
  /** Whether CloudWatch knows the metric at all (ListMetrics: data in the last two weeks). */
  metricExists(namespace: string, metricName: string, dimensions: { name: string; value: string }[], opts?: { onCall?: (op: string) => void }): Promise<boolean>;
  describeAlarmHistory(opts: { startMs: number; endMs: number; alarmName?: string }): Promise<AlarmHistoryItem[]>;
}

export function cloudWatch(provider: AwsProvider): CloudWatchApi {
  const client = () => provider.client<CloudWatchClient>('cloudwatch', async () => (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient);
  const sdk = () => import('@aws-sdk/client-cloudwatch');

  return {
    async getMetricData(queries, startMs, endMs, opts = {}) {
      const result: MetricFetch = { series: new Map(), failed: new Map(), calls: 0 };
      if (queries.length === 0) return result;
      const cw = await client();
      const { paginateGetMetricData } = await sdk();
      // SDK ids must match ^[a-z][a-zA-Z0-9_]*$; map ours to q<n>.
      const byInternal = new Map<string, MetricQuery>();
      queries.forEach((q, i) => byInternal.set(`q${i}`, q));
      const internal = [...byInternal.keys()];

      const run = async (batch: string[]): Promise<void> => {
        let ids = batch;
        const acc = new Map<string, { t: number[]; v: number[]; status: string }>();
        try {
          const pages = paginateGetMetricData(
            { client: cw, withCommand: (cmd) => (result.calls++, cmd) },
            {
              StartTime: new Date(startMs),
              EndTime: new Date(endMs),
              ScanBy: 'TimestampAscending',
              MetricDataQueries: ids.map((id) => {
                const q = byInternal.get(id)!;
                return {
                  Id: id,
                  ReturnData: true,
                  MetricStat: {
                    Metric: {
                      Namespace: q.namespace,
                      MetricName: q.metricName,
                      Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
                    },
                    Period: q.periodSeconds,
                    Stat: q.stat,
                  },
                };
              }),
            },
          );
          for await (const out of pages) {
            for (const r of out.MetricDataResults ?? []) {
              if (!r.Id) continue;
              const a = acc.get(r.Id) ?? { t: [], v: [], status: 'Complete' };
              (r.Timestamps ?? []).forEach((ts, i) => {
                const v = r.Values?.[i];
                if (v !== undefined && Number.isFinite(v)) {
                  a.t.push(new Date(ts).getTime());
                  a.v.push(v);
                }
              });
              if (r.StatusCode && r.StatusCode !== 'Complete') a.status = r.StatusCode;
              acc.set(r.Id, a);
            }
          }
        } catch (e) {
          const f = classifyAwsError(e, 'cloudwatch', 'GetMetricData');
          const splittable = !['credentials', 'endpoint', 'access-denied', 'throttled'].includes(f.category);
          if (splittable && ids.length > 1) {
            // A statistic the endpoint cannot answer (percentiles on some endpoints) fails every call holding it:
            // split standard statistics from percentiles first, so the standard ones are answered together.
            const byStat = new Map<string, string[]>();
            const statClass = (id: string) => (/^(p|tm|wm|tc|ts|pr)\d/i.test(byInternal.get(id)!.stat) ? 'percentile' : 'standard');
            for (const id of ids) byStat.set(statClass(id), [...(byStat.get(statClass(id)) ?? []), id]);
            if (byStat.size > 1) {
              for (const group of byStat.values()) await run(group);
              return;
            }
            // One class: if two single queries fail the same way, the statistic is at fault, not a query;
            // bisecting would cost 2n-1 calls to learn the same thing.
            if (ids.length > 2) {
              const probes = ids.slice(0, 2);
              for (const id of probes) await run([id]);
              const failedProbe = probes.map((id) => result.failed.get(byInternal.get(id)!.id));
              if (failedProbe.every((pf) => pf && pf.category === f.category)) {
                for (const id of ids.slice(2)) result.failed.set(byInternal.get(id)!.id, f);
                return;
              }
              ids = ids.slice(2);
            }
            const mid = Math.ceil(ids.length / 2);
            await run(ids.slice(0, mid));
            await run(ids.slice(mid));
            return;
          }
          for (const id of ids) result.failed.set(byInternal.get(id)!.id, f);
          return;
        }
        for (const id of ids) {
          const q = byInternal.get(id)!;
          const a = acc.get(id) ?? { t: [], v: [], status: 'Complete' };
          // Pages may interleave; keep ascending order.
          const order = a.t.map((_, i) => i).sort((x, y) => a.t[x]! - a.t[y]!);
          result.series.set(q.id, { id: q.id, timestamps: order.map((i) => a.t[i]!), values: order.map((i) => a.v[i]!), status: a.status });
        }
      };

      const chunks: string[][] = [];
      for (let i = 0; i < internal.length; i += MAX_QUERIES_PER_CALL) chunks.push(internal.slice(i, i + MAX_QUERIES_PER_CALL));
      await mapLimit(chunks, opts.concurrency ?? 4, (c) => run(c));
      return result;
    },

    async describeAlarms(opts = {}) {
      const cw = await client();
      const { paginateDescribeAlarms } = await sdk();
      const alarms: Alarm[] = [];
      const pages = paginateDescribeAlarms({ client: cw, pageSize: 100, withCommand: (cmd) => (opts.onCall?.('cloudwatch:DescribeAlarms'), cmd) }, { AlarmNamePrefix: opts.namePrefix });
      for await (const out of pages) {
        for (const a of out.MetricAlarms ?? []) {
          alarms.push({
            name: a.AlarmName ?? '',
            state: (a.StateValue ?? 'INSUFFICIENT_DATA') as Alarm['state'],
            reason: a.StateReason ?? '',
            namespace: a.Namespace,
            metricName: a.MetricName,
            dimensions: (a.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
            updatedAt: a.StateUpdatedTimestamp ? new Date(a.StateUpdatedTimestamp).getTime() : undefined,
          });
        }
      }
      return alarms;
    },

    async metricExists(namespace, metricName, dimensions, opts = {}) {
      const cw = await client();
      const { paginateListMetrics } = await sdk();
      // Endpoints differ in how strictly they apply the filter; compare the dimension sets ourselves.
      const want = dimensions.map((d) => `${d.name}=${d.value}`).sort().join('\u0000');
      const pages = paginateListMetrics(
        { client: cw, withCommand: (cmd) => (opts.onCall?.('cloudwatch:ListMetrics'), cmd) },
        { Namespace: namespace, MetricName: metricName, Dimensions: dimensions.map((d) => ({ Name: d.name, Value: d.value })) },
      );
      // At most 20 pages: an endpoint that ignores the filter would otherwise page through the whole account.
      let page = 0;
      for await (const out of pages) {
        if ((out.Metrics ?? []).some((m) => m.MetricName === metricName && (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort().join('\u0000') === want)) return true;
        if (++page >= 20) break;
      }
      return false;
    },

    async describeAlarmHistory({ startMs, endMs, alarmName }) {
      const cw = await client();
      const { paginateDescribeAlarmHistory } = await sdk();
      const items: AlarmHistoryItem[] = [];
      const pages = paginateDescribeAlarmHistory(
        { client: cw, pageSize: 100 },
        { AlarmName: alarmName, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], HistoryItemType: 'StateUpdate', StartDate: new Date(startMs), EndDate: new Date(endMs) },
      );
      for await (const out of pages) {
        for (const h of out.AlarmHistoryItems ?? []) {
          let oldState: string | undefined;
          let newState: string | undefined;
          try {
            const d = JSON.parse(h.HistoryData ?? '{}') as { oldState?: { stateValue?: string }; newState?: { stateValue?: string } };
            oldState = d.oldState?.stateValue;
            newState = d.newState?.stateValue;
          } catch {
            // HistoryData is informational; the summary still says what happened.
          }
          items.push({ alarmName: h.AlarmName ?? '', timestamp: h.Timestamp ? new Date(h.Timestamp).getTime() : 0, summary: h.HistorySummary ?? '', oldState, newState });
        }
      }
      return items;
    },
  };
}

export type { CloudWatchClient };
