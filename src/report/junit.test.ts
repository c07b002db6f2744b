import { describe, expect, it } from 'vitest';
import { junitXml } from './junit.js';

const attrs = (xml: string, tag: string) => Object.fromEntries([...new RegExp(`<${tag} ([^>]*)>`).exec(xml)![1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

describe('junitXml', () => {
  const suite = {
    name: 'helm-cloud health prod',
    startedAt: Date.parse('2026-12-05T06:00:00.250Z'),
    timeSeconds: 2.5,
    cases: [
      { classname: 'c', name: 'ok', timeSeconds: 1.25 },
      { classname: 'c', name: 'bad', failure: 'UNHEALTHY: error rate', timeSeconds: 2 },
      { classname: 'c', name: 'unknown', error: 'UNKNOWN: no data' },
      { classname: 'c', name: 'below gate', output: 'DEGRADED (passes --fail-on unhealthy): budget 80%' },
      { classname: 'c', name: 'n/a', skipped: 'idle' },
    ],
  };

  it('counts tests, failures, errors and skipped, and gives the suite its time and UTC timestamp', () => {
    const xml = junitXml(suite);
    expect(attrs(xml, 'testsuite')).toEqual({ name: 'helm-cloud health prod', tests: '5', failures: '1', errors: '1', skipped: '1', time: '2.500', timestamp: '2026-12-05T06:00:00' });
  });

  it('writes each case with its own time, a failure, an error, a skip, or the text of a finding below the gate', () => {
    const xml = junitXml(suite);
    expect(xml).toContain('<testcase classname="c" name="ok" time="1.250"/>');
    expect(xml).toMatch(/name="bad" time="2\.000">\s*<failure message="UNHEALTHY: error rate">/);
    expect(xml).toMatch(/name="unknown" time="0\.000">\s*<error message="UNKNOWN: no data">/);
    expect(xml).toMatch(/name="below gate" time="0\.000">\s*<system-out>DEGRADED \(passes --fail-on unhealthy\): budget 80%<\/system-out>/);
    expect(xml).toMatch(/name="n\/a" time="0\.000">\s*<skipped message="idle"\/>/);
  });

  it('escapes markup and neutralises control characters in names and messages', () => {
    const xml = junitXml({ ...suite, cases: [{ classname: 'a"b', name: '<script>&', failure: 'x\u0007]]>' }] });
    expect(xml).toContain('classname="a&quot;b" name="&lt;script&gt;&amp;"');
    expect(xml).toContain('<failure message="x?]]&gt;">');
    expect(xml).not.toContain('\u0007');
  });

  it('is a valid empty suite when there is nothing to judge', () => {
    expect(junitXml({ ...suite, cases: [] })).toMatch(/<testsuite [^>]*tests="0"[^>]*>\n<\/testsuite>\n$/);
  });
});
