/**
 * The responder's pure seams with plain data: how the plan is shown (planView) and whether the symptoms that
 * motivated an action improved after it (judgeSymptoms). The stages around them run against moto in
 * test/integration/remediate-*.test.ts and verify-symptom.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ActionPlan, Verification } from '../../actions/define.js';
import { judgeSymptoms, planView, type Symptom } from './index.js';

const landed: Verification = { ok: true, status: 'verified', detail: 'memory_mb reads 512' };
const errorRate = (verdict: Symptom['verdict'], pct: string): Symptom => ({ key: 'slo:error_rate_percent', verdict, reason: `error rate ${pct}` });
const o = { waitedS: 42, settleS: 0, resource: 'orders-fn', env: 'prod' };

describe('judgeSymptoms', () => {
  it('verifies when every motivating symptom improved, quoting before and after', () => {
    const j = judgeSymptoms(landed, [errorRate('UNHEALTHY', '7.5%')], [errorRate('HEALTHY', '0.1%')], o);
    expect(j.worse).toBeUndefined();
    expect(j.verification).toEqual({ ok: true, status: 'verified', detail: 'memory_mb reads 512; symptom improved: error rate 7.5% → error rate 0.1%' });
  });

  it('is not effective when a symptom is as bad as before, naming it', () => {
    const j = judgeSymptoms(landed, [errorRate('DEGRADED', '0.9%')], [errorRate('DEGRADED', '0.95%')], o);
    expect(j.verification).toMatchObject({ ok: false, status: 'not_effective' });
    expect(j.verification.detail).toBe('memory_mb reads 512; but the symptom did not improve after 42s: error rate 0.9% → now error rate 0.95%');
    expect(j.worse).toBe('error rate 0.95%');
  });

  it('is pending, never verified, when a symptom has no data after the apply yet, and says how long to wait', () => {
    for (const after of [[], [errorRate('UNKNOWN', 'no data')]]) {
      const j = judgeSymptoms(landed, [errorRate('UNHEALTHY', '7.5%')], after, { ...o, settleS: 90 });
      expect(j.verification.status).toBe('pending');
      expect(j.verification.ok).toBe(true);
      expect(j.verification.detail).toContain('has no data after the apply yet (42s after it): re-check with `helm-cloud health --resource orders-fn --env prod` in about 90s');
    }
  });
});

describe('planView', () => {
  const plan: ActionPlan = {
    changes: [{ field: 'memory_mb', from: 256, to: 512 }],
    blastRadius: 'new invocations get 512 MB',
    reversible: true,
    undo: 'set the memory back',
    warnings: [],
    undoCall: { action: 'increase_capacity', params: { memory_mb: 256, timeout_s: undefined, note: "it's back" } },
  };

  it('shows the undo as a helm-cloud call, quoting what a shell would split, leaving out unset params', () => {
    const v = planView(plan, { action: 'increase_capacity', permissions: ['lambda:GetFunction', 'lambda:UpdateFunctionConfiguration'], resource: { name: 'orders-fn', type: 'lambda' }, env: 'prod' });
    expect(v.undo).toBe(`set the memory back: helm-cloud remediate --action increase_capacity --target orders-fn --env prod --param memory_mb=256 --param note='it'\\''s back'`);
  });

  it("lists only the target's service's IAM actions when the action spans services", () => {
    const permissions = ['lambda:GetFunction', 'lambda:UpdateFunctionConfiguration', 'rds:DescribeDBInstances', 'rds:ModifyDBInstance'];
    expect(planView(plan, { action: 'increase_capacity', permissions, resource: { name: 'db1', type: 'rds' }, env: 'prod' }).permissions).toEqual(['rds:DescribeDBInstances', 'rds:ModifyDBInstance']);
    expect(planView({ ...plan, undoCall: undefined }, { action: 'increase_capacity', permissions, resource: { name: 'orders-fn', type: 'lambda' }, env: 'prod' }).undo).toBe('set the memory back');
  });
});
