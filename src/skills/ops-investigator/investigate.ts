/**
 * ops-investigator: for the targets of a scope, reads logs (Insights, else FilterLogEvents), mines error
 * patterns, reads metrics (one batched GetMetricData) and finds change points, collects deployments and
 * alarm state changes, and ranks root-cause hypotheses. Every source that could not be read becomes a
 * stated gap; nothing missing is reported as fine.
 */
import { proposalProblem } from '../../actions/contract.js';
import { remedies } from '../../actions/index.js';
import { cloudWatch, type AlarmHistoryItem, type MetricFetch, type MetricQuery } from '../../aws/cloudwatch.js';
import { classifyAwsError, failureReason, isAccessFatal, toHelmError, type AwsFailure } from '../../aws/errors.js';
import { cloudWatchLogs, LOG_GROUP_RE, type LogLine, type LogsApi } from '../../aws/logs.js';
import { deployTimeline, type LiveResource } from '../../config/load.js';
import { mapLimit } from '../../core/concurrency.js';
import { anomalyChanges } from '../../core/anomaly/index.js';
import { densify, detectChangePoints } from '../../core/change-point.js';
import { baselineFor, buildTimeline, isNewPattern, type AlarmChange, type DeployEvent, type MetricChange, type PatternOnset, type TimelineEvent } from '../../core/correlate.js';
import { classify, rankHypotheses, SIGNAL_RE, type HealthSignal, type Hypothesis, type MetricLevel } from '../../core/hypotheses.js';
import { PatternMiner } from '../../core/pattern-miner.js';
import type { Scope } from '../../core/scope.js';
import type { Deployment } from '../../config/schemas.js';
import type { SkillContext } from '../context.js';
import { dimensionsOf, logSourceOf, METRICS, type InvestigatedMetric } from './sources.js';
import type { LogSource } from '../../resources/types.js';
import { k8sHypotheses } from '../../core/k8s-hypotheses.js';
import { KIND_OF } from '../../adapters/kubernetes/rollout.js';
import { readK8sEvidence } from './kubernetes.js';
import { count } from '../../core/plural.js';

export interface Gap {
  what: string;
  reason: string;
  /** A blocking gap leaves a target without evidence: "nothing found" cannot be claimed. */
  blocking: boolean;
}

export interface GroupRead {
  name: string;
  target: string;
  status: 'read' | 'missing' | 'failed';
  source?: 'insights' | 'filter' | 'kubernetes';
  lines: number;
  truncated: boolean;
  note?: string;
}

export interface AlarmInfo {
  name: string;
  target: string;
  state: string;
  metric?: string;
  reason: string;
  transitions: { at: string; from?: string; to?: string; summary: string }[];
}

export interface InvestigationData {
  targets: LiveResource[];
  logs: { groups: GroupRead[]; lines: number; signalLines: number; truncated: boolean; source: 'insights' | 'filter' | 'kubernetes' | 'mixed' | 'none' };
  patterns: PatternOnset[];
  changes: MetricChange[];
  levels: MetricLevel[];
  metrics: { queries: number; calls: number; failed: number; periodSeconds: number };
  deployments: DeployEvent[];
  alarms: AlarmInfo[];
  timeline: TimelineEvent[];
  hypotheses: Hypothesis[];
  gaps: Gap[];
}

const DEPLOY_LOOKBACK_MS = 2 * 3600_000;
const BASELINE_MS = 2 * 86_400_000;
const BASELINE_PERIOD_MS = 300_000;
const PATTERNS_PER_TARGET = 15;

export interface InvestigateOptions {
  maxLines: number;
  queryTimeoutMs: number;
  /** Health's judgement of the targets over the same window (ops-monitor): findings on their own. */
  health?: Promise<{ signals: HealthSignal[]; unknown: Map<string, string> }>;
}

/**
 * Stages: logs (read) → patterns (mine, pure) → metrics (read) → change points and levels (judge, pure) →
 * deployments (pure) → alarms (read) → ranked hypotheses. Every stage adds what it could not read to `gaps`.
 */
