#!/usr/bin/env node
/**
 * bench:k8s — `helm-cloud health` over 300 Kubernetes Deployments in 10 namespaces on a real kube-apiserver,
 * side by side with a shell loop running `kubectl get deploy NAME -n NS -o json` once per deployment (with a
 * warm discovery cache, as a user's would be). Both run as the same read-only user, and every request that
 * user makes is counted from the API server's audit log, so the controllers' own traffic does not count.
 * Prints requests, wall time and CPU time (user + system of the client processes, from the kernel's account of
 * reaped children) for both and the ratios: on a shared, loaded machine wall time swings with the load, CPU
 * time much less. Not a test: numbers only. K8S_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the helm-cloud run.
 *
 * K8S_BENCH_NAMESPACES (default 10) × K8S_BENCH_PER_NAMESPACE (default 30) deployments, one pod each.
 * K8S_BENCH_LOOP_SAMPLE (default: all) deployments the kubectl loop really reads; its time is extrapolated
 * linearly to the fleet (each call is independent) and the report says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startKubeCluster } = await import(join(root, 'dist/sandbox/kube-cluster.js'));
const NS = Number(process.env.K8S_BENCH_NAMESPACES ?? 10);
const PER = Number(process.env.K8S_BENCH_PER_NAMESPACE ?? 30);
const N = NS * PER;
const SAMPLE = Math.min(N, Number(process.env.K8S_BENCH_LOOP_SAMPLE ?? N));

const t0 = Date.now();
// CPU seconds of this process's reaped children (fields cutime, cstime of /proc/self/stat), Linux only.
const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
const childCpu = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / ticks; // fields 16 and 17 of stat(5), counted after the ") "
};
process.stderr.write(`bench:k8s: starting a cluster (etcd, kube-apiserver, controller-manager, scheduler, kwok)…\n`);
const cluster = await startKubeCluster({ audit: true });
try {
  // ---- seed ------------------------------------------------------------------------------------------
  const names = [];
  const docs = [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'bench-viewer' }, rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'events', 'namespaces', 'deployments', 'replicasets'], verbs: ['get', 'list'] }] }, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'bench-viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'bench-viewer' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] }];
  for (let n = 0; n < NS; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < PER; i++) {
      const name = `svc-${String(i).padStart(3, '0')}`;
      names.push({ ns, name });
      docs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    }
  }
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs });
  const applied = await cluster.kubectl(['apply', '--server-side', '-f', '-'], list);
  if (applied.code !== 0) throw new Error(applied.stderr);
  process.stderr.write(`bench:k8s: ${N} deployments created; waiting until all are available…\n`);
  for (const deadline = Date.now() + 600_000; ; ) {
    const r = await cluster.kubectl(['get', 'deploy', '-A', '-o', 'jsonpath={range .items[*]}{.status.availableReplicas}{"\\n"}{end}']);
    const ready = r.stdout.split('\n').filter((x) => x === '1').length;
    if (ready >= N) break;
    if (Date.now() > deadline) throw new Error(`only ${ready}/${N} deployments available after 10 min`);
    await new Promise((res) => setTimeout(res, 2000));
  }
  const seedS = (Date.now() - t0) / 1000;

  // A kubeconfig for the read-only user, and a project whose registry holds the fleet.
  const work = mkdtempSync(join(tmpdir(), 'helm-cloud-bench-k8s-'));
  const kubeconfig = join(work, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'bench', cluster: { server: cluster.server, 'insecure-skip-tls-verify': true } }], users: [{ name: 'viewer', user: { token: cluster.viewerToken } }], contexts: [{ name: 'viewer', context: { cluster: 'bench', user: 'viewer' } }], 'current-context': 'viewer' }));
  const project = join(work, 'project');
  mkdirSync(join(project, '.fractary/registry'), { recursive: true });
  mkdirSync(join(project, '.fractary/shared'), { recursive: true });
  writeFileSync(join(project, '.fractary/registry/deployments.json'), JSON.stringify({ version: 1, deployments: [{ id: 'd1', environment: 'bench', project: 'fleet', version: '1', deployed_at: new Date(Date.now() - 86400_000).toISOString(), resources: names.map(({ ns, name }) => ({ type: 'k8s_deployment', name, namespace: ns })) }] }));
  writeFileSync(join(project, '.fractary/shared/environments.json'), JSON.stringify({ environments: { bench: { region: 'us-east-1' } } }));
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(work, 'kube-cache'), NO_COLOR: '1' };

  // ---- helm-cloud health -------------------------------------------------------------------------------
  // Names repeat across namespaces (svc-000 in every team), as in real clusters: each (namespace, name) is judged once.
  // One short run is at the mercy of the scheduler on a loaded machine: K8S_BENCH_RUNS runs (default 3), median.
  const prof = process.env.K8S_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.K8S_BENCH_CPU_PROF}`] : [];
  const load = loadavg()[0];
  const runs = [];
  let health;
  for (let i = 0; i < Math.max(1, Number(process.env.K8S_BENCH_RUNS ?? 3)); i++) {
    const before = cluster.viewerRequests().total;
    const c0 = childCpu();
    const h0 = Date.now();
    health = await new Promise((resolve) => {
      const p = spawn(process.execPath, [...prof, join(root, 'bin/helm-cloud.js'), 'health', '--env', 'bench', '-o', 'json'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => resolve({ code, out, err }));
    });
    runs.push({ ms: Date.now() - h0, cpu: childCpu() - c0, reqs: cluster.viewerRequests().total - before });
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const healthMs = median(runs.map((r) => r.ms));
  const healthCpu = median(runs.map((r) => r.cpu));
  const healthReqs = Math.max(...runs.map((r) => r.reqs));
  const report = JSON.parse(health.out);
  const judged = report.resources.length;
  const healthy = report.resources.filter((r) => r.verdict === 'HEALTHY').length;

  // ---- kubectl loop ------------------------------------------------------------------------------------
  const bin = join(process.env.HELM_CLOUD_K8S_BIN ?? join(process.env.HELM_CLOUD_CACHE ?? join(process.env.HOME, '.cache', 'helm-cloud'), 'k8s-v1.37.2', 'bin'), 'kubectl');
  spawnSync(bin, ['--kubeconfig', kubeconfig, 'get', 'deploy', names[0].name, '-n', names[0].ns, '-o', 'json'], { env }); // warm the discovery cache
  const loopBefore = cluster.viewerRequests().total;
  const lc0 = childCpu();
  const l0 = Date.now();
  const sample = names.filter((_, i) => i % Math.ceil(N / SAMPLE) === 0).slice(0, SAMPLE);
  let failures = 0;
  for (const { ns, name } of sample) {
    const r = spawnSync(bin, ['--kubeconfig', kubeconfig, 'get', 'deploy', name, '-n', ns, '-o', 'json'], { env, encoding: 'utf8' });
    if (r.status !== 0) failures++;
  }
  const loopMsSample = Date.now() - l0;
  const loopCpu = ((childCpu() - lc0) / sample.length) * N;
  const loopReqsSample = cluster.viewerRequests().total - loopBefore;
  const loopMs = (loopMsSample / sample.length) * N;
  const loopReqs = (loopReqsSample / sample.length) * N;

  // ---- report ------------------------------------------------------------------------------------------
  const pad = (s, n) => String(s).padEnd(n);
  const ops = Object.entries(report.apiCalls.byOperation).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [
    `bench:k8s — health over ${N} Deployments in ${NS} namespaces (one pod each) on kube-apiserver v1.37.2 + kwok`,
    `seed: ${seedS.toFixed(0)} s (cluster start, ${N} deployments rolled out); load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
    '',
    `${pad('', 48)}${pad('API requests', 14)}${pad('wall time', 12)}CPU time (user+sys)`,
    `${pad(`helm-cloud health (median of ${runs.length} runs)`, 48)}${pad(healthReqs, 14)}${pad(`${(healthMs / 1000).toFixed(2)} s`, 12)}${healthCpu.toFixed(2)} s   (exit ${health.code}; ${judged} judged, ${healthy} HEALTHY; own ledger ${report.apiCalls.total})`,
    `${pad(`kubectl get deploy NAME -o json loop${sample.length < N ? ` (${sample.length} run, ×${(N / sample.length).toFixed(1)})` : ''}`, 48)}${pad(Math.round(loopReqs), 14)}${pad(`${(loopMs / 1000).toFixed(2)} s`, 12)}${loopCpu.toFixed(2)} s   (${failures} failed calls)`,
    '',
    `ratios: requests ${(loopReqs / Math.max(1, healthReqs)).toFixed(1)}× fewer; wall time ${(loopMs / healthMs).toFixed(1)}× less; CPU time ${(loopCpu / Math.max(0.01, healthCpu)).toFixed(1)}× less (target ≥ 20× wall)`,
    `helm-cloud runs: ${runs.map((r) => `${(r.ms / 1000).toFixed(2)} s wall / ${r.cpu.toFixed(2)} s CPU / ${r.reqs} requests`).join('; ')}`,
    `helm-cloud requests: ${ops}`,
    `requests do not grow with deployments or namespaces: one cluster-wide list per kind (per-namespace lists, 4 each, only where RBAC forbids the cluster-wide list)`,
  ];
  console.log(lines.join('\n'));
  if (health.code === null || !judged) console.error(health.err);
} finally {
  await cluster.stop();
}
