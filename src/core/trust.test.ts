import { describe, expect, it } from 'vitest';
import { currentLevel, demotionFor, trustView, type TrustEvidence } from './trust.js';

const ev = (at: number, result: TrustEvidence['result'], action = 'restart_lambda', env = 'prod'): TrustEvidence => ({ env, action, at, result });

describe('progressive trust', () => {
  it('suggests a promotion after K verified successes, never makes it', () => {
    const evidence = [1, 2, 3, 4, 5].map((t) => ev(t, 'verified'));
    const v = trustView({ env: 'prod', action: 'restart_lambda', configured: 'confirm', changes: [], evidence, promoteAfter: 5, promotable: true });
    expect(v.level).toBe('confirm');
    expect(v.streak).toBe(5);
    expect(v.suggestion).toMatchObject({ to: 'auto' });
  });

  it('a failure resets the streak; other environments and actions do not count', () => {
    const evidence = [ev(1, 'verified'), ev(2, 'verified'), ev(3, 'failed'), ev(4, 'verified'), ev(5, 'verified', 'restart_lambda', 'test'), ev(6, 'verified', 'clear_cache')];
    const v = trustView({ env: 'prod', action: 'restart_lambda', configured: 'confirm', changes: [], evidence, promoteAfter: 2, promotable: true });
    expect(v.streak).toBe(1);
    expect(v.suggestion).toBeUndefined();
  });

  it('counts only successes after the last change of level', () => {
    const changes = [{ env: 'prod', action: 'restart_lambda', at: 10, from: 'confirm' as const, to: 'auto' as const, reason: 'promoted', by: 'alice' }];
    const v = trustView({ env: 'prod', action: 'restart_lambda', configured: 'confirm', changes, evidence: [ev(5, 'verified'), ev(11, 'verified')], promoteAfter: 1, promotable: true });
    expect(v.level).toBe('auto');
    expect(v.streak).toBe(1);
    expect(v.suggestion).toBeUndefined(); // auto is the top
  });

  it('actions helm-cloud never runs are never suggested', () => {
    const v = trustView({ env: 'prod', action: 'delete_resources', configured: 'never', changes: [], evidence: [1, 2, 3].map((t) => ev(t, 'verified', 'delete_resources')), promoteAfter: 1, promotable: false });
    expect(v.suggestion).toBeUndefined();
  });

  it('a failed verification demotes one level; never is the floor', () => {
    expect(demotionFor('auto', 'prod', 'a', 1, 'x')).toMatchObject({ from: 'auto', to: 'confirm', by: 'automatic' });
    expect(demotionFor('never', 'prod', 'a', 1, 'x')).toBeUndefined();
  });

  it('the newest change is the level in force', () => {
    const changes = [
      { env: 'prod', action: 'a', at: 1, from: 'confirm' as const, to: 'auto' as const, reason: '', by: 'x' },
      { env: 'prod', action: 'a', at: 2, from: 'auto' as const, to: 'confirm' as const, reason: '', by: 'automatic' },
    ];
    expect(currentLevel('never', changes, 'prod', 'a').level).toBe('confirm');
    expect(currentLevel('never', changes, 'test', 'a').level).toBe('never');
  });
});
