/**
 * SDK errors are classified once, here. Skills turn per-resource failures into UNKNOWN with the reason;
 * commands stop with exit 4 when access itself is broken (credentials, endpoint).
 */
import { HelmError } from '../errors.js';

export type AwsFailureCategory =
  | 'credentials' // no/expired/invalid credentials: exit 4
  | 'endpoint' // cannot reach AWS (DNS, refused, TLS, timeout): exit 4
  | 'access-denied' // authenticated but not permitted: UNKNOWN for what it covers
  | 'throttled' // retries exhausted
  | 'not-found'
  | 'invalid-request'
  | 'unsupported' // the endpoint does not implement the operation (e.g. an emulator)
  | 'server' // 5xx
  | 'malformed' // response could not be parsed
  | 'unknown';

export interface AwsFailure {
  category: AwsFailureCategory;
  code: string;
  message: string;
  service?: string;
  operation?: string;
  httpStatus?: number;
  /** The SDK's own text, kept for --debug; `message` is what a user may read. */
  raw?: string;
}

/** SDK parser text (a web page or proxy error where AWS JSON/XML was expected) is not for users. */
const PARSER_TEXT = /Deserialization error|Unexpected token|is not valid JSON|\$response|Unexpected end of JSON|Non-whitespace before first tag|Invalid character in entity name/i;

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidSignatureException',
  'TokenRefreshRequired',
]);
const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'InvalidAccessException',
  'OptInRequired',
]);
const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'LimitExceededException',
]);
const ENDPOINT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'RequestTimeout', 'EPIPE', 'UND_ERR_SOCKET']);

export function classifyAwsError(e: unknown, service?: string, operation?: string): AwsFailure {
  // Classified once, where it was thrown.
  if (isAwsCallError(e)) return e.failure;
  const err = (e ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number };
    cause?: { code?: string };
  };
  const code = String(err.name && err.name !== 'Error' ? err.name : err.code ?? err.Code ?? 'Error');
  const status = err.$metadata?.httpStatusCode ?? err.$response?.statusCode;
  const raw = oneLine(err.message ?? String(e));
  const unreadable = PARSER_TEXT.test(raw) || code === 'SyntaxError';
  const message = unreadable ? `the response was not in AWS's format${status === undefined ? '' : ` (HTTP ${status})`}` : raw;
  const base = { code, message, service, operation, httpStatus: status, raw };
  const sysCode = err.code ?? err.cause?.code;
  if (CREDENTIAL_CODES.has(code) || /Could not load credentials|credential/i.test(code)) return { ...base, category: 'credentials' };
  if (DENIED_CODES.has(code) || status === 403) return { ...base, category: 'access-denied' };
  if (THROTTLE_CODES.has(code) || status === 429) return { ...base, category: 'throttled' };
  if ((sysCode && ENDPOINT_CODES.has(sysCode)) || ENDPOINT_CODES.has(code) || /socket hang up|connect ECONNREFUSED|getaddrinfo|timed? ?out/i.test(message))
    return { ...base, category: 'endpoint' };
  if (/NotFound|NoSuch|DoesNotExist/i.test(code) || status === 404) return { ...base, category: 'not-found' };
  if ((unreadable || /parse|Expected/i.test(raw)) && (status === undefined || status < 400)) return { ...base, category: 'malformed' };
  if (status === 501 || /not (yet )?implemented|NotImplemented|InvalidAction/i.test(code + ' ' + message)) return { ...base, category: 'unsupported' };
  if (status !== undefined && status >= 500) return { ...base, category: 'server' };
  if (/Validation|InvalidParameter|Invalid/i.test(code) || status === 400) return { ...base, category: 'invalid-request' };
  return { ...base, category: 'unknown' };
}

export function isAccessFatal(f: AwsFailure): boolean {
  return f.category === 'credentials' || f.category === 'endpoint';
}

/** A short reason for reports: "AccessDenied on cloudwatch:GetMetricData". */
export function failureReason(f: AwsFailure): string {
  const op = f.service && f.operation ? ` on ${f.service}:${f.operation}` : '';
  switch (f.category) {
    case 'access-denied':
      return `access denied${op} (${f.code})`;
    case 'throttled':
      return `throttled${op}; retries exhausted (${f.code})`;
    case 'credentials':
      return `credentials rejected${op} (${f.code})`;
    case 'endpoint':
      return `AWS endpoint unreachable${op} (${f.code})`;
    case 'unsupported':
      return `operation not supported by the endpoint${op}`;
    case 'malformed':
      return `unreadable response${op}: ${f.message}`;
    case 'not-found':
      return `not found${op}`;
    default:
      return `${f.code}${op}: ${f.message}`;
  }
}

/** Turns a failure that must stop the command into a HelmError with exit 4 (or 3 for other API errors). */
export function toHelmError(f: AwsFailure, ctx: { profile?: string; region?: string; endpoint?: string } = {}): HelmError {
  const who = ctx.profile ? `profile "${ctx.profile}"` : 'the default credential chain';
  // Kubernetes failures carry their own sentence (verb, resource, server) from src/adapters/kubernetes.
  if (f.service === 'kubernetes') {
    return new HelmError(f.category === 'server' || f.category === 'unknown' ? 'aws-api' : 'aws-access', `Kubernetes: ${f.message}`, {
      fix: f.category === 'endpoint' ? 'check that the cluster is up and the kubeconfig points at it (`kubectl cluster-info`)' : f.category === 'credentials' ? 'refresh the credentials of the kubeconfig context' : 'grant the verb on the resource to the kubeconfig user (Role/ClusterRole and binding)',
    });
  }
  switch (f.category) {
    case 'credentials':
      return new HelmError('aws-access', `AWS credentials from ${who} were rejected or not found (${f.code})`, {
        fix: ctx.profile ? `run \`aws sso login --profile ${ctx.profile}\` or check ~/.aws/config` : 'set AWS_PROFILE or AWS credentials, or run `aws configure`',
      });
    case 'endpoint':
      return new HelmError('aws-access', `cannot reach AWS${ctx.endpoint ? ` at ${ctx.endpoint}` : ''}${ctx.region ? ` in ${ctx.region}` : ''} (${f.code})`, {
        fix: 'check the network, the region, and AWS_ENDPOINT_URL if set',
      });
    case 'access-denied':
      return new HelmError('aws-access', `access denied: ${f.service ?? 'aws'}:${f.operation ?? '?'} (${f.code})`, {
        fix: `grant ${f.service ?? 'the'}:${f.operation ?? 'operation'} to ${who}`,
      });
    default:
      return new HelmError('aws-api', failureReason(f), { cause: f.raw });
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** An AWS call that failed, classified once. Skills read `failure`; nothing matches on SDK error text. */
export class AwsCallError extends Error {
  readonly failure: AwsFailure;
  constructor(failure: AwsFailure) {
    super(`${failure.service}:${failure.operation}: ${failure.code}: ${failure.message}`);
    this.name = 'AwsCallError';
    this.failure = failure;
  }
}

export function isAwsCallError(e: unknown): e is AwsCallError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AwsCallError' && 'failure' in e;
}

/** Runs one AWS call (or paginated read); a failure comes out as an AwsCallError carrying its classification. */
export async function attempt<T>(service: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isAwsCallError(e)) throw e;
    throw new AwsCallError(classifyAwsError(e, service, operation));
  }
}
