/**
 * The kubernetes family, k8s_* resources in health/investigate, and the k8s_scale / k8s_rollout_restart
 * remediations, end to end through the CLI against a real kube-apiserver v1.37 (etcd, controller-manager,
 * scheduler, kwok nodes and pod lifecycles, metrics-server through API aggregation). One cluster for the
 * file; tests run in order and the metrics test comes last (metrics-server needs about a minute).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, loadAction } from '../../src/actions/index.js';
import { RESOURCES } from '../../src/resources/index.js';
import { freePort } from '../../src/sandbox/moto.js';
import { makeProject, registryWith, runCli, type CliResult } from '../support/index.js';
import { applyAll, criLine, deployment, namespace, podEvent, service, useKubeCluster, viewerRbac, waitFor } from '../substrates/k8s/index.js';

const cluster = useKubeCluster({ metrics: true, logNamespaces: ['shop', 'faults'] });
let project = '';
let env: Record<string, string> = {};
const T = Date.now();

const k8s = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> => runCli(['kubernetes', ...args, '-o', 'json'], { cwd: project, env: { ...env, ...extra }, timeoutMs: 120_000 });
const kubectlJson = async (args: string[]) => JSON.parse((await cluster().kubectl([...args, '-o', 'json'])).stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const c = cluster();
  await applyAll(c, [
    namespace('shop'),
    namespace('faults'),
    namespace('canary'),
    ...viewerRbac,
    deployment({ name: 'web', namespace: 'shop', replicas: 3, podAnnotations: { 'kwok.x-k8s.io/usage-cpu': '250m', 'kwok.x-k8s.io/usage-memory': '64Mi' } }),
    deployment({ name: 'api', namespace: 'shop', replicas: 2 }),
    deployment({ name: 'regress', namespace: 'canary', replicas: 2 }),
    service('web', 'shop', 'web'),
    deployment({ name: 'crashy', namespace: 'faults', replicas: 2, fault: 'crashloop' }),
    deployment({ name: 'oomy', namespace: 'faults', fault: 'oom', memoryLimit: '64Mi' }),
    deployment({ name: 'badimg', namespace: 'faults', image: 'registry.local/badimg:9.9', fault: 'imagepull' }),
    deployment({ name: 'flaky', namespace: 'faults', fault: 'unready' }),
    deployment({ name: 'stuck', namespace: 'faults', replicas: 2, fault: 'unready', progressDeadlineSeconds: 6 }),
    deployment({ name: 'pending', namespace: 'faults', nodeSelector: { disk: 'ssd' } }),
  ]);
  // Application logs, as the container runtime stores them (kwok serves them through the logs API).
  const lines = [criLine(T - 20 * 60_000, 'GET /healthz 200'), criLine(T - 15 * 60_000, 'GET /cart 200 12ms')];
  for (let i = 0; i < 8; i++) lines.push(criLine(T - (10 - i) * 60_000, `ERROR db connect ECONNREFUSED 10.0.0.${i}:5432 after ${100 + i}ms`));
  const fs = await import('node:fs');
  fs.writeFileSync(c.logFile('shop'), lines.join(''));
  fs.writeFileSync(c.logFile('faults', true), criLine(T - 6 * 60_000, 'fatal: config file /etc/app.yaml not found; exiting 1'));
  fs.writeFileSync(c.logFile('faults'), [criLine(T - 5 * 60_000, 'starting'), criLine(T - 4 * 60_000, 'panic: runtime error: invalid memory address or nil pointer dereference')].join(''));
  await waitFor(c, ['-n', 'shop', 'get', 'deploy', 'web', 'api', '-o', 'jsonpath={.items[*].status.availableReplicas}'], (o) => o.trim() === '3 2', 90_000);
  await waitFor(c, ['-n', 'canary', 'get', 'deploy', 'regress', '-o', 'jsonpath={.status.availableReplicas}'], (o) => o.trim() === '2', 90_000);
  await waitFor(c, ['-n', 'faults', 'get', 'deploy', 'stuck', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'], (o) => o.trim() === 'ProgressDeadlineExceeded', 90_000);
  await waitFor(c, ['-n', 'faults', 'get', 'pods', '-o', 'jsonpath={.items[*].status.phase}'], (o) => o.trim().split(/\s+/).length >= 8, 60_000);
  // The kubelet's probe failures for the unready pod.
  const flaky = (await kubectlJson(['-n', 'faults', 'get', 'pods', '-l', 'app=flaky'])).items[0].metadata.name as string;
  await applyAll(c, [podEvent('faults', flaky, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 14)]);

  const resources = [
    { type: 'k8s_deployment', name: 'web', namespace: 'shop' },
    { type: 'k8s_deployment', name: 'api', namespace: 'shop' },
    { type: 'k8s_deployment', name: 'regress', namespace: 'canary' },
    ...['crashy', 'oomy', 'badimg', 'flaky', 'stuck', 'pending'].map((name) => ({ type: 'k8s_deployment', name, namespace: 'faults' })),
  ];
  // No AWS endpoint answers here: Kubernetes-only environments must not need one.
  const closed = `http://127.0.0.1:${await freePort()}`;
  project = makeProject({
    'registry/deployments.json': registryWith([{ project: 'shop', resources }]),
    'shared/environments.json': { environments: { test: { region: 'us-east-1', endpoint_url: closed, protected: false }, prod: { region: 'us-east-1', endpoint_url: closed, protected: true } } },
  });
  env = { KUBECONFIG: c.kubeconfig, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', NO_COLOR: '1' };
}, 240_000);

describe('kubernetes reads', () => {
  it('pods: ready/desired containers, status, restarts, images; label selectors', async () => {
    const r = await k8s(['pods', '-n', 'shop', '-l', 'app=web']);
    expect(r.code, r.stderr).toBe(0);
    const pods = r.json<{ pods: { name: string; status: string; ready: string; restarts: number; images: string[]; node: string }[] }>().pods;
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p).toMatchObject({ status: 'Running', ready: '1/1', restarts: 0, images: ['nginx:1.27'], node: 'kwok-node-0' });
    const faults = (await k8s(['pods', '-n', 'faults'])).json<{ pods: { name: string; status: string; restarts: number }[] }>().pods;
    expect(faults.filter((p) => p.name.startsWith('crashy-')).map((p) => [p.status, p.restarts])).toEqual([['CrashLoopBackOff', 5], ['CrashLoopBackOff', 5]]);
    expect(faults.find((p) => p.name.startsWith('badimg-'))?.status).toBe('ImagePullBackOff');
    expect(faults.find((p) => p.name.startsWith('pending-'))?.status).toBe('Pending');
  });

  it('deployments: ready/desired, available, restarts and images from three list calls, also across namespaces', async () => {
    const r = await k8s(['deployments', '-n', 'shop']);
    const j = r.json<{ deployments: { name: string; ready: string; available: number; images: string[]; rollout: string }[]; requests: { total: number } }>();
    expect(j.deployments.map((d) => [d.name, d.ready, d.rollout])).toEqual([['api', '2/2', 'complete'], ['web', '3/3', 'complete']]);
    expect(j.requests.total).toBe(3);
    const all = (await k8s(['deployments', '-A'])).json<{ deployments: { namespace: string; name: string; ready: string; restarts: number; rollout: string }[] }>().deployments;
    expect(all.find((d) => d.name === 'crashy')).toMatchObject({ namespace: 'faults', ready: '0/2', restarts: 10 });
    expect(all.find((d) => d.name === 'stuck')?.rollout).toBe('failed');
  });

  it('services: type, cluster IP, ports, selector', async () => {
    const s = (await k8s(['services', '-n', 'shop'])).json<{ services: { name: string; type: string; clusterIP: string; ports: string; selector: string }[] }>().services;
    expect(s).toEqual([expect.objectContaining({ name: 'web', type: 'ClusterIP', ports: '80/TCP', selector: 'app=web', clusterIP: expect.stringMatching(/^10\.96\.0\.\d+$/) })]);
  });

  it('events: sorted in time, filtered by object, type and age', async () => {
    const all = (await k8s(['events', '-n', 'faults'])).json<{ events: { time: string; type: string; reason: string; object: string; message: string }[] }>().events;
    const times = all.map((e) => e.time);
    expect(times).toEqual([...times].sort());
    expect(all.some((e) => e.reason === 'FailedScheduling' && /didn't match Pod's node affinity\/selector/.test(e.message))).toBe(true);
    const forStuck = (await k8s(['events', '-n', 'faults', '--for', 'deploy/stuck'])).json<{ events: { object: string }[] }>().events;
    expect(forStuck.length).toBeGreaterThan(0);
    expect(new Set(forStuck.map((e) => e.object))).toEqual(new Set(['deployment/stuck']));
    const warnings = (await k8s(['events', '-n', 'faults', '--type', 'Warning', '--since', '1h'])).json<{ events: { type: string; reason: string }[] }>().events;
    expect(new Set(warnings.map((e) => e.type))).toEqual(new Set(['Warning']));
    expect(warnings.map((e) => e.reason)).toContain('Unhealthy');
  });

  it('logs: a pod, a container, and a deployment across its pods in time order, with --tail and --since', async () => {
    const dep = (await k8s(['logs', 'deploy/web', '-n', 'shop'])).json<{ pods: string[]; lines: { pod: string; time: string; message: string }[] }>();
    expect(dep.pods).toHaveLength(3);
    expect(new Set(dep.lines.map((l) => l.pod))).toEqual(new Set(dep.pods));
    expect(dep.lines).toHaveLength(30);
    expect(dep.lines.map((l) => l.time)).toEqual([...dep.lines.map((l) => l.time)].sort());
    const tail = (await k8s(['logs', 'deploy/web', '-n', 'shop', '--tail', '2'])).json<{ lines: { message: string }[] }>();
    expect(tail.lines).toHaveLength(6);
    expect(tail.lines.every((l) => /ECONNREFUSED/.test(l.message))).toBe(true);
    // The window reaches 5 minutes before seeding however long setup took (a slow machine must not empty it).
    const sinceMin = Math.ceil((Date.now() - T) / 60_000) + 5;
    const one = (await k8s(['logs', dep.pods[0]!, '-n', 'shop', '--container', 'web', '--since', `${sinceMin}m`])).json<{ lines: { time: string }[] }>();
    expect(one.lines.length).toBeGreaterThan(0);
    expect(one.lines.every((l) => Date.parse(l.time) >= T - 6 * 60_000)).toBe(true);
    const previous = (await k8s(['logs', 'deploy/crashy', '-n', 'faults', '--previous'])).json<{ lines: { message: string }[] }>();
    expect(previous.lines.map((l) => l.message)).toEqual(['fatal: config file /etc/app.yaml not found; exiting 1', 'fatal: config file /etc/app.yaml not found; exiting 1']);
    const badContainer = await k8s(['logs', dep.pods[0]!, '-n', 'shop', '--container', 'nope']);
    expect(badContainer.code).toBe(2);
    expect(badContainer.stderr).toMatch(/has no container "nope".*containers: web/);
  });

  it('describe: status, conditions, containers, probes, pods and recent events', async () => {
    const r = await runCli(['kubernetes', 'describe', 'deploy', 'stuck', '-n', 'faults', '-o', 'table'], { cwd: project, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Replicas: +2 desired \| 2 updated \| 2 total \| 0 available \| 2 unavailable$/m);
    expect(r.stdout).toMatch(/^ProgressDeadline: +6s$/m);
    expect(r.stdout).toMatch(/^Rollout: +failed: deploy\/stuck exceeded its progress deadline/m);
    expect(r.stdout).toMatch(/Readiness: +http-get http:\/\/:8080\/healthz/);
    expect(r.stdout).toMatch(/Progressing +False +ProgressDeadlineExceeded/);
    expect(r.stdout).toMatch(/ScalingReplicaSet/);
    const pod = (await kubectlJson(['-n', 'faults', 'get', 'pods', '-l', 'app=crashy'])).items[0].metadata.name as string;
    const p = await runCli(['k8s', 'describe', `pod/${pod}`, '-n', 'faults', '-o', 'table'], { cwd: project, env });
    expect(p.stdout).toMatch(/State: +Waiting: CrashLoopBackOff/);
    expect(p.stdout).toMatch(/Last State: +Terminated: Error \(exit 1\)/);
    expect(p.stdout).toMatch(/Restart Count: +5/);
  });

  it('describe rs / replicaset: its owner, replicas, pod phases and the pods it controls; a wrong name names the closest', async () => {
    const rs = (await kubectlJson(['-n', 'shop', 'get', 'rs', '-l', 'app=web'])).items[0].metadata.name as string;
    const r = await k8s(['describe', 'rs', rs, '-n', 'shop']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json<{ description: { kind: string; sections: { title: string; lines: [string, string][]; table?: { rows: string[][] } }[] } }>().description;
    expect(d.kind).toBe('ReplicaSet');
    expect(Object.fromEntries(d.sections[0]!.lines)).toMatchObject({ 'Controlled By': 'Deployment/web', Revision: '1', Replicas: '3 current / 3 desired', 'Pods Status': '3 Running / 0 Waiting / 0 Succeeded / 0 Failed' });
    expect(d.sections.find((s) => s.title === 'Pods')?.table?.rows.map((row) => row[0]!.startsWith(`${rs}-`))).toEqual([true, true, true]);
    expect((await k8s(['describe', `replicaset/${rs}`, '-n', 'shop'])).code).toBe(0);
    const wrong = await k8s(['describe', 'rs', rs.slice(0, -1), '-n', 'shop']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`did you mean rs/${rs}?`);
  });

  it('a missing namespace is bad input naming the closest one (exit 2)', async () => {
    const r = await k8s(['pods', '-n', 'shpo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/namespace "shpo" not found in context admin.*did you mean --namespace shop\?/);
    expect(r.json()).toMatchObject({ command: 'kubernetes', exitCode: 2, error: { message: expect.stringMatching(/namespace "shpo" not found/) } });
  });

  it('an unknown workload names the closest one (exit 2)', async () => {
    const r = await k8s(['describe', 'deploy/wbe', '-n', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deploy "wbe" not found in namespace shop.*did you mean deploy\/web\?/);
  });

  it('--context picks another kubeconfig context (a read-only user can read)', async () => {
    const r = await k8s(['deployments', '-n', 'shop', '--context', 'viewer']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ context: string }>().context).toBe('viewer');
    const bad = await k8s(['pods', '--context', 'veiwer']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no context "veiwer" in the kubeconfig.*did you mean --context viewer\?/);
  });

  it('rollout_status: complete is 0, past the progress deadline is 3 with the reason', async () => {
    const ok = await k8s(['rollout_status', 'deploy/web', '-n', 'shop']);
    expect(ok.code).toBe(0);
    expect(ok.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'COMPLETE', summary: 'deploy/web successfully rolled out' });
    const stuck = await k8s(['rollout_status', 'deploy/stuck', '-n', 'faults', '--timeout', '5s']);
    expect(stuck.code).toBe(3);
    expect(stuck.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'FAILED', summary: expect.stringContaining('exceeded its progress deadline') });
  });

  it('an API server that is down is an access problem naming it (exit 4)', async () => {
    const port = await freePort();
    const dir = makeProject();
    const kc = join(dir, 'kubeconfig-down');
    (await import('node:fs')).writeFileSync(kc, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'gone', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }], 'current-context': 'gone' }));
    const r = await k8s(['pods'], { KUBECONFIG: kc });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:${port} \\(context "gone"\\)`));
    const h = await runCli(['health', '--env', 'test', '-o', 'json'], { cwd: project, env: { ...env, KUBECONFIG: kc } });
    expect(h.code).toBe(4);
    expect(h.stderr).toMatch(/Kubernetes: API server unreachable/);
  });
});

describe('health and investigate over k8s_* resources', () => {
  it('judges each workload and names why', async () => {
    const r = await runCli(['health', '--env', 'test', '-o', 'json'], { cwd: project, env });
    expect(r.code, r.stderr).toBe(3);
    const j = r.json<{ resources: { name: string; verdict: string; reasons: string[]; state: Record<string, unknown> }[]; apiCalls: { total: number } }>();
    const by = Object.fromEntries(j.resources.map((x) => [x.name, x]));
    expect(by.web, JSON.stringify(by.web?.reasons)).toMatchObject({ verdict: 'HEALTHY', state: expect.objectContaining({ desired: 3, available: 3 }) });
    expect(by.crashy!.verdict).toBe('UNHEALTHY');
    expect(by.crashy!.reasons.join(' ')).toMatch(/2 pods in CrashLoopBackOff \(crashy: Error, exit 1/);
    expect(by.oomy!.reasons.join(' ')).toMatch(/OOMKilled/);
    expect(by.badimg!.reasons.join(' ')).toMatch(/cannot pull the image \(badimg: ImagePullBackOff — Back-off pulling image registry\.local\/badimg:9\.9\)/);
    expect(by.stuck!.reasons[0]).toMatch(/^rollout stuck: deploy\/stuck exceeded its progress deadline/);
    expect(by.pending!.reasons.join(' ')).toMatch(/pending \(Unschedulable: 0\/1 nodes are available/);
    expect(by.flaky!.reasons.join(' ')).toMatch(/Warning event.*Unhealthy/);
    // Three namespaces: one cluster-wide list per kind, whatever the number of deployments or namespaces.
    expect(j.apiCalls).toMatchObject({ total: 4, byOperation: { 'list deployments': 1, 'list pods': 1, 'list events': 1, 'list replicasets': 1 } });
  });

  it('a user with namespaced Roles only: the cluster-wide list is forbidden, per-namespace lists judge the same', async () => {
    const c = cluster();
    const docs: object[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ns-reader', namespace: 'shop' } }];
    for (const ns of ['shop', 'canary', 'faults']) {
      docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'ns-reader', namespace: ns }, rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'events', 'deployments', 'replicasets'], verbs: ['get', 'list'] }] });
      docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ns-reader', namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ns-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ns-reader', namespace: 'shop' }] });
    }
    await applyAll(c, docs);
    const token = (await c.kubectl(['-n', 'shop', 'create', 'token', 'ns-reader'])).stdout.trim();
    const kc = join(makeProject(), 'kubeconfig-ns');
    // YAML, as people write it; a relative CA path would be resolved from this file's folder.
    (await import('node:fs')).writeFileSync(kc, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${c.server}\n    insecure-skip-tls-verify: true\nusers:\n- name: r\n  user:\n    token: ${token}\ncontexts:\n- name: ns\n  context: {cluster: c, user: r}\ncurrent-context: ns\n`);
    const admin = (await runCli(['health', '--env', 'test', '-o', 'json'], { cwd: project, env })).json<{ resources: { name: string; verdict: string }[] }>();
    const r = await runCli(['health', '--env', 'test', '-o', 'json'], { cwd: project, env: { ...env, KUBECONFIG: kc } });
    expect(r.code, r.stderr).toBe(3);
    const j = r.json<{ resources: { name: string; verdict: string }[]; apiCalls: { byOperation: Record<string, number> } }>();
    expect(j.resources.map((x) => [x.name, x.verdict])).toEqual(admin.resources.map((x) => [x.name, x.verdict]));
    expect(j.resources.find((x) => x.name === 'web')?.verdict, JSON.stringify(j.resources.find((x) => x.name === 'web'))).toBe('HEALTHY');
    // One refused cluster-wide list, then four lists in each of the three namespaces.
    expect(j.apiCalls.byOperation).toEqual({ 'list deployments': 4, 'list pods': 3, 'list events': 3, 'list replicasets': 3 });
  });

  it('investigate: a crash loop, OOM, a bad image and a failing probe each get their hypothesis', async () => {
    const cases: [string, string][] = [['crashy', 'crash_loop'], ['oomy', 'memory_limit'], ['badimg', 'bad_image'], ['flaky', 'failed_probe']];
    for (const [name, kind] of cases) {
      const r = await runCli(['investigate', '--env', 'test', '-o', 'json', `${name} is failing`], { cwd: project, env });
      const j = r.json<{ hypotheses: { kind: string; target: string; title: string }[] }>();
      expect(j.hypotheses[0], `${name}: ${r.stderr} ${JSON.stringify(j.hypotheses)}`).toMatchObject({ kind, target: name });
    }
  });

  it('investigate mines the pod logs with the pattern miner', async () => {
    const r = await runCli(['investigate', '--env', 'test', '-o', 'json', 'web errors'], { cwd: project, env });
    const j = r.json<{ logs: { lines: number; source: string }; patterns: { target: string; template: string; count: number }[] }>();
    expect(j.logs.source).toBe('kubernetes');
    const p = j.patterns.find((x) => x.target === 'web' && /ECONNREFUSED/.test(x.template));
    expect(p?.count).toBe(24); // 8 lines × 3 pods
  });

  it('investigate blames a rollout shortly before the symptoms', { timeout: 180_000 }, async () => {
    const c = cluster();
    // A namespace without earlier error logs: the crash loop is the first symptom, right after the rollout.
    await c.kubectl(['-n', 'canary', 'patch', 'deploy', 'regress', '--type', 'merge', '-p', JSON.stringify({ spec: { template: { metadata: { annotations: { 'helm-cloud.test/fault': 'crashloop' } }, spec: { containers: [{ name: 'regress', image: 'nginx:1.28' }] } } } })]);
    await waitFor(c, ['-n', 'canary', 'get', 'pods', '-l', 'app=regress', '-o', 'jsonpath={.items[*].status.containerStatuses[0].state.waiting.reason}'], (o) => o.includes('CrashLoopBackOff'));
    const r = await runCli(['investigate', '--env', 'test', '-o', 'json', 'regress is down'], { cwd: project, env });
    const j = r.json<{ hypotheses: { kind: string; title: string }[]; timeline: { kind: string; summary: string }[] }>();
    expect(j.hypotheses.map((h) => h.kind)).toContain('deploy_regression');
    expect(j.hypotheses.find((h) => h.kind === 'deploy_regression')?.title).toMatch(/rollout of regress to revision 2 \(nginx:1\.27 → nginx:1\.28\)/);
    expect(j.timeline.some((t) => t.kind === 'deployment' && /revision 2/.test(t.summary))).toBe(true);
  });
});

/** Kubernetes actions whose second run was seen to change nothing (the registry check at the end reads it). */
const ranTwice = new Set<string>();