export async function investigate(ctx: SkillContext, scope: Scope<LiveResource>, opts: InvestigateOptions): Promise<InvestigationData> {
  const { fromMs, toMs } = scope.window;
  const targets = scope.targets;
  const g = evidenceGaps(ctx);
  const logs = await readLogs(ctx, targets, scope.window, opts, g);
  const periodMs = periodFor(toMs - fromMs);
  const mined = minePatterns(targets, logs.linesByTarget, logs.coverage, scope.window, periodMs);
  g.gaps.push(...mined.gaps);
  const metrics = await readMetrics(ctx, targets, scope.window, periodMs, g);
  const judged = judgeMetrics(metrics.queries, metrics.fetch, metrics.prior, scope.window, periodMs);
  for (const f of judged.failures) g.fatal(f);
  g.gaps.push(...judged.gaps);
  const noData = targets.filter((r) => dimensionsOf(r) && !judged.levels.some((l) => l.target === r.name) && !judged.failedTargets.has(r.name));
  for (const r of noData) {
    const logsRead = logs.groups.some((x) => x.target === r.name && x.status === 'read');
    g.gaps.push({ what: `metrics of ${r.name}`, reason: 'no datapoints in the window', blocking: !logsRead });
  }
  const deployments = deploymentsIn(deployTimeline(ctx.registry, ctx.env.name), targets, logs.k8sEvidence, scope.window);
  const { alarms, alarmChanges } = await readAlarms(ctx, targets, scope.window, g);

  // Health that could not judge a target is evidence missing; without log lines for it either, nothing was read.
  const health = await opts.health;
  for (const [t, why] of health?.unknown ?? []) {
    const linesRead = (logs.linesByTarget.get(t)?.length ?? 0) > 0;
    g.gaps.push({ what: `health of ${t}`, reason: why, blocking: !linesRead });
  }

  // Nothing at all could be read, and access was denied: that is an access problem, not an investigation.
  if (g.denied.length && mined.totalLines === 0 && judged.levels.length === 0 && !logs.groups.some((x) => x.status === 'read')) throw toHelmError(g.denied[0]!, ctx.aws.describe());

  const { patterns } = mined;
  const { changes, levels } = judged;
  const { hypotheses, k8sTimeline } = await rankCauses(ctx, scope, { patterns, changes, levels, deployments, alarmChanges, health: health?.signals, k8sEvidence: logs.k8sEvidence }, g);
  const { groups } = logs;
  const read = groups.filter((x) => x.status === 'read');
  const sources = new Set(read.map((x) => x.source));
  return {
    targets,
    logs: {
      groups,
      lines: mined.totalLines,
      signalLines: mined.signalLines,
      truncated: groups.some((x) => x.truncated),
      source: sources.size === 0 ? 'none' : sources.size > 1 ? 'mixed' : (read[0]!.source as 'insights' | 'filter' | 'kubernetes'),
    },
    patterns,
    changes,
    levels,
    metrics: { queries: metrics.queries.length, calls: metrics.fetch.calls + metrics.prior.calls, failed: metrics.fetch.failed.size, periodSeconds: periodMs / 1000 },
    deployments,
    alarms,
    timeline: [...buildTimeline({ deployments, patterns, changes, alarms: alarmChanges }), ...k8sTimeline].sort((a, b) => a.atMs - b.atMs),
    hypotheses,
    gaps: g.gaps,
  };
}

/**
 * Rank: root-cause hypotheses from every kind of evidence (Kubernetes evidence merged in, one hypothesis per id),
 * Kubernetes warning events for the timeline, and only proposals remediate would accept.
 */
