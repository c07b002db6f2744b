/**
 * A real Kubernetes control plane on free loopback ports, for the tests and the benchmark: etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, kwok (fake nodes and pod lifecycles, pod logs
 * through the real logs API) and optionally metrics-server (the metrics API through real API aggregation).
 * Binaries come from scripts/substrates/k8s.sh's cache; everything lives in one temp folder, and stop()
 * (or process exit) ends every process, the API server before etcd.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageDir } from '../config/load.js';
import { freePort } from './moto.js';

const run = promisify(execFile);
export const K8S_VERSION = 'v1.37.2';

export function kubeBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HELM_CLOUD_K8S_BIN ?? join(env.HELM_CLOUD_CACHE ?? join(env.HOME ?? homedir(), '.cache', 'helm-cloud'), `k8s-${K8S_VERSION}`, 'bin');
}

export interface KubeClusterOptions {
  /** Start metrics-server (the metrics API answers about a minute later, after two scrapes). */
  metrics?: boolean;
  /** Namespaces whose pods serve logs from `logFile(ns)` (kwok ClusterLogs are fixed at start). */
  logNamespaces?: string[];
  binDir?: string;
  /** Record every request of the user "viewer" in an audit log (for counting requests a client makes). */
  audit?: boolean;
}

export interface KubeCluster {
  server: string;
  dir: string;
  /** kubeconfig with contexts "admin" (current, system:masters) and "viewer" (a user with no roles until granted). */
  kubeconfig: string;
  adminToken: string;
  viewerToken: string;
  nodeName: string;
  /** CRI-format log file served for every container of pods in `ns` (write lines with `criLine`); `previous` for --previous. */
  logFile(ns: string, previous?: boolean): string;
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** kubectl apply -f - of a YAML/JSON document; throws with kubectl's stderr on failure. */
  apply(doc: string): Promise<void>;
  /** Requests of the user "viewer" answered so far, by verb and resource, from the audit log (needs `audit`). */
  viewerRequests(): { total: number; byVerbResource: Record<string, number> };
  stop(): Promise<void>;
}

/** One CRI log line as the kubelet stores it: `<RFC3339Nano> stdout F <message>`. */
export function criLine(atMs: number, message: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  return `${new Date(atMs).toISOString()} ${stream} F ${message}\n`;
}

const live = new Set<KubeCluster>();
let exitHooked = false;
const children = new Set<ChildProcess>();
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  // Nothing outlives the test process, even when a test crashes before afterAll.
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });
}

