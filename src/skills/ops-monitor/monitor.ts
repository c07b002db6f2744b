/**
 * ops-monitor: inventory → state, metrics and alarms → SLO verdicts per resource, in stages:
 *   plan (planMonitor: which SLOs and metric reads, pure) → fetch (state readers, one batched metric fetch per
 *   time range, one alarm listing, ListMetrics for empty traffic series; concurrent with a bound) →
 *   judge (judgeResources: verdicts from the reads, pure) → the result with its API call counts.
 * Every failure becomes UNKNOWN for what it covers, with the reason; nothing missing is ever called healthy.
 */
import { cloudWatch, type Alarm, type MetricFetch, type MetricSeries } from '../../aws/cloudwatch.js';
import { classifyAwsError, failureReason, isAccessFatal, toHelmError, type AwsFailure } from '../../aws/errors.js';
import type { AwsProvider } from '../../aws/provider.js';
import type { KubeProvider } from '../../adapters/kubernetes/client.js';
import type { LiveResource } from '../../config/load.js';
import type { Monitoring } from '../../config/schemas.js';
import { burnRates, raiseForBurn, BURN_WINDOWS_MS, windowLabel, type BurnRateEntry } from '../../core/burn-rate.js';
import { mapLimit } from '../../core/concurrency.js';
import { evaluateSlo, type SloOutcome } from '../../core/slo.js';
import { worst, verdictRank, type Verdict } from '../../core/verdict.js';
import { loadResource } from '../../resources/index.js';
import { stateKey, type Observation, type ResourceDescriptor, type SloSpec, type StateRead } from '../../resources/types.js';
import { anomalyReason, scoreBaseline, type SeriesAnomalies } from './anomalies.js';
import { minimumCalls, planQueries, rangeGroups, type QueryPlan, type RangeGroup } from './plan.js';

export interface SloReport extends SloOutcome {
  burnRates?: (Omit<BurnRateEntry, 'rule' | 'status'> & { rule: string; status: BurnRateEntry['status'] })[];
}

export interface ResourceHealth {
  type: string;
  name: string;
  /** Kubernetes workloads: a name is unique only within its namespace. */
  namespace?: string;
  project: string;
  version: string;
  verdict: Verdict;
  reasons: string[];
  slos: SloReport[];
  /** SLO keys configured for the type that do not apply here, with why (never counted as passing). */
  notEvaluated: { key: string; reason: string }[];
  alarms: { name: string; state: string; reason: string }[];
  state: Record<string, unknown>;
  /** The traffic metric answered with zero requests in the window (rate SLOs not applicable). */
  idle?: boolean;
  /** With anomaly detection on: each SLO series scored over the baseline. */
  anomalies?: SeriesAnomalies[];
}

export interface MonitorResult {
  window: { start: string; end: string };
  resources: ResourceHealth[];
  apiCalls: { total: number; byOperation: Record<string, number>; metricQueries: number; minimumMetricCalls: number };
  /** Largest 1h burn rate over all SLOs (null without data). */
  sloBurn: number | null;
  /** Milliseconds from the start until each read had answered (JUnit case times; reads run concurrently). */
  readMs?: { state: Record<string, number>; metrics: number; alarms: number };
}

export interface MonitorInput {
  aws: AwsProvider;
  /** Kubernetes clients, for k8s_* resources. */
  kube?: KubeProvider;
  monitoring: Monitoring;
  resources: LiveResource[];
  now: number;
  windowMs: number;
  /** Burn rates for every ratio SLO, even without period_days. */
  burnRate: boolean;
  /** Window ends exactly at `now` instead of the last whole minute. */
  exactEnd?: boolean;
  /**
   * The window starts exactly here (a whole second; implies exactEnd), and only datapoints whose period began at
   * or after it count: verify reads data after the apply, and CloudWatch rounds a start time down to the minute,
   * so the first datapoint it returns may hold traffic from before the apply.
   */
  startMs?: number;
  /** Judge the window alone: no burn rates (they read hours before it). */
  windowOnly?: boolean;
  /** Where AWS failures that must stop the run are described (profile, region, endpoint). */
  access: { profile?: string; region?: string; endpoint?: string };
  /** Score each resource's SLO series over this baseline with the anomaly detector. */
  anomalies?: { baselineMs: number };
}

