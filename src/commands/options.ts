/** Shared flags and their parsing. Kept free of heavy imports: `--help` loads only this and commander. */
import { Option, type Command } from 'commander';
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
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new HelmError('usage', `"${text.slice(0, 40)}" is not a duration`, { keyPath: flag, expected: 'a number and a unit: 30s, 5m, 1h, 3d, 2w', fix: `e.g. ${flag} 1h` });
  const n = Number(m[1]);
  const unit: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
  const ms = n * unit[m[2]!]!;
  if (ms <= 0) throw new HelmError('usage', 'duration must be positive', { keyPath: flag });
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
