import { describe, expect, it } from 'vitest';
import type { DeployEvent, MetricChange, PatternOnset } from './correlate.js';
import { remedies } from '../actions/index.js';
import { classify, combine, rankHypotheses, SIGNAL_RE, type HypothesisInput, type MetricLevel } from './hypotheses.js';

// The registered actions' remedies, as investigate passes them (core names no action).
const REMEDIES = await remedies();

const T0 = Date.parse('2026-11-20T12:00:00Z');
const min = 60_000;
const fn = { name: 'orders-api-handler', type: 'lambda', project: 'orders' };
const db = { name: 'orders-db', type: 'rds', project: 'orders' };

const pat = (template: string, o: Partial<PatternOnset> = {}): PatternOnset => ({
  target: fn.name,
  template,
  count: 40,
  firstSeen: T0 + 32 * min,
  lastSeen: T0 + 59 * min,
  example: template,
  classes: classify(template),
  isNew: true,
  ...o,
});
const change = (metric: string, stat: string, kind: MetricChange['kind'], atMin: number, before: number, after: number, target = fn.name): MetricChange => ({
  target,
  metric,
  stat,
  kind,
  atMs: T0 + atMin * min,
  index: atMin,
  before,
  after,
  direction: after > before ? 'up' : 'down',
  ratio: before === 0 ? null : after / before,
  score: 50,
  adverse: after > before,
});
const deploy: DeployEvent = { id: 'orders-42', project: 'orders', version: '1.4.2', previousVersion: '1.4.1', atMs: T0 + 30 * min, targets: [fn.name] };
const level = (metric: string, kind: MetricLevel['kind'], max: number, sum: number, target = fn.name): MetricLevel => ({ target, metric, stat: 'Sum', kind, max, sum });

const base = (o: Partial<HypothesisInput>): HypothesisInput => ({
  remedies: REMEDIES,
  targets: [fn],
  symptoms: [],
  patterns: [],
  changes: [],
  levels: [],
  deployments: [],
  alarms: [],
  window: { fromMs: T0, toMs: T0 + 60 * min },
  ...o,
});

describe('classify: keyword classes of log lines', () => {
  it.each([
    ['2026-11-20T12:00:00.000Z abc Task timed out after 3.00 seconds', 'timeout'],
    ['Runtime.OutOfMemory: Runtime exited with error: signal: killed', 'memory'],
    ['ThrottlingException: Rate exceeded', 'throttling'],
    ['AccessDeniedException: User is not authorized to perform: dynamodb:PutItem', 'permission'],
    ['Error: connect ECONNREFUSED 10.0.0.5:5432', 'dependency'],
    ['FATAL: sorry, too many clients already', 'db-saturation'],
    ['TypeError: Cannot read properties of undefined', 'error'],
  ])('%s → %s', (line, cls) => {
    expect(classify(line)).toContain(cls);
    expect(SIGNAL_RE.test(line)).toBe(true);
  });
  it.each(['START RequestId: 1 Version: $LATEST', 'INFO order 123 stored in 45 ms', 'REPORT RequestId: 1 Duration: 12.3 ms'])('ignores %s', (line) => {
    expect(classify(line)).toEqual([]);
    expect(SIGNAL_RE.test(line)).toBe(false);
  });
});

describe('rankHypotheses: proposals fit the action contracts', () => {
  it('proposes no rollback for a Lambda without an alias (the rollback action needs one)', () => {
    const hs = rankHypotheses(base({ deployments: [deploy], patterns: [pat('ERROR Invoke Error TypeError: Cannot read properties of undefined (reading <*>)')], changes: [change('Errors', 'Sum', 'errors', 31, 0, 12)] }));
    expect(hs[0]!.kind).toBe('deploy_regression');
    expect(hs[0]!.proposedAction).toBeUndefined();
  });
  it('lists a health finding after the causes that explain it, and cites observed against target', () => {
    const hs = rankHypotheses(base({ patterns: [pat('ERROR ThrottlingException: Rate exceeded', { isNew: false, firstSeen: T0 })], health: [{ target: fn.name, verdict: 'UNHEALTHY', source: 'slo', summary: 'error rate 7.50% > 1.00% (SLO breached)' }] }));
    expect(hs.map((h) => h.kind)).toEqual(['throttling', 'health_finding']);
    expect(hs[1]!.evidence[0]!.summary).toBe('SLO: error rate 7.50% > 1.00% (SLO breached)');
  });
});

