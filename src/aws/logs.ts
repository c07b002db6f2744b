/**
 * CloudWatch Logs adapter: which log groups exist, and reading lines of a window from them through
 * Logs Insights (StartQuery, then GetQueryResults polled under a time limit) or FilterLogEvents (paginated).
 * Both are bounded by a line budget. Query strings are built only from constants and validated log group
 * names: no caller text ever reaches them. Failures are returned classified, never thrown raw.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { classifyAwsError, type AwsFailure } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface LogLine {
  group: string;
  stream?: string;
  timestampMs: number;
  message: string;
}

export interface LogRead {
  lines: LogLine[];
  /** The budget or the time limit stopped the read before the window was exhausted. */
  truncated: boolean;
  /** Why it was truncated (budget, time limit), when it was. */
  note?: string;
  /** API calls made. */
  calls: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: AwsFailure };

export interface InsightsOptions {
  /** Rows at most (Insights caps a query at 10,000). */
  limit: number;
  /** Give up polling after this long; partial rows are kept and the read is marked truncated. */
  timeoutMs: number;
  /** A constant RE2 pattern for `filter @message like /…/i`; must not contain "/" or line breaks. */
  filterRegex?: string;
  pollMs?: number;
}

export interface LogsApi {
  /** Names of the log groups whose names start with `prefix` (at most `max`). */
  groupsWithPrefix(prefix: string, max?: number): Promise<Outcome<string[]>>;
  insights(groups: string[], startMs: number, endMs: number, opts: InsightsOptions): Promise<Outcome<LogRead>>;
  filter(group: string, startMs: number, endMs: number, opts: { maxLines: number; timeoutMs: number }): Promise<Outcome<LogRead>>;
}