async function rankCauses(
  ctx: SkillContext,
  scope: Scope<LiveResource>,
  input: { patterns: PatternOnset[]; changes: MetricChange[]; levels: MetricLevel[]; deployments: DeployEvent[]; alarmChanges: AlarmChange[]; health?: HealthSignal[]; k8sEvidence: LogsRead['k8sEvidence'] },
  g: EvidenceGaps,
): Promise<{ hypotheses: Hypothesis[]; k8sTimeline: TimelineEvent[] }> {
  const { fromMs, toMs } = scope.window;
  const targets = scope.targets;
  const { patterns } = input;
  const k8sTargets = targets.filter(isK8s);
  const ranked = rankHypotheses({
    targets: targets.map((r) => ({ name: r.name, type: r.type, project: r.project, ...(r.alias ? { alias: r.alias } : {}) })),
    symptoms: scope.symptoms,
    patterns,
    changes: input.changes,
    levels: input.levels,
    deployments: input.deployments,
    alarms: input.alarmChanges,
    window: { fromMs, toMs },
    health: input.health,
    remedies: await remedies(),
  });
  // Kubernetes evidence (container states, events, rollouts) joins the same ranking; one hypothesis per id.
  const byId = new Map(ranked.map((h) => [h.id, h]));
  for (const r of k8sTargets) {
    const ev = input.k8sEvidence.get(r.name)?.evidence;
    if (!ev) continue;
    const firstError = patterns.filter((p) => p.target === r.name && p.classes.length && p.firstSeen !== undefined).map((p) => p.firstSeen!);
    for (const h of k8sHypotheses({ ...ev, firstErrorLogMs: firstError.length ? Math.min(...firstError) : undefined }, { fromMs, toMs })) {
      const old = byId.get(h.id);
      if (!old || old.confidence < h.confidence) byId.set(h.id, old ? { ...h, evidence: [...h.evidence, ...old.evidence.filter((e) => !h.evidence.some((x) => x.summary === e.summary))].slice(0, 8) } : h);
    }
  }
  // Without Kubernetes evidence the ranking stands as rankHypotheses made it; with it, a health finding (the symptom)
  // still ranks after every cause that could explain it.
  const hypotheses = k8sTargets.length
    ? [...byId.values()].sort((a, b) => Number(a.kind === 'health_finding') - Number(b.kind === 'health_finding') || b.confidence - a.confidence || a.id.localeCompare(b.id))
    : ranked;
  const k8sTimeline: TimelineEvent[] = [];
  for (const r of k8sTargets) {
    for (const e of input.k8sEvidence.get(r.name)?.evidence?.events ?? []) {
      if (e.type !== 'Warning') continue;
      k8sTimeline.push({ atMs: e.atMs, kind: 'event', target: r.name, summary: `${e.reason} ${e.object}: ${e.message.slice(0, 160)}${e.count > 1 ? ` (x${e.count})` : ''}` });
    }
  }
  // Every proposal must be one remediate accepts (the action's schema, a registry resource): drop and say any other.
  for (const h of hypotheses) {
    const p = h.proposedAction;
    if (!p) continue;
    const why = await proposalProblem(p, ctx.resources);
    if (why) {
      delete h.proposedAction;
      g.gaps.push({ what: `proposed ${p.action} on ${p.target}`, reason: `not proposed: ${why}`, blocking: false });
    }
  }
  return { hypotheses, k8sTimeline };
}

interface Window {
  fromMs: number;
  toMs: number;
}

/** What could not be read, collected across stages; `fatal` stops the run when access itself is broken. */
interface EvidenceGaps {
  gaps: Gap[];
  /** Access-denied failures: if nothing at all was read, the run ends as an access problem. */
  denied: AwsFailure[];
  fatal(f: AwsFailure): void;
}

function evidenceGaps(ctx: SkillContext): EvidenceGaps {
  const g: EvidenceGaps = {
    gaps: [],
    denied: [],
    fatal: (f) => {
      if (isAccessFatal(f)) throw toHelmError(f, ctx.aws.describe());
      if (f.category === 'access-denied') g.denied.push(f);
    },
  };
  return g;
}

const isK8s = (r: LiveResource) => KIND_OF[r.type] !== undefined;

interface LogsRead {
  groups: GroupRead[];
  linesByTarget: Map<string, LogLine[]>;
  /** Per target: where the read lines begin (a truncated read covers only the newest part of the window). */
  coverage: Map<string, number>;
  k8sEvidence: Map<string, Awaited<ReturnType<typeof readK8sEvidence>>>;
}

