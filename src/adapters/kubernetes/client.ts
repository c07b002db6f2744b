/**
 * The one importer of @kubernetes/client-node. Reads kubeconfig the way kubectl does (kubeconfig.ts) and hands
 * out a narrow facade per context. Requests go to the REST API directly (one parse of the JSON body, kept-alive
 * sockets); the client library loads only for credentials that need it (exec plugins, auth providers, proxies),
 * where it supplies the TLS options and headers. Every call is counted (one list page = one request) and
 * failures come out as KubeCallError naming the verb and resource.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { K8sEvent, K8sNode, K8sPod, K8sPodTemplate, K8sRevision, K8sService, K8sWorkload, NodeUsage, PodUsage, WorkloadKind } from '../../core/k8s-types.js';
import { HelmError } from '../../errors.js';
import { classifyKube, KubeCallError, type KubeWhere } from './errors.js';
import { chooseContext, kubeconfigPaths, loadKubeconfig, staticTarget, type StaticTarget } from './kubeconfig.js';

type Lib = typeof import('@kubernetes/client-node');

export interface KubeProviderOptions {
  /** --context; else the kubeconfig's current-context. */
  context?: string;
  /** Environment to read KUBECONFIG and HOME from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Counts each request, keyed "verb resource". */
  onCall?: (op: string) => void;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Only each item's metadata (PartialObjectMetadata): a fraction of the bytes to send and parse. */
  metadataOnly?: boolean;
}

/** Namespace `undefined` means all namespaces. */
export interface KubeApi {
  readonly where: KubeWhere;
  listPods(ns: string | undefined, o?: ListOptions): Promise<K8sPod[]>;
  listWorkloads(kind: WorkloadKind, ns: string | undefined, o?: ListOptions): Promise<K8sWorkload[]>;
  readWorkload(kind: WorkloadKind, name: string, ns: string): Promise<K8sWorkload | undefined>;
  readPod(name: string, ns: string): Promise<K8sPod | undefined>;
  readReplicaSet(name: string, ns: string): Promise<K8sRevision | undefined>;
  listServices(ns: string | undefined, o?: ListOptions): Promise<K8sService[]>;
  readService(name: string, ns: string): Promise<K8sService | undefined>;
  listEvents(ns: string | undefined, o?: ListOptions): Promise<K8sEvent[]>;
  /** Deployment revisions are ReplicaSets; StatefulSet and DaemonSet revisions are ControllerRevisions. */
  listRevisions(kind: WorkloadKind, ns: string | undefined, o?: ListOptions): Promise<K8sRevision[]>;
  listNodes(): Promise<K8sNode[]>;
  readNode(name: string): Promise<K8sNode | undefined>;
  /** True/false when the namespace is known to exist or not; undefined when that cannot be read. */
  namespaceExists(ns: string): Promise<boolean | undefined>;
  listNamespaces(): Promise<string[]>;
  podLog(name: string, ns: string, o: { container?: string; previous?: boolean; sinceSeconds?: number; tailLines?: number; timestamps?: boolean }): Promise<string>;
  podMetrics(ns: string | undefined): Promise<PodUsage[]>;
  nodeMetrics(): Promise<NodeUsage[]>;
  /** Merge patch on the workload; dryRun asks the server to validate and admit without persisting. */
  patchWorkload(kind: WorkloadKind, name: string, ns: string, patch: object, dryRun: boolean): Promise<K8sWorkload>;
  /** Merge patch on the scale subresource (what `kubectl scale` does). */
  patchScale(kind: Exclude<WorkloadKind, 'DaemonSet'>, name: string, ns: string, replicas: number, dryRun: boolean): Promise<{ replicas: number }>;
}

const PLURAL: Record<WorkloadKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

export class KubeProvider {
  private lib?: Promise<Lib>;
  private readonly apis = new Map<string, Promise<KubeApi>>();
  constructor(private readonly opts: KubeProviderOptions = {}) {}

  /** The same kubeconfig and context, counting requests into `onCall` (one ledger per command run). */
  counting(onCall: (op: string) => void): KubeProvider {
    return new KubeProvider({ ...this.opts, onCall });
  }

  get contextOption(): string | undefined {
    return this.opts.context;
  }

