import { describe, expect, it } from 'vitest';
import { count } from './plural.js';

describe('count', () => {
  it.each([
    [0, 'alarm', undefined, '0 alarms'],
    [1, 'alarm', undefined, '1 alarm'],
    [2, 'resource', undefined, '2 resources'],
    [1, 'policy', 'policies', '1 policy'],
    [3, 'policy', 'policies', '3 policies'],
  ])('%i %s', (n, one, many, text) => {
    expect(count(n, one, many)).toBe(text);
  });
});
