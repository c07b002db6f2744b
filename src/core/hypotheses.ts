/**
 * Root-cause hypotheses from evidence. Each hypothesis kind names the evidence that supports it (log
 * keyword classes, metric change points, timing against deployments, alarms) and what would refute it.
 * Confidence combines the weights of its evidence as independent signals, 1 − Π(1 − w), capped at 0.95:
 * more and stronger evidence raises it, and nothing is ever certain. Pure.
 */
import type { AlarmChange, DeployEvent, MetricChange, MetricKind, PatternOnset } from './correlate.js';
import { precedingDeploy } from './correlate.js';

// ---- log keyword classes ---------------------------------------------------------------------------------

export const LOG_CLASSES = [
  { id: 'timeout', label: 'function timeout', re: /Task timed out after|Function timed out|Status: timeout|Lambda\.Timeout|execution timed out/i },
  { id: 'memory', label: 'out of memory', re: /Runtime\.OutOfMemory|out of memory|OutOfMemoryError|heap out of memory|MemoryError|Cannot allocate memory|OOMKilled|exit code 137|Error Type: Runtime\.OutOfMemory/i },
  { id: 'throttling', label: 'throttling / rate limit', re: /Rate exceeded|TooManyRequests|Throttl|SlowDown|ProvisionedThroughputExceeded|RequestLimitExceeded|ConcurrentInvocationLimitExceeded|ReservedFunctionConcurrentInvocationLimitExceeded|429 Too Many/i },
  { id: 'permission', label: 'permission denied', re: /AccessDenied|not authori[sz]ed to perform|UnauthorizedOperation|AuthorizationError|403 Forbidden|Forbidden:|KMS\.?(Disabled|AccessDenied|InvalidState)|InvalidClientTokenId|ExpiredToken|permission denied/i },
  { id: 'dependency', label: 'dependency connection failure / timeout', re: /ECONNREFUSED|connection refused|ETIMEDOUT|connect(ion)? timed? ?out|ECONNRESET|connection reset|socket hang up|EHOSTUNREACH|ENOTFOUND|getaddrinfo|EAI_AGAIN|503 Service Unavailable|502 Bad Gateway|504 Gateway Time-?out|upstream (connect )?(error|timeout)|read timed? ?out|ReadTimeout|ConnectTimeout|deadline exceeded|timeout of \d+ ?ms exceeded|timeout awaiting/i },
  { id: 'db-saturation', label: 'database saturation', re: /too many connections|too many clients|remaining connection slots|connection pool (is )?(exhausted|full|timeout)|could not obtain (a )?connection|Cannot acquire connection|deadlock detected|Deadlock found|lock wait timeout|max_connections|PoolTimeout|canceling statement due to statement timeout/i },
  { id: 'error', label: 'error', re: /\b(error|exception|fatal|panic|traceback|unhandled|failed|failure|crash(ed)?)\b|exception\b|error\b/i },
] as const;
export type LogClass = (typeof LOG_CLASSES)[number]['id'];

/** Lines worth mining: anything a class recognises. The same test runs on every backend, so results agree. */
export const SIGNAL_RE = new RegExp(LOG_CLASSES.map((c) => `(?:${c.re.source})`).join('|'), 'i');

export function classify(text: string): LogClass[] {
  return LOG_CLASSES.filter((c) => c.re.test(text)).map((c) => c.id);
}

// ---- hypotheses -----------------------------------------------------------------------------------------

export type HypothesisKind =
  | 'deploy_regression'
  | 'throttling'
  | 'timeout_limit'
  | 'memory_limit'
  | 'dependency_timeout'
  | 'database_saturation'
  | 'permission_error'
  | 'traffic_surge'
  | 'application_error'
  | 'health_finding'
  // Kubernetes workloads (src/core/k8s-hypotheses.ts)
  | 'crash_loop'
  | 'failed_probe'
  | 'bad_image';

export interface Evidence {
  kind: 'log-pattern' | 'metric-change' | 'metric-level' | 'deployment' | 'timing' | 'alarm' | 'health' | 'pod-state' | 'event';
  summary: string;
  at?: string;
  weight: number;
}