/** Logs: Insights per target, else FilterLogEvents newest first; Kubernetes pod logs, events and rollouts. */
async function readLogs(ctx: SkillContext, targets: LiveResource[], window: Window, opts: InvestigateOptions, missing: EvidenceGaps): Promise<LogsRead> {
  const { fromMs, toMs } = window;
  const { gaps } = missing;
  const conc = ctx.monitoring.monitoring.concurrency;
  const read: Omit<LogsRead, 'k8sEvidence'> = { groups: [], linesByTarget: new Map(), coverage: new Map() };
  const { groups, linesByTarget, coverage } = read;
  const withLogs = targets.filter((r) => !isK8s(r)).map((r) => ({ r, src: logSourceOf(r) }));
  const readable = withLogs.filter((x) => !('none' in x.src));
  const k8sTargets = targets.filter(isK8s);
  const budget = Math.max(1, Math.floor(opts.maxLines / Math.max(1, readable.length + k8sTargets.length)));
  for (const x of withLogs) if ('none' in x.src && !x.src.byNature) gaps.push({ what: `logs of ${x.r.type} ${x.r.name}`, reason: x.src.none, blocking: false });
  await mapLimit(readable, Math.min(4, conc), async ({ r, src }) => {
    if (!('none' in src)) await readTargetLogs(ctx, r, src, window, { budget, queryTimeoutMs: opts.queryTimeoutMs }, missing, read);
  });
  // Kubernetes workloads: pod logs through the logs API, events, container states, rollout history.
  const k8sEvidence = new Map<string, Awaited<ReturnType<typeof readK8sEvidence>>>();
  await mapLimit(k8sTargets, Math.min(4, conc), async (r) => {
    ctx.io.progress(`kubernetes: reading pods, events, revisions and logs of ${r.name}`);
    const k = await readK8sEvidence(ctx.kube, r, fromMs, toMs, budget);
    k8sEvidence.set(r.name, k);
    if (k.gap) {
      gaps.push({ what: `cluster state of ${r.name}`, reason: k.gap, blocking: true });
      return;
    }
    for (const g of k.groups) {
      groups.push({ name: g.name, target: r.name, status: g.status, source: 'kubernetes', lines: g.lines, truncated: g.truncated, note: g.note });
      if (g.status === 'failed') gaps.push({ what: `logs of ${r.name} (${g.name})`, reason: g.note ?? 'unreadable', blocking: false });
    }
    if (!k.groups.length) gaps.push({ what: `logs of ${r.name}`, reason: 'no pods to read logs from', blocking: false });
    linesByTarget.set(r.name, k.lines);
    coverage.set(r.name, fromMs);
  });
  // A truncated read may have missed what matters: it cannot support "nothing found".
  for (const g of groups) if (g.truncated) gaps.push({ what: `logs of ${g.target}`, reason: g.note ?? 'read truncated', blocking: true });
  return { groups, linesByTarget, coverage, k8sEvidence };
}

/** One CloudWatch-logged target: its log groups (listed unless exact), read by Insights, else FilterLogEvents. */
async function readTargetLogs(
  ctx: SkillContext,
  r: LiveResource,
  src: LogSource,
  window: Window,
  o: { budget: number; queryTimeoutMs: number },
  missing: EvidenceGaps,
  read: Omit<LogsRead, 'k8sEvidence'>,
): Promise<void> {
  const { fromMs, toMs } = window;
  const { gaps, fatal } = missing;
  const { groups, linesByTarget, coverage } = read;
  const { budget } = o;
  const logsApi = cloudWatchLogs(ctx.aws);
  if (!LOG_GROUP_RE.test(src.name)) {
    gaps.push({ what: `logs of ${r.name}`, reason: 'the registry gives a log group name AWS would not accept; not queried', blocking: true });
    return;
  }
  if (src.assumed) gaps.push({ what: `logs of ${r.name}`, reason: src.assumed, blocking: false });
  ctx.io.progress(`logs: looking for ${src.name}`);
  const found = await logsApi.groupsWithPrefix(src.name);
  if (!found.ok) {
    fatal(found.failure);
    // An exact group name needs no listing: query it anyway, the query calls may answer.
    if (!src.exact) {
      groups.push({ name: src.name, target: r.name, status: 'failed', lines: 0, truncated: false, note: failureReason(found.failure) });
      gaps.push({ what: `logs of ${r.name}`, reason: failureReason(found.failure), blocking: true });
      return;
    }
    gaps.push({ what: `log group listing for ${r.name}`, reason: `${failureReason(found.failure)}; ${src.name} queried by name`, blocking: false });
  }
  const names = (found.ok ? found.value : [src.name]).filter((n) => (src.exact ? n === src.name : n.startsWith(src.name)) && LOG_GROUP_RE.test(n));
  if (!names.length) {
    groups.push({ name: src.name, target: r.name, status: 'missing', lines: 0, truncated: false, note: 'log group not found' });
    gaps.push({ what: `logs of ${r.name}`, reason: `log group ${src.name}${src.exact ? '' : '*'} not found (never invoked, logging off, or logs elsewhere)`, blocking: false });
    return;
  }
  ctx.io.progress(`logs: reading ${count(names.length, 'group')} of ${r.name} (up to ${budget} lines)`);
  const ins = await logsApi.insights(names.slice(0, 50), fromMs, toMs, { limit: budget, timeoutMs: o.queryTimeoutMs, filterRegex: SIGNAL_RE.source });
  let lines: LogLine[] = [];
  if (ins.ok) {
    lines = ins.value.lines;
    const per = countBy(lines, (l) => l.group);
    for (const n of names) groups.push({ name: n, target: r.name, status: 'read', source: 'insights', lines: per.get(n) ?? 0, truncated: ins.value.truncated, note: ins.value.note });
    coverage.set(r.name, ins.value.truncated && lines.length ? lines[0]!.timestampMs : fromMs);
  } else {
    fatal(ins.failure);
    gaps.push({ what: `Logs Insights for ${r.name}`, reason: `${failureReason(ins.failure)}; read with FilterLogEvents instead`, blocking: false });
    const per = Math.max(1, Math.floor(budget / names.length));
    let covered = fromMs;
    for (const n of names) {
      const f = await filterNewestFirst(logsApi, n, fromMs, toMs, per, o.queryTimeoutMs);
      if (!f.ok) {
        fatal(f.failure);
        groups.push({ name: n, target: r.name, status: 'failed', lines: 0, truncated: false, note: failureReason(f.failure) });
        gaps.push({ what: `logs of ${r.name}`, reason: failureReason(f.failure), blocking: true });
        continue;
      }
      groups.push({ name: n, target: r.name, status: 'read', source: 'filter', lines: f.lines.length, truncated: f.truncated, note: f.note });
      lines.push(...f.lines);
      covered = Math.max(covered, f.coveredFrom);
    }
    lines.sort((a, b) => a.timestampMs - b.timestampMs);
    coverage.set(r.name, covered);
  }
  linesByTarget.set(r.name, lines);
}