type Contribution = { verdict: Verdict; reason?: string };
type RangeName = 'main' | 'burn-short' | 'burn-long' | 'anomaly';

/** What the plan stage decided, per resource (by index): its SLOs, burn rates on or off, and every metric read. */
export interface MonitorPlan {
  resources: LiveResource[];
  descriptors: ResourceDescriptor[];
  checks: Set<string>;
  endMs: number;
  /** Exact start of the main window (verify); datapoints before it do not count. */
  startMs?: number;
  /** The SLO targets configured for each resource's type, and the descriptor's SLOs among them. */
  slos: { table: Record<string, number | undefined>; specs: SloSpec[] }[];
  burnOn: boolean[];
  periodDays: number[];
  /** Metric ids scored by the anomaly detector (health --anomalies). */
  anomalyMetrics?: Set<string>[];
  queries: QueryPlan;
  ranges: Record<RangeName, RangeGroup>;
}

/** What the fetch stage read: plain data, every failure classified. */
export interface MonitorReads {
  /** type → stateKey → state read. */
  states: Map<string, Map<string, StateRead>>;
  /** A state reader that failed as a whole, by type. */
  stateFailures: Map<string, AwsFailure>;
  /** range name → metric fetch. */
  fetches: Map<string, MetricFetch>;
  alarms?: Alarm[];
  alarmFailure?: AwsFailure;
  /** "resourceIndex|metricId" of traffic metrics with no datapoints that CloudWatch lists: idle, not absent. */
  listedEmpty: Set<string>;
  calls: Record<string, number>;
  failures: AwsFailure[];
  /** Reads that learned something from AWS. */
  successes: number;
  /** Milliseconds from the start of the fetch until each read had answered. */
  readMs: { state: Record<string, number>; metrics: number; alarms: number };
}

export async function monitor(input: MonitorInput): Promise<MonitorResult> {
  const descriptors = await Promise.all(input.resources.map((r) => loadResource(r.type)));
  const plan = planMonitor(input, descriptors);
  const reads = await fetchReads(input, plan);
  if (plan.resources.length && reads.successes === 0 && reads.failures.length > 0 && reads.failures.every(isAccessFatal)) {
    throw toHelmError(reads.failures[0]!, input.access);
  }
  await probeIdle(input, plan, reads);
  const { resources, sloBurn } = judgeResources(plan, reads, input.monitoring);
  const total = Object.values(reads.calls).reduce((a, b) => a + b, 0);
  return {
    window: { start: new Date(plan.ranges.main.startMs).toISOString(), end: new Date(plan.endMs).toISOString() },
    resources,
    apiCalls: { total, byOperation: reads.calls, metricQueries: plan.queries.queryCount, minimumMetricCalls: minimumCalls(plan.queries) },
    sloBurn,
    readMs: reads.readMs,
  };
}

