/**
 * Kubernetes API failures, classified once. A failure names the verb and resource it was about (as RBAC
 * does: "patch deployments/scale"), so a refusal tells the operator exactly what to grant.
 */
import { HelmError } from '../../errors.js';

export type KubeFailureCategory =
  | 'unauthorized' // 401: credentials missing or rejected → exit 4
  | 'forbidden' // 403: RBAC refuses the verb → exit 4 when it stops the command, UNKNOWN per resource otherwise
  | 'endpoint' // the API server cannot be reached → exit 4
  | 'not-found'
  | 'conflict'
  | 'invalid' // 400/422: the server rejected the request
  | 'unavailable' // 503 from an aggregated API (metrics-server absent or not ready)
  | 'server'
  | 'config' // kubeconfig missing, unreadable, or the context unknown
  | 'unknown';

export interface KubeFailure {
  category: KubeFailureCategory;
  status?: number;
  /** The server's Status message, or the network error code. */
  message: string;
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/** Where a call went: for messages that say which cluster and identity was refused. */
export interface KubeWhere {
  context: string;
  server: string;
}

export class KubeCallError extends Error {
  readonly failure: KubeFailure;
  constructor(failure: KubeFailure) {
    super(`${failure.verb} ${failure.resource}: ${failure.message}`);
    this.name = 'KubeCallError';
    this.failure = failure;
  }
}

export function isKubeCallError(e: unknown): e is KubeCallError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'KubeCallError' && 'failure' in e;
}

const NET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

export function classifyKube(e: unknown, call: { verb: string; resource: string; namespace?: string; name?: string }): KubeFailure {
  const err = (e ?? {}) as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string }; errno?: string; type?: string };
  const status = typeof err.code === 'number' ? err.code : undefined;
  const base = { ...call, status };
  if (status !== undefined) {
    const message = statusMessage(err.body) ?? oneLine(err.message ?? `HTTP ${status}`);
    if (status === 401) return { ...base, category: 'unauthorized', message };
    if (status === 403) return { ...base, category: 'forbidden', message };
    if (status === 404) return { ...base, category: 'not-found', message };
    if (status === 409) return { ...base, category: 'conflict', message };
    if (status === 400 || status === 422) return { ...base, category: 'invalid', message };
    if (status === 503) return { ...base, category: 'unavailable', message };
    if (status >= 500) return { ...base, category: 'server', message };
    return { ...base, category: 'unknown', message };
  }
  const code = String(typeof err.code === 'string' ? err.code : err.cause?.code ?? err.errno ?? '');
  const message = oneLine(err.message ?? String(e));
  if (NET_CODES.has(code) || err.type === 'system' || /ECONNREFUSED|ENOTFOUND|socket hang up|network|timed? ?out|certificate/i.test(message)) {
    return { ...base, category: 'endpoint', message: code || message };
  }
  return { ...base, category: 'unknown', message };
}

/** RBAC's spelling of what was refused: `patch deployments/scale in namespace shop`. */
export function callText(f: Pick<KubeFailure, 'verb' | 'resource' | 'namespace'>): string {
  return `${f.verb} ${f.resource}${f.namespace ? ` in namespace ${f.namespace}` : ' (cluster-wide)'}`;
}

/** Short reason for reports: "forbidden: list pods in namespace shop". */
export function kubeReason(f: KubeFailure): string {
  switch (f.category) {
    case 'forbidden':
      return `forbidden: ${callText(f)}`;
    case 'unauthorized':
      return `credentials rejected on ${callText(f)}`;
    case 'endpoint':
      return `API server unreachable (${f.message})`;
    case 'unavailable':
      return `service unavailable on ${callText(f)}: ${f.message}`;
    case 'not-found':
      return `not found: ${f.resource}${f.name ? ` ${f.name}` : ''}${f.namespace ? ` in namespace ${f.namespace}` : ''}`;
    default:
      return `${f.category} on ${callText(f)}: ${f.message}`;
  }
}

/** Failures that stop the command whatever else was read: nobody can read anything from this cluster. */
export function isKubeFatal(f: KubeFailure): boolean {
  return f.category === 'unauthorized' || f.category === 'endpoint' || f.category === 'config';
}

export function kubeHelmError(f: KubeFailure, where: KubeWhere): HelmError {
  const ctx = `context "${where.context}"`;
  switch (f.category) {
    case 'forbidden':
      return new HelmError('aws-access', `Kubernetes refused ${callText(f)} to the user of ${ctx}: ${f.message}`, {
        fix: `grant the verb "${f.verb}" on "${f.resource}" (a Role or ClusterRole and its binding), or use a --context whose user has it`,
      });
    case 'unauthorized':
      return new HelmError('aws-access', `the Kubernetes API server at ${where.server} rejected the credentials of ${ctx} (HTTP 401)`, {
        fix: 'refresh the token or client certificate in the kubeconfig (KUBECONFIG or ~/.kube/config)',
      });
    case 'endpoint':
      return new HelmError('aws-access', `cannot reach the Kubernetes API server at ${where.server} (${ctx}): ${f.message}`, {
        fix: 'check that the cluster is up and the kubeconfig points at it (`kubectl cluster-info`)',
      });
    case 'config':
      return new HelmError('config', f.message, { fix: 'set KUBECONFIG or create ~/.kube/config; --context names one of its contexts' });
    case 'not-found':
      return new HelmError('input', kubeReason(f), { fix: 'check the name and --namespace' });
    case 'invalid':
      return new HelmError('input', `the API server rejected ${callText(f)}: ${f.message}`);
    default:
      return new HelmError('aws-api', `Kubernetes API error: ${kubeReason(f)}`);
  }
}

function statusMessage(body: unknown): string | undefined {
  let b: unknown = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return body.trim() ? oneLine(body) : undefined;
    }
  }
  const m = (b as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' && m ? oneLine(m) : undefined;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 400);
}
