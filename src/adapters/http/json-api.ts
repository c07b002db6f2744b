/**
 * One JSON-over-HTTP call to a monitoring server (Prometheus, Alertmanager): bounded by a timeout, counted, and
 * translated once into HelmErrors — unreachable, timed out, 401/403 → `access` (exit 4, naming the URL);
 * the server's own "bad request" → `input` (exit 2, with its message). Callers that must not stop (health)
 * catch these and turn them into UNKNOWN reasons.
 */
import { HelmError } from '../../errors.js';

export interface Endpoint {
  /** What the server is, in messages: "Prometheus", "Alertmanager". */
  kind: string;
  /** Base URL without a trailing slash. */
  url: string;
  /** Where the URL came from, for messages: "PROMETHEUS_URL", "monitoring.toml [prometheus] url". */
  source: string;
  timeoutMs: number;
  /** Authorization header value (Bearer … / Basic …), resolved from the environment or a file. */
  authorization?: string;
}

export interface HttpCall {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | string[] | undefined>;
  /** JSON body (POST). */
  json?: unknown;
  /** Form body (POST application/x-www-form-urlencoded): Prometheus takes long queries this way. */
  form?: Record<string, string | undefined>;
}

export interface HttpResult<T> {
  status: number;
  body: T;
}

export type RequestCounter = (what: string) => void;

function encode(params: Record<string, string | string[] | undefined>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  return q;
}

/** The server's error text, if the body is one of its error documents. */
export function serverError(body: unknown): { errorType?: string; error: string } | undefined {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (b.status === 'error' && typeof b.error === 'string') return { errorType: typeof b.errorType === 'string' ? b.errorType : undefined, error: b.error };
    if (typeof b.message === 'string' && Object.keys(b).length <= 3) return { error: b.message };
  }
  if (typeof body === 'string' && body.trim()) return { error: body.trim().slice(0, 500) };
  return undefined;
}

export async function callJson<T = unknown>(ep: Endpoint, call: HttpCall, count?: RequestCounter): Promise<HttpResult<T>> {
  const method = call.method ?? (call.form || call.json !== undefined ? 'POST' : 'GET');
  const qs = call.query ? encode(call.query).toString() : '';
  const target = `${ep.url}${call.path}${qs ? `?${qs}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (ep.authorization) headers.authorization = ep.authorization;
  let body: string | undefined;
  if (call.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = encode(call.form).toString();
  } else if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  }
  count?.(`${ep.kind.toLowerCase()}:${method} ${call.path.replace(/\/[0-9a-f-]{36}$/, '/{id}')}`);
  let res: Response;
  try {
    res = await fetch(target, { method, headers, body, signal: AbortSignal.timeout(ep.timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    const why = timedOut ? `no answer within ${fmtMs(ep.timeoutMs)}` : `${err.cause?.code ?? err.message}`;
    throw new HelmError('access', `${ep.kind} at ${ep.url} ${timedOut ? 'timed out' : 'is unreachable'} (${why})`, {
      keyPath: ep.source,
      fix: timedOut ? 'raise --timeout, or narrow the query (shorter range, larger step, fewer series)' : `check that ${ep.kind} runs there, or set ${ep.source}`,
    });
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // plain-text error pages stay text
  }
  if (res.status === 401 || res.status === 403) {
    throw new HelmError('access', `${ep.kind} at ${ep.url} refused the request (HTTP ${res.status}${serverError(parsed) ? `: ${serverError(parsed)!.error.slice(0, 200)}` : ''})`, {
      keyPath: ep.source,
      fix: `set the ${ep.kind} credentials: ${ep.kind.toUpperCase()}_BEARER_TOKEN(_FILE) or ${ep.kind.toUpperCase()}_USERNAME with ${ep.kind.toUpperCase()}_PASSWORD(_FILE)`,
    });
  }
  if (res.status >= 400) {
    const se = serverError(parsed);
    const message = se?.error ?? `HTTP ${res.status}`;
    // 400 bad_data and 422 execution errors are about what was asked; 404 means no such object; 5xx is the server.
    if (res.status === 400 || res.status === 422 || res.status === 404) {
      throw new HelmError('input', `${ep.kind} rejected the request: ${message}`, { expected: se?.errorType ? `a valid request (${se.errorType})` : undefined });
    }
    if (res.status === 503 && se?.errorType === 'timeout') {
      throw new HelmError('access', `${ep.kind} at ${ep.url} gave up on the query: ${message}`, { fix: 'narrow the query or raise the server\'s --query.timeout' });
    }
    throw new HelmError('aws-api', `${ep.kind} at ${ep.url} failed (HTTP ${res.status}): ${message.slice(0, 300)}`);
  }
  return { status: res.status, body: parsed as T };
}

export function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