describe('k8s_scale', () => {
  it('a restricted token is refused at the server-side dry run: exit 4 naming the verb and resource, nothing changed', async () => {
    const r = await k8s(['scale', 'deploy/api', '-n', 'shop', '--replicas', '4', '--env', 'test', '--yes', '--context', 'viewer']);
    expect(r.code).toBe(4);
    expect(r.json<{ verdict: string; summary: string }>().summary).toMatch(/Kubernetes refused patch deployments\/scale in namespace shop to the user of context "viewer"/);
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'api'])).spec.replicas).toBe(2);
  });

  it('--dry-run plans through a server-side dry run and changes nothing', async () => {
    const r = await k8s(['scale', 'deploy/api', '-n', 'shop', '--replicas', '3', '--env', 'test', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const j = r.json<{ verdict: string; plan: { changes: unknown[]; blastRadius: string } }>();
    expect(j.verdict).toBe('PLANNED');
    expect(j.plan.changes).toEqual([{ field: 'replicas', from: 2, to: 3 }]);
    expect(j.plan.blastRadius).toMatch(/the API server accepted a dry run of the change/);
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'api'])).spec.replicas).toBe(2);
  });

  it('a free-text request reads as k8s_scale / k8s_rollout_restart by the named workload and plans through a server-side dry run', async () => {
    const scale = await runCli(['remediate', 'scale api to 5 replicas', '--env', 'test', '--dry-run', '-o', 'json'], { cwd: project, env, timeoutMs: 120_000 });
    expect(scale.code, scale.stderr).toBe(0);
    const s = scale.json<{ verdict: string; action: string; request: { reading: string }; plan: { changes: unknown[]; blastRadius: string } }>();
    expect(s).toMatchObject({ verdict: 'PLANNED', action: 'k8s_scale' });
    expect(s.request.reading).toMatch(/^read as: scale to 5 replicas → k8s_scale on api \(k8s_deployment, project shop\)/);
    expect(s.plan.changes).toEqual([{ field: 'replicas', from: 2, to: 5 }]);
    expect(s.plan.blastRadius).toMatch(/the API server accepted a dry run of the change/);
    const restart = await runCli(['remediate', 'restart the web deployment', '--env', 'test', '--dry-run', '-o', 'json'], { cwd: project, env, timeoutMs: 120_000 });
    expect(restart.code, restart.stderr).toBe(0);
    const r = restart.json<{ verdict: string; action: string; request: { reading: string }; plan: { changes: { field: string }[] } }>();
    expect(r).toMatchObject({ verdict: 'PLANNED', action: 'k8s_rollout_restart' });
    expect(r.request.reading).toMatch(/→ k8s_rollout_restart on web \(k8s_deployment/);
    expect(r.plan.changes.map((c) => c.field)).toEqual(['restarted_at']);
    // Nothing changed: the replica count and the pod template are as they were.
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'api'])).spec.replicas).toBe(2);
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'web'])).spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
    // A fractional count is bad input, before anything is read from the cluster, said in the words of the action
    // and the workload it names (it quoted the ECS rule's "task count" before), with the fix.
    const bad = await runCli(['remediate', 'scale api to 2.5 replicas', '--env', 'test', '--dry-run', '-o', 'json'], { cwd: project, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/k8s_scale on api \(k8s_deployment, project shop\): replicas must be a whole number, not 2\.5\. Fix: say "to 2" or "to 3"\. Phrasings it reads: "scale web to 5 replicas"; or use --action/);
    expect(bad.stderr).not.toMatch(/\b(tasks?|desired|concurrency)\b/i);
  });

  it('scales, verifies the rollout is available, logs before/after; the second run changes nothing', { timeout: 180_000 }, async () => {
    const first = await k8s(['scale', 'deploy/api', '-n', 'shop', '--replicas', '3', '--env', 'test', '--yes']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.json<{ verdict: string; verification: { status: string; detail: string } }>()).toMatchObject({ verdict: 'APPLIED', verification: { status: 'verified', detail: 'replicas 3, 3 available' } });
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'api'])).status.availableReplicas).toBe(3);
    const second = await k8s(['scale', 'deploy/api', '-n', 'shop', '--replicas', '3', '--env', 'test', '--yes']);
    expect(second.code).toBe(0);
    expect(second.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'ALREADY_IN_TARGET_STATE', summary: 'already in the target state: replicas is already 3' });
    const log = readFileSync(join(project, '.fractary/plugins/helm-cloud/actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; target: string; outcome: string; before: Record<string, unknown>; after: Record<string, unknown> | null });
    const mine = log.filter((l) => l.action === 'k8s_scale' && l.target === 'api');
    expect(mine.map((l) => l.outcome)).toEqual(expect.arrayContaining(['intent', 'applied', 'skipped']));
    const applied = mine.find((l) => l.outcome === 'applied')!;
    expect(applied.before.replicas).toBe(2);
    expect(applied.after?.replicas).toBe(3);
    ranTwice.add('k8s_scale');
  });

  it('remediate --action k8s_scale on a registry workload is the same action', async () => {
    const r = await runCli(['remediate', '--env', 'test', '--action', 'k8s_scale', '--target', 'api', '--param', 'replicas=2', '--yes', '-o', 'json'], { cwd: project, env, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<{ verdict: string }>().verdict).toBe('APPLIED');
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'api'])).spec.replicas).toBe(2);
  });
});