/** Plan: which checks run, which SLOs apply to each resource, and every metric read over which range. Pure. */
export function planMonitor(input: Omit<MonitorInput, 'aws' | 'kube' | 'access'>, descriptors: ResourceDescriptor[]): MonitorPlan {
  const { monitoring, resources } = input;
  const checks = new Set<string>(monitoring.monitoring.enabled_checks);
  // Whole minutes normally; an exact end for a read that must not reach back before a given moment (verify).
  const endMs = input.exactEnd || input.startMs !== undefined ? input.now : Math.floor(input.now / 60_000) * 60_000;
  const slos = resources.map((r, ri) => {
    const table = (monitoring.slos as Record<string, Record<string, number | undefined> | undefined>)[r.type] ?? {};
    return { table, specs: descriptors[ri]!.slos.filter((s) => table[s.key] !== undefined) };
  });
  const burnOn = resources.map((_, ri) => !input.windowOnly && (input.burnRate || slos[ri]!.table.period_days !== undefined));
  const periodDays = resources.map((_, ri) => slos[ri]!.table.period_days ?? 30);

  const windowMetrics = resources.map((_, ri) => new Set(checks.has('cloudwatch_metrics') ? slos[ri]!.specs.flatMap((s) => s.metrics) : []));
  const burnMetrics = resources.map(
    (_, ri) => new Set(checks.has('cloudwatch_metrics') && burnOn[ri] ? slos[ri]!.specs.flatMap((s) => (s.events ? [...s.events.bad, ...s.events.total] : [])) : []),
  );
  // Observers read window aggregates of their event metrics too.
  burnMetrics.forEach((_, ri) => slos[ri]!.specs.forEach((s) => s.events && s.metrics.forEach((m) => windowMetrics[ri]!.add(m))));
  const anomalyMetrics = input.anomalies ? windowMetrics : undefined;
  const baselineMs = input.anomalies?.baselineMs;
  const queries = planQueries({ resources, descriptors, windowMetrics, burnMetrics, anomalyMetrics, baselineMs, endMs, windowMs: input.windowMs, startMs: input.startMs });
  const ranges = rangeGroups(endMs, input.windowMs, baselineMs, input.startMs);
  return { resources, descriptors, checks, endMs, startMs: input.startMs, slos, burnOn, periodDays, anomalyMetrics, queries, ranges };
}

/** Fetch: state, metrics and alarms concurrently, bounded; a failure is recorded for what it covers, never thrown. */
async function fetchReads(input: MonitorInput, plan: MonitorPlan): Promise<MonitorReads> {
  const { resources, descriptors, checks } = plan;
  const concurrency = input.monitoring.monitoring.concurrency;
  const reads: MonitorReads = { states: new Map(), stateFailures: new Map(), fetches: new Map(), listedEmpty: new Set(), calls: {}, failures: [], successes: 0, readMs: { state: {}, metrics: 0, alarms: 0 } };
  const onCall = (op: string) => void (reads.calls[op] = (reads.calls[op] ?? 0) + 1);
  const cw = cloudWatch(input.aws);
  const types = [...new Set(resources.map((r) => r.type))];

  const jobs: (() => Promise<void>)[] = [];
  const t0 = performance.now();
  if (checks.has('resource_status')) {
    for (const type of types) {
      const d = descriptors[resources.findIndex((r) => r.type === type)]!;
      if (!d.readState) continue;
      jobs.push(async () => {
        try {
          const failed = new Set<StateRead>();
          const fail = (f: AwsFailure): StateRead => {
            reads.failures.push(f);
            const s: StateRead = { verdict: 'UNKNOWN', reason: `state: ${failureReason(f)}`, state: { error: f.code } };
            failed.add(s);
            return s;
          };
          const read = await d.readState!(resources.filter((r) => r.type === type), { aws: input.aws, kube: input.kube?.counting(onCall), now: input.now, windowMs: input.windowMs, concurrency, onCall, fail });
          reads.states.set(type, read);
          reads.readMs.state[type] = performance.now() - t0;
          // A reader that caught every per-resource failure itself still learned nothing from AWS.
          if (read.size === 0 || [...read.values()].some((s) => !failed.has(s))) reads.successes++;
        } catch (e) {
          const f = classifyAwsError(e, d.service, d.readOperation);
          reads.failures.push(f);
          reads.stateFailures.set(type, f);
        }
      });
    }
  }
  for (const g of plan.queries.groups) {
    jobs.push(async () => {
      const f = await cw.getMetricData(g.queries, g.range.startMs, g.range.endMs, { concurrency });
      reads.readMs.metrics = Math.max(reads.readMs.metrics, performance.now() - t0);
      reads.calls['cloudwatch:GetMetricData'] = (reads.calls['cloudwatch:GetMetricData'] ?? 0) + f.calls;
      if (f.series.size > 0) reads.successes++;
      reads.failures.push(...new Set(f.failed.values()));
      reads.fetches.set(g.range.name, f);
      // burn-short shares the main range when W = 1h: both names must find the fetch.
      for (const other of Object.values(plan.ranges)) if (other.startMs === g.range.startMs && other.endMs === g.range.endMs) reads.fetches.set(other.name, f);
    });
  }
  // Only types with a CloudWatch namespace have alarms (Kubernetes workloads do not).
  if (checks.has('cloudwatch_alarms') && descriptors.some((d) => d.namespace)) {
    jobs.push(async () => {
      try {
        reads.alarms = await cw.describeAlarms({ onCall });
        reads.readMs.alarms = performance.now() - t0;
        reads.successes++;
      } catch (e) {
        reads.alarmFailure = classifyAwsError(e, 'cloudwatch', 'DescribeAlarms');
        reads.failures.push(reads.alarmFailure);
      }
    });
  }
  await mapLimit(jobs, concurrency, (j) => j());
  return reads;
}

