/** JUnit XML for CI gates. */
import { safeText } from './text.js';

export function xmlEscape(s: unknown): string {
  return safeText(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface JunitCase {
  classname: string;
  name: string;
  failure?: string;
  skipped?: string;
  timeSeconds?: number;
}

export function junitXml(suite: string, cases: JunitCase[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined && c.failure === undefined).length;
  const body = cases
    .map((c) => {
      const open = `  <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${(c.timeSeconds ?? 0).toFixed(3)}"`;
      if (c.failure !== undefined) return `${open}>\n    <failure message="${xmlEscape(c.failure)}">${xmlEscape(c.failure)}</failure>\n  </testcase>`;
      if (c.skipped !== undefined) return `${open}>\n    <skipped message="${xmlEscape(c.skipped)}"/>\n  </testcase>`;
      return `${open}/>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${body}\n</testsuite>\n`;
}