function httpsGet(url: string, token: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await fn()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kube test cluster: ${what} not ready after ${timeoutMs / 1000}s\n${logs()}`);
}

export async function startKubeCluster(opts: KubeClusterOptions = {}): Promise<KubeCluster> {
  hookExit();
  const bin = opts.binDir ?? kubeBinDir();
  for (const b of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok', ...(opts.metrics ? ['metrics-server'] : [])]) {
    if (!existsSync(join(bin, b))) throw new Error(`kube test cluster: ${join(bin, b)} is missing; run \`bash scripts/setup.sh test\` (builds the Kubernetes binaries once, ~16 min)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'helm-cloud-k8s-'));
  const procs: { name: string; proc: ChildProcess; log: string }[] = [];
  const [etcdPort, peerPort, apiPort, kcmPort, schedPort, kwokPort, msPort] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const server = `https://127.0.0.1:${apiPort}`;
  const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
  const viewerToken = `viewer-${Math.random().toString(36).slice(2)}`;
  const nodeName = 'kwok-node-0';
  const logs = () => procs.map((p) => `--- ${p.name} (${p.log})\n${existsSync(p.log) ? readFileSync(p.log, 'utf8').slice(-1500) : ''}`).join('\n');

  const start = (name: string, cmd: string, args: string[]) => {
    const log = join(dir, `${name}.log`);
    const fd = openSync(log, 'a');
    const proc = spawn(cmd, args, { cwd: dir, stdio: ['ignore', fd, fd] });
    children.add(proc);
    proc.on('exit', () => children.delete(proc));
    procs.push({ name, proc, log });
    return proc;
  };
  const stopProc = (p: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
      setTimeout(() => p.kill('SIGKILL'), 5000).unref();
    });
  let stopped = false;
  let cluster: KubeCluster | undefined;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Everything that talks to the API server first, then the API server (it hangs on SIGTERM once etcd is gone), then etcd.
    const order = ['metrics-server', 'kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd'];
    for (const name of order) for (const p of procs.filter((x) => x.name === name)) await stopProc(p.proc);
    if (cluster) live.delete(cluster);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // ---- credentials ------------------------------------------------------------------------------------
    await run('openssl', ['genrsa', '-out', join(dir, 'sa.key'), '2048']);
    await run('openssl', ['rsa', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')]);
    writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin-uid,system:masters\n${viewerToken},viewer,viewer-uid\n`);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'test', cluster: { server, 'insecure-skip-tls-verify': true } }],
        users: [
          { name: 'admin', user: { token: adminToken } },
          { name: 'viewer', user: { token: viewerToken } },
        ],
        contexts: [
          { name: 'admin', context: { cluster: 'test', user: 'admin', namespace: 'default' } },
          { name: 'viewer', context: { cluster: 'test', user: 'viewer', namespace: 'default' } },
        ],
        'current-context': 'admin',
      }),
    );

    // ---- etcd, API server -------------------------------------------------------------------------------
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    start('etcd', join(bin, 'etcd'), ['--name', 'k', '--data-dir', join(dir, 'etcd'), '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl, '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `k=${peerUrl}`]);
    await until('etcd', async () => (await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(1000) })).ok, 30_000, logs);
    mkdirSync(join(dir, 'certs'));
    // Only the viewer's requests: the controllers, scheduler and kwok (admin) would drown the count.
    writeFileSync(join(dir, 'audit-policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n  users: ["viewer"]\n- level: None\n');
    start('kube-apiserver', join(bin, 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // 1.37 refuses a loopback advertise address for the endpoint reconciler.
      '--endpoint-reconciler-type=none',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.96.0.0/24',
      '--disable-admission-plugins=ServiceAccount',
      ...(opts.audit ? [`--audit-policy-file=${join(dir, 'audit-policy.yaml')}`, `--audit-log-path=${join(dir, 'audit.log')}`, '--audit-log-mode=blocking'] : []),
    ]);
    await until('kube-apiserver', async () => (await httpsGet(`${server}/readyz`, adminToken)).status === 200, 90_000, logs);

    // ---- controllers, scheduler, kwok, metrics-server ---------------------------------------------------
    // A long node-monitor grace period: a kwok heartbeat delayed by a busy machine must not turn the node NotReady.
    start('kube-controller-manager', join(bin, 'kube-controller-manager'), [`--kubeconfig=${kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, `--service-account-private-key-file=${join(dir, 'sa.key')}`, '--controllers=*,-serviceaccount-token', '--leader-elect=false', '--node-monitor-grace-period=3m']);
    start('kube-scheduler', join(bin, 'kube-scheduler'), [`--kubeconfig=${kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, '--leader-elect=false']);
    const logNs = opts.logNamespaces ?? [];
    const stages = readFileSync(join(packageDir(), 'test', 'substrates', 'k8s', 'kwok-stages.yaml'), 'utf8');
    const clusterLogs = logNs
      .map((ns) => {
        writeFileSync(join(dir, `logs-${ns}.log`), '');
        writeFileSync(join(dir, `logs-${ns}.previous.log`), '');
        return `---\nkind: ClusterLogs\napiVersion: kwok.x-k8s.io/v1alpha1\nmetadata: {name: logs-${ns}}\nspec:\n  selector: {matchNamespaces: [${ns}]}\n  logs:\n  - logsFile: ${join(dir, `logs-${ns}.log`)}\n    previousLogsFile: ${join(dir, `logs-${ns}.previous.log`)}\n    follow: false\n`;
      })
      .join('');
    const metricsConfig = opts.metrics ? readFileSync(join(packageDir(), 'test', 'substrates', 'k8s', 'kwok-metrics.yaml'), 'utf8') : '';
    writeFileSync(join(dir, 'kwok.yaml'), `${stages}\n${clusterLogs}${metricsConfig}`);
    start('kwok', join(bin, 'kwok'), [`--kubeconfig=${kubeconfig}`, `--config=${join(dir, 'kwok.yaml')}`, '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake', '--node-ip=127.0.0.1', `--node-port=${kwokPort}`, `--server-address=127.0.0.1:${kwokPort}`, '--cidr=10.244.0.0/24']);
    if (opts.metrics) {
      start('metrics-server', join(bin, 'metrics-server'), [`--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${msPort}`, `--cert-dir=${join(dir, 'ms-certs')}`, '--kubelet-insecure-tls', '--kubelet-use-node-status-port', '--kubelet-preferred-address-types=InternalIP', '--metric-resolution=15s', '--kubelet-request-timeout=5s']);
    }

    const kubectl = (args: string[], input?: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const p = execFile(join(bin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
        if (input !== undefined) p.stdin?.end(input);
      });
    const apply = async (doc: string) => {
      const r = await kubectl(['apply', '-f', '-'], doc);
      if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
    };
    await apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: nodeName, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0', 'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${nodeName}/metrics/resource` }, labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' } },
        status: { allocatable: { cpu: '32', memory: '128Gi', pods: '1000' }, capacity: { cpu: '32', memory: '128Gi', pods: '1000' }, nodeInfo: { architecture: 'amd64', kubeProxyVersion: 'fake', kubeletVersion: 'fake', operatingSystem: 'linux' }, phase: 'Running' },
      }),
    );
    if (opts.metrics) {
      await apply(
        [
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port: msPort, targetPort: msPort }] } },
          { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { service: { name: 'metrics-server', namespace: 'kube-system', port: msPort }, group: 'metrics.k8s.io', version: 'v1beta1', insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100 } },
          // The aggregator calls metrics-server without a front-proxy client certificate: it sees system:anonymous.
          { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'metrics-anon' }, rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }, { nonResourceURLs: ['/apis/metrics.k8s.io', '/apis/metrics.k8s.io/*', '/apis', '/openapi/*'], verbs: ['get'] }] },
          { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'metrics-anon' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-anon' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:anonymous' }] },
        ]
          .map((d) => JSON.stringify(d))
          .join('\n'),
      );
    }
    await until(
      'kwok node',
      async () => {
        const r = await httpsGet(`${server}/api/v1/nodes/${nodeName}`, adminToken);
        // Ready, and the node controller has lifted its not-ready taint (it lags the condition by its monitor
        // period, longer on a busy machine): pods applied before that would log FailedScheduling warnings.
        const n = JSON.parse(r.body) as { spec?: { taints?: unknown[] }; status?: { conditions?: { type: string; status: string }[] } };
        return Boolean(n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) && !n.spec?.taints?.length;
      },
      60_000,
      logs,
    );
    // The default ServiceAccount is not needed (admission plugin off); the namespace "default" exists.
    cluster = {
      server,
      dir,
      kubeconfig,
      adminToken,
      viewerToken,
      nodeName,
      logFile: (ns, previous) => join(dir, `logs-${ns}${previous ? '.previous' : ''}.log`),
      kubectl,
      apply,
      viewerRequests: () => {
        const byVerbResource: Record<string, number> = {};
        let total = 0;
        const file = join(dir, 'audit.log');
        for (const line of existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []) {
          if (!line) continue;
          const e = JSON.parse(line) as { stage?: string; verb?: string; requestURI?: string; objectRef?: { resource?: string; subresource?: string } };
          if (e.stage !== 'ResponseComplete') continue;
          const what = e.objectRef?.resource ? `${e.objectRef.resource}${e.objectRef.subresource ? `/${e.objectRef.subresource}` : ''}` : (e.requestURI ?? '?').split('?')[0]!;
          const key = `${e.verb} ${what}`;
          byVerbResource[key] = (byVerbResource[key] ?? 0) + 1;
          total++;
        }
        return { total, byVerbResource };
      },
      stop,
    };
    live.add(cluster);
    return cluster;
  } catch (e) {
    await stop();
    throw e;
  }
}