interface Mined {
  patterns: PatternOnset[];
  totalLines: number;
  signalLines: number;
  gaps: Gap[];
}

/**
 * Patterns: the signal lines of each target mined into templates with onset and classes, newest patterns first,
 * at most PATTERNS_PER_TARGET a target. `coverage` says where each target's lines begin. Pure.
 */
export function minePatterns(targets: readonly Pick<LiveResource, 'name'>[], linesByTarget: ReadonlyMap<string, LogLine[]>, coverage: ReadonlyMap<string, number>, window: Window, periodMs: number): Mined {
  const { fromMs, toMs } = window;
  const gaps: Gap[] = [];
  const baseline = baselineFor(toMs - fromMs);
  const patterns: PatternOnset[] = [];
  let totalLines = 0;
  let signalLines = 0;
  for (const r of targets) {
    const lines = linesByTarget.get(r.name);
    if (!lines) continue;
    totalLines += lines.length;
    // The same line test on every backend: Insights already filtered, FilterLogEvents did not.
    const miner = new PatternMiner({ rateBucketMs: periodMs });
    for (const l of lines) {
      if (!SIGNAL_RE.test(l.message)) continue;
      signalLines++;
      miner.add(l.message, l.timestampMs);
    }
    // The miner keeps a bounded number of patterns; what it dropped is said, not hidden.
    const ev = miner.evicted;
    if (ev.clusters > 0) {
      gaps.push({ what: `patterns of ${r.name}`, reason: `${ev.clusters} least recent patterns (${ev.lines} lines) dropped over the miner's cap`, blocking: false });
    }
    const start = coverage.get(r.name) ?? fromMs;
    const mined = miner.patterns().map((p) => ({
      target: r.name,
      template: p.template,
      count: p.count,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      example: p.example.slice(0, 500),
      classes: classify(`${p.template} ${p.example}`),
      isNew: isNewPattern(p.firstSeen, start, baseline),
    }));
    mined.sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.count - a.count);
    patterns.push(...mined.slice(0, PATTERNS_PER_TARGET));
  }
  return { patterns, totalLines, signalLines, gaps };
}

export type MetricRead = MetricQuery & { target: string; spec: InvestigatedMetric };

interface MetricsRead {
  queries: MetricRead[];
  /** The window, in `periodMs` buckets from the first whole period. */
  fetch: MetricFetch;
  /** The anomaly detector's history: the same series in 5-minute buckets over the two days before the window. */
  prior: MetricFetch;
}