  /** The facade for a context (a resource's own, else --context, else current-context). */
  api(context?: string): Promise<KubeApi> {
    const key = context ?? this.opts.context ?? '';
    let p = this.apis.get(key);
    if (!p) {
      p = this.build(context ?? this.opts.context);
      this.apis.set(key, p);
    }
    return p;
  }

  private async build(context: string | undefined): Promise<KubeApi> {
    const { present } = kubeconfigPaths(this.opts.env ?? process.env);
    const kc = loadKubeconfig(present);
    const current = chooseContext(kc, context);
    const ctx = kc.context(current)!;
    const where: KubeWhere = { context: current, server: (ctx.cluster && kc.cluster(ctx.cluster)?.def.server) || '?' };
    const fixed = staticTarget(kc, current);
    return makeApi(fixed ? staticTransport(fixed, this.opts.timeoutMs) : await this.clientTransport(present, current), where, this.opts);
  }

  /** Credentials only the client library knows how to get (exec plugins, auth providers, proxies). */
  private async clientTransport(present: string[], context: string): Promise<Transport> {
    this.lib ??= import('@kubernetes/client-node');
    const k = await this.lib;
    const kc = new k.KubeConfig();
    try {
      kc.loadFromFile(present[0]!);
      for (const f of present.slice(1)) {
        const more = new k.KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true); // kubectl: the first file that sets current-context wins
      }
    } catch (e) {
      throw new HelmError('config', `cannot read the kubeconfig ${present.join(', ')}: ${String((e as Error).message).split('\n')[0]}`, { fix: 'check the file is valid kubeconfig YAML (`kubectl config view`)' });
    }
    kc.setCurrentContext(context);
    return clientTransport(kc, this.opts.timeoutMs);
  }
}

/** One HTTP request to the API server: JSON (or text for logs) back, or a rejection classifyKube reads. */
interface Transport {
  request(method: 'GET' | 'PATCH', path: string, query: Record<string, string | number | boolean | undefined>, o?: { accept?: string; body?: object; contentType?: string; text?: boolean }): Promise<unknown>;
}

interface Connection {
  server: URL;
  agent: HttpAgent | undefined;
  headers(): Promise<Record<string, string>>;
}

const PARTIAL_METADATA = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/** Credentials from exec plugins can rotate: ask the client for them again this often during a long run. */
const CREDENTIAL_REFRESH_MS = 60_000;

/**
 * Requests with one parse of the body into plain API JSON, over kept-alive sockets. The generated client would
 * build a model object per item (with Date instances, which we would serialise back): for a list of hundreds
 * of pods that is most of the CPU a health run spends.
 */
function transport(c: Connection, timeoutMs: number | undefined): Transport {
  const prefix = c.server.pathname.replace(/\/+$/, '');
  const plainHttp = c.server.protocol === 'http:';
  return {
    async request(method, path, query, o = {}) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      const headers: Record<string, string> = { ...(await c.headers()), Accept: o.accept ?? (o.text ? 'text/plain, */*' : 'application/json'), ...(body === undefined ? {} : { 'Content-Type': o.contentType ?? 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }) };
      return new Promise((resolve, reject) => {
        const opts: RequestOptions = { protocol: c.server.protocol, hostname: c.server.hostname.replace(/^\[|\]$/g, ''), port: c.server.port || undefined, path: `${prefix}${path}${qs.size ? `?${qs}` : ''}`, method, headers, agent: c.agent };
        const req = (plainHttp ? httpRequest : httpsRequest)(opts, (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            // The shape classifyKube reads: a numeric code and the Status body.
            if (status >= 400) return reject(Object.assign(new Error(`HTTP ${status}`), { code: status, body: text }));
            if (o.text) return resolve(text);
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`the API server answered ${method} ${path} with something that is not JSON`));
            }
          });
        });
        if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}

function staticTransport(t: StaticTarget, timeoutMs: number | undefined): Transport {
  const server = new URL(t.server);
  const agent = server.protocol === 'http:' ? new HttpAgent({ keepAlive: true, maxSockets: 8 }) : new HttpsAgent({ keepAlive: true, maxSockets: 8, ca: t.ca, cert: t.cert, key: t.key, rejectUnauthorized: t.rejectUnauthorized, servername: t.servername });
  return transport(
    {
      server,
      agent,
      headers: async (): Promise<Record<string, string>> => {
        const a = t.authorization();
        return a ? { Authorization: a } : {};
      },
    },
    timeoutMs,
  );
}