describe('k8s_rollout_restart', () => {
  it('on a protected environment without a terminal it is refused and nothing changes', async () => {
    const r = await k8s(['rollout_restart', 'deploy/web', '-n', 'shop', '--env', 'prod']);
    expect(r.code).toBe(2);
    expect(r.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'REFUSED', summary: expect.stringContaining('needs confirmation') });
    expect((await kubectlJson(['-n', 'shop', 'get', 'deploy', 'web'])).spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
  });

  it('restarts, waits for the new pods, and a second run inside the window is a no-op', { timeout: 180_000 }, async () => {
    const before = new Set(((await kubectlJson(['-n', 'shop', 'get', 'pods', '-l', 'app=web'])).items as { metadata: { name: string } }[]).map((p) => p.metadata.name));
    const r = await k8s(['rollout_restart', 'deploy/web', '-n', 'shop', '--env', 'test', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<{ verdict: string; verification: { status: string } }>()).toMatchObject({ verdict: 'APPLIED', verification: { status: 'verified' } });
    const after = ((await kubectlJson(['-n', 'shop', 'get', 'pods', '-l', 'app=web'])).items as { metadata: { name: string; deletionTimestamp?: string } }[]).filter((p) => !p.metadata.deletionTimestamp);
    expect(after.some((p) => before.has(p.metadata.name))).toBe(false);
    const again = await k8s(['rollout_restart', 'deploy/web', '-n', 'shop', '--env', 'test', '--yes']);
    expect(again.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'ALREADY_IN_TARGET_STATE', summary: expect.stringMatching(/already restarted at .* \(after the last 30m\)/) });
    ranTwice.add('k8s_rollout_restart');
  });

  it('a restart that cannot become available within the deadline is FAILED with the controller reason', async () => {
    const r = await k8s(['rollout_restart', 'deploy/stuck', '-n', 'faults', '--env', 'test', '--yes', '--timeout', '40s']);
    expect(r.code).toBe(3);
    expect(r.json<{ verdict: string; verification: { detail: string } }>()).toMatchObject({ verdict: 'FAILED', verification: { detail: expect.stringContaining('exceeded its progress deadline') } });
  });
});

