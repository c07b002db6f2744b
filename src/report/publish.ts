/**
 * The one place a finished command's report leaves the process other than stdout: the saved report (Markdown +
 * JSON under .fractary/plugins/helm-cloud/reports/), the central Helm status, the JUnit file and the GitHub
 * step summary. A report that cannot be saved does not change the verdict: it is a warning on stderr.
 */
import { appendFileSync } from 'node:fs';
import type { Workspace } from '../config/load.js';
import { isHelmError, type HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { writeFileAtomic } from '../store/atomic.js';
import { registerDomain, writeDomainStatus } from '../store/helm.js';
import type { Store } from '../store/index.js';
import { reportPaths, saveReport, type SavedReport } from '../store/reports.js';
import { junitXml, type JunitSuite } from './junit.js';
import { mdEscape, tidyMarkdown } from './markdown.js';
import type { ErrorJson, ReportPaths, ResultJson } from './model.js';
import { safeText } from './text.js';

/** Anything publish can save: a command's result, or a document with its Markdown (a postmortem). */
export interface Publishable {
  json: { generatedAt: string; report?: ReportPaths | null };
  markdown(): string;
  junit?(): JunitSuite;
}

export interface PublishOptions {
  io: Io;
  /** Save under reports/ as `<kind>-<env>-<stamp>[-<suffix>].{json,md}`; the JSON names its own paths (`report`). */
  save?: { ws: Workspace | Store; kind: string; env: string; suffix?: string; /** The report is the command's product (a postmortem): a failed save stops it. */ required?: boolean };
  /** Record the environment's verdict in .fractary/helm/status/infra.json (health of a whole environment). */
  status?: { env: string; production: boolean; sloBurn?: number };
  /** Absolute path of the JUnit file (`--junit`). */
  junit?: string;
  /** Append the Markdown to $GITHUB_STEP_SUMMARY when it is set (GitHub Actions). */
  stepSummary?: boolean;
}

const warn = (io: Io, what: string, e: unknown) => io.err(`warning: could not ${what}: ${safeText((e as Error)?.message ?? e).slice(0, 200)}`);

export async function publish(result: Publishable, opts: PublishOptions): Promise<SavedReport | undefined> {
  const { io } = opts;
  let saved: SavedReport | undefined;
  if (opts.save) {
    const now = Date.parse(result.json.generatedAt);
    const { kind, env, suffix } = opts.save;
    const paths = reportPaths(kind, env, now, suffix);
    result.json.report = { json: paths.relJson, markdown: paths.relMarkdown };
    try {
      saved = await saveReport(opts.save.ws, kind, env, { json: result.json, markdown: tidyMarkdown(result.markdown()) }, now, suffix);
      if (opts.status) {
        const json = result.json as unknown as ResultJson;
        await registerDomain(opts.save.ws, 'infra', { plugin: 'fractary-helm-cloud', description: 'AWS infrastructure health, incidents and remediation (helm-cloud)' });
        await writeDomainStatus(
          opts.save.ws,
          'infra',
          opts.status.env,
          { verdict: json.verdict, summary: json.summary, report: saved.relJson, production: opts.status.production, slo_burn: opts.status.sloBurn },
          now,
        );
      }
    } catch (e) {
      if (opts.save.required) throw e;
      // Only a report that exists is named.
      result.json.report = null;
      warn(io, `save the ${kind} report`, e);
    }
  }
  if (opts.junit && result.junit) writeFileAtomic(opts.junit, junitXml(result.junit()));
  if (opts.stepSummary) appendStepSummary(tidyMarkdown(result.markdown()), io);
  return saved;
}

function appendStepSummary(markdown: string, io: Io): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, `${markdown.trimEnd()}\n\n`);
  } catch (e) {
    warn(io, 'append to GITHUB_STEP_SUMMARY', e);
  }
}

export interface GateFailure {
  command: string;
  schema: string;
  environment?: string;
  /** Suite and case names of the JUnit file. */
  suite: string;
  classname: string;
  junit?: string;
  startedAt: number;
  elapsedMs: number;
}

/**
 * What `--output json` prints on stdout when a command stops on an error (bad input: 2; access: 4; a failed
 * call: 3; a bug: 70), so a pipeline parsing stdout always gets a document: the error's kind, message, the file
 * and key path it is about, and the fix (the one-line message stays on stderr).
 */
export function errorDocument(e: unknown, d: { command: string; schema?: string; environment?: string; startedAt?: number; stopped?: string }): ErrorJson {
  const err = isHelmError(e) ? (e as HelmError) : undefined;
  const message = err ? err.describe() : `internal error: ${safeText((e as Error)?.message ?? e).split('\n')[0]} — this is a bug, please report it`;
  return {
    schema: d.schema ?? `helm-cloud/${d.command}@1`,
    command: d.command,
    ...(d.environment ? { environment: safeText(d.environment) } : {}),
    generatedAt: new Date(d.startedAt ?? Date.now()).toISOString(),
    verdict: 'UNKNOWN',
    summary: `${d.command} ${d.stopped ?? 'stopped'}: ${message}`,
    exitCode: err ? err.exitCode : 70,
    error: {
      kind: err?.kind ?? 'internal',
      message: err ? safeText(err.message) : message,
      ...(err?.file ? { file: safeText(err.file) } : {}),
      ...(err?.keyPath ? { keyPath: safeText(err.keyPath) } : {}),
      ...(err?.fix ? { fix: safeText(err.fix) } : {}),
    },
  };
}

/**
 * A gate that stopped before a verdict still leaves what CI reads: a JUnit file with one error case giving the
 * reason, a step summary saying why, and (returned) the JSON error document for `--output json`.
 */
export function publishGateFailure(e: unknown, g: GateFailure, io: Io): ErrorJson {
  const doc = errorDocument(e, { command: g.command, schema: g.schema, environment: g.environment, startedAt: g.startedAt, stopped: 'stopped before a verdict' });
  const err = isHelmError(e) ? (e as HelmError) : undefined;
  const message = err ? err.describe() : doc.error.message;
  const exitCode = doc.exitCode;
  if (g.junit) {
    try {
      writeFileAtomic(g.junit, junitXml({ name: g.suite, startedAt: g.startedAt, timeSeconds: g.elapsedMs / 1000, cases: [{ classname: g.classname, name: g.command, error: `${doc.error.kind} (exit ${exitCode}): ${message}`, timeSeconds: g.elapsedMs / 1000 }] }));
    } catch (w) {
      warn(io, `write ${g.junit}`, w);
    }
  }
  appendStepSummary(`## ${mdEscape(g.command)}${g.environment ? `: ${mdEscape(g.environment)}` : ''} — no verdict (exit ${exitCode})\n\n${mdEscape(message)}\n`, io);
  return doc;
}