type TlsOpts = RequestOptions & { ca?: unknown; cert?: unknown; key?: unknown; pfx?: unknown; passphrase?: string; rejectUnauthorized?: boolean; servername?: string; auth?: string };

/** TLS options and headers as the client library computes them (running exec plugins, refreshing tokens). */
async function clientTransport(kc: InstanceType<Lib['KubeConfig']>, timeoutMs: number | undefined): Promise<Transport> {
  const server = new URL(kc.getCurrentCluster()?.server ?? 'https://localhost');
  let auth: { at: number; opts: TlsOpts } | undefined;
  const credentials = async () => {
    if (!auth || Date.now() - auth.at > CREDENTIAL_REFRESH_MS) {
      const opts: TlsOpts = {};
      await kc.applyToHTTPSOptions(opts);
      auth = { at: Date.now(), opts };
    }
    return auth.opts;
  };
  const first = await credentials();
  // A proxy (proxy-url) needs the client's own agent; otherwise one keep-alive agent with the same TLS settings.
  const agent = kc.getCurrentCluster()?.proxyUrl
    ? (first.agent as HttpAgent)
    : server.protocol === 'http:'
      ? new HttpAgent({ keepAlive: true, maxSockets: 8 })
      : new HttpsAgent({ keepAlive: true, maxSockets: 8, ca: first.ca, cert: first.cert, key: first.key, pfx: first.pfx, passphrase: first.passphrase, rejectUnauthorized: first.rejectUnauthorized, servername: first.servername } as ConstructorParameters<typeof HttpsAgent>[0]);
  return transport(
    {
      server,
      agent,
      headers: async () => {
        const o = await credentials();
        return { ...(o.headers as Record<string, string> | undefined), ...(o.auth ? { Authorization: `Basic ${Buffer.from(o.auth).toString('base64')}` } : {}) };
      },
    },
    timeoutMs,
  );
}