/**
 * Idle or absent? A traffic metric (the total of a rate SLO) that answered with no datapoints is either "no
 * requests in the window" (CloudWatch knows the metric: idle) or "no such metric" (never published: no data).
 * ListMetrics tells them apart; it runs only for those empty series. Fills `reads.listedEmpty`.
 */
async function probeIdle(input: MonitorInput, plan: MonitorPlan, reads: MonitorReads): Promise<void> {
  if (!plan.checks.has('cloudwatch_metrics')) return;
  const { resources, descriptors } = plan;
  const seriesOf = seriesLookup(plan, reads);
  const onCall = (op: string) => void (reads.calls[op] = (reads.calls[op] ?? 0) + 1);
  const cw = cloudWatch(input.aws);
  const probes: { ri: number; id: string }[] = [];
  resources.forEach((_, ri) => {
    const d = descriptors[ri]!;
    const traffic = new Set(plan.slos[ri]!.specs.filter((sp) => sp.scale === 'ratio').flatMap((sp) => sp.events?.total ?? []));
    for (const id of traffic) {
      const m = d.metrics.find((x) => x.id === id);
      const s = seriesOf(ri, id, 'main');
      if (m && !m.sparse && !m.dimensionSets && s && !s.failure && s.points.length === 0) probes.push({ ri, id });
    }
  });
  await mapLimit(probes, input.monitoring.monitoring.concurrency, async ({ ri, id }) => {
    const d = descriptors[ri]!;
    const m = d.metrics.find((x) => x.id === id)!;
    try {
      if (await cw.metricExists(d.namespace, m.metricName, d.dimensions(resources[ri]!), { onCall })) reads.listedEmpty.add(`${ri}|${id}`);
    } catch (e) {
      // Unknown either way: the SLO stays "no datapoints" (UNKNOWN), as without the probe.
      reads.failures.push(classifyAwsError(e, 'cloudwatch', 'ListMetrics'));
    }
  });
}

/** The series of one planned read (dimension sets merged), or its failure. */
function seriesLookup(plan: MonitorPlan, reads: MonitorReads): SeriesLookup {
  const readsOf = new Map<string, (typeof plan.queries.reads)[number]>();
  for (const r of plan.queries.reads) readsOf.set(`${r.resource}|${r.metric.id}|${r.range}`, r);
  return (ri, metricId, range) => {
    const read = readsOf.get(`${ri}|${metricId}|${range}`);
    if (!read) return undefined;
    const fetch = reads.fetches.get(range);
    const scale = read.metric.scale ?? 1;
    const points: { t: number; v: number }[] = [];
    for (const id of read.queryIds) {
      const failure = fetch?.failed.get(id);
      if (failure) return { points: [], failure, sparse: Boolean(read.metric.sparse) };
      const s: MetricSeries | undefined = fetch?.series.get(id);
      if (s && (s.status === 'Forbidden' || s.status === 'InternalError')) {
        return { points: [], failure: { category: s.status === 'Forbidden' ? 'access-denied' : 'server', code: s.status, message: s.status, service: 'cloudwatch', operation: 'GetMetricData' }, sparse: false };
      }
      s?.timestamps.forEach((t, i) => (plan.startMs === undefined || t >= plan.startMs) && points.push({ t, v: s.values[i]! * scale }));
    }
    return { points, sparse: Boolean(read.metric.sparse) };
  };
}