const noFetch = (): MetricFetch => ({ series: new Map(), failed: new Map(), calls: 0 });

/** Metrics: every investigation metric of every CloudWatch-backed target, in one batched fetch (and one for history). */
async function readMetrics(ctx: SkillContext, targets: LiveResource[], window: Window, periodMs: number, g: EvidenceGaps): Promise<MetricsRead> {
  const { fromMs, toMs } = window;
  const conc = ctx.monitoring.monitoring.concurrency;
  const alignedFrom = Math.floor(fromMs / periodMs) * periodMs;
  const queries: MetricRead[] = [];
  for (const r of targets) {
    const dims = dimensionsOf(r);
    if (!dims) continue;
    for (const spec of METRICS[r.type] ?? []) {
      queries.push({ id: `${r.name}|${spec.metricName}|${spec.stat}`, namespace: spec.namespace, metricName: spec.metricName, dimensions: dims, stat: spec.stat, periodSeconds: periodMs / 1000, target: r.name, spec });
    }
  }
  ctx.io.progress(`metrics: ${queries.length} series in batches of up to 500`);
  const cw = cloudWatch(ctx.aws);
  let fetch = noFetch();
  try {
    fetch = await cw.getMetricData(queries, alignedFrom, toMs, { concurrency: Math.min(4, conc) });
  } catch (e) {
    const f = classifyAwsError(e, 'cloudwatch', 'GetMetricData');
    g.fatal(f);
    for (const q of queries) fetch.failed.set(q.id, f);
  }
  // One more batched fetch for the anomaly detector's history. Unreadable, it only costs the anomaly evidence
  // (the window's own read decides gaps).
  let prior = noFetch();
  try {
    prior = await cw.getMetricData(queries.map((q) => ({ ...q, periodSeconds: BASELINE_PERIOD_MS / 1000 })), baselineStart(fromMs), toMs, { concurrency: Math.min(4, conc) });
  } catch {
    // No anomaly evidence then; the window's own fetch above reports the gap.
  }
  return { queries, fetch, prior };
}

const baselineStart = (fromMs: number) => Math.floor((fromMs - BASELINE_MS) / BASELINE_PERIOD_MS) * BASELINE_PERIOD_MS;

interface MetricsJudged {
  changes: MetricChange[];
  levels: MetricLevel[];
  /** Targets with a series that could not be read. */
  failedTargets: Set<string>;
  /** Every failed series' failure, in query order (the caller decides which stop the run). */
  failures: AwsFailure[];
  gaps: Gap[];
}

/**
 * Change points and levels of every series read, plus anomalies against the prior two days that the change
 * points do not already explain; a series that failed is a blocking gap of its target. Pure.
 */
