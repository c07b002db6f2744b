import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor, HelmError, type ErrorKind } from '../errors.js';
import { bufferIo } from '../io.js';
import { reportError } from './program.js';

describe('exit codes', () => {
  it('an internal error has its own code, not the "unhealthy / action failed" 3', () => {
    expect(exitCodeFor('internal')).toBe(ExitCode.internal);
    const others: ErrorKind[] = ['usage', 'config', 'input', 'aws-access', 'aws-api', 'action-failed'];
    for (const k of others) expect(exitCodeFor(k)).not.toBe(ExitCode.internal);
    expect([ExitCode.ok, ExitCode.findings, ExitCode.input, ExitCode.failed, ExitCode.awsAccess]).not.toContain(ExitCode.internal);
  });

  it('an unexpected exception exits 70 with one line that says it is a bug, the stack only with --debug', () => {
    const io = bufferIo();
    expect(reportError(new TypeError("Cannot read properties of undefined (reading 'x')"), io, false)).toBe(70);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(io.stderr).toMatch(/^error: internal error: .* this is a bug, please report it \(run with --debug for details\)$/m);
    const debug = bufferIo();
    expect(reportError(new TypeError('boom'), debug, true)).toBe(70);
    expect(debug.stderr).toMatch(/at /);
  });

  it('a HelmError of kind internal exits 70 too', () => {
    expect(reportError(new HelmError('internal', 'could not allocate an issue id'), bufferIo(), false)).toBe(70);
  });
});