function aggregate(stat: string, vs: number[]): number {
  if (stat === 'Sum' || stat === 'SampleCount') return vs.reduce((a, b) => a + b, 0);
  if (stat === 'Maximum') return Math.max(...vs);
  if (stat === 'Minimum') return Math.min(...vs);
  if (stat === 'Average') return vs.reduce((a, b) => a + b, 0) / vs.length;
  // Percentiles of several buckets cannot be combined exactly; the worst bucket errs on the safe side.
  return Math.max(...vs);
}

/** One resource being judged: what it contributes to its verdict accumulates in `contributions`. */
interface Judging {
  plan: MonitorPlan;
  reads: MonitorReads;
  monitoring: Monitoring;
  seriesOf: SeriesLookup;
  ri: number;
  r: LiveResource;
  d: ResourceDescriptor;
  result: ResourceHealth;
  contributions: Contribution[];
}

/** Judge: every resource's verdict from what was read — state, SLOs (with burn rates and anomalies), alarms. Pure. */
export function judgeResources(plan: MonitorPlan, reads: MonitorReads, monitoring: Monitoring): { resources: ResourceHealth[]; sloBurn: number | null } {
  const seriesOf = seriesLookup(plan, reads);
  let sloBurn: number | null = null;
  const resources = plan.resources.map((r, ri) => {
    const result: ResourceHealth = { type: r.type, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), project: r.project, version: r.version, verdict: 'UNKNOWN', reasons: [], slos: [], notEvaluated: [], alarms: [], state: {} };
    const j: Judging = { plan, reads, monitoring, seriesOf, ri, r, d: plan.descriptors[ri]!, result, contributions: [] };
    const { gone, facts } = judgeState(j);
    // Metrics → SLOs, not for a resource that no longer exists: its silence says nothing more.
    if (plan.checks.has('cloudwatch_metrics') && !gone) {
      const burn = judgeSlos(j, facts);
      if (burn !== null) sloBurn = Math.max(sloBurn ?? 0, burn);
      if (plan.anomalyMetrics) judgeAnomalies(j);
    }
    judgeAlarms(j);
    const { contributions } = j;
    result.verdict = worst(contributions.map((c) => c.verdict));
    const bad = contributions.filter((c) => c.verdict !== 'HEALTHY' && c.reason).sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict));
    result.reasons.unshift(...bad.map((c) => c.reason!));
    if (contributions.length === 0) result.reasons.unshift('nothing was checked: every check is disabled in [monitoring] enabled_checks');
    return result;
  });
  return { resources, sloBurn };
}

/** The state read: its verdict, the facts observers may use, and whether the resource is gone. */
function judgeState(j: Judging): { gone: boolean; facts: Record<string, number> } {
  const { r, d, result, contributions, reads } = j;
  let facts: Record<string, number> = {};
  let gone = false;
  if (j.plan.checks.has('resource_status')) {
    if (!d.readState) {
      result.state = { read: false };
      result.reasons.push('state not read: no state reader for this type yet (verdict from metrics and alarms)');
    } else {
      const typeFailure = reads.stateFailures.get(r.type);
      const s = reads.states.get(r.type)?.get(stateKey(r));
      if (typeFailure) contributions.push({ verdict: 'UNKNOWN', reason: `state: ${failureReason(typeFailure)}` });
      else if (!s) {
        gone = true;
        contributions.push({ verdict: 'UNHEALTHY', reason: `${r.type} "${r.name}" not found in ${r.type.startsWith('k8s_') ? `namespace ${r.namespace ?? 'default'}${r.context ? ` (context ${r.context})` : ''}` : r.region}` });
      }
      else {
        result.state = s.state;
        facts = s.facts ?? {};
        contributions.push({ verdict: s.verdict, reason: s.reason });
      }
    }
  }
  return { gone, facts };
}

