import { describe, expect, it } from 'vitest';
import { controlIdOf, securityScore, type ControlFindingInput } from './security-score.js';

const f = (controlId: string, complianceStatus: string, o: Partial<ControlFindingInput> = {}): ControlFindingInput => ({ controlId, complianceStatus, severity: 'high', recordState: 'ACTIVE', resourceId: `r-${controlId}`, ...o });

describe('security score', () => {
  it('counts controls, not findings: one FAILED finding fails the control', () => {
    const s = securityScore([f('S3.1', 'PASSED'), f('S3.1', 'PASSED'), f('S3.1', 'FAILED', { resourceId: 'b1' }), f('S3.2', 'PASSED'), f('S3.3', 'PASSED')]);
    expect(s).toMatchObject({ percent: 66, passed: 2, enabled: 3, failed: 1 });
    expect(s.failing).toEqual([expect.objectContaining({ controlId: 'S3.1', failedResources: ['b1'] })]);
  });

  it('leaves out WARNING/NOT_AVAILABLE-only controls, archived and suppressed findings', () => {
    const s = securityScore([
      f('IAM.6', 'WARNING'),
      f('IAM.7', 'NOT_AVAILABLE'),
      f('EC2.1', 'FAILED', { recordState: 'ARCHIVED' }),
      f('EC2.2', 'FAILED', { workflowStatus: 'SUPPRESSED' }),
      f('EC2.3', 'PASSED'),
    ]);
    expect(s).toMatchObject({ percent: 100, passed: 1, enabled: 1, noData: 2 });
  });

  it('has no score without control results', () => {
    expect(securityScore([{ severity: 'high' }])).toMatchObject({ percent: null, enabled: 0 });
  });

  it('orders failing controls by severity, then control number', () => {
    const s = securityScore([f('S3.10', 'FAILED', { severity: 'low' }), f('S3.9', 'FAILED', { severity: 'low' }), f('Lambda.1', 'FAILED', { severity: 'critical' })]);
    expect(s.failing.map((c) => c.controlId)).toEqual(['Lambda.1', 'S3.9', 'S3.10']);
  });

  it.each([
    [{ SecurityControlId: 'S3.1' }, 'S3.1'],
    [{ GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/Lambda.1' }, 'Lambda.1'],
    [{ GeneratorId: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.10' }, '1.10'],
    [{ GeneratorId: 'arn:aws:guardduty:us-east-1:1:detector/x' }, undefined],
  ])('control id of %j is %s', (input, want) => expect(controlIdOf(input)).toBe(want));
});
