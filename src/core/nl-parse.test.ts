import { describe, expect, it } from 'vitest';
// The grammar is the registered actions' phrases and the registry's type words, as remediate builds it.
import { requestGrammar } from '../actions/index.js';
import { examplesOf, parseRequest as parse, type NlResource } from './nl-parse.js';

const GRAMMAR = await requestGrammar();
const parseRequest = (text: string, fleet: NlResource[]) => parse(text, fleet, GRAMMAR);

const FLEET: NlResource[] = [
  { name: 'orders-worker', type: 'lambda', project: 'orders' },
  { name: 'orders-api-handler', type: 'lambda', project: 'orders' },
  { name: 'checkout-handler', type: 'lambda', project: 'checkout' },
  { name: 'orders-db', type: 'rds', project: 'orders' },
  { name: 'api', type: 'ecs_service', project: 'web' },
  { name: 'api-worker', type: 'ecs_service', project: 'web' },
  { name: 'public-api', type: 'apigateway', project: 'web' },
  { name: 'sessions', type: 'elasticache', project: 'web' },
];

describe('parseRequest reads phrasings into action, target and parameters', () => {
  const cases: [string, string, string, Record<string, string>][] = [
    ['increase RDS max connections to 200', 'modify_db_parameter', 'orders-db', { name: 'max_connections', value: '200' }],
    ['Raise the maximum connections of the database to 500', 'modify_db_parameter', 'orders-db', { name: 'max_connections', value: '500' }],
    ['restart the orders worker lambda', 'restart_lambda', 'orders-worker', {}],
    ['bounce checkout-handler', 'restart_lambda', 'checkout-handler', {}],
    ['recycle the checkout function', 'restart_lambda', 'checkout-handler', {}],
    ['scale the api service to 6 tasks', 'scale_resources', 'api', { desired_count: '6' }],
    ['scale api-worker to 3', 'scale_resources', 'api-worker', { desired_count: '3' }],
    ['set reserved concurrency of orders-worker to 50', 'scale_resources', 'orders-worker', { reserved_concurrency: '50' }],
    ['increase memory of checkout-handler to 1 GB', 'increase_capacity', 'checkout-handler', { memory_mb: '1024' }],
    ['bump checkout memory to 1536mb', 'increase_capacity', 'checkout-handler', { memory_mb: '1536' }],
    ['raise the timeout of orders-worker to 2 min', 'increase_capacity', 'orders-worker', { timeout_s: '120' }],
    ['increase storage of orders-db to 100 GB', 'increase_capacity', 'orders-db', { storage_gb: '100' }],
    ['move orders-db to instance class db.r6g.large', 'increase_capacity', 'orders-db', { instance_class: 'db.r6g.large' }],
    ['roll back checkout', 'rollback', 'checkout-handler', {}],
    ['revert api-worker to revision 4', 'rollback', 'api-worker', { version: '4' }],
    ['flush the public api cache', 'clear_cache', 'public-api', {}],
    ['clear the redis cache', 'clear_cache', 'sessions', {}],
    ['set parameter work_mem to 65536 on orders-db', 'modify_db_parameter', 'orders-db', { name: 'work_mem', value: '65536' }],
    ['delete orders-db', 'delete_resources', 'orders-db', {}],
    ['open port 5432 on the orders-db security group', 'modify_security_groups', 'orders-db', {}],
  ];
  for (const [text, action, target, params] of cases) {
    it(`"${text}" → ${action} ${target}`, () => {
      const r = parseRequest(text, FLEET);
      if (!r.ok) throw new Error(r.reason);
      expect({ action: r.reading.action, target: r.reading.target, params: r.reading.params }).toEqual({ action, target, params });
      expect(r.reading.readAs).toContain(target);
    });
  }
});