export interface ProposedAction {
  /** A registered action id (src/actions): the action's own `remedies` proposed it. */
  action: string;
  target: string;
  params: Record<string, string | number>;
  reason: string;
}

export interface Hypothesis {
  id: string;
  kind: HypothesisKind;
  title: string;
  target: string;
  confidence: number;
  level: 'high' | 'medium' | 'low';
  evidence: Evidence[];
  refutedBy: string;
  proposedAction?: ProposedAction;
}

export interface TargetInfo {
  name: string;
  type: string;
  project: string;
  /** Lambda alias recorded in the registry (a Lambda rollback moves traffic through it). */
  alias?: string;
}

/** Peak / total of a metric over the window, for level evidence (e.g. throttles > 0, CPU at 95%). */
export interface MetricLevel {
  target: string;
  metric: string;
  stat: string;
  kind: MetricKind;
  max: number;
  sum: number;
}

export interface HypothesisInput {
  targets: TargetInfo[];
  /** Symptom classes the user named; used only to break ties, never as evidence. */
  symptoms: string[];
  patterns: PatternOnset[];
  changes: MetricChange[];
  levels: MetricLevel[];
  deployments: DeployEvent[];
  alarms: AlarmChange[];
  window: { fromMs: number; toMs: number };
  /**
   * What health judges for the same targets and window: a breached or burning SLO, an alarm in ALARM, an unusable
   * state. Each is a finding on its own, whatever the logs and change points say, so the commands agree.
   */
  health?: HealthSignal[];
  /** How long after a deploy an onset still counts as caused by it. Default 30 min. */
  alignMs?: number;
  /** The registered actions' remedies; without them no hypothesis proposes an action. */
  remedies?: readonly Remedy[];
}

/**
 * What a hypothesis learned that a remedy can act on. Each hypothesis fills the facts it has; the remedies of
 * the registered actions (src/actions/<id>/index.ts `remedies`) decide whether and how their action fits.
 */
export interface RemedyFacts {
  target: TargetInfo;
  /** deploy_regression: the deploy the onsets follow, and the lag to the first onset. */
  deploy?: DeployEvent;
  firstLagMs?: number;
  /** throttling: throttle metrics above zero, and the peak concurrency in the window. */
  throttled?: boolean;
  peakConcurrency?: number;
  /** timeout_limit: the limit the log lines name, in seconds. */
  timeoutSeconds?: number;
  /** memory_limit: the memory size the log lines name, in MB. */
  memoryMb?: number;
}

/** An action's answer to one hypothesis kind: params and reason, or undefined when it does not fit. */
export interface Remedy {
  action: string;
  hypothesis: HypothesisKind;
  propose(f: RemedyFacts): { params: Record<string, string | number>; reason: string } | undefined;
}

export interface HealthSignal {
  target: string;
  verdict: 'UNHEALTHY' | 'DEGRADED';
  source: 'slo' | 'alarm' | 'state';
  /** Cites the observed value against its target: "error rate 7.50% > 1.00% (SLO breached)". */
  summary: string;
}

const MIN_CONFIDENCE = 0.2;

export function combine(weights: readonly number[]): number {
  const p = weights.reduce((acc, w) => acc * (1 - Math.min(0.95, Math.max(0, w))), 1);
  return Math.round(Math.min(0.95, 1 - p) * 100) / 100;
}

export function levelOf(c: number): Hypothesis['level'] {
  return c >= 0.7 ? 'high' : c >= 0.4 ? 'medium' : 'low';
}

/** Log evidence grows with the count and with the pattern being new in the window. */
export function patternWeight(p: Pick<PatternOnset, 'count' | 'isNew'>): number {
  return Math.min(0.6, 0.3 + 0.1 * Math.log10(Math.max(1, p.count))) + (p.isNew ? 0.1 : 0);
}

/** A change point counts more the larger the shift; from nothing to something counts as ×8. */
export function changeWeight(c: Pick<MetricChange, 'ratio' | 'direction'>): number {
  const r = c.ratio === null ? 8 : c.direction === 'up' ? c.ratio : c.ratio > 0 ? 1 / c.ratio : 8;
  return Math.min(0.5, Math.max(0.15, 0.2 + 0.1 * Math.log2(Math.max(1, r))));
}

