/**
 * kubeconfig as kubectl reads it: the files of KUBECONFIG (or ~/.kube/config) merged in order, the first
 * definition of each cluster, user and context winning, and the first current-context. Parsed with the YAML
 * library the Kubernetes client itself depends on. When the chosen context's credentials are static (a token,
 * a token file, a client certificate, basic auth) we connect without loading the Kubernetes client — its
 * generated API (some 800 modules) costs more CPU than a whole health run over hundreds of workloads.
 * Anything else (exec plugins, auth providers, impersonation, proxies) is left to the client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { closest } from '../../config/explain.js';
import { HelmError } from '../../errors.js';

type Named<T> = { name: string } & T;
type Cluster = Record<string, unknown> & { server?: string };
type User = Record<string, unknown>;
type Context = { cluster?: string; user?: string; namespace?: string };

export interface Kubeconfig {
  files: string[];
  contexts: string[];
  current?: string;
  cluster(name: string): { def: Cluster; dir: string } | undefined;
  user(name: string): { def: User; dir: string } | undefined;
  context(name: string): Context | undefined;
}

/** TLS settings and headers for one context, when nothing but the kubeconfig is needed to connect. */
export interface StaticTarget {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
  /** Re-read per request: a token file may rotate. */
  authorization(): string | undefined;
}

export function kubeconfigPaths(env: NodeJS.ProcessEnv): { paths: string[]; present: string[] } {
  const files = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const fallback = join(env.HOME ?? homedir(), '.kube', 'config');
  const paths = files.length ? files : [fallback];
  const present = paths.filter((f) => existsSync(f));
  if (!present.length) {
    throw new HelmError('config', `no kubeconfig: ${files.length ? `KUBECONFIG names ${paths.join(', ')}, none of which exists` : `${fallback} does not exist and KUBECONFIG is not set`}`, {
      fix: 'point KUBECONFIG at a kubeconfig file (as for kubectl), or create ~/.kube/config',
    });
  }
  return { paths, present };
}

let yamlLoad: ((text: string) => unknown) | undefined;
function parseYaml(text: string): unknown {
  // The client's own dependency (js-yaml 4), resolved from the client's package so both read files alike.
  yamlLoad ??= (createRequire(createRequire(import.meta.url).resolve('@kubernetes/client-node'))('js-yaml') as { load(t: string): unknown }).load;
  return yamlLoad(text);
}

export function loadKubeconfig(present: readonly string[]): Kubeconfig {
  const clusters = new Map<string, { def: Cluster; dir: string }>();
  const users = new Map<string, { def: User; dir: string }>();
  const contexts = new Map<string, Context>();
  let current: string | undefined;
  for (const file of present) {
    let doc: { clusters?: Named<{ cluster?: Cluster }>[]; users?: Named<{ user?: User }>[]; contexts?: Named<{ context?: Context }>[]; 'current-context'?: string } | null;
    try {
      doc = parseYaml(readFileSync(file, 'utf8')) as typeof doc;
    } catch (e) {
      throw new HelmError('config', `cannot read the kubeconfig ${file}: ${String((e as Error).message).split('\n')[0]}`, { fix: 'check the file is valid kubeconfig YAML (`kubectl config view`)' });
    }
    const dir = dirname(resolve(file));
    for (const c of doc?.clusters ?? []) if (c?.name && !clusters.has(c.name)) clusters.set(c.name, { def: c.cluster ?? {}, dir });
    for (const u of doc?.users ?? []) if (u?.name && !users.has(u.name)) users.set(u.name, { def: u.user ?? {}, dir });
    for (const c of doc?.contexts ?? []) if (c?.name && !contexts.has(c.name)) contexts.set(c.name, c.context ?? {});
    current ||= doc?.['current-context'] || undefined;
  }
  return { files: [...present], contexts: [...contexts.keys()], current, cluster: (n) => clusters.get(n), user: (n) => users.get(n), context: (n) => contexts.get(n) };
}

/** The context to use: --context (must exist, else the closest name), else current-context. */
export function chooseContext(kc: Kubeconfig, context: string | undefined): string {
  if (context !== undefined) {
    if (!kc.contexts.includes(context)) {
      const near = closest(context, kc.contexts);
      throw new HelmError('input', `no context "${context}" in the kubeconfig`, { keyPath: '--context', fix: near ? `did you mean --context ${near}?` : `contexts: ${kc.contexts.join(', ') || 'none'}` });
    }
    return context;
  }
  if (!kc.current || !kc.context(kc.current)) {
    throw new HelmError('config', 'the kubeconfig sets no current-context', { keyPath: '--context', fix: kc.contexts.length ? `pass --context with one of: ${kc.contexts.join(', ')}` : 'add a context to the kubeconfig' });
  }
  return kc.current;
}

const STATIC_USER = new Set(['token', 'tokenFile', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password']);
const STATIC_CLUSTER = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions', 'disable-compression']);

/** Connection details for a context whose credentials need no plugin; undefined when the client must do it. */
export function staticTarget(kc: Kubeconfig, context: string): StaticTarget | undefined {
  const ctx = kc.context(context)!;
  const cluster = ctx.cluster ? kc.cluster(ctx.cluster) : undefined;
  const user = ctx.user ? kc.user(ctx.user) : { def: {}, dir: '' };
  if (!cluster?.def.server || !user) return undefined;
  if (Object.keys(cluster.def).some((k) => !STATIC_CLUSTER.has(k)) || Object.keys(user.def).some((k) => !STATIC_USER.has(k))) return undefined;
  const c = cluster.def;
  const u = user.def;
  const file = (p: unknown, dir: string) => readFileSync(isAbsolute(String(p)) ? String(p) : join(dir, String(p)));
  const data = (inline: unknown, path: unknown, dir: string) => (typeof inline === 'string' && inline ? Buffer.from(inline, 'base64') : typeof path === 'string' && path ? file(path, dir) : undefined);
  const token = typeof u.token === 'string' && u.token ? u.token : undefined;
  const tokenFile = typeof u.tokenFile === 'string' && u.tokenFile ? u.tokenFile : undefined;
  const basic = typeof u.username === 'string' && u.username ? `Basic ${Buffer.from(`${u.username}:${String(u.password ?? '')}`).toString('base64')}` : undefined;
  return {
    server: String(c.server),
    ca: data(c['certificate-authority-data'], c['certificate-authority'], cluster.dir),
    cert: data(u['client-certificate-data'], u['client-certificate'], user.dir),
    key: data(u['client-key-data'], u['client-key'], user.dir),
    rejectUnauthorized: c['insecure-skip-tls-verify'] !== true,
    servername: typeof c['tls-server-name'] === 'string' ? c['tls-server-name'] : undefined,
    authorization: () => (token ? `Bearer ${token}` : tokenFile ? `Bearer ${file(tokenFile, user.dir).toString('utf8').trim()}` : basic),
  };
}