describe('parseRequest refuses what it cannot read exactly', () => {
  const refusals: [string, RegExp, string[]?][] = [
    ['restart the orders lambda', /matches 2 resources/, ['orders-worker', 'orders-api-handler']],
    ["restart the payments lambda", /matches "payments"/],
    ['make it faster', /no remediation recognised/],
    ['', /empty/],
    ['restart the sessions redis', /applies to lambda or k8s_deployment or k8s_statefulset or k8s_daemonset, but the request names elasticache/],
    ['scale to 4 tasks', /which resource\?/],
  ];
  for (const [text, reason, candidates] of refusals) {
    it(`refuses "${text}"`, () => {
      const r = parseRequest(text, FLEET);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.reason).toMatch(reason);
      expect(r.examples).toEqual(examplesOf(GRAMMAR));
      for (const c of candidates ?? []) expect(r.candidates!.join(' ')).toContain(c);
    });
  }

  // A value the action cannot take: the action and the target say whose value it is, the fix how to say it.
  const values: [string, RegExp, RegExp | undefined][] = [
    ['increase memory of checkout-handler by 512 MB', /^increase_capacity on checkout-handler \(lambda, project checkout\): "by" a relative amount is not supported for memory$/, /to <number>/],
    ['increase memory of checkout-handler', /^increase_capacity on checkout-handler \(lambda, project checkout\): no target value for memory$/, /to <number>/],
    ['decrease memory of checkout-handler to 128 MB', /^increase_capacity on checkout-handler \(lambda, project checkout\): only increases are supported for memory$/, /through a deploy/],
    ['increase memory of checkout-handler to 1.3 MB', /^increase_capacity on checkout-handler \(lambda, project checkout\): cannot read "1.3 mb" as a whole number of MB$/, undefined],
    ['set max connections of orders-db to 20.5', /^modify_db_parameter on orders-db \(rds, project orders\): max_connections must be a whole number, not 20.5$/, /^say "to 20" or "to 21"$/],
    // No target named among three functions: the value is still the first thing said, by the only action reading it.
    ['increase memory by 512 MB', /^increase_capacity: "by" a relative amount is not supported for memory$/, /to <number>/],
  ];
  for (const [text, reason, fix] of values) {
    it(`refuses "${text}" in the words of its action`, () => {
      const r = parseRequest(text, FLEET);
      if (r.ok) throw new Error(`read as ${r.reading.readAs}`);
      expect(r.reason).toMatch(reason);
      if (fix) expect(r.fix).toMatch(fix);
      expect(r.examples).toEqual(examplesOf(GRAMMAR, r.reason.split(/[: ]/)[0]!));
      expect(r.examples.length).toBeGreaterThan(0);
    });
  }

  it('never picks a resource from another environment or outside the registry', () => {
    const r = parseRequest('restart the billing lambda', [{ name: 'orders-worker', type: 'lambda', project: 'orders' }]);
    expect(r.ok).toBe(false);
  });

  it('takes the only resource of the named type when no name is given', () => {
    const r = parseRequest('restart the lambda', [{ name: 'orders-worker', type: 'lambda', project: 'orders' }]);
    expect(r.ok && r.reading.target).toBe('orders-worker');
  });
});

describe('one verb, several actions: the named resource\'s type picks the action', () => {
  const MIXED: NlResource[] = [...FLEET.filter((r) => r.name !== 'api'), { name: 'checkout', type: 'k8s_deployment', project: 'shop' }, { name: 'api', type: 'k8s_deployment', project: 'shop' }, { name: 'ledger', type: 'k8s_statefulset', project: 'shop' }];
  const cases: [string, string, string, Record<string, string>][] = [
    ['restart the checkout deployment', 'k8s_rollout_restart', 'checkout', {}],
    ['bounce ledger', 'k8s_rollout_restart', 'ledger', {}],
    ['restart checkout-handler', 'restart_lambda', 'checkout-handler', {}],
    ['scale api to 5 replicas', 'k8s_scale', 'api', { replicas: '5' }],
    ['scale the ledger statefulset to 0', 'k8s_scale', 'ledger', { replicas: '0' }],
    ['scale api-worker to 3', 'scale_resources', 'api-worker', { desired_count: '3' }],
  ];
  for (const [text, action, target, params] of cases) {
    it(`"${text}" → ${action} ${target}`, () => {
      const r = parseRequest(text, MIXED);
      if (!r.ok) throw new Error(r.reason);
      expect({ action: r.reading.action, target: r.reading.target, params: r.reading.params }).toEqual({ action, target, params });
    });
  }

  it('refuses what fits no reading: a fractional or relative replica count, a workload the registry lacks', () => {
    const frac = parseRequest('scale api to 2.5 replicas', MIXED);
    expect(!frac.ok && frac.reason).toMatch(/whole number/);
    const rel = parseRequest('scale api by 2 replicas', MIXED);
    expect(!rel.ok && rel.reason).toMatch(/relative/);
    const none = parseRequest('restart the payments deployment', MIXED);
    expect(!none.ok && none.reason).toMatch(/no lambda\/k8s_deployment\/k8s_statefulset\/k8s_daemonset resource in the registry matches "payments"/);
    // A type word of another family still refuses: a Redis cluster has neither restart.
    const redis = parseRequest('restart the sessions redis', MIXED);
    expect(!redis.ok && redis.reason).toMatch(/restart_lambda\/k8s_rollout_restart applies to lambda or k8s_deployment or k8s_statefulset or k8s_daemonset, but the request names elasticache/);
  });
});