describe('rankHypotheses: the expected cause comes first, with its evidence', () => {
  it.each<[string, Partial<HypothesisInput>, string, RegExp, Record<string, unknown> | undefined]>([
    [
      'a deploy followed by a new exception',
      { targets: [{ ...fn, alias: 'live' }], deployments: [deploy], patterns: [pat('ERROR Invoke Error TypeError: Cannot read properties of undefined (reading <*>)')], changes: [change('Errors', 'Sum', 'errors', 31, 0, 12)] },
      'deploy_regression',
      /deployment orders-42/,
      // The rollback action's own contract: a registry resource (through its alias), no project versions.
      { action: 'rollback', target: fn.name, params: {} },
    ],
    [
      'throttling',
      { patterns: [pat('ERROR ThrottlingException: Rate exceeded', { isNew: false, firstSeen: T0 })], changes: [change('Throttles', 'Sum', 'throttles', 40, 0, 25)], levels: [level('Throttles', 'throttles', 30, 500), { ...level('ConcurrentExecutions', 'concurrency', 10, 0), stat: 'Maximum' }] },
      'throttling',
      /Throttles/,
      { action: 'scale_resources', target: fn.name, params: { reserved_concurrency: 20 } },
    ],
    [
      'a timeout storm',
      { patterns: [pat('<*> <*> Task timed out after 3.00 seconds', { count: 300, example: '2026-11-20T12:40:00Z abc Task timed out after 3.00 seconds' })], changes: [change('Duration', 'Maximum', 'latency', 35, 800, 3000)] },
      'timeout_limit',
      /Task timed out/,
      { action: 'increase_capacity', target: fn.name, params: { timeout_s: 6 } },
    ],
    [
      'a permission error',
      { patterns: [pat('AccessDeniedException: User: <*> is not authorized to perform: dynamodb:PutItem on resource: <*>', { example: 'AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:1:table/t' })] },
      'permission_error',
      /permission-denied lines/,
      undefined,
    ],
    [
      'database saturation',
      { targets: [fn, db], patterns: [pat('FATAL: remaining connection slots are reserved', { count: 80 })], changes: [change('DatabaseConnections', 'Maximum', 'connections', 35, 40, 100, db.name), change('CPUUtilization', 'Average', 'cpu', 35, 30, 95, db.name)] },
      'database_saturation',
      /database saturation lines|DatabaseConnections/,
      undefined,
    ],
    [
      'a dependency refusing connections',
      { patterns: [pat('Error: connect ECONNREFUSED <*>', { count: 200 })], changes: [change('Duration', 'Average', 'latency', 33, 100, 900)] },
      'dependency_timeout',
      /ECONNREFUSED/,
      undefined,
    ],
  ])('%s', (_, input, kind, evidence, action) => {
    const hs = rankHypotheses(base(input));
    expect(hs[0]!.kind).toBe(kind);
    expect(hs[0]!.evidence.map((e) => e.summary).join('\n')).toMatch(evidence);
    expect(hs[0]!.refutedBy.length).toBeGreaterThan(10);
    expect(hs[0]!.confidence).toBeGreaterThanOrEqual(0.4);
    if (action) expect(hs[0]!.proposedAction).toMatchObject(action);
    else expect(hs[0]!.proposedAction).toBeUndefined();
  });

  it('gives no hypothesis when there is no evidence', () => {
    expect(rankHypotheses(base({ patterns: [pat('INFO all good', { classes: [] })] }))).toEqual([]);
  });

  it('does not blame a deploy whose onset came before it', () => {
    const hs = rankHypotheses(base({ deployments: [{ ...deploy, atMs: T0 + 50 * min }], patterns: [pat('TypeError: x is undefined')] }));
    expect(hs.map((h) => h.kind)).not.toContain('deploy_regression');
  });

  it('ranks a background error that was always there below nothing: no finding', () => {
    expect(rankHypotheses(base({ patterns: [pat('ERROR something old', { isNew: false, firstSeen: T0 })] }))).toEqual([]);
  });

  it('raises confidence with more evidence, never to certainty', () => {
    const one = rankHypotheses(base({ patterns: [pat('Task timed out after 3.00 seconds', { count: 1, isNew: false })] }))[0]!;
    const more = rankHypotheses(base({ patterns: [pat('Task timed out after 3.00 seconds', { count: 1000 })], changes: [change('Duration', 'Maximum', 'latency', 35, 500, 3000)] }))[0]!;
    expect(more.confidence).toBeGreaterThan(one.confidence);
    expect(combine([0.9, 0.9, 0.9, 0.9])).toBe(0.95);
  });
});
