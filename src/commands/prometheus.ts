import type { Command } from 'commander';
import { HelmError } from '../errors.js';
import { emit } from '../report/render.js';
import { addCommon, commonOptions, parseDuration } from './options.js';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

/** Prometheus times: RFC3339, unix seconds, `now`, `now-30m` or `-30m` (relative to now). */
export function parsePromTime(text: string, flag: string, nowMs: number): number {
  const t = text.trim();
  if (t === 'now') return nowMs / 1000;
  const rel = /^(?:now)?([-+])(.+)$/.exec(t);
  if (rel && !/^\d{4}-/.test(t)) {
    const ms = parseDuration(rel[2]!, flag);
    return (nowMs + (rel[1] === '-' ? -ms : ms)) / 1000;
  }
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const abs = Date.parse(t);
  if (Number.isNaN(abs)) {
    throw new HelmError('usage', `"${t.slice(0, 40)}" is not a time`, { keyPath: flag, expected: 'RFC3339 (2026-11-20T10:00:00Z), unix seconds, now, now-30m or -1h', fix: `e.g. ${flag} -1h` });
  }
  return abs / 1000;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function definePrometheus(program: Command, state: RunState): void {
  const family = program
    .command('prometheus')
    .alias('prom')
    .description(describeCommand('prometheus'))
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nServer: PROMETHEUS_URL / ALERTMANAGER_URL, the environment\'s prometheus_url / alertmanager_url, or [prometheus] / [alertmanager] url in monitoring.toml.\nCredentials: <KIND>_BEARER_TOKEN(_FILE), or <KIND>_USERNAME with <KIND>_PASSWORD(_FILE); never in a config file.');

  const action = (name: string, alias: string | undefined, describe: string, build: (c: Command) => Command, params: (args: unknown[], raw: Record<string, unknown>, now: number) => Record<string, unknown> | Promise<Record<string, unknown>>) => {
    const sub = family.command(name).description(describe);
    if (alias) sub.alias(alias);
    build(sub);
    addCommon(sub).option('--timeout <duration>', 'bound on each request to the server (default: [prometheus] timeout, 30s)').option('-y, --yes', 'confirm writes on a protected environment without asking');
    sub.exitOverride().configureOutput(program.configureOutput());
    sub.action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const raw = cmd.opts() as Record<string, unknown>;
      const common = commonOptions(raw, state.io, state.cwd);
      const now = Date.now();
      const { runPrometheus } = await import('../ops-manager/prometheus.js');
      const result = await runPrometheus(
        {
          ...common,
          timeoutMs: raw.timeout ? parseDuration(String(raw.timeout), '--timeout') : undefined,
          yes: Boolean(raw.yes),
          action: name as never,
          params: await params(args.slice(0, -2), raw, now),
        },
        state.io,
        { now: () => now },
      );
      emit(result, state.io, common.output);
      state.exitCode = result.exitCode;
    });
  };
  const range = (c: Command) => c.option('--start <time>', 'start: RFC3339, unix seconds, now-1h or -1h').option('--end <time>', 'end (default now)');
  const rangeParams = (raw: Record<string, unknown>, now: number) => ({
    startSec: raw.start ? parsePromTime(String(raw.start), '--start', now) : undefined,
    endSec: raw.end ? parsePromTime(String(raw.end), '--end', now) : undefined,
  });

  action('query', undefined, 'instant query: a vector as a table with one column per label', (c) => c.argument('<expr>', 'PromQL expression').option('--time <time>', 'evaluation time (default now)'), ([expr], raw, now) => ({
    expr,
    timeSec: raw.time ? parsePromTime(String(raw.time), '--time', now) : undefined,
  }));
  action(
    'query_range',
    'query-range',
    'range query: a table per series and, on a terminal, a chart per series',
    (c) => c.argument('<expr>', 'PromQL expression').requiredOption('--start <time>', 'start: RFC3339, unix seconds, now-1h or -1h').option('--end <time>', 'end (default now)').option('--step <duration>', 'resolution (default: about 240 points, never over the 11,000-point limit)'),
    ([expr], raw, now) => ({
      expr,
      startSec: parsePromTime(String(raw.start), '--start', now),
      endSec: raw.end ? parsePromTime(String(raw.end), '--end', now) : now / 1000,
      stepSec: raw.step ? parseDuration(String(raw.step), '--step') / 1000 : undefined,
    }),
  );
  action('series', undefined, 'series matching selectors', (c) => range(c.requiredOption('--match <selector>', 'series selector, e.g. up{job="api"} (repeatable)', collect)), (_a, raw, now) => ({ match: raw.match, ...rangeParams(raw, now) }));
  action('labels', undefined, 'label names, or the values of one label', (c) => range(c.argument('[name]', 'a label name: list its values').option('--match <selector>', 'only series matching (repeatable)', collect)), ([name], raw, now) => ({
    label: name,
    match: raw.match ?? [],
    ...rangeParams(raw, now),
  }));
  action('alerts', undefined, 'active alerts: state, labels, active since', (c) => c, () => ({}));
  action('targets', undefined, 'scrape targets: health, last error, scrape duration', (c) => c, () => ({}));
  action('rules', undefined, 'alerting and recording rules: health, last evaluation', (c) => c, () => ({}));
  action(
    'silence_create',
    'silence-create',
    'create an Alertmanager silence (API v2)',
    (c) => c.requiredOption('--matcher <k=v>', 'label=value, label!=value, label=~regex, label!~regex (repeatable)', collect).requiredOption('--duration <duration>', 'how long, e.g. 2h').requiredOption('--comment <text>', 'why (shown to everyone)').option('--author <name>', 'created by (default: your user name)'),
    async (_a, raw) => {
      const durationMs = parseDuration(String(raw.duration), '--duration');
      const { parseMatcher } = await import('../skills/ops-prometheus/index.js');
      return { matchers: (raw.matcher as string[]).map(parseMatcher), durationMs, comment: String(raw.comment), author: raw.author as string | undefined };
    },
  );
  action('silences', undefined, 'Alertmanager silences (active and pending; --all adds expired)', (c) => c.option('--all', 'include expired silences'), (_a, raw) => ({ all: Boolean(raw.all) }));
  action('silence_expire', 'silence-expire', 'expire an Alertmanager silence', (c) => c.argument('<id>', 'silence id'), ([id]) => ({ id }));
}

