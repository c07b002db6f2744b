import { describe, expect, it } from 'vitest';
import { consentFor, resolveSafety } from './safety.js';

// Default safety as the actions declare it (src/actions/<id>/index.ts).
const DEFAULTS: Record<string, 'auto' | 'confirm' | 'never'> = { restart_lambda: 'auto', scale_resources: 'confirm', rollback: 'confirm', increase_capacity: 'confirm', delete_resources: 'never' };
const policy = { auto_remediate: ['restart_lambda', 'delete_resources'], require_confirmation: ['scale_resources'], never_auto: ['rollback'] };

describe('resolveSafety', () => {
  const cases: [string, boolean, string, string][] = [
    ['restart_lambda', false, 'auto', 'auto_remediate'],
    ['restart_lambda', true, 'confirm', 'protected'],
    ['scale_resources', false, 'confirm', 'require_confirmation'],
    ['rollback', false, 'never', 'never_auto'],
    ['increase_capacity', false, 'never', 'not listed'],
    ['delete_resources', false, 'never', 'never executed'],
  ];
  for (const [action, prot, level, why] of cases) {
    it(`${action} in a ${prot ? 'protected' : 'plain'} environment is ${level}`, () => {
      const s = resolveSafety(action, policy, { name: prot ? 'prod' : 'test', protected: prot }, DEFAULTS[action]);
      expect(s.level).toBe(level);
      expect(s.reason).toContain(why);
    });
  }
  it('an unlisted action is never_auto and the reason names its default and the list to add it to', () => {
    const s = resolveSafety('increase_capacity', policy, { name: 'test', protected: false }, 'confirm');
    expect(s.level).toBe('never');
    expect(s.reason).toMatch(/its default is confirm: add it to require_confirmation/);
  });
  it('an action whose default is never stays never, whatever [remediation] says', () => {
    expect(resolveSafety('x', { auto_remediate: ['x'], require_confirmation: [], never_auto: [] }, { name: 't', protected: false }, 'never').level).toBe('never');
    expect(resolveSafety('x', { auto_remediate: ['x'], require_confirmation: [], never_auto: [] }, { name: 't', protected: false }, 'confirm').level).toBe('auto');
  });
  it('the strictest list wins when an action is listed twice', () => {
    expect(resolveSafety('x', { auto_remediate: ['x'], require_confirmation: [], never_auto: ['x'] }, { name: 't', protected: false }).level).toBe('never');
  });
});

describe('consentFor', () => {
  const cases: [string, { dryRun: boolean; yes: boolean; interactive: boolean }, string][] = [
    ['auto', { dryRun: false, yes: false, interactive: false }, 'proceed'],
    ['auto', { dryRun: true, yes: false, interactive: false }, 'plan-only'],
    ['confirm', { dryRun: false, yes: false, interactive: true }, 'ask'],
    ['confirm', { dryRun: false, yes: false, interactive: false }, 'needs-yes'],
    ['confirm', { dryRun: false, yes: true, interactive: false }, 'proceed'],
    ['never', { dryRun: false, yes: true, interactive: true }, 'never'],
    ['never', { dryRun: true, yes: false, interactive: false }, 'never'],
  ];
  for (const [level, run, want] of cases) {
    it(`${level} with ${JSON.stringify(run)} → ${want}`, () => expect(consentFor(level as never, run)).toBe(want));
  }
});
