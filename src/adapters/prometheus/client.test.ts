import { describe, expect, it } from 'vitest';
import { sampleValue } from './client.js';

describe('sampleValue', () => {
  it.each([
    ['0.25', 0.25],
    ['1e-9', 1e-9],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
  ])('reads %s as Prometheus writes it', (text, value) => {
    expect(sampleValue(text)).toBe(value);
  });
  it('keeps NaN (0/0) apart from +Inf (x/0)', () => {
    expect(sampleValue('NaN')).toBeNaN();
    expect(sampleValue('+Inf')).not.toBeNaN();
  });
});
