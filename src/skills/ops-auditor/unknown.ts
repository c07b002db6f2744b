/**
 * Turns an AWS failure inside a section into that section's UNKNOWN, except when access itself is broken
 * (credentials, endpoint), which stops the command with exit 4.
 */
import { isAwsCallError } from '../../aws/errors.js';
import { failureReason, isAccessFatal, toHelmError, type AwsFailure } from '../../aws/errors.js';
import type { AwsProvider } from '../../aws/provider.js';
import type { Unknown } from './types.js';

export class SectionUnknown extends Error {
  readonly unknown: Unknown;
  constructor(unknown: Unknown) {
    super(unknown.reason);
    this.name = 'SectionUnknown';
    this.unknown = unknown;
  }
}

export function unknownFrom(f: AwsFailure, what: string): Unknown {
  return { reason: `${what}: ${failureReason(f)}`, accessDenied: f.category === 'access-denied' };
}

/** Runs one AWS read of a section; `what` says in the report what could not be read. */
export async function read<T>(aws: AwsProvider, what: string, fn: () => Promise<T>, explain?: (f: AwsFailure) => Unknown | undefined): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isAwsCallError(e)) throw e;
    if (isAccessFatal(e.failure)) throw toHelmError(e.failure, aws.describe());
    throw new SectionUnknown(explain?.(e.failure) ?? unknownFrom(e.failure, what));
  }
}

/**
 * Like `read`, but a failed call does not stop the section: the caller gets the UNKNOWN for that one part and
 * keeps what the other calls returned (a failed score call must not hide the findings that did arrive).
 */
export async function readPart<T>(aws: AwsProvider, what: string, fn: () => Promise<T>, explain?: (f: AwsFailure) => Unknown | undefined): Promise<{ ok: true; value: T } | { ok: false; unknown: Unknown }> {
  try {
    return { ok: true, value: await read(aws, what, fn, explain) };
  } catch (e) {
    if (e instanceof SectionUnknown) return { ok: false, unknown: e.unknown };
    throw e;
  }
}

/** Several unread parts of one section: one UNKNOWN naming each (access denied if any part was). */
export function mergeUnknowns(us: readonly Unknown[]): Unknown {
  return { reason: us.map((u) => u.reason).join('; '), accessDenied: us.some((u) => u.accessDenied) };
}
