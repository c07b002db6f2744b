/**
 * Every action against moto: plan, apply, verify (state read back from moto), and a second run that changes
 * nothing. Operations moto lacks (API Gateway FlushStageCache, ElastiCache RebootCacheCluster) are answered by
 * the fault proxy from named wire fixtures; everything else goes to moto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moto, Seeder, startFaultProxy, type FaultProxy } from '../support/index.js';
import { ACTION_IDS, loadAction } from '../../src/actions/index.js';
import { RESOURCES } from '../../src/resources/index.js';
import { cfg, fixture, logLines, project, remediate, type Res } from './remediate-support.js';

let seeder: Seeder;
beforeAll(() => {
  seeder = new Seeder({ endpoint: moto() });
});
afterAll(() => seeder.destroy());

async function lambdaConfig(name: string) {
  const L = await import('@aws-sdk/client-lambda');
  const c = new L.LambdaClient(cfg());
  try {
    return (await c.send(new L.GetFunctionCommand({ FunctionName: name }))).Configuration!;
  } finally {
    c.destroy();
  }
}

describe('restart_lambda', () => {
  it('a --param out of range is named in our words, not zod\'s', async () => {
    await seeder.createFunction('rs-bad-param');
    const dir = project([{ type: 'lambda', name: 'rs-bad-param' }]);
    const r = await remediate(dir, ['--action', 'restart_lambda', '--target', 'rs-bad-param', '--env', 'test', '--param', 'within_minutes=-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/restart_lambda: within_minutes: expected a number ≥ 0/);
    expect(r.stderr).not.toMatch(/Too small|expected number to be/);
  });

  it('sets the restart marker, keeps existing variables, and a second run is already in the target state', async () => {
    await seeder.createFunction('rs-orders-worker', { env: { QUEUE: 'orders' } });
    const dir = project([{ type: 'lambda', name: 'rs-orders-worker' }]);
    const first = await remediate(dir, ['--action', 'restart_lambda', '--target', 'rs-orders-worker', '--env', 'test']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.r.verdict).toBe('APPLIED');
    expect(first.r.steps.map((s) => s.step)).toEqual(['diagnose', 'propose', 'impact', 'confirm', 'apply', 'verify', 'document']);
    expect(first.r.verification).toMatchObject({ ok: true, status: 'verified' });
    const env1 = (await lambdaConfig('rs-orders-worker')).Environment!.Variables!;
    expect(env1.QUEUE).toBe('orders');
    expect(env1.HELM_CLOUD_RESTARTED_AT).toBe(first.r.plan!.changes[0]!.to);

    const second = await remediate(dir, ['--action', 'restart_lambda', '--target', 'rs-orders-worker', '--env', 'test']);
    expect(second.code).toBe(0);
    expect(second.r.verdict).toBe('ALREADY_IN_TARGET_STATE');
    expect(second.r.summary).toMatch(/already restarted by helm-cloud/);
    // The summary says how to force a re-run, and that call does restart again.
    expect(second.r.summary).toMatch(/to restart_lambda again now, re-run with --param within_minutes=0$/);
    expect((await lambdaConfig('rs-orders-worker')).Environment!.Variables!.HELM_CLOUD_RESTARTED_AT).toBe(env1.HELM_CLOUD_RESTARTED_AT);
    expect(logLines(dir).map((l) => l.outcome)).toEqual(['intent', 'applied', 'skipped']);
  });

  it('restarts again once the previous restart is outside the window (within_minutes=0)', async () => {
    await seeder.createFunction('rs-again');
    const dir = project([{ type: 'lambda', name: 'rs-again' }]);
    await remediate(dir, ['--action', 'restart_lambda', '--target', 'rs-again', '--env', 'test']);
    const again = await remediate(dir, ['--action', 'restart_lambda', '--target', 'rs-again', '--env', 'test', '--param', 'within_minutes=0']);
    expect(again.r.verdict).toBe('APPLIED');
  });
});

describe('scale_resources', () => {
  it('sets an ECS desired count, verifies it with the running count, and a second run changes nothing', async () => {
    await seeder.createEcsService('sc-cluster', 'sc-api', { desired: 2 });
    const dir = project([{ type: 'ecs_service', name: 'sc-api', cluster: 'sc-cluster' }]);
    const first = await remediate(dir, ['--action', 'scale_resources', '--target', 'sc-api', '--param', 'desired_count=6', '--env', 'test', '--yes']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.r.plan!.changes).toEqual([{ field: 'desired_count', from: 2, to: 6 }]);
    expect(first.r.plan!.permissions.every((p) => p.startsWith('ecs:'))).toBe(true);
    // Verified only when running equals desired (moto reports the new running count at once).
    expect(first.r.verification).toMatchObject({ ok: true, status: 'verified' });
    expect(first.r.verification!.detail).toMatch(/running 6/);
    expect(first.r.plan!.undo).toContain('--param desired_count=2');
    const E = await import('@aws-sdk/client-ecs');
    const ecs = new E.ECSClient(cfg());
    expect((await ecs.send(new E.DescribeServicesCommand({ cluster: 'sc-cluster', services: ['sc-api'] }))).services![0]!.desiredCount).toBe(6);
    ecs.destroy();
    const second = await remediate(dir, ['--action', 'scale_resources', '--target', 'sc-api', '--param', 'desired_count=6', '--env', 'test', '--yes']);
    expect(second.r.verdict).toBe('ALREADY_IN_TARGET_STATE');
  });

  it('sets Lambda reserved concurrency and a second run changes nothing', async () => {
    await seeder.createFunction('sc-fn');
    const dir = project([{ type: 'lambda', name: 'sc-fn' }]);
    const first = await remediate(dir, ['--action', 'scale_resources', '--target', 'sc-fn', '--param', 'reserved_concurrency=50', '--env', 'test', '--yes']);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect(first.r.verification!.status).toBe('verified');
    const L = await import('@aws-sdk/client-lambda');
    const c = new L.LambdaClient(cfg());
    expect((await c.send(new L.GetFunctionConcurrencyCommand({ FunctionName: 'sc-fn' }))).ReservedConcurrentExecutions).toBe(50);
    c.destroy();
    expect((await remediate(dir, ['--action', 'scale_resources', '--target', 'sc-fn', '--param', 'count=50', '--env', 'test', '--yes'])).r.verdict).toBe('ALREADY_IN_TARGET_STATE');
  });
});

describe('increase_capacity', () => {
  it('raises Lambda memory and timeout, and a second run changes nothing', async () => {
    await seeder.createFunction('ic-fn', { memory: 128, timeout: 3 });
    const dir = project([{ type: 'lambda', name: 'ic-fn' }]);
    const args = ['--action', 'increase_capacity', '--target', 'ic-fn', '--param', 'memory_mb=1024', '--param', 'timeout_s=30', '--env', 'test', '--yes'];
    const first = await remediate(dir, args);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    const c = await lambdaConfig('ic-fn');
    expect([c.MemorySize, c.Timeout]).toEqual([1024, 30]);
    expect((await remediate(dir, args)).r.verdict).toBe('ALREADY_IN_TARGET_STATE');
  });

  it('refuses a decrease with exit 2 and leaves the function alone', async () => {
    await seeder.createFunction('ic-down', { memory: 512 });
    const dir = project([{ type: 'lambda', name: 'ic-down' }]);
    const r = await remediate(dir, ['--action', 'increase_capacity', '--target', 'ic-down', '--param', 'memory_mb=256', '--env', 'test', '--yes']);
    expect(r.code).toBe(2);
    expect(r.r.verdict).toBe('REFUSED');
    expect((await lambdaConfig('ic-down')).MemorySize).toBe(512);
  });

  it('changes an RDS instance class and storage, and a second run changes nothing', async () => {
    await seeder.createDbInstance('ic-db', { instanceClass: 'db.t3.micro', storageGb: 20 });
    const dir = project([{ type: 'rds', name: 'ic-db' }]);
    const args = ['--action', 'increase_capacity', '--target', 'ic-db', '--param', 'instance_class=db.t3.large', '--param', 'storage_gb=40', '--env', 'test', '--yes'];
    const first = await remediate(dir, args);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect(first.r.plan!.reversible).toBe(false); // storage never shrinks
    const R = await import('@aws-sdk/client-rds');
    const rds = new R.RDSClient(cfg());
    const d = (await rds.send(new R.DescribeDBInstancesCommand({ DBInstanceIdentifier: 'ic-db' }))).DBInstances![0]!;
    rds.destroy();
    expect([d.DBInstanceClass, d.AllocatedStorage]).toEqual(['db.t3.large', 40]);
    expect((await remediate(dir, args)).r.verdict).toBe('ALREADY_IN_TARGET_STATE');
  });
});

describe('modify_db_parameter', () => {
  it('sets max_connections in a custom parameter group (pending reboot) and a second run changes nothing', async () => {
    await seeder.createDbInstance('mp-db', { parameterGroup: 'mp-custom' });
    const dir = project([{ type: 'rds', name: 'mp-db' }]);
    const first = await remediate(dir, ['increase RDS max connections to 200', '--env', 'test', '--yes']);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect(first.r.request.reading).toMatch(/^read as: .*modify_db_parameter on mp-db/);
    expect(first.r.verification).toMatchObject({ ok: true, status: 'pending' });
    const R = await import('@aws-sdk/client-rds');
    const rds = new R.RDSClient(cfg());
    const params = (await rds.send(new R.DescribeDBParametersCommand({ DBParameterGroupName: 'mp-custom' }))).Parameters!;
    rds.destroy();
    expect(params.find((p) => p.ParameterName === 'max_connections')!.ParameterValue).toBe('200');
    const second = await remediate(dir, ['increase RDS max connections to 200', '--env', 'test', '--yes']);
    expect(second.r.verdict).toBe('ALREADY_IN_TARGET_STATE');
  });

  it('refuses the default parameter group with exit 3 and a create-a-custom-group runbook', async () => {
    await seeder.createDbInstance('mp-default-db');
    const dir = project([{ type: 'rds', name: 'mp-default-db' }]);
    const r = await remediate(dir, ['--action', 'modify_db_parameter', '--target', 'mp-default-db', '--param', 'name=max_connections', '--param', 'value=200', '--env', 'test', '--yes']);
    expect(r.code).toBe(3);
    expect(r.r.verdict).toBe('REFUSED');
    expect(r.r.summary).toMatch(/default parameter group/);
    expect(r.r.runbook!.cli.join('\n')).toMatch(/create-db-parameter-group/);
    expect(r.r.steps.find((s) => s.step === 'apply')!.status).toBe('skipped');
  });
});

describe('rollback', () => {
  it('moves a Lambda alias to the previous version; a second run does not roll back further', async () => {
    const L = await import('@aws-sdk/client-lambda');
    const c = new L.LambdaClient(cfg());
    await seeder.createFunction('rb-fn');
    await c.send(new L.PublishVersionCommand({ FunctionName: 'rb-fn' }));
    await c.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: 'rb-fn', Timeout: 9 }));
    await c.send(new L.PublishVersionCommand({ FunctionName: 'rb-fn' }));
    await c.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: 'rb-fn', Timeout: 10 }));
    await c.send(new L.PublishVersionCommand({ FunctionName: 'rb-fn' }));
    await c.send(new L.CreateAliasCommand({ FunctionName: 'rb-fn', Name: 'live', FunctionVersion: '3' }));
    const dir = project([{ type: 'lambda', name: 'rb-fn', alias: 'live' }]);
    const first = await remediate(dir, ['roll back rb-fn', '--env', 'test', '--yes']);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect(first.r.plan!.changes).toEqual([{ field: 'alias_version', from: '3', to: '2' }]);
    expect((await c.send(new L.GetAliasCommand({ FunctionName: 'rb-fn', Name: 'live' }))).FunctionVersion).toBe('2');
    const second = await remediate(dir, ['roll back rb-fn', '--env', 'test', '--yes']);
    expect(second.r.verdict).toBe('ALREADY_IN_TARGET_STATE');
    expect((await c.send(new L.GetAliasCommand({ FunctionName: 'rb-fn', Name: 'live' }))).FunctionVersion).toBe('2');
    c.destroy();
  });

  it('moves an ECS service to the previous task definition revision; a second run changes nothing', async () => {
    await seeder.createEcsService('rb-cluster', 'rb-svc', { image: 'app:1' });
    await seeder.registerTaskDefinition('rb-svc', 'app:2');
    const E = await import('@aws-sdk/client-ecs');
    const ecs = new E.ECSClient(cfg());
    await ecs.send(new E.UpdateServiceCommand({ cluster: 'rb-cluster', service: 'rb-svc', taskDefinition: 'rb-svc:2' }));
    const dir = project([{ type: 'ecs_service', name: 'rb-svc', cluster: 'rb-cluster' }]);
    const first = await remediate(dir, ['--action', 'rollback', '--target', 'rb-svc', '--env', 'test', '--yes']);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect(first.r.plan!.changes).toEqual([{ field: 'task_definition', from: 'rb-svc:2', to: 'rb-svc:1' }]);
    expect((await ecs.send(new E.DescribeServicesCommand({ cluster: 'rb-cluster', services: ['rb-svc'] }))).services![0]!.taskDefinition).toMatch(/rb-svc:1$/);
    expect((await remediate(dir, ['--action', 'rollback', '--target', 'rb-svc', '--env', 'test', '--yes'])).r.verdict).toBe('ALREADY_IN_TARGET_STATE');
    ecs.destroy();
  });

  it('fails with exit 3 when there is no older version to go back to', async () => {
    await seeder.createEcsService('rb-cluster1', 'rb-only');
    const dir = project([{ type: 'ecs_service', name: 'rb-only', cluster: 'rb-cluster1' }]);
    const r = await remediate(dir, ['--action', 'rollback', '--target', 'rb-only', '--env', 'test', '--yes']);
    expect(r.code).toBe(3);
    expect(r.r.verdict).toBe('FAILED');
    expect(r.r.summary).toMatch(/no active task definition revision older/);
  });
});

describe('clear_cache (FlushStageCache and RebootCacheCluster are not in moto: answered from fixtures)', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto());
    const flush = fixture('apigateway.FlushStageCache.accepted.not-in-moto.json');
    proxy.addRule({ when: (c) => c.method === 'DELETE' && /\/stages\/[^/]+\/cache\/data$/.test(c.path), respond: () => flush });
    const reboot = fixture('elasticache.RebootCacheCluster.rebooting.not-in-moto.json');
    proxy.addRule({ service: 'elasticache', operation: 'RebootCacheCluster', respond: (c) => ({ ...reboot, body: reboot.body.replace('{{id}}', new URLSearchParams(c.body.toString()).get('CacheClusterId') ?? '') }) });
  });
  afterAll(() => proxy.stop());
  const flushes = () => Object.entries(proxy.calls()).filter(([k]) => /^apigateway:DELETE .*\/cache\/data$/.test(k)).reduce((n, [, v]) => n + v, 0);

  it('flushes an API Gateway stage cache once; the second run is already in the target state', async () => {
    const id = await seeder.createRestApi('cc-api', 'prod');
    const A = await import('@aws-sdk/client-api-gateway');
    const api = new A.APIGatewayClient(cfg());
    await api.send(new A.UpdateStageCommand({ restApiId: id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }] }));
    api.destroy();
    const dir = project([{ type: 'apigateway', name: 'cc-api', stage: 'prod' }], { endpoint: proxy.endpoint });
    proxy.resetCalls();
    const first = await remediate(dir, ['flush the cc-api cache', '--env', 'test']);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect(first.r.verification).toMatchObject({ ok: true, status: 'verified' });
    const second = await remediate(dir, ['flush the cc-api cache', '--env', 'test']);
    expect(second.r.verdict).toBe('ALREADY_IN_TARGET_STATE');
    expect(flushes()).toBe(1);
  });

  it('reports a stage without a cache as having nothing to clear, without flushing', async () => {
    await seeder.createRestApi('cc-nocache', 'prod');
    const dir = project([{ type: 'apigateway', name: 'cc-nocache', stage: 'prod' }], { endpoint: proxy.endpoint });
    proxy.resetCalls();
    const r = await remediate(dir, ['--action', 'clear_cache', '--target', 'cc-nocache', '--env', 'test']);
    expect(r.r.verdict).toBe('ALREADY_IN_TARGET_STATE');
    expect(r.r.summary).toMatch(/no cache enabled/);
    expect(flushes()).toBe(0);
  });

  it('reboots the nodes of a registered ElastiCache cluster once', async () => {
    const C = await import('@aws-sdk/client-elasticache');
    const ec = new C.ElastiCacheClient(cfg());
    await ec.send(new C.CreateCacheClusterCommand({ CacheClusterId: 'cc-sessions', Engine: 'redis', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 1 }));
    ec.destroy();
    const dir = project([{ type: 'elasticache', name: 'cc-sessions' }], { endpoint: proxy.endpoint });
    proxy.resetCalls();
    const first = await remediate(dir, ['clear the redis cache', '--env', 'test']);
    expect(first.r.verdict, first.stderr).toBe('APPLIED');
    expect((await remediate(dir, ['clear the redis cache', '--env', 'test'])).r.verdict).toBe('ALREADY_IN_TARGET_STATE');
    expect(proxy.count('elasticache', 'RebootCacheCluster')).toBe(1);
  });
});

/**
 * Registry-driven idempotency: every registered action runs twice against its real backend, the second run
 * changing nothing. A new action fails here until it has a case. AWS actions run against moto (through the
 * fault proxy for the two operations moto lacks); actions that apply only to Kubernetes types run against the
 * real API server in kubernetes.test.ts, the one file that starts a cluster (a second cluster per run would
 * double the suite's slowest setup).
 */
