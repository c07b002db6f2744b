import { describe, expect, it } from 'vitest';
import { cfg, failed, inventory, lambda, ok } from '../../inventory.fixture.js';
import check from './check.js';

const run = (l: Parameters<typeof lambda>[0]) => check.run(inventory({ lambdas: [lambda(l)] }), cfg)[0]!;

describe('lambda_memory_right_sized', () => {
  it('PASS when peak use is above half the configured memory', () => {
    expect(run({ memoryUsedMax: ok(400, 600) })).toMatchObject({ status: 'PASS', reason: 'peak 600 MB of 1024 MB configured' });
  });
  it('FAIL with the GB-second saving when peak use is far below the configured memory', () => {
    // 14 × 1000 invocations in 14 days → 30420/month; (1024 − 256)/1024 GB × 0.5 s × 30420 × $0.0000166667.
    const f = run({ memoryUsedMax: ok(150), invocations: ok(...Array(14).fill(1000)), duration: ok(500) });
    expect(f).toMatchObject({ status: 'FAIL', monthlySaving: 0.19, reason: expect.stringContaining('256 MB would do') });
    expect(f.how).toContain('30420 invocations/month');
  });
  it('FAIL without a saving figure when Duration is unreadable', () => {
    expect(run({ memoryUsedMax: ok(150), duration: failed() })).toMatchObject({ status: 'FAIL', monthlySaving: null });
  });
  it('UNKNOWN, never PASS, without Lambda Insights data', () => {
    expect(run({ memoryUsedMax: ok() })).toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('Lambda Insights') });
  });
});
