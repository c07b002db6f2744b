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
