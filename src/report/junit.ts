/**
 * JUnit XML for CI gates (health, audit, deploy gates). A case fails exactly when the gate would fail on it
 * (`--fail-on`); a case that could not be judged (UNKNOWN, access denied, the run stopped) is an error; a
 * finding below the gate passes with its text in <system-out>, so a report still shows it.
 */
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
  /** The gate fails on this case. */
  failure?: string;
  /** The case could not be judged (no data, no permission, the run stopped). */
  error?: string;
  skipped?: string;
  /** Shown with a passing case: a finding below the gate. */
  output?: string;
  /** Seconds until this case's data was read. */
  timeSeconds?: number;
}

export interface JunitSuite {
  name: string;
  /** Start of the run, epoch ms. */
  startedAt: number;
  /** Wall time of the run, seconds. */
  timeSeconds: number;
  cases: JunitCase[];
}

const seconds = (s: number | undefined) => (Number.isFinite(s) && s! > 0 ? s! : 0).toFixed(3);
/** The JUnit schema's timestamp: ISO 8601 without a zone; ours is always UTC. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, '');

export function junitXml(suite: JunitSuite): string {
  const { cases } = suite;
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const errors = cases.filter((c) => c.failure === undefined && c.error !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined && c.failure === undefined && c.error === undefined).length;
  const body = cases
    .map((c) => {
      const open = `  <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${seconds(c.timeSeconds)}"`;
      const inner =
        c.failure !== undefined
          ? `    <failure message="${xmlEscape(c.failure)}">${xmlEscape(c.failure)}</failure>`
          : c.error !== undefined
            ? `    <error message="${xmlEscape(c.error)}">${xmlEscape(c.error)}</error>`
            : c.skipped !== undefined
              ? `    <skipped message="${xmlEscape(c.skipped)}"/>`
              : c.output !== undefined
                ? `    <system-out>${xmlEscape(c.output)}</system-out>`
                : '';
      return inner ? `${open}>\n${inner}\n  </testcase>` : `${open}/>`;
    })
    .join('\n');
  const attrs = `name="${xmlEscape(suite.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(suite.timeSeconds)}" timestamp="${stamp(suite.startedAt)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite ${attrs}>\n${body}${body ? '\n' : ''}</testsuite>\n`;
}
