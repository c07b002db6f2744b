import { describe, expect, it } from 'vitest';
import { bufferIo } from '../io.js';
import { isHelmError } from '../errors.js';
import { normalizeArgv, shellSplit } from './dispatch.js';

function describeError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isHelmError(e)) return e.describe();
    throw e;
  }
  return 'no error';
}

describe('normalizeArgv', () => {
  const cases: [string, string[], string[], RegExp | null][] = [
    ['plain command passes through', ['health', '--env=prod'], ['health', '--env=prod'], null],
    ['slash command as separate words', ['/fractary-helm-cloud:health', '--env=prod'], ['health', '--env=prod'], null],
    ['slash command as one quoted argument', ['/fractary-helm-cloud:health --env=prod'], ['health', '--env=prod'], null],
    ['quoted free text inside one argument', ['/fractary-helm-cloud:investigate "Lambda errors in API" --env=prod'], ['investigate', 'Lambda errors in API', '--env=prod'], null],
    ['dashboard namespace', ['/fractary-helm:dashboard'], ['dashboard'], null],
    ['legacy check-health', ['/fractary-faber-cloud:ops-manage', 'check-health', '--env=test'], ['health', '--env=test'], /helm-cloud health/],
    ['legacy query-logs', ['/fractary-faber-cloud:ops-manage query-logs --env=test'], ['investigate', '--env=test'], /helm-cloud investigate/],
    ['legacy investigate', ['/fractary-faber-cloud:ops-manage', 'investigate'], ['investigate'], /helm-cloud investigate/],
    ['legacy remediate', ['/fractary-faber-cloud:ops-manage', 'remediate', '--dry-run'], ['remediate', '--dry-run'], /helm-cloud remediate/],
    ['legacy audit', ['/fractary-faber-cloud:ops-manage', 'audit'], ['audit'], /helm-cloud audit/],
    ['legacy without slash', ['ops-manage', 'check-health'], ['health'], /helm-cloud health/],
  ];
  for (const [name, argv, expected, deprecation] of cases) {
    it(name, () => {
      const io = bufferIo();
      expect(normalizeArgv(argv, io)).toEqual(expected);
      if (deprecation) {
        expect(io.stderr.trim().split('\n')).toHaveLength(1);
        expect(io.stderr).toMatch(deprecation);
      } else expect(io.stderr).toBe('');
    });
  }

  it('rejects an unknown namespace with the closest valid command', () => {
    expect(describeError(() => normalizeArgv(['/fractary-helm-cloud:helth'], bufferIo()))).toMatch(/did you mean \/fractary-helm-cloud:health/);
  });

  it('rejects an unknown legacy operation with the closest one', () => {
    expect(describeError(() => normalizeArgv(['/fractary-faber-cloud:ops-manage', 'check-helth'], bufferIo()))).toMatch(/did you mean .*check-health/);
  });
});

describe('shellSplit', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    [`a "b c" 'd e'`, ['a', 'b c', 'd e']],
    [`--text="it's | here"`, ["--text=it's | here"]],
    [`a\\ b`, ['a b']],
    [`""`, ['']],
  ])('%s', (input, expected) => {
    expect(shellSplit(input)).toEqual(expected);
  });

  it('refuses an unbalanced quote', () => {
    expect(() => shellSplit('a "b')).toThrow(/unbalanced quote/);
  });
});
