import { describe, expect, it } from 'vitest';
import { checkTemplate, fill, nextStep, parseVar, plan, unmet, varsHint, type RunRecord, type StepResult } from './workflow.js';

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

  it('fills {vars.NAME}; a step lacking run variables names every one with the --var to pass', () => {
    const line = 'deploy canary_status --canary {vars.canary} --baseline {vars.baseline} --env test';
    expect(fill(line, 'r', [], { canary: 'api@3', baseline: 'api@2' })).toEqual({ line: 'deploy canary_status --canary api@3 --baseline api@2 --env test' });
    const partial = fill(line, 'r', [], { baseline: 'api@2' });
    expect(partial).toEqual({ missing: '{vars.canary}', vars: ['canary'] });
    const none = fill(line, 'r', []);
    expect(none.vars).toEqual(['canary', 'baseline']);
    expect(varsHint(none.vars!, { canary: 'FUNCTION@VERSION', baseline: 'FUNCTION@VERSION' })).toBe('no value for {vars.canary}, {vars.baseline}: pass --var canary=FUNCTION@VERSION --var baseline=FUNCTION@VERSION');
  });

  it('parses --var NAME=VALUE (the value may hold "=" or be empty) and names the fix for a bad form', () => {
    expect(parseVar('canary=api:live@3')).toEqual({ key: 'canary', value: 'api:live@3' });
    expect(parseVar('note=a=b')).toEqual({ key: 'note', value: 'a=b' });
    for (const bad of ['canary', '=3', 'Canary=3', '9x=1']) expect(parseVar(bad)).toEqual({ error: expect.stringMatching(/use --var NAME=VALUE/) });
  });

  it('rejects a template placeholder it cannot fill: an undeclared variable, an unknown name, a later step', () => {
    const t = (run: string, extra: object = {}) => () => checkTemplate({ name: 'w', vars: { canary: 'F@V' }, steps: [{ id: 'a', run: 'health' }, { id: 'b', run, ...extra }] }, 'workflows/w.toml');
    expect(t('deploy canary_status --canary {vars.canary} --env {env} --note {run} {steps.a.x}')()).toMatchObject({ vars: { canary: 'F@V' } });
    expect(t('x {vars.baseline}')).toThrow('workflows/w.toml: steps[1].run: {vars.baseline} is not declared: add baseline = "…" under [vars]');
    expect(t('x {environment}')).toThrow(/unknown placeholder \{environment\}: use \{env\}/);
    expect(t('x {steps.b.verdict}')).toThrow(/\{steps\.b\.verdict\} reads no earlier step/);
    expect(t('x', { when: 'steps.a.verdict = FAIL' })).toThrow(/steps\[1\]\.when: steps\.ID\.FIELD == VALUE/);
    expect(t('x', { when: 'steps.zz.verdict == FAIL' })).toThrow(/steps\[1\]\.when/);
  });

  it('when: a step runs only if an earlier result holds the value, else says what it was', () => {
    const verify = (verdict: string) => [result('verify', { verdict })];
    expect(unmet('steps.verify.verdict == FAIL', verify('FAIL'))).toBeUndefined();
    expect(unmet('steps.verify.verdict == FAIL', verify('PASS'))).toBe('only when steps.verify.verdict == FAIL (it is PASS)');
    expect(unmet('steps.verify.verdict != PASS', verify('PASS'))).toBe('only when steps.verify.verdict != PASS (it is PASS)');
    expect(unmet('steps.verify.verdict == FAIL', [])).toBe('only when steps.verify.verdict == FAIL (it is not reported)');
    expect(unmet(undefined, [])).toBeUndefined();
  });
});