export function judgeMetrics(queries: readonly MetricRead[], fetch: MetricFetch, prior: MetricFetch, window: Window, periodMs: number): MetricsJudged {
  const { fromMs, toMs } = window;
  const alignedFrom = Math.floor(fromMs / periodMs) * periodMs;
  const baselineFrom = baselineStart(fromMs);
  const changes: MetricChange[] = [];
  const levels: MetricLevel[] = [];
  const failures: AwsFailure[] = [];
  const failedByTarget = new Map<string, string[]>();
  // Where each target's data begins: before its first datapoint (any metric) there is no "zero", only no data.
  // Zero-filling from the window's start would make the start of a series look like a surge from nothing.
  const dataStart = new Map<string, number>();
  for (const q of queries) {
    const s = fetch.series.get(q.id);
    if (!s?.timestamps.length) continue;
    const first = Math.min(...s.timestamps);
    dataStart.set(q.target, Math.min(dataStart.get(q.target) ?? Infinity, first));
  }
  for (const q of queries) {
    const f = fetch.failed.get(q.id);
    if (f) {
      failures.push(f);
      failedByTarget.set(q.target, [...(failedByTarget.get(q.target) ?? []), `${q.metricName} ${q.stat}: ${failureReason(f)}`]);
      continue;
    }
    const s = fetch.series.get(q.id);
    if (!s) continue;
    const count = q.spec.stat === 'Sum';
    // Zero-fill counts only up to the last datapoint: the newest periods may simply not be published yet.
    const end = s.timestamps.length ? Math.min(toMs, Math.max(...s.timestamps) + periodMs) : toMs;
    const from = Math.max(alignedFrom, Math.floor((dataStart.get(q.target) ?? alignedFrom) / periodMs) * periodMs);
    const pts = densify(s.timestamps, s.values, from, end, periodMs, count ? 0 : undefined);
    if (!s.values.length) continue;
    levels.push({ target: q.target, metric: q.metricName, stat: q.stat, kind: q.spec.kind, max: round(Math.max(...s.values)), sum: round(s.values.reduce((a, b) => a + b, 0)) });
    const found = detectChangePoints(pts, { minAbsolute: q.spec.minAbsolute });
    for (const cp of found) {
      changes.push({ ...cp, target: q.target, metric: q.metricName, stat: q.stat, kind: q.spec.kind, adverse: cp.direction === q.spec.adverse });
    }
    // Anomalies the change points do not already explain (a spike, a shift too short for segmentation),
    // found in the series that ends with the window, so the detector judges against history.
    const base = prior.series.get(q.id);
    if (base && !prior.failed.has(q.id)) {
      const bEnd = base.timestamps.length ? Math.min(toMs, Math.max(...base.timestamps) + BASELINE_PERIOD_MS) : toMs;
      // Zero-fill counts only from the first datapoint: the start of a series is not a jump from zero.
      const bFrom = base.timestamps.length ? Math.max(baselineFrom, baselineFrom + Math.floor((Math.min(...base.timestamps) - baselineFrom) / BASELINE_PERIOD_MS) * BASELINE_PERIOD_MS) : baselineFrom;
      const bPts = densify(base.timestamps, base.values, bFrom, bEnd, BASELINE_PERIOD_MS, count ? 0 : undefined);
      for (const an of anomalyChanges(bPts, fromMs)) {
        if (found.some((cp) => Math.abs(cp.atMs - an.atMs) <= Math.max(2 * periodMs, BASELINE_PERIOD_MS))) continue;
        if (Math.abs(an.after - an.before) < (q.spec.minAbsolute ?? 0)) continue;
        changes.push({ ...an, target: q.target, metric: q.metricName, stat: q.stat, kind: q.spec.kind, adverse: an.direction === q.spec.adverse, via: 'anomaly' });
      }
    }
  }
  const gaps: Gap[] = [...failedByTarget].map(([t, why]) => ({ what: `metrics of ${t}`, reason: `${why.length} series unreadable (${why[0]})`, blocking: true }));
  return { changes, levels, failedTargets: new Set(failedByTarget.keys()), failures, gaps };
}

/**
 * Deployments of the targets' projects from the registry timeline (failed ones left out) from two hours before
 * the window to its end, each with the version it replaced; Kubernetes rollouts count as deployments. Pure.
 */
export function deploymentsIn(
  timeline: readonly Deployment[],
  targets: readonly LiveResource[],
  k8sEvidence: LogsRead['k8sEvidence'],
  window: Window,
): DeployEvent[] {
  const { fromMs, toMs } = window;
  const projects = new Set(targets.map((r) => r.project));
  const live = timeline.filter((d) => projects.has(d.project) && d.status !== 'failed');
  const deployments: DeployEvent[] = [];
  live.forEach((d, i) => {
    const at = Date.parse(d.deployed_at);
    if (at < fromMs - DEPLOY_LOOKBACK_MS || at > toMs) return;
    const prev = live.slice(0, i).reverse().find((p) => p.project === d.project);
    deployments.push({ id: d.id, project: d.project, version: d.version, atMs: at, previousVersion: prev?.version, targets: d.resources.map((x) => x.name) });
  });
  // A Kubernetes rollout (new ReplicaSet / revision) is a deployment of that workload, whoever made it.
  for (const r of targets.filter(isK8s)) {
    for (const ro of k8sEvidence.get(r.name)?.evidence?.rollouts ?? []) {
      if (ro.previousImages === undefined || ro.atMs < fromMs - DEPLOY_LOOKBACK_MS || ro.atMs > toMs) continue;
      deployments.push({ id: `rollout ${ro.name}`, project: r.project, version: `revision ${ro.revision ?? '?'} (${ro.images.join(',')})`, previousVersion: ro.previousImages ? ro.previousImages.join(',') : undefined, atMs: ro.atMs, targets: [r.name] });
    }
  }
  return deployments.sort((a, b) => a.atMs - b.atMs);
}

