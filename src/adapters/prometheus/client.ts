/**
 * Prometheus HTTP API v1, narrow: the calls helm-cloud makes, typed. Every call returns the API's `data`
 * unchanged in meaning plus the server's `warnings` (never dropped). Queries go as POST forms so long PromQL
 * never hits URL limits. The only module that speaks to Prometheus.
 */
import { HelmError } from '../../errors.js';
import { callJson, type Endpoint, type RequestCounter } from '../http/json-api.js';

export type Labels = Record<string, string>;
export type SamplePair = [number, string];

export interface VectorSample {
  metric: Labels;
  value: SamplePair;
}
export interface MatrixSeries {
  metric: Labels;
  values: SamplePair[];
}

export type QueryData =
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

/**
 * A sample value as Prometheus writes it: a decimal, or "NaN", "+Inf", "-Inf" (which Number() alone reads as NaN,
 * turning x/0 into 0/0).
 */
export function sampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export interface Answer<T> {
  data: T;
  warnings: string[];
}

export interface Target {
  labels: Labels;
  discoveredLabels?: Labels;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  globalUrl?: string;
  scrapeInterval?: string;
  scrapeTimeout?: string;
}

export interface PromAlert {
  labels: Labels;
  annotations: Labels;
  state: 'firing' | 'pending' | 'inactive';
  activeAt?: string;
  value: string;
}

export interface Rule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  health: string;
  lastError?: string;
  lastEvaluation?: string;
  evaluationTime?: number;
  labels?: Labels;
  state?: string;
  duration?: number;
  alerts?: PromAlert[];
}
export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: Rule[];
}

/** Prometheus refuses range queries with more points per series than this. */
export const MAX_POINTS = 11_000;

export class PrometheusClient {
  constructor(
    readonly endpoint: Endpoint,
    private readonly count?: RequestCounter,
  ) {}

  private async get<T>(path: string, form?: Record<string, string | undefined>, query?: Record<string, string | string[] | undefined>): Promise<Answer<T>> {
    const r = await callJson<{ status: string; data: T; warnings?: string[] }>(this.endpoint, form ? { path, form } : { path, query }, this.count);
    if (!r.body || typeof r.body !== 'object' || r.body.status !== 'success') {
      throw new HelmError('aws-api', `${this.endpoint.kind} at ${this.endpoint.url} answered ${path} without a success document`);
    }
    return { data: r.body.data, warnings: r.body.warnings ?? [] };
  }

  query(expr: string, timeSec?: number, timeout?: string): Promise<Answer<QueryData>> {
    return this.get('/api/v1/query', { query: expr, time: timeSec === undefined ? undefined : String(timeSec), timeout });
  }

  queryRange(expr: string, startSec: number, endSec: number, stepSec: number, timeout?: string): Promise<Answer<QueryData>> {
    return this.get('/api/v1/query_range', { query: expr, start: String(startSec), end: String(endSec), step: String(stepSec), timeout });
  }

  series(match: string[], startSec?: number, endSec?: number): Promise<Answer<Labels[]>> {
    return this.get('/api/v1/series', undefined, { 'match[]': match, start: optional(startSec), end: optional(endSec) });
  }

  labels(match: string[] = [], startSec?: number, endSec?: number): Promise<Answer<string[]>> {
    return this.get('/api/v1/labels', undefined, { 'match[]': match.length ? match : undefined, start: optional(startSec), end: optional(endSec) });
  }

  labelValues(name: string, match: string[] = [], startSec?: number, endSec?: number): Promise<Answer<string[]>> {
    return this.get(`/api/v1/label/${encodeURIComponent(name)}/values`, undefined, { 'match[]': match.length ? match : undefined, start: optional(startSec), end: optional(endSec) });
  }

  alerts(): Promise<Answer<{ alerts: PromAlert[] }>> {
    return this.get('/api/v1/alerts');
  }

  targets(state?: 'active' | 'dropped' | 'any'): Promise<Answer<{ activeTargets: Target[]; droppedTargets: unknown[] }>> {
    return this.get('/api/v1/targets', undefined, { state });
  }

  rules(type?: 'alert' | 'record'): Promise<Answer<{ groups: RuleGroup[] }>> {
    return this.get('/api/v1/rules', undefined, { type });
  }
}

const optional = (n: number | undefined) => (n === undefined ? undefined : String(n));
