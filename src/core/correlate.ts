/**
 * Correlation: puts pattern onsets, metric change points, deployments and alarm state changes on one
 * timeline, decides which patterns are new in the window, and lines events up with the deployment that
 * precedes them. Pure: plain data in, plain data out.
 */
import type { ChangePoint } from './change-point.js';

export type MetricKind = 'errors' | 'latency' | 'throttles' | 'traffic' | 'cpu' | 'memory' | 'connections' | 'storage' | 'concurrency' | 'backlog';

export interface PatternOnset {
  target: string;
  template: string;
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  example: string;
  /** Keyword classes (see hypotheses.ts LOG_CLASSES). */
  classes: string[];
  /** First seen after the start of what was read plus a baseline: the pattern began inside the window. */
  isNew: boolean;
}

export interface MetricChange extends ChangePoint {
  target: string;
  metric: string;
  stat: string;
  kind: MetricKind;
  /** The shift goes the harmful way for this metric (up for errors, down for free storage). */
  adverse: boolean;
  /** Found by the anomaly detector (before = expected, after = value, score = deviation in σ), not by segmentation. */
  via?: 'anomaly';
}

export interface DeployEvent {
  id: string;
  project: string;
  version: string;
  atMs: number;
  previousVersion?: string;
  /** Target names this deployment carried. */
  targets: string[];
}

export interface AlarmChange {
  alarm: string;
  target?: string;
  atMs: number;
  from?: string;
  to?: string;
  summary: string;
}

export interface TimelineEvent {
  atMs: number;
  /** "event": a Kubernetes Warning event. */
  kind: 'deployment' | 'pattern-onset' | 'change-point' | 'alarm' | 'event';
  target?: string;
  summary: string;
}

/**
 * A pattern is new when it first appears later than `baselineMs` after the earliest moment we have lines
 * for. Without that baseline we cannot tell "began here" from "was always there".
 */
export function isNewPattern(firstSeen: number | undefined, coverageStartMs: number, baselineMs: number): boolean {
  return firstSeen !== undefined && firstSeen >= coverageStartMs + baselineMs;
}

/** Baseline for "new": a tenth of the window, at least 5 minutes, at most an hour. */
export function baselineFor(windowMs: number): number {
  return Math.min(3600_000, Math.max(5 * 60_000, Math.round(windowMs / 10)));
}

export function buildTimeline(input: { deployments: DeployEvent[]; patterns: PatternOnset[]; changes: MetricChange[]; alarms: AlarmChange[] }): TimelineEvent[] {
  const ev: TimelineEvent[] = [];
  for (const d of input.deployments) {
    ev.push({ atMs: d.atMs, kind: 'deployment', summary: `deploy ${d.project} ${d.previousVersion ? `${d.previousVersion} → ` : ''}${d.version} (${d.id})` });
  }
  for (const p of input.patterns) {
    if (!p.isNew || p.firstSeen === undefined) continue;
    ev.push({ atMs: p.firstSeen, kind: 'pattern-onset', target: p.target, summary: `new log pattern (${p.count}×): ${p.template.slice(0, 160)}` });
  }
  for (const c of input.changes) {
    const summary = c.via === 'anomaly'
      ? `anomaly: ${c.metric} ${c.stat} ${c.direction} to ${fmt(c.after)} (usual ${fmt(c.before)}, ${fmt(c.score)}σ)`
      : `${c.metric} ${c.stat} ${c.direction} ${fmt(c.before)} → ${fmt(c.after)}${c.ratio !== null ? ` (×${fmt(c.ratio)})` : ''}`;
    ev.push({ atMs: c.atMs, kind: 'change-point', target: c.target, summary });
  }
  for (const a of input.alarms) {
    ev.push({ atMs: a.atMs, kind: 'alarm', target: a.target, summary: `alarm ${a.alarm}: ${a.from ?? '?'} → ${a.to ?? '?'}` });
  }
  const order = { deployment: 0, alarm: 1, event: 1, 'change-point': 2, 'pattern-onset': 3 } as const;
  return ev.sort((x, y) => x.atMs - y.atMs || order[x.kind] - order[y.kind] || x.summary.localeCompare(y.summary));
}

/** The latest deployment at or before `atMs` (with `slackMs` of clock/period tolerance) no older than `maxLagMs`. */
export function precedingDeploy(deploys: readonly DeployEvent[], atMs: number, maxLagMs: number, slackMs = 0, target?: string): { deploy: DeployEvent; lagMs: number } | undefined {
  let best: DeployEvent | undefined;
  for (const d of deploys) {
    if (target && !d.targets.includes(target)) continue;
    if (d.atMs > atMs + slackMs || atMs - d.atMs > maxLagMs) continue;
    if (!best || d.atMs > best.atMs) best = d;
  }
  return best ? { deploy: best, lagMs: Math.max(0, atMs - best.atMs) } : undefined;
}

/** The earliest onset of trouble for a target: first new error-class pattern or first adverse change point. */
export function firstOnset(target: string, patterns: readonly PatternOnset[], changes: readonly MetricChange[]): number | undefined {
  const times = [
    ...patterns.filter((p) => p.target === target && p.isNew && p.firstSeen !== undefined).map((p) => p.firstSeen!),
    ...changes.filter((c) => c.target === target && c.adverse).map((c) => c.atMs),
  ];
  return times.length ? Math.min(...times) : undefined;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 10 ? 1 : 2);
}