/** Alarms on the targets' dimensions, with their state changes in the window (DescribeAlarmHistory). */
async function readAlarms(ctx: SkillContext, targets: LiveResource[], window: Window, g: EvidenceGaps): Promise<{ alarms: AlarmInfo[]; alarmChanges: AlarmChange[] }> {
  const { fromMs, toMs } = window;
  const { gaps, fatal } = g;
  const cw = cloudWatch(ctx.aws);
  const alarms: AlarmInfo[] = [];
  const alarmChanges: AlarmChange[] = [];
  // Only CloudWatch-backed targets have alarms (Kubernetes workloads do not).
  if (targets.some((r) => dimensionsOf(r))) try {
    const all = await cw.describeAlarms();
    for (const a of all) {
      const t = targets.find((r) => {
        const dims = dimensionsOf(r);
        return dims?.some((d) => a.dimensions.some((x) => x.name === d.name && x.value === d.value));
      });
      if (t) alarms.push({ name: a.name, target: t.name, state: a.state, metric: a.metricName, reason: a.reason, transitions: [] });
    }
  } catch (e) {
    const f = classifyAwsError(e, 'cloudwatch', 'DescribeAlarms');
    fatal(f);
    // An alarm in ALARM is direct evidence: without the alarm list "nothing found" cannot be claimed.
    gaps.push({ what: 'alarms', reason: failureReason(f), blocking: true });
  }
  if (alarms.length) {
    let history: AlarmHistoryItem[] | undefined;
    try {
      history = await cw.describeAlarmHistory({ startMs: fromMs, endMs: toMs });
    } catch (e) {
      const f = classifyAwsError(e, 'cloudwatch', 'DescribeAlarmHistory');
      fatal(f);
      gaps.push({ what: 'alarm history', reason: `unavailable: ${failureReason(f)}; current alarm states are shown instead`, blocking: false });
    }
    for (const h of history ?? []) {
      const a = alarms.find((x) => x.name === h.alarmName);
      // Only state changes are evidence; configuration updates carry no state.
      if (!a || !h.newState || h.timestamp < fromMs || h.timestamp > toMs) continue;
      a.transitions.push({ at: new Date(h.timestamp).toISOString(), from: h.oldState, to: h.newState, summary: h.summary.slice(0, 300) });
      alarmChanges.push({ alarm: a.name, target: a.target, atMs: h.timestamp, from: h.oldState, to: h.newState, summary: `${a.metric ?? ''} ${h.summary}` });
    }
  }

  return { alarms, alarmChanges };
}

const FILTER_SLICES = 4;

/**
 * FilterLogEvents reads oldest first, so a budget spent from the window's start would miss the incident at
 * its end. Read the window in slices, newest slice first; only slices read completely count as covered.
 */
async function filterNewestFirst(api: LogsApi, group: string, fromMs: number, toMs: number, budget: number, timeoutMs: number) {
  const step = Math.ceil((toMs - fromMs) / FILTER_SLICES);
  const lines: LogLine[] = [];
  let coveredFrom = toMs;
  let note: string | undefined;
  const deadline = Date.now() + timeoutMs;
  for (let end = toMs; end > fromMs; end -= step) {
    const start = Math.max(fromMs, end - step);
    const left = budget - lines.length;
    const f = await api.filter(group, start, end, { maxLines: left, timeoutMs: Math.max(1000, deadline - Date.now()) });
    if (!f.ok) return f;
    lines.push(...f.value.lines);
    if (f.value.truncated) {
      note = `${lines.length} lines read, newest first; lines before ${new Date(end).toISOString()} only in part (${f.value.note ?? 'budget'})`;
      coveredFrom = end;
      break;
    }
    coveredFrom = start;
    if (lines.length >= budget && start > fromMs) {
      note = `${lines.length} lines read, newest first; nothing before ${new Date(start).toISOString()} (line budget)`;
      break;
    }
  }
  return { ok: true as const, lines, truncated: note !== undefined, note, coveredFrom };
}

/** One-minute periods up to 6 hours; longer windows keep about 360 points a series. */
export function periodFor(windowMs: number): number {
  const minutes = Math.max(1, Math.ceil(windowMs / 360 / 60_000));
  return minutes * 60_000;
}

function countBy<T>(xs: T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