function makeApi(t: Transport, where: KubeWhere, opts: KubeProviderOptions): KubeApi {
  async function call<T>(verb: string, resource: string, ns: string | undefined, name: string | undefined, fn: () => Promise<T>): Promise<T> {
    opts.onCall?.(`${verb} ${resource}`);
    try {
      return await fn();
    } catch (e) {
      throw new KubeCallError(classifyKube(e, { verb, resource, namespace: ns, name }));
    }
  }
  /** A read that answers undefined for 404 (absence is data, not an error). */
  async function maybe<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof KubeCallError && e.failure.category === 'not-found') return undefined;
      throw e;
    }
  }
  const limit = 500;
  /** `/api/v1` or `/apis/apps/v1`, then `namespaces/NS/` unless cluster-wide, then the plural. */
  const pathOf = (group: string, resource: string, ns: string | undefined, name?: string) =>
    `${group}${ns === undefined ? '' : `/namespaces/${encodeURIComponent(ns)}`}/${resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  /** Every page of a list (500 per page, as kubectl does): one request per page. */
  async function list<T>(group: string, resource: string, ns: string | undefined, o: ListOptions = {}): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const page = (await call('list', resource, ns, undefined, () =>
        t.request('GET', pathOf(group, resource, ns), { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit, continue: cont }, { accept: o.metadataOnly ? PARTIAL_METADATA : undefined }),
      )) as { items?: T[]; metadata?: { continue?: string } };
      for (const item of page.items ?? []) out.push(item);
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return out;
  }
  const read = <T>(group: string, resource: string, ns: string | undefined, name: string) => maybe(call('get', resource, ns, name, () => t.request('GET', pathOf(group, resource, ns, name), {}) as Promise<T>));
  const CORE = '/api/v1';
  const APPS = '/apis/apps/v1';
  const METRICS = '/apis/metrics.k8s.io/v1beta1';
  const MERGE_PATCH = 'application/merge-patch+json';

  return {
    where,
    listPods: (ns, o) => list<K8sPod>(CORE, 'pods', ns, o),
    listWorkloads: async (kind, ns, o) => (await list<K8sWorkload>(APPS, PLURAL[kind], ns, o)).map((x) => ({ ...x, kind })),
    readWorkload: async (kind, name, ns) => {
      const w = await read<K8sWorkload>(APPS, PLURAL[kind], ns, name);
      return w && { ...w, kind };
    },
    readPod: (name, ns) => read<K8sPod>(CORE, 'pods', ns, name),
    readReplicaSet: (name, ns) => read<K8sRevision>(APPS, 'replicasets', ns, name),
    listServices: (ns, o) => list<K8sService>(CORE, 'services', ns, o),
    readService: (name, ns) => read<K8sService>(CORE, 'services', ns, name),
    listEvents: (ns, o) => list<K8sEvent>(CORE, 'events', ns, o),
    listRevisions: async (kind, ns, o) => {
      if (kind === 'Deployment') {
        const rs = await list<K8sRevision>(APPS, 'replicasets', ns, o);
        return rs.map((r) => ({ ...r, revision: Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? NaN) || undefined }));
      }
      // A ControllerRevision keeps its pod template in data (the patch the controller applies): read it as a
      // ReplicaSet's spec.template, so revisions of every kind carry their images.
      const crs = await list<K8sRevision & { data?: { spec?: { template?: K8sPodTemplate } } }>(APPS, 'controllerrevisions', ns, o);
      return crs.map(({ data, ...r }) => (data?.spec?.template ? { ...r, spec: { ...r.spec, template: data.spec.template } } : r));
    },
    listNodes: () => list<K8sNode>(CORE, 'nodes', undefined),
    readNode: (name) => read<K8sNode>(CORE, 'nodes', undefined, name),
    namespaceExists: async (ns) => {
      try {
        await call('get', 'namespaces', undefined, ns, () => t.request('GET', pathOf(CORE, 'namespaces', undefined, ns), {}));
        return true;
      } catch (e) {
        if (e instanceof KubeCallError && e.failure.category === 'not-found') return false;
        if (e instanceof KubeCallError && e.failure.category === 'forbidden') return undefined;
        throw e;
      }
    },
    listNamespaces: async () => (await list<{ metadata: { name: string } }>(CORE, 'namespaces', undefined, { metadataOnly: true })).map((n) => n.metadata.name),
    podLog: (name, ns, o) =>
      call('get', 'pods/log', ns, name, () =>
        t.request('GET', `${pathOf(CORE, 'pods', ns, name)}/log`, { container: o.container, previous: o.previous || undefined, sinceSeconds: o.sinceSeconds, tailLines: o.tailLines, timestamps: o.timestamps || undefined }, { text: true }),
      ).then((s) => String(s ?? '')),
    podMetrics: async (ns) => {
      const r = (await call('list', 'pods.metrics.k8s.io', ns, undefined, () => t.request('GET', pathOf(METRICS, 'pods', ns), {}))) as {
        items?: { metadata: { name: string; namespace: string }; containers?: { name: string; usage?: { cpu?: string; memory?: string } }[] }[];
      };
      return (r.items ?? []).map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, containers: (p.containers ?? []).map((c) => ({ name: c.name, cpu: c.usage?.cpu ?? '0', memory: c.usage?.memory ?? '0' })) }));
    },
    nodeMetrics: async () => {
      const r = (await call('list', 'nodes.metrics.k8s.io', undefined, undefined, () => t.request('GET', pathOf(METRICS, 'nodes', undefined), {}))) as {
        items?: { metadata: { name: string }; usage?: { cpu?: string; memory?: string } }[];
      };
      return (r.items ?? []).map((n) => ({ name: n.metadata.name, cpu: n.usage?.cpu ?? '0', memory: n.usage?.memory ?? '0' }));
    },
    patchWorkload: (kind, name, ns, patch, dryRun) =>
      call('patch', PLURAL[kind], ns, name, () => t.request('PATCH', pathOf(APPS, PLURAL[kind], ns, name), { dryRun: dryRun ? 'All' : undefined, fieldManager: 'helm-cloud' }, { body: patch, contentType: MERGE_PATCH })).then((x) => ({ ...(x as K8sWorkload), kind })),
    patchScale: (kind, name, ns, replicas, dryRun) =>
      call('patch', `${PLURAL[kind]}/scale`, ns, name, () =>
        t.request('PATCH', `${pathOf(APPS, PLURAL[kind], ns, name)}/scale`, { dryRun: dryRun ? 'All' : undefined, fieldManager: 'helm-cloud' }, { body: { spec: { replicas } }, contentType: MERGE_PATCH }),
      ).then((s) => ({ replicas: Number((s as { spec?: { replicas?: number } }).spec?.replicas ?? 0) })),
  };
}
