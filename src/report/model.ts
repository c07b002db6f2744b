/**
 * The report model every command returns. A command builds a typed CommandResult: its JSON document (the
 * stable machine interface, documented in docs/*-json.md) and its views; `emit` prints one view per --output and
 * `publish` (publish.ts) saves, writes JUnit and the step summary. Nothing else prints or saves a report.
 */
import type { JunitSuite } from './junit.js';

export type OutputFormat = 'table' | 'json' | 'markdown';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'markdown'];

/** The fields every command's JSON document starts with. */
export interface ResultJson {
  /** "helm-cloud/<command>@1": bump the number on any breaking change. */
  schema: string;
  command: string;
  environment?: string;
  generatedAt: string;
  verdict: string;
  summary: string;
  exitCode: number;
}

/**
 * A family action's document (alerts, kubernetes, prometheus…): the common fields, the action, and the action's
 * own data as its family's docs page describes it.
 */
export type ActionJson = ResultJson & { action?: string; [key: string]: unknown };

/** Where a saved report lives, relative to .fractary (in the JSON of commands that save one). */
export interface ReportPaths {
  json: string;
  markdown: string;
}

export interface CommandResult<J extends ResultJson = ResultJson> {
  json: J;
  exitCode: number;
  table(color: boolean): string;
  markdown(): string;
  /** CI gates (health, audit, deploy gates): the JUnit suite `--junit FILE` writes. */
  junit?(): JunitSuite;
}

/**
 * What a gate prints with `--output json` when it stops before a verdict (credentials, endpoint, permissions:
 * exit 4; an AWS API failure: 3; a bug: 70), so a pipeline parsing stdout still gets a document.
 */
export interface ErrorJson extends ResultJson {
  verdict: 'UNKNOWN';
  error: { kind: string; message: string; file?: string; keyPath?: string; fix?: string };
}
