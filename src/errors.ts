/**
 * Typed errors. Every error that stops a command is a HelmError with a kind; one table maps kind → exit code.
 * Verdicts (DEGRADED, UNHEALTHY, findings) are data in reports, never errors.
 */
export type ErrorKind =
  | 'usage'
  | 'config'
  | 'input'
  | 'aws-access'
  /** A non-AWS endpoint (Prometheus, Alertmanager…) unreachable, timed out, or refusing our credentials. */
  | 'access'
  | 'aws-api'
  | 'action-failed'
  | 'internal';

export const ExitCode = {
  ok: 0,
  findings: 1,
  input: 2,
  failed: 3,
  awsAccess: 4,
  /** A bug in helm-cloud, not a verdict about the infrastructure (70: EX_SOFTWARE in sysexits.h). */
  internal: 70,
  /** `--watch` stopped with Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const exitByKind: Record<ErrorKind, ExitCodeValue> = {
  usage: 2,
  config: 2,
  input: 2,
  'aws-access': 4,
  access: 4,
  'aws-api': 3,
  'action-failed': 3,
  internal: 70,
};

export interface HelmErrorDetails {
  file?: string;
  keyPath?: string;
  expected?: string;
  fix?: string;
  cause?: unknown;
}

const BRAND = Symbol.for('helm-cloud.HelmError');

export class HelmError extends Error {
  readonly kind: ErrorKind;
  readonly file?: string;
  readonly keyPath?: string;
  readonly expected?: string;
  readonly fix?: string;
  readonly [BRAND] = true;

  constructor(kind: ErrorKind, message: string, details: HelmErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HelmError';
    this.kind = kind;
    this.file = details.file;
    this.keyPath = details.keyPath;
    this.expected = details.expected;
    this.fix = details.fix;
  }

  get exitCode(): ExitCodeValue {
    return exitByKind[this.kind];
  }

  /** One human line (or a few, for multi-issue config errors), no stack. */
  describe(): string {
    const parts: string[] = [];
    if (this.file) parts.push(this.file + (this.keyPath ? `: ${this.keyPath}` : ''));
    else if (this.keyPath) parts.push(this.keyPath);
    let line = parts.length ? `${parts[0]}: ${this.message}` : this.message;
    if (this.expected) line += ` (expected ${this.expected})`;
    if (this.fix) line += `. Fix: ${this.fix}`;
    return sanitize(line);
  }
}

/** Brand check that survives duplicate module copies (no instanceof). */
export function isHelmError(e: unknown): e is HelmError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export function exitCodeFor(kind: ErrorKind): ExitCodeValue {
  return exitByKind[kind];
}

export const usageError = (message: string, fix?: string) => new HelmError('usage', message, { fix });
export const inputError = (message: string, d: HelmErrorDetails = {}) => new HelmError('input', message, d);
export const configError = (message: string, d: HelmErrorDetails = {}) => new HelmError('config', message, d);

/**
 * Messages quote user input (flags, file contents); no control or bidi characters may reach the terminal.
 * Newlines stay: multi-problem config messages use one line per problem.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
}
