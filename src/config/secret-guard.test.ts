import { describe, expect, it } from 'vitest';
import { findSecrets } from './secret-guard.js';

describe('findSecrets', () => {
  it('accepts profile names and account ids', () => {
    expect(findSecrets({ profiles: { prod: { account_id: '123456789012', role_arn: 'arn:aws:iam::123456789012:role/ops-readonly' } } })).toEqual([]);
  });
  it.each([
    ['a secret key name', { profiles: { prod: { aws_secret_access_key: 'x' } } }, 'profiles.prod.aws_secret_access_key'],
    ['an access key id value', { profiles: { prod: { note: 'AKIAIOSFODNN7EXAMPLE' } } }, 'profiles.prod.note'],
    ['a 40-character secret-shaped value', { profiles: { prod: { x: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } }, 'profiles.prod.x'],
    ['a session token key', { session_token: 'abc' }, 'session_token'],
    ['a private key', { k: '-----BEGIN RSA PRIVATE KEY-----\nabc' }, 'k'],
  ])('refuses %s, naming where', (_n, doc, where) => {
    const hits = findSecrets(doc);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.keyPath).toBe(where);
  });
});
