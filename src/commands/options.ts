/** Shared flags and their parsing. Kept free of heavy imports: `--help` loads only this and commander. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DURATION_FORMS, durationMs } from '../core/duration.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { OutputFormat } from '../report/render.js';
import type { CommonOptions } from '../ops-manager/context.js';

export function addCommon(cmd: Command, opts: { env?: boolean } = { env: true }): Command {
  if (opts.env !== false) cmd.option('-e, --env <name>', 'environment from .fractary/shared/environments.json');
  return cmd
    .option('--root <dir>', 'project folder holding .fractary/ (default: walk up from the current folder)')
    .option('--profile <name>', 'AWS profile (overrides the environment and AWS_* variables)')
    .option('--region <region>', 'AWS region (overrides the environment)')
    .addOption(new Option('-o, --output <format>', 'table | json | markdown (default: table on a TTY, json otherwise)').choices(['table', 'json', 'markdown']))
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--debug', 'show stack traces for internal errors');
}

export function commonOptions(raw: Record<string, unknown>, io: Io, cwd: string): CommonOptions {
  return {
    cwd,
    env: raw.env as string | undefined,
    root: raw.root as string | undefined,
    profile: raw.profile as string | undefined,
    region: raw.region as string | undefined,
    output: ((raw.output as string | undefined) ?? (io.stdoutIsTTY ? 'table' : 'json')) as OutputFormat,
    debug: Boolean(raw.debug),
  };
}

/** Durations: 30s, 5m, 1h, 3d, 2w → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const ms = durationMs(text);
  if (ms === undefined) throw new HelmError('usage', `"${text.slice(0, 40)}" is not a duration`, { keyPath: flag, expected: `a number and a unit: ${DURATION_FORMS}`, fix: `e.g. ${flag} 1h` });
  if (ms <= 0) throw new HelmError('usage', `"${text.slice(0, 40)}" is not a positive duration`, { keyPath: flag, expected: 'a number above zero and a unit: 30s, 5m, 1h, 3d, 2w', fix: `e.g. ${flag} 1h` });
  return ms;
}

export function parseTime(text: string, flag: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new HelmError('usage', `"${text.slice(0, 40)}" is not a time`, { keyPath: flag, expected: 'an ISO-8601 time such as 2026-11-20T10:00:00Z', fix: `e.g. ${flag} 2026-11-20T10:00:00Z` });
  return t;
}

export function parseIntFlag(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new HelmError('usage', `"${text.slice(0, 20)}" is not a whole number from ${min} to ${max}`, { keyPath: flag, fix: `e.g. ${flag} ${min}` });
  return n;
}

/**
 * A file the command will write (--junit): checked before any work so a bad path is a usage error naming it
 * (exit 2), not a failure after the run. Missing folders are fine (they are created); the nearest existing
 * one must be a writable folder.
 */
export function writableFile(text: string, flag: string, cwd: string): string {
  const path = resolve(cwd, text);
  const bad = (why: string) => new HelmError('usage', `cannot write ${text}: ${why}`, { keyPath: flag, fix: `give ${flag} a file path in a writable folder, e.g. ${flag} reports/${flag.replace(/^--/, '')}.xml` });
  const st = statOf(path);
  if (st?.isDirectory()) throw bad('it is a folder');
  let dir = dirname(path);
  for (;;) {
    const d = statOf(dir);
    if (d) {
      if (!d.isDirectory()) throw bad(`${dir} is a file, not a folder`);
      try {
        accessSync(dir, constants.W_OK);
      } catch {
        throw bad(`folder ${dir} is not writable`);
      }
      if (st) {
        try {
          accessSync(path, constants.W_OK);
        } catch {
          throw bad('the file is not writable');
        }
      }
      return path;
    }
    const up = dirname(dir);
    if (up === dir) throw bad('no folder on the path exists');
    dir = up;
  }
}

/** stat, or undefined when nothing is there (ENOENT) or a parent is a file (ENOTDIR). */
function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}