/** The resource's SLOs from the window's metrics, with burn rates where on; returns the largest 1h burn rate. */
function judgeSlos(j: Judging, facts: Record<string, number>): number | null {
  const { plan, ri, r, d, result, contributions, reads, seriesOf, monitoring } = j;
  const { ranges } = plan;
  const degradedPct = monitoring.monitoring.degraded_budget_percent;
  const expectTraffic = (name: string) => Boolean(monitoring.resources[name]?.expect_traffic);
  let sloBurn: number | null = null;
  const { table, specs } = plan.slos[ri]!;
  const failureOf = (ids: string[]) => ids.map((id) => seriesOf(ri, id, 'main')?.failure).find(Boolean);
  const windowValue = (id: string): number | undefined => {
    const s = seriesOf(ri, id, 'main');
    if (!s || s.failure) return undefined;
    if (s.points.length === 0) return s.sparse || reads.listedEmpty.has(`${ri}|${id}`) ? 0 : undefined;
    return aggregate(d.metrics.find((m) => m.id === id)!.stat, s.points.map((p) => p.v));
  };
  const observed = specs.map((spec) => {
    const failure = failureOf(spec.metrics);
    let obs: Observation | undefined = failure ? undefined : spec.observe({ metric: windowValue, fact: (n) => facts[n] });
    // Idle needs the traffic metric itself to have answered; a sum of sparse zeros alone is no data.
    const silent = (spec.events?.total ?? []).filter((id) => !d.metrics.find((m) => m.id === id)?.sparse && windowValue(id) === undefined);
    if (obs !== undefined && typeof obs === 'object' && 'idle' in obs && silent.length) obs = { unknown: `no ${silent.map((id) => d.metrics.find((m) => m.id === id)?.metricName ?? id).join(', ')} datapoints in the window` };
    return { spec, failure, obs };
  });
  // Idle: a traffic metric answered with zero requests. Rates have nothing to divide and request-driven
  // levels (latency) have no samples: not applicable, not UNKNOWN. State and alarms are still judged.
  const idleObs = observed.find((o) => o.obs !== undefined && typeof o.obs === 'object' && 'idle' in o.obs)?.obs as { idle: string } | undefined;
  if (idleObs) {
    result.idle = true;
    result.reasons.push(`idle: ${idleObs.idle}; rate SLOs not applicable`);
    if (expectTraffic(r.name)) contributions.push({ verdict: 'UNHEALTHY', reason: `${idleObs.idle}, but expect_traffic = true for ${r.name}` });
  }
  for (const { spec, failure, obs } of observed) {
    const target = table[spec.key]!;
    const objective = { key: spec.key, target, unit: spec.unit, direction: spec.direction, scale: spec.scale, label: spec.label };
    let outcome: SloReport;
    if (failure || obs === undefined) {
      outcome = evaluateSlo(objective, null, degradedPct, noDataReason(failure!));
    } else {
      if (typeof obs === 'object' && 'notApplicable' in obs) {
        result.notEvaluated.push({ key: spec.key, reason: obs.notApplicable });
        continue;
      }
      if (idleObs && typeof obs === 'object') {
        result.notEvaluated.push({ key: spec.key, reason: `idle: ${idleObs.idle}` });
        continue;
      }
      outcome = typeof obs === 'number' ? evaluateSlo(objective, obs, degradedPct) : evaluateSlo(objective, null, degradedPct, 'unknown' in obs ? obs.unknown : obs.idle);
    }
    if (spec.events && plan.burnOn[ri]) {
      const allowed = spec.direction === 'max' ? target / 100 : (100 - target) / 100;
      const events = BURN_WINDOWS_MS.map((w) => windowEvents(ri, spec.events!, w, seriesOf, ranges));
      const burn = burnRates(allowed, plan.periodDays[ri]!, events);
      outcome.burnRates = burn.entries;
      if (burn.hourRate !== null) sloBurn = Math.max(sloBurn ?? 0, burn.hourRate);
      raiseForBurn(outcome, burn.alerts, spec.label);
    }
    result.slos.push(outcome);
    contributions.push({ verdict: outcome.verdict, reason: outcome.reason });
  }
  for (const [key, why] of Object.entries(d.notEvaluated ?? {})) if (table[key] !== undefined) result.notEvaluated.push({ key, reason: why });
  return sloBurn;
}