describe('every registered action, run twice', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto());
    const reboot = fixture('elasticache.RebootCacheCluster.rebooting.not-in-moto.json');
    proxy.addRule({ service: 'elasticache', operation: 'RebootCacheCluster', respond: (c) => ({ ...reboot, body: reboot.body.replace('{{id}}', new URLSearchParams(c.body.toString()).get('CacheClusterId') ?? '') }) });
  });
  afterAll(() => proxy.stop());

  interface Case {
    /** Seeds the target in moto; returns its registry entry. */
    seed(name: string): Promise<Res>;
    params?: string[];
    /** Verdict of each run: applied then already there, or refused both times (never executed). */
    verdicts: [string, string];
  }
  const fn = async (name: string): Promise<Res> => (await seeder.createFunction(name, { memory: 128 }), { type: 'lambda', name });
  const CASES: Record<string, Case | { kubernetes: string }> = {
    restart_lambda: { seed: fn, verdicts: ['APPLIED', 'ALREADY_IN_TARGET_STATE'] },
    scale_resources: { seed: fn, params: ['reserved_concurrency=20'], verdicts: ['APPLIED', 'ALREADY_IN_TARGET_STATE'] },
    increase_capacity: { seed: fn, params: ['memory_mb=256'], verdicts: ['APPLIED', 'ALREADY_IN_TARGET_STATE'] },
    modify_db_parameter: {
      seed: async (name) => (await seeder.createDbInstance(name, { parameterGroup: `${name}-pg` }), { type: 'rds', name }),
      params: ['name=max_connections', 'value=150'],
      verdicts: ['APPLIED', 'ALREADY_IN_TARGET_STATE'],
    },
    rollback: {
      seed: async (name) => {
        await seeder.createEcsService(`${name}-cluster`, name, { image: 'app:1' });
        await seeder.registerTaskDefinition(name, 'app:2');
        const E = await import('@aws-sdk/client-ecs');
        const ecs = new E.ECSClient(cfg());
        await ecs.send(new E.UpdateServiceCommand({ cluster: `${name}-cluster`, service: name, taskDefinition: `${name}:2` }));
        ecs.destroy();
        return { type: 'ecs_service', name, cluster: `${name}-cluster` };
      },
      verdicts: ['APPLIED', 'ALREADY_IN_TARGET_STATE'],
    },
    clear_cache: {
      seed: async (name) => {
        const C = await import('@aws-sdk/client-elasticache');
        const ec = new C.ElastiCacheClient(cfg());
        await ec.send(new C.CreateCacheClusterCommand({ CacheClusterId: name, Engine: 'redis', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 1 }));
        ec.destroy();
        return { type: 'elasticache', name };
      },
      verdicts: ['APPLIED', 'ALREADY_IN_TARGET_STATE'],
    },
    delete_resources: { seed: fn, verdicts: ['REFUSED', 'REFUSED'] },
    modify_security_groups: { seed: fn, verdicts: ['REFUSED', 'REFUSED'] },
    k8s_scale: { kubernetes: 'kubernetes.test.ts: "scales, verifies the rollout is available…; the second run changes nothing"' },
    k8s_rollout_restart: { kubernetes: 'kubernetes.test.ts: "restarts, waits for the new pods, and a second run inside the window is a no-op"' },
  };

  for (const id of ACTION_IDS) {
    it(id, async () => {
      const c = CASES[id];
      expect(c, `${id} has no second-run case: add one to CASES`).toBeDefined();
      const action = await loadAction(id);
      if ('kubernetes' in c!) {
        // Only an action that applies to Kubernetes types alone may be run twice elsewhere.
        expect(action.appliesTo.every((t) => RESOURCES[t].service === 'kubernetes'), `${id} touches AWS: run it here`).toBe(true);
        return;
      }
      const name = `twice-${id.replace(/_/g, '-')}`;
      const target = await c!.seed(name);
      expect(action.appliesTo).toContain(target.type);
      const dir = project([target], { endpoint: proxy.endpoint });
      const args = ['--action', id, '--target', name, ...(c!.params ?? []).flatMap((p) => ['--param', p]), '--env', 'test', '--yes'];
      const first = await remediate(dir, args);
      expect(first.r?.verdict, first.stderr).toBe(c!.verdicts[0]);
      const second = await remediate(dir, args);
      expect(second.r?.verdict, second.stderr).toBe(c!.verdicts[1]);
      // The second run wrote nothing: no intent, only its own outcome.
      const outcomes = logLines(dir).map((l) => l.outcome);
      expect(outcomes.slice(-1)).toEqual([c!.verdicts[1] === 'REFUSED' ? 'refused' : 'skipped']);
      expect(outcomes.filter((o) => o === 'intent').length).toBe(c!.verdicts[0] === 'APPLIED' ? 1 : 0);
    });
  }
});