describe('a refused value is worded by the action and the type the request resolved to, never by another action of the verb', () => {
  const MIXED: NlResource[] = [...FLEET.filter((r) => r.name !== 'api'), { name: 'api', type: 'k8s_deployment', project: 'shop' }];
  const ECS = /\b(tasks?|desired|ecs|service)\b/i;
  const K8S = /\b(replicas?|pods?|deployment|k8s)/i;
  const LAMBDA = /\b(concurrency|reserved|lambda|function)\b/i;
  // [request, the reason, the fix, the words of the other actions reading "scale" that must not appear]
  const cases: [string, string, string, RegExp[]][] = [
    ['scale api to 2.5 replicas', 'k8s_scale on api (k8s_deployment, project shop): replicas must be a whole number, not 2.5', 'say "to 2" or "to 3"', [ECS, LAMBDA]],
    ['scale api to 2.5', 'k8s_scale on api (k8s_deployment, project shop): replicas must be a whole number, not 2.5', 'say "to 2" or "to 3"', [ECS, LAMBDA]],
    ['scale api by 2', 'k8s_scale on api (k8s_deployment, project shop): "by" a relative amount is not supported for replicas', 'give the value it should have: "to <number>"', [ECS, LAMBDA]],
    ['scale api', 'k8s_scale on api (k8s_deployment, project shop): no target value for replicas', 'say "to <number>"', [ECS, LAMBDA]],
    ['scale api-worker to 2.5', 'scale_resources on api-worker (ecs_service, project web): the desired count (tasks) must be a whole number, not 2.5', 'say "to 2" or "to 3"', [/replica|pod|deploy/i, LAMBDA]],
    ['scale orders-worker to 0.5', 'scale_resources on orders-worker (lambda, project orders): reserved concurrency must be a whole number, not 0.5', 'say "to 0" or "to 1"', [K8S, /\b(tasks?|desired)\b/]],
  ];
  for (const [text, reason, fix, foreign] of cases) {
    it(`"${text}"`, () => {
      const r = parseRequest(text, MIXED);
      if (r.ok) throw new Error(`read as ${r.reading.readAs}`);
      expect({ reason: r.reason, fix: r.fix }).toEqual({ reason, fix });
      const said = `${r.reason} ${r.fix}`.replace(/\([a-z0-9_]+, project [a-z]+\)/, '');
      for (const words of foreign) expect(said).not.toMatch(words);
      // The phrasings offered are the refusing action's own (scale_resources' cover its ECS and Lambda readings).
      expect(r.examples).toEqual(examplesOf(GRAMMAR, reason.split(' ')[0]!));
    });
  }
});

describe('the grammar is made of the registered actions', () => {
  it('lists an example per readable phrasing, each of which reads back as its own action', () => {
    const examples = examplesOf(GRAMMAR);
    expect(examples.length).toBeGreaterThan(5);
    const fleet: NlResource[] = [...FLEET, { name: 'orders', type: 'lambda', project: 'checkout' }, { name: 'checkout', type: 'lambda', project: 'checkout' }, { name: 'cart', type: 'k8s_deployment', project: 'shop' }, { name: 'web', type: 'k8s_deployment', project: 'shop' }];
    for (const a of GRAMMAR.actions) {
      for (const rule of a.phrases.rules) {
        if (!rule.example) continue;
        const r = parse(rule.example, fleet, GRAMMAR);
        expect(r.ok ? r.reading.action : r.reason, rule.example).toBe(a.id);
      }
    }
  });

  it('an action left out of the grammar is not read', () => {
    const r = parse('restart orders-worker', FLEET, { ...GRAMMAR, actions: GRAMMAR.actions.filter((a) => a.id !== 'restart_lambda') });
    expect(r.ok).toBe(false);
  });
});