/** Each SLO series scored over the baseline by the anomaly detector (health --anomalies): DEGRADED, never worse. */
function judgeAnomalies(j: Judging): void {
  const { plan, ri, d, result, contributions, seriesOf } = j;
  const { ranges, endMs, anomalyMetrics } = plan;
  result.anomalies = [];
  for (const m of d.metrics.filter((x) => anomalyMetrics![ri]!.has(x.id))) {
    const s = seriesOf(ri, m.id, 'anomaly');
    if (!s) continue;
    if (s.failure) {
      result.anomalies.push({ metric: m.metricName, stat: m.stat, points: 0, status: 'unreadable', reason: failureReason(s.failure), anomalies: [] });
      contributions.push({ verdict: 'UNKNOWN', reason: `anomalies: ${m.metricName} ${m.stat} baseline unreadable (${noDataReason(s.failure)})` });
      continue;
    }
    const g = ranges.anomaly;
    const scored = scoreBaseline(m.metricName, m.stat, s.points, { sparse: s.sparse, startMs: g.startMs, endMs, windowStartMs: ranges.main.startMs, periodMs: g.periodFor(m.stat) * 1000 });
    result.anomalies.push(scored);
    const reason = anomalyReason(scored);
    if (reason) contributions.push({ verdict: 'DEGRADED', reason });
  }
}

/** CloudWatch alarms on the resource's dimensions: one in ALARM makes it UNHEALTHY. */
function judgeAlarms(j: Judging): void {
  const { r, d, result, contributions } = j;
  const { alarms, alarmFailure } = j.reads;
  if (j.plan.checks.has('cloudwatch_alarms') && d.namespace) {
    if (alarmFailure) contributions.push({ verdict: 'UNKNOWN', reason: `alarms: ${failureReason(alarmFailure)}` });
    else {
      const dims = d.dimensions(r);
      const primary = dims[0]!;
      for (const a of alarms ?? []) {
        if (a.namespace !== d.namespace) continue;
        if (!a.dimensions.some((x) => x.name === primary.name && x.value === primary.value)) continue;
        if (a.dimensions.some((x) => dims.some((y) => y.name === x.name && y.value !== x.value))) continue;
        result.alarms.push({ name: a.name, state: a.state, reason: a.reason });
        if (a.state === 'ALARM') contributions.push({ verdict: 'UNHEALTHY', reason: `alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ''}` });
      }
    }
  }
}

function noDataReason(f: AwsFailure): string {
  if (f.category === 'server' || f.category === 'unsupported' || f.category === 'malformed' || f.category === 'invalid-request') {
    return `no data: the endpoint could not answer this query (${f.code}${f.httpStatus ? `, HTTP ${f.httpStatus}` : ''}); percentile statistics are the usual cause on emulators`;
  }
  return `no data: ${failureReason(f)}`;
}

type SeriesLookup = (ri: number, id: string, range: RangeName) => { points: { t: number; v: number }[]; failure?: AwsFailure; sparse: boolean } | undefined;

/** Bad/total events over the last `w` ms from the bucketed burn reads; covered when data reaches the window's first bucket. */
function windowEvents(ri: number, ev: { bad: string[]; total: string[] }, w: number, seriesOf: SeriesLookup, ranges: ReturnType<typeof rangeGroups>) {
  const range = w <= 3600_000 ? 'burn-short' : 'burn-long';
  const g = ranges[range];
  const period = g.periodFor('Sum') * 1000;
  const from = g.endMs - w;
  let covered = true;
  const total = (ids: string[], isTotal: boolean) => {
    let sum = 0;
    let earliest = Infinity;
    for (const id of ids) {
      const s = seriesOf(ri, id, range);
      if (!s || s.failure) {
        covered = false;
        continue;
      }
      for (const p of s.points) {
        if (p.t < from) continue;
        sum += p.v;
        earliest = Math.min(earliest, p.t);
      }
    }
    if (isTotal && !(earliest < from + period)) covered = false;
    return sum;
  };
  const bad = total(ev.bad, false);
  const tot = total(ev.total, true);
  return { windowMs: w, bad, total: tot, covered, label: windowLabel(w) };
}