export const INSIGHTS_MAX_ROWS = 10_000;
/** Log group names as AWS allows them; anything else from the registry is refused before a call. */
export const LOG_GROUP_RE = /^[A-Za-z0-9._\-/#]{1,512}$/;

/** The query: constants only, plus a limit we computed. */
export function insightsQuery(limit: number, filterRegex?: string): string {
  if (!Number.isInteger(limit) || limit < 1 || limit > INSIGHTS_MAX_ROWS) throw new RangeError(`insights limit out of range: ${limit}`);
  if (filterRegex !== undefined && /[/\r\n\u0000-\u001f]/.test(filterRegex)) throw new RangeError('insights filter must not contain "/" or control characters');
  const filter = filterRegex ? ` | filter @message like /(?i)${filterRegex}/` : '';
  return `fields @timestamp, @message, @logStream, @log${filter} | sort @timestamp desc | limit ${limit}`;
}

/** Insights prints @timestamp as "2026-11-20 10:00:00.000" (UTC); some endpoints give epoch ms. */
export function parseInsightsTime(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d{10,}$/.test(v)) return Number(v);
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v.replace(' ', 'T') : v.replace(' ', 'T') + 'Z');
  return Number.isNaN(t) ? undefined : t;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function cloudWatchLogs(provider: AwsProvider): LogsApi {
  const client = () => provider.client<CloudWatchLogsClient>('logs', async () => (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient);
  const sdk = () => import('@aws-sdk/client-cloudwatch-logs');

  return {
    async groupsWithPrefix(prefix, max = 50) {
      const { paginateDescribeLogGroups } = await sdk();
      const names: string[] = [];
      try {
        for await (const out of paginateDescribeLogGroups({ client: await client(), pageSize: 50 }, { logGroupNamePrefix: prefix })) {
          for (const g of out.logGroups ?? []) if (g.logGroupName) names.push(g.logGroupName);
          if (names.length >= max) break;
        }
      } catch (e) {
        return { ok: false, failure: classifyAwsError(e, 'logs', 'DescribeLogGroups') };
      }
      return { ok: true, value: names.slice(0, max) };
    },

    async insights(groups, startMs, endMs, opts) {
      const { StartQueryCommand, GetQueryResultsCommand, StopQueryCommand } = await sdk();
      const limit = Math.max(1, Math.min(INSIGHTS_MAX_ROWS, opts.limit));
      const queryString = insightsQuery(limit, opts.filterRegex);
      let calls = 0;
      let c: CloudWatchLogsClient;
      let queryId: string | undefined;
      try {
        c = await client();
        calls++;
        const started = await c.send(
          new StartQueryCommand({ logGroupNames: groups, startTime: Math.floor(startMs / 1000), endTime: Math.ceil(endMs / 1000), queryString, limit }),
        );
        queryId = started.queryId;
      } catch (e) {
        return { ok: false, failure: classifyAwsError(e, 'logs', 'StartQuery') };
      }
      if (!queryId) return { ok: false, failure: { category: 'malformed', code: 'NoQueryId', message: 'StartQuery returned no query id', service: 'logs', operation: 'StartQuery' } };
      const deadline = Date.now() + opts.timeoutMs;
      let pollMs = opts.pollMs ?? 250;
      for (;;) {
        let out;
        try {
          calls++;
          out = await c.send(new GetQueryResultsCommand({ queryId }));
        } catch (e) {
          return { ok: false, failure: classifyAwsError(e, 'logs', 'GetQueryResults') };
        }
        const status = out.status ?? 'Unknown';
        const done = status === 'Complete';
        const timedOut = !done && Date.now() >= deadline;
        if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout' || status === 'Unknown') {
          return { ok: false, failure: { category: 'server', code: `Query${status}`, message: `Logs Insights query ended ${status}`, service: 'logs', operation: 'GetQueryResults' } };
        }
        if (done || timedOut) {
          if (timedOut) {
            try {
              calls++;
              await c.send(new StopQueryCommand({ queryId }));
            } catch {
              // The query ends by itself; stopping only saves scan cost.
            }
          }
          const lines: LogLine[] = [];
          for (const row of out.results ?? []) {
            const f = new Map(row.map((x) => [x.field ?? '', x.value ?? '']));
            const t = parseInsightsTime(f.get('@timestamp'));
            const message = f.get('@message');
            if (t === undefined || message === undefined) continue;
            // @log is "account-id:group-name".
            const log = f.get('@log') ?? '';
            const group = groups.find((g) => log === g || log.endsWith(':' + g)) ?? groups[0]!;
            lines.push({ group, stream: f.get('@logStream') || undefined, timestampMs: t, message });
          }
          lines.sort((a, b) => a.timestampMs - b.timestampMs);
          const full = lines.length >= limit;
          return {
            ok: true,
            value: {
              lines,
              truncated: timedOut || full,
              note: timedOut ? `Logs Insights query did not finish within ${Math.round(opts.timeoutMs / 1000)}s; partial results kept` : full ? `the newest ${limit} matching lines were read (line budget)` : undefined,
              calls,
            },
          };
        }
        await sleep(pollMs);
        pollMs = Math.min(2000, pollMs * 2);
      }
    },

    async filter(group, startMs, endMs, opts) {
      const { paginateFilterLogEvents } = await sdk();
      const lines: LogLine[] = [];
      let calls = 0;
      const deadline = Date.now() + opts.timeoutMs;
      let stopped: string | undefined;
      try {
        const pages = paginateFilterLogEvents(
          {
            client: await client(),
            // Each page asks only for what the line budget has left.
            withCommand: (cmd) => {
              calls++;
              cmd.input.limit = Math.min(10_000, opts.maxLines - lines.length);
              return cmd;
            },
          },
          { logGroupName: group, startTime: startMs, endTime: endMs },
        );
        for await (const out of pages) {
          for (const e of out.events ?? []) {
            if (e.timestamp === undefined || e.message === undefined) continue;
            lines.push({ group, stream: e.logStreamName, timestampMs: e.timestamp, message: e.message });
          }
          if (!out.nextToken) break;
          if (lines.length >= opts.maxLines) stopped = `the first ${opts.maxLines} lines of the window were read (line budget)`;
          else if (Date.now() >= deadline) stopped = `reading stopped after ${Math.round(opts.timeoutMs / 1000)}s (time limit)`;
          // Empty pages with a token happen on sparse groups; the page cap bounds a pathological endpoint.
          else if (calls >= 500) stopped = 'reading stopped after 500 pages';
          if (stopped) break;
        }
      } catch (e) {
        return { ok: false, failure: classifyAwsError(e, 'logs', 'FilterLogEvents') };
      }
      return { ok: true, value: { lines: lines.slice(0, opts.maxLines), truncated: Boolean(stopped), note: stopped, calls } };
    },
  };
}