const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** A lag as people say it: 45s, 12 min. */
export const mins = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)} min`);
const short = (s: string, n = 140) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

function patternEvidence(p: PatternOnset, label: string): Evidence {
  const when = p.isNew && p.firstSeen !== undefined ? `, first seen ${iso(p.firstSeen)} (new in the window)` : ', present from the start of the logs read';
  return { kind: 'log-pattern', summary: `${p.count}× ${label}: "${short(p.template)}"${when}`, at: iso(p.firstSeen), weight: patternWeight(p) };
}

function changeEvidence(c: MetricChange): Evidence {
  const ratio = c.ratio === null ? 'from 0' : `×${c.ratio}`;
  if (c.via === 'anomaly') return { kind: 'metric-change', summary: `${c.metric} (${c.stat}) anomaly: ${c.direction} to ${c.after}, usual ${c.before} (${c.score}σ) at ${iso(c.atMs)}`, at: iso(c.atMs), weight: changeWeight(c) };
  return { kind: 'metric-change', summary: `${c.metric} (${c.stat}) ${c.direction} ${c.before} → ${c.after} (${ratio}) at ${iso(c.atMs)}`, at: iso(c.atMs), weight: changeWeight(c) };
}

interface Draft {
  kind: HypothesisKind;
  title: string;
  target: string;
  evidence: Evidence[];
  refutedBy: string;
  proposedAction?: ProposedAction;
  /** Multiplies the combined confidence (counter-evidence). */
  discount?: number;
}

const SPECIFIC: Partial<Record<LogClass, HypothesisKind>> = {
  timeout: 'timeout_limit',
  memory: 'memory_limit',
  throttling: 'throttling',
  permission: 'permission_error',
  dependency: 'dependency_timeout',
  'db-saturation': 'database_saturation',
};

const SYMPTOM_FIT: Record<string, HypothesisKind[]> = {
  errors: ['deploy_regression', 'application_error', 'permission_error', 'dependency_timeout', 'health_finding'],
  latency: ['dependency_timeout', 'database_saturation', 'timeout_limit', 'traffic_surge'],
  throttling: ['throttling', 'traffic_surge'],
  timeouts: ['timeout_limit', 'dependency_timeout', 'database_saturation'],
  capacity: ['memory_limit', 'database_saturation', 'throttling', 'traffic_surge'],
  permissions: ['permission_error'],
};

export function rankHypotheses(input: HypothesisInput): Hypothesis[] {
  const alignMs = input.alignMs ?? 30 * 60_000;
  const drafts: Draft[] = [];
  for (const t of input.targets) drafts.push(...forTarget(t, input, alignMs));
  const out: Hypothesis[] = drafts
    .map((d) => {
      const confidence = Math.round(combine(d.evidence.map((e) => e.weight)) * (d.discount ?? 1) * 100) / 100;
      return {
        id: `${d.kind}:${d.target}`,
        kind: d.kind,
        title: d.title,
        target: d.target,
        confidence,
        level: levelOf(confidence),
        evidence: [...d.evidence].sort((a, b) => b.weight - a.weight),
        refutedBy: d.refutedBy,
        ...(d.proposedAction ? { proposedAction: d.proposedAction } : {}),
      };
    })
    .filter((h) => h.confidence >= MIN_CONFIDENCE);
  const fits = new Set(input.symptoms.flatMap((s) => SYMPTOM_FIT[s] ?? []));
  const order = Object.values(SPECIFIC).concat(['deploy_regression', 'traffic_surge', 'application_error', 'health_finding']);
  // A health finding is the symptom; the causes that would explain it rank first, whatever their confidence.
  return out.sort(
    (a, b) =>
      Number(a.kind === 'health_finding') - Number(b.kind === 'health_finding') ||
      b.confidence - a.confidence ||
      Number(fits.has(b.kind)) - Number(fits.has(a.kind)) ||
      order.indexOf(a.kind) - order.indexOf(b.kind) ||
      a.target.localeCompare(b.target),
  );
}

/** The first registered remedy for `kind` that fits the facts (registry order). */
function propose(input: HypothesisInput, kind: HypothesisKind, f: RemedyFacts): { proposedAction: ProposedAction } | Record<string, never> {
  for (const r of input.remedies ?? []) {
    if (r.hypothesis !== kind) continue;
    const p = r.propose(f);
    if (p) return { proposedAction: { action: r.action, target: f.target.name, params: p.params, reason: p.reason } };
  }
  return {};
}

function forTarget(t: TargetInfo, input: HypothesisInput, alignMs: number): Draft[] {
  const pats = input.patterns.filter((p) => p.target === t.name);
  const changes = input.changes.filter((c) => c.target === t.name && c.adverse);
  const levels = input.levels.filter((l) => l.target === t.name);
  const alarms = input.alarms.filter((a) => a.target === t.name && a.to === 'ALARM');
  const byClass = (c: LogClass) => pats.filter((p) => p.classes.includes(c)).sort((a, b) => b.count - a.count);
  const kindChanges = (...k: MetricKind[]) => changes.filter((c) => k.includes(c.kind));
  const alarmEv = (re: RegExp): Evidence[] =>
    alarms.filter((a) => re.test(a.summary + ' ' + a.alarm)).slice(0, 2).map((a) => ({ kind: 'alarm', summary: `alarm ${a.alarm} went ${a.from ?? '?'} → ALARM at ${iso(a.atMs)}`, at: iso(a.atMs), weight: 0.2 }));
  const drafts: Draft[] = [];
  const examples = (ps: PatternOnset[]) => ps.map((p) => p.example).join('\n');
  const top = <T,>(xs: T[], n = 3) => xs.slice(0, n);

  // --- deploy regression: trouble that begins shortly after a deployment of this target.
  const onsets = [
    ...pats.filter((p) => p.isNew && p.firstSeen !== undefined && p.classes.length).map((p) => ({ at: p.firstSeen!, ev: patternEvidence(p, 'new log pattern') })),
    ...changes.filter((c) => ['errors', 'latency', 'throttles', 'memory'].includes(c.kind)).map((c) => ({ at: c.atMs, ev: changeEvidence(c) })),
  ].sort((a, b) => a.at - b.at);
  const deployHits = new Map<DeployEvent, { lag: number; ev: Evidence }[]>();
  for (const o of onsets) {
    // A change point sits on a metric period boundary: allow 5 min before the deploy for that rounding.
    const d = precedingDeploy(input.deployments, o.at, alignMs, 5 * 60_000, t.name);
    if (!d) continue;
    deployHits.set(d.deploy, [...(deployHits.get(d.deploy) ?? []), { lag: d.lagMs, ev: o.ev }]);
  }
  for (const [d, hits] of deployHits) {
    const baseline = d.atMs - input.window.fromMs;
    const ev: Evidence[] = [
      { kind: 'deployment', summary: `deployment ${d.id}: ${d.project} ${d.previousVersion ? `${d.previousVersion} → ` : ''}${d.version} at ${iso(d.atMs)}`, at: iso(d.atMs), weight: baseline >= 5 * 60_000 ? 0.2 : 0.1 },
    ];
    const firstLag = Math.min(...hits.map((h) => h.lag));
    ev.push({ kind: 'timing', summary: `first onset ${mins(firstLag)} after the deploy${baseline >= 5 * 60_000 ? `, none in the ${mins(baseline)} before it` : ' (the window starts after the deploy: no baseline before it)'}`, weight: baseline < 5 * 60_000 ? 0.15 : firstLag <= 15 * 60_000 ? 0.45 : 0.3 });
    ev.push(...top(hits.map((h) => h.ev), 4));
    const older = pats.filter((p) => p.classes.length && p.firstSeen !== undefined && p.firstSeen < d.atMs && p.lastSeen !== undefined && p.lastSeen >= d.atMs);
    drafts.push({
      kind: 'deploy_regression',
      title: `Deploy ${d.version} of ${d.project} introduced a regression in ${t.name}`,
      target: t.name,
      evidence: ev,
      refutedBy: `the same patterns or metric shifts appear before ${iso(d.atMs)} (widen --from before the deploy), or they persist after rolling ${d.project} back${d.previousVersion ? ` to ${d.previousVersion}` : ''}`,
      discount: older.length ? 0.8 : 1,
      ...propose(input, 'deploy_regression', { target: t, deploy: d, firstLagMs: firstLag }),
    });
  }

  // --- throttling / concurrency limit.
  {
    const ps = byClass('throttling');
    const ev = [...top(ps).map((p) => patternEvidence(p, 'throttling lines')), ...kindChanges('throttles').map(changeEvidence)];
    const thr = levels.filter((l) => l.kind === 'throttles' && l.sum > 0);
    for (const l of thr) ev.push({ kind: 'metric-level', summary: `${l.metric}: ${l.sum} over the window (peak ${l.max} per period)`, weight: l.sum >= 10 ? 0.35 : 0.2 });
    ev.push(...alarmEv(/Throttl/i));
    if (ev.length) {
      const conc = levels.find((l) => l.kind === 'concurrency');
      drafts.push({
        kind: 'throttling',
        title: `Throttling or a concurrency limit in ${t.name}`,
        target: t.name,
        evidence: ev,
        refutedBy: `the throttle metrics stay at 0 while errors continue, or the "Rate exceeded" lines come from a downstream API (then its quota, not ${t.name}, is the limit)`,
        ...propose(input, 'throttling', { target: t, throttled: thr.length > 0, ...(conc ? { peakConcurrency: conc.max } : {}) }),
      });
    }
  }

  // --- function timeout limit.
  {
    const ps = byClass('timeout');
    if (ps.length) {
      const ev = [...top(ps).map((p) => patternEvidence(p, 'timeout lines')), ...kindChanges('latency').filter((c) => c.stat === 'Maximum').map(changeEvidence), ...alarmEv(/Duration|Latency/i)];
      const secs = Number(/timed out after (\d+(?:\.\d+)?) ?s/i.exec(examples(ps))?.[1]);
      drafts.push({
        kind: 'timeout_limit',
        title: `${t.name} runs into its timeout limit`,
        target: t.name,
        evidence: ev,
        refutedBy: `maximum duration stays well below the configured timeout, or the timed-out invocations are waiting on a dependency (see dependency lines)`,
        discount: byClass('dependency').length ? 0.85 : 1,
        ...propose(input, 'timeout_limit', { target: t, ...(Number.isFinite(secs) && secs > 0 ? { timeoutSeconds: secs } : {}) }),
      });
    }
  }

  // --- memory limit.
  {
    const ps = byClass('memory');
    const ev = [...top(ps).map((p) => patternEvidence(p, 'out-of-memory lines')), ...kindChanges('memory').map(changeEvidence)];
    for (const l of levels.filter((x) => x.kind === 'memory' && x.max >= 90)) ev.push({ kind: 'metric-level', summary: `${l.metric} peaked at ${l.max}%`, weight: 0.3 });
    if (ev.length) {
      const mb = Number(/Memory Size: (\d+) MB/i.exec(examples(ps))?.[1]);
      drafts.push({
        kind: 'memory_limit',
        title: `${t.name} runs out of memory`,
        target: t.name,
        evidence: ev,
        refutedBy: 'peak memory stays well below the configured size and no out-of-memory lines appear',
        ...propose(input, 'memory_limit', { target: t, ...(Number.isFinite(mb) && mb > 0 ? { memoryMb: mb } : {}) }),
      });
    }
  }

  // --- dependency failure or timeout.
  {
    const ps = byClass('dependency');
    if (ps.length) {
      const ev = [...top(ps).map((p) => patternEvidence(p, 'dependency failure lines')), ...kindChanges('latency').filter((c) => c.stat !== 'Maximum').map(changeEvidence)];
      if (byClass('timeout').length) ev.push({ kind: 'log-pattern', summary: 'function timeouts co-occur with the dependency failures', weight: 0.15 });
      drafts.push({
        kind: 'dependency_timeout',
        title: `A dependency of ${t.name} refuses connections or times out`,
        target: t.name,
        evidence: ev,
        refutedBy: "the dependency's own metrics are normal over the window and other clients reach it",
      });
    }
  }

  // --- database saturation.
  {
    const ps = byClass('db-saturation');
    const ev = [...top(ps).map((p) => patternEvidence(p, 'database saturation lines'))];
    if (t.type === 'rds' || t.type === 'elasticache' || t.type === 'dynamodb') {
      ev.push(...kindChanges('cpu', 'connections', 'latency').map(changeEvidence));
      for (const l of levels.filter((x) => x.kind === 'cpu' && x.max >= 85)) ev.push({ kind: 'metric-level', summary: `${l.metric} peaked at ${l.max}%`, weight: 0.3 });
      ev.push(...alarmEv(/CPU|Connection|Latency/i));
    }
    if (ev.length) {
      drafts.push({
        kind: 'database_saturation',
        title: `Database saturation (${t.type === 'rds' ? t.name : `seen from ${t.name}`})`,
        target: t.name,
        evidence: ev,
        refutedBy: 'CPU, connections and query latency stay within their limits over the window',
      });
    }
  }

  // --- permission error.
  {
    const ps = byClass('permission');
    if (ps.length) {
      const what = /perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(examples(ps))?.[1];
      drafts.push({
        kind: 'permission_error',
        title: `${t.name} is denied permission${what ? ` for ${what}` : ''}`,
        target: t.name,
        evidence: [...top(ps).map((p) => patternEvidence(p, 'permission-denied lines')), ...alarmEv(/Error/i).slice(0, 1)],
        refutedBy: `the role of ${t.name} is allowed ${what ?? 'the denied action'} on that resource (IAM policy simulator), or the errors continue after granting it`,
      });
    }
  }

  // --- traffic surge: more load, with other trouble at the same time.
  {
    const surges = kindChanges('traffic').filter((c) => c.ratio === null || c.ratio >= 1.5);
    for (const s of surges.slice(0, 1)) {
      const along = changes.filter((c) => c.kind !== 'traffic' && Math.abs(c.atMs - s.atMs) <= 15 * 60_000);
      if (!along.length) continue;
      drafts.push({
        kind: 'traffic_surge',
        title: `A traffic surge on ${t.name}`,
        target: t.name,
        evidence: [changeEvidence(s), ...along.slice(0, 2).map((c) => ({ ...changeEvidence(c), weight: 0.15 }))],
        refutedBy: 'the error rate (errors / requests) stays flat: more errors only because there are more requests',
      });
    }
  }

  // --- application error: new error patterns no specific class explains.
  {
    const ps = pats.filter((p) => p.classes.length > 0 && p.classes.every((c) => c === 'error')).sort((a, b) => b.count - a.count);
    const fresh = ps.filter((p) => p.isNew);
    const errChanges = kindChanges('errors');
    if (ps.length && (fresh.length || errChanges.length)) {
      drafts.push({
        kind: 'application_error',
        title: `An application error in ${t.name}`,
        target: t.name,
        evidence: [...top(fresh.length ? fresh : ps).map((p) => ({ ...patternEvidence(p, 'error lines'), weight: patternWeight(p) * 0.7 })), ...errChanges.slice(0, 1).map((c) => ({ ...changeEvidence(c), weight: changeWeight(c) * 0.6 }))],
        refutedBy: 'the same exceptions occur at the same rate before the window (widen --from), i.e. they are background noise',
      });
    }
  }
  // --- what health sees: a finding with or without logs and change points.
  {
    const signals = (input.health ?? []).filter((h) => h.target === t.name);
    if (signals.length) {
      const worst = signals.some((h) => h.verdict === 'UNHEALTHY') ? 'UNHEALTHY' : 'DEGRADED';
      const ordered = [...signals].sort((a, b) => Number(b.verdict === 'UNHEALTHY') - Number(a.verdict === 'UNHEALTHY'));
      drafts.push({
        kind: 'health_finding',
        title: `${t.name} is ${worst}: ${short(ordered[0]!.summary, 120)}`,
        target: t.name,
        evidence: ordered.slice(0, 4).map((h) => ({ kind: 'health', summary: `${h.source === 'slo' ? 'SLO' : h.source}: ${h.summary}`, weight: h.verdict === 'UNHEALTHY' ? 0.6 : 0.35 })),
        refutedBy: `health over the same window finds ${t.name} within its SLOs, with no alarm in ALARM and a usable state (then the symptom has passed)`,
      });
    }
  }
  return drafts;
}
