import { describe, expect, it } from 'vitest';
import { parseJsonStrict } from './json-strict.js';

describe('parseJsonStrict', () => {
  it('parses valid JSON', () => {
    expect(parseJsonStrict('{"a":[1,{"b":"}"}]}')).toEqual({ ok: true, value: { a: [1, { b: '}' }] } });
  });
  it('reports a syntax error with line and column', () => {
    const r = parseJsonStrict('{\n  "a": 1,\n  "b": }\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.problem.line, r.problem.message]).toEqual([3, expect.stringMatching(/invalid JSON/)]);
  });
  it('reports a duplicate key with its path and line', () => {
    const r = parseJsonStrict('{"environments": {\n "prod": {},\n "prod": {"region": "x"}\n}}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ keyPath: 'environments.prod', line: 3, message: 'duplicate key "prod"' });
  });
  it('does not confuse equal keys in different objects', () => {
    expect(parseJsonStrict('[{"a":1},{"a":2}]').ok).toBe(true);
  });
  it('handles escaped quotes in keys', () => {
    const r = parseJsonStrict('{"a\\"b": 1, "a\\"b": 2}');
    expect(r.ok).toBe(false);
  });
});

describe('parseJsonStrict syntax positions', () => {
  it.each([
    ['{"a":1', 1, 7, /expected ',' or '}'/],
    ['{"a" 1}', 1, 6, /expected ':'/],
    ['[1,]', 1, 4, /trailing comma/],
    ['{"a":tru}', 1, 6, /expected a value/],
    ['{"a":"x\ny"}', 1, 8, /control character/],
    ['{} x', 1, 4, /after the end/],
  ])('%j', (text, line, column, message) => {
    const r = parseJsonStrict(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ line, column, message: expect.stringMatching(message) });
  });
});
