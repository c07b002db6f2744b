import { describe, expect, it } from 'vitest';
// The words come from the resource registry, as in the product (core takes them as an argument).
import { typeWords } from '../resources/index.js';
import { resolveScope, type Nameable } from './scope.js';

const fleet: Nameable[] = [
  { type: 'lambda', name: 'orders-api-handler', project: 'orders' },
  { type: 'lambda', name: 'orders-worker', project: 'orders' },
  { type: 'apigateway', name: 'orders-api', project: 'orders' },
  { type: 'rds', name: 'orders-db', project: 'orders' },
  { type: 'lambda', name: 'checkout-fn-prod', project: 'checkout' },
  { type: 'sqs', name: 'checkout-queue', project: 'checkout' },
];
const now = Date.parse('2026-11-20T12:00:00Z');
const scope = (text: string | undefined, extra: Partial<Parameters<typeof resolveScope>[0]> = {}) =>
  resolveScope({ text, resources: fleet, env: 'prod', now, defaultWindowMs: 3600_000, typeWords: typeWords('scope'), ...extra });
const names = (r: ReturnType<typeof scope>) => (r.ok ? r.scope.targets.map((t) => t.name) : r.problem);

describe('resolveScope: text → targets', () => {
  it.each([
    ['Lambda errors in API function', ['orders-api-handler'], 'errors'],
    ['high latency on RDS', ['orders-db'], 'latency'],
    ['orders-worker is throttling', ['orders-worker'], 'throttling'],
    ['orders worker timeouts', ['orders-worker'], 'timeouts'],
    ['errors in the orders project', ['orders-api-handler', 'orders-worker', 'orders-api', 'orders-db'], 'errors'],
    ['API gateway 5xx', ['orders-api'], 'errors'],
    ['database connections exhausted', ['orders-db'], 'capacity'],
    ['checkout queue backing up', ['checkout-queue'], undefined],
    ['AccessDenied in checkout-fn-prod', ['checkout-fn-prod'], 'permissions'],
    ['rate limit on the worker', ['orders-worker'], 'throttling'],
  ])('%s → %j', (text, targets, symptom) => {
    const r = scope(text);
    expect(names(r)).toEqual(targets);
    if (r.ok) expect(r.scope.symptoms[0]).toBe(symptom);
  });

  it('shows which words matched which resource', () => {
    const r = scope('Lambda errors in API function');
    expect(r.ok && r.scope.matches.map((m) => [m.phrase, m.resource.name])).toEqual([['API function', 'orders-api-handler']]);
  });

  it('does not read the environment name as a name part', () => {
    expect(names(scope('errors in prod'))).toEqual(fleet.map((f) => f.name));
  });

  it('takes the whole environment for symptom words alone', () => {
    const r = scope('5xx errors');
    expect(r.ok && r.scope.matches[0]!.phrase).toBe('whole environment');
  });

  it.each([
    ['unknown words', 'xyzzy frobnicator', /matches no live resource/],
    ['a type with no live resource', 'ECS tasks failing', /type ecs_service/],
    ['a typo, with a suggestion', 'ordrs-workr', /did you mean "orders-worker"/],
  ])('refuses %s and lists what can be named', (_, text, re) => {
    const r = scope(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe('no-match');
      expect(`${r.message} ${r.fix}`).toMatch(re);
      expect(r.fix).toMatch(/orders-api-handler/);
    }
  });

  it('refuses when neither text nor issue is given', () => {
    expect(names(scope(undefined))).toBe('nothing-given');
  });

  it('keeps hostile punctuation and control characters out of the scope', () => {
    const r = scope('orders-worker" | filter @message like /.*/ | stats count(*) `rm -rf` \u001b[31m\u0007');
    expect(names(r)).toEqual(['orders-worker']);
    if (r.ok) {
      expect(r.scope.text).not.toMatch(/["|`/*@()\u0000-\u001f]/);
      for (const m of r.scope.matches) expect(m.phrase).toMatch(/^[A-Za-z0-9 ._-]+$/);
    }
  });

  it('uses an issue record: its resources and title', () => {
    const r = scope(undefined, { issue: { title: 'Timeouts in worker', resources: ['orders-worker'], startedAtMs: now - 20 * 60_000 } });
    expect(names(r)).toEqual(['orders-worker']);
    expect(r.ok && r.scope.matches[0]!.how).toBe('issue');
  });
});

describe('resolveScope: window', () => {
  const win = (extra: Partial<Parameters<typeof resolveScope>[0]>) => {
    const r = scope('orders-worker', extra);
    return r.ok ? { from: r.scope.window.fromMs, to: r.scope.window.toMs, source: r.scope.window.source } : r.problem;
  };
  it.each([
    ['default', {}, { from: now - 3600_000, to: now, source: 'default 1h' }],
    ['--since', { sinceMs: 2 * 3600_000 }, { from: now - 7200_000, to: now, source: '--since 2h' }],
    ['--from/--to', { fromMs: now - 600_000, toMs: now - 60_000 }, { from: now - 600_000, to: now - 60_000, source: '--from/--to' }],
    ['issue start with a baseline', { issue: { startedAtMs: now - 600_000 } }, { from: now - 600_000 - 1800_000, to: now, source: 'issue start − 30m' }],
  ])('%s', (_, extra, want) => expect(win(extra)).toEqual(want));

  it.each([
    ['an empty window', { fromMs: now, toMs: now - 1 }],
    ['--since with --from', { sinceMs: 1000, fromMs: now - 5000 }],
    ['a window in the future', { fromMs: now + 3600_000, toMs: now + 7200_000 }],
  ])('refuses %s', (_, extra) => expect(win(extra)).toBe('bad-window'));
});