describe('top (metrics-server through API aggregation)', () => {
  it('reads pod and node usage once metrics-server has scraped; says so clearly when the metrics API is absent', { timeout: 200_000 }, async () => {
    let rows: { name: string; cpu: string; memory: string }[] = [];
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      const r = await k8s(['top', 'pods', '-n', 'shop']);
      const j = r.json<{ available: boolean; rows: typeof rows }>();
      rows = j.available ? j.rows.filter((x) => x.name.startsWith('web-')) : [];
      if (rows.length) break;
      await new Promise((res) => setTimeout(res, 3000));
    }
    expect(rows.length).toBeGreaterThan(0);
    // kwok reports 250m of CPU and 64Mi per web pod (their annotations); metrics-server derives CPU from two scrapes.
    for (const x of rows) expect(x).toMatchObject({ cpu: expect.stringMatching(/^2[45]\dm$/), memory: '64Mi' });
    const nodes = (await k8s(['top', 'nodes'])).json<{ rows: { name: string }[] }>().rows;
    expect(nodes.map((n) => n.name)).toEqual(['kwok-node-0']);
    await cluster().kubectl(['delete', 'apiservice', 'v1beta1.metrics.k8s.io']);
    const gone = await k8s(['top', 'pods', '-n', 'shop']);
    expect(gone.code).toBe(1);
    expect(gone.json<{ verdict: string; summary: string }>()).toMatchObject({ verdict: 'UNKNOWN', summary: expect.stringContaining('metrics-server is absent') });
  });
});

describe('the action registry', () => {
  it('every registered action that applies only to Kubernetes ran twice above against the real API server', async () => {
    const kube: string[] = [];
    for (const id of ACTION_IDS) if ((await loadAction(id)).appliesTo.every((t) => RESOURCES[t].service === 'kubernetes')) kube.push(id);
    expect(kube.length).toBeGreaterThan(0);
    expect(kube.filter((id) => !ranTwice.has(id))).toEqual([]);
  });
});
