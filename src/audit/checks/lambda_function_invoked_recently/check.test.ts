import { describe, expect, it } from 'vitest';
import { cfg, failed, inventory, lambda, NOW, ok } from '../../inventory.fixture.js';
import check from './check.js';

const run = (l: Parameters<typeof lambda>[0]) => check.run(inventory({ lambdas: [lambda(l)] }), cfg)[0]!;

describe('lambda_function_invoked_recently', () => {
  it('PASS when the function was invoked in the window', () => {
    expect(run({ invocations: ok(3, 4) })).toMatchObject({ status: 'PASS', reason: '7 invocations in 14 days', resourceId: 'fn', region: 'us-east-1' });
  });
  it('FAIL with a $0 saving and how when an old function has no invocations', () => {
    expect(run({ invocations: ok() })).toMatchObject({ status: 'FAIL', monthlySaving: 0, how: expect.stringContaining('per request') });
  });
  it('UNKNOWN when the function is younger than the window', () => {
    expect(run({ invocations: ok(), firstSeenMs: NOW - 86_400_000 })).toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('too new') });
  });
  it('UNKNOWN with the reason when Invocations could not be read', () => {
    expect(run({ invocations: failed() })).toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('access denied') });
  });
  it('UNKNOWN when the function does not exist', () => {
    expect(run({ config: undefined, error: 'function not found in the account' })).toMatchObject({ status: 'UNKNOWN', reason: 'function not found in the account' });
  });
});
