import { describe, expect, it } from 'vitest';
import { fill, nextStep, plan, type RunRecord, type StepResult } from './workflow.js';

const result = (key: string, json: unknown, status: StepResult['status'] = 'done'): StepResult => ({ key, command: key, status, json, at: '2026-01-01T00:00:00Z' });

describe('workflow placeholders and resume point', () => {
  it('fills {run} and fields of earlier results, list items by index', () => {
    const earlier = [result('correlate', { groups: [{ alerts: ['A-1', 'A-2'] }] }), result('open', { change: { issue: 'infra-007', paged: { incident: 'INC-3' } } })];
    expect(fill('alerts escalate {steps.correlate.groups.0.alerts.1} --note {run}', 'r-1', earlier)).toEqual({ line: 'alerts escalate A-2 --note r-1' });
    expect(fill('incident resolve {steps.open.change.paged.incident}', 'r-1', earlier)).toEqual({ line: 'incident resolve INC-3' });
  });

  it('names the placeholder that has no value (no firing alert: nothing to escalate)', () => {
    expect(fill('alerts escalate {steps.correlate.groups.0.alerts.0}', 'r', [result('correlate', { groups: [] })])).toEqual({ missing: '{steps.correlate.groups.0.alerts.0}' });
  });

  it('resumes at the first step not finished: a step left running (killed) runs again, a handoff does not', () => {
    const steps = plan({ name: 'w', description: '', steps: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id, run: `health --env {env}` })) }, 'test', ['test'], ['health']);
    const rec = (rs: StepResult[]): RunRecord => ({ schema: 'helm-cloud/workflow-run@1', id: 'r', workflow: 'w', env: 'test', startedAt: '', status: 'running', steps: rs });
    expect(nextStep(steps, rec([result('a', null), result('b', null, 'running')]))).toBe(1);
    expect(nextStep(steps, rec([result('a', null), result('b', null, 'handoff'), result('c', null, 'failed')]))).toBe(2);
    expect(nextStep(steps, rec(['a', 'b', 'c', 'd'].map((k) => result(k, null))))).toBe(4);
  });
});
