/**
 * Reads and validates the shared `.fractary` files. Every problem becomes one HelmError (exit 2) that names
 * the file, the key path, what was expected and the fix; all problems of a file are reported together.
 */
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import TOML from '@iarna/toml';
import type { z } from 'zod';
import { HelmError } from '../errors.js';
import { fsProblem } from '../store/files.js';
import { closest, configProblem, dropNullOptionals, explainZod, foreignKeys, printable } from './explain.js';
import { findFractary } from './find-root.js';
import { MAX_DEPTH, parseJsonStrict } from './json-strict.js';
import { findSecrets } from './secret-guard.js';
import { guardServerSecrets } from './monitoring-servers.js';
import {
  Credentials,
  Deployment,
  Environment,
  Environments,
  Monitoring,
  NAME_RE,
  Registry,
  type RegistryResource,
} from './schemas.js';

/** Hand-written config never needs more; a larger file is a mistake (or an attack) we refuse to parse. */
/** The registry format this helm-cloud reads (`"version"` of registry/deployments.json). */
export const REGISTRY_VERSION = 1;

export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_REGISTRY_BYTES = 256 * 1024 * 1024;

export const PATHS = {
  registry: 'registry/deployments.json',
  environments: 'shared/environments.json',
  credentials: 'shared/aws-credentials.json',
  monitoring: 'plugins/helm-cloud/monitoring.toml',
  pluginDir: 'plugins/helm-cloud',
  reports: 'plugins/helm-cloud/reports',
  actions: 'plugins/helm-cloud/actions.jsonl',
  state: 'plugins/helm-cloud/state',
  locks: 'plugins/helm-cloud/locks',
  helm: 'helm',
  helmIssues: 'helm/issues',
  helmStatus: 'helm/status',
  helmDomains: 'helm/domains.json',
  escalations: 'faber/escalations',
} as const;

/** The package's own folder (for config/monitoring.example.toml), from dist/config/load.js or src/config/load.ts. */
export function packageDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function exampleConfigPath(): string {
  return join(packageDir(), 'config', 'monitoring.example.toml');
}

export interface Workspace {
  /** Absolute path of the `.fractary` folder. */
  fractary: string;
  /** Absolute path of a file under `.fractary`. */
  path(rel: string): string;
  /** Path shown to users: relative to the project folder (…/.fractary/…). */
  display(rel: string): string;
}

export function openWorkspace(cwd: string, root?: string): Workspace {
  const fractary = findFractary(cwd, root);
  const project = dirname(fractary);
  return {
    fractary,
    path: (rel) => join(fractary, rel),
    display: (rel) => relative(process.cwd(), join(fractary, rel)) || join(fractary, rel),
  };
  void project;
}

function readText(ws: Workspace, rel: string, limit: number): string | undefined {
  return readConfigText(ws.path(rel), ws.display(rel), limit);
}

/**
 * A hand-edited or tool-written text file, checked before parsing: a regular file, within `limit`, UTF-8 (a
 * byte-order mark is dropped; UTF-16 and other bytes are refused by name), no NUL bytes. Undefined when absent.
 */
export function readConfigText(abs: string, display: string, limit: number = MAX_CONFIG_BYTES): string | undefined {
  if (!existsSync(abs)) {
    // A link whose target is gone (or a loop) is not "not found": the file was meant to be there.
    let target: string | undefined;
    try {
      if (lstatSync(abs).isSymbolicLink()) target = readlinkSync(abs);
    } catch {
      /* nothing at all there */
    }
    if (target === undefined) return undefined;
    throw new HelmError('config', `is a symbolic link to ${printable(target)}, which cannot be followed (missing, or a loop)`, {
      file: display,
      fix: 'point the link at the real file, or replace the link with the file',
    });
  }
  const st = statSync(abs);
  if (!st.isFile()) throw new HelmError('config', 'is not a regular file', { file: display, fix: 'replace it with a file' });
  if (st.size > limit) {
    throw new HelmError('config', `is ${(st.size / 1048576).toFixed(1)} MB; the limit is ${(limit / 1048576).toFixed(0)} MB`, {
      file: display,
      fix: limit === MAX_CONFIG_BYTES ? 'check that this is the right file; config files are small' : 'check that this is the right file',
    });
  }
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (e) {
    throw fsProblem(e, display, 'read');
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new HelmError('config', 'is encoded as UTF-16 (it starts with a UTF-16 byte-order mark)', { file: display, fix: 'save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 FILE > FILE.new` and replace it' });
  }
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD') && !buf.includes(Buffer.from('\uFFFD'))) {
    throw new HelmError('config', 'is not valid UTF-8', { file: display, fix: 'save it as UTF-8' });
  }
  if (text.includes('\u0000')) throw new HelmError('config', 'contains NUL bytes (binary data?)', { file: display, fix: 'restore the file from version control' });
  return text.replace(/^\uFEFF/, '');
}

/** What an empty JSON file should at least hold, for the "is empty" fix. */
const MINIMAL: Record<string, string> = {
  [PATHS.registry]: '{"version":1,"deployments":[]}',
  [PATHS.environments]: '{"environments":{"test":{"region":"us-east-1"}}}',
  [PATHS.credentials]: '{"profiles":{}}',
};

function readJson(ws: Workspace, rel: string, limit: number): unknown | undefined {
  const text = readText(ws, rel, limit);
  if (text === undefined) return undefined;
  if (!text.trim()) {
    // A write cut short or a file truncated by a shell redirect: say so rather than "expected a value at line 1".
    throw new HelmError('config', text ? 'holds only whitespace (no JSON document)' : 'is empty (0 bytes)', {
      file: ws.display(rel),
      fix: `restore it from version control or from the tool that writes it${MINIMAL[rel] ? `; the smallest valid content is ${MINIMAL[rel]}` : ''}`,
    });
  }
  const parsed = parseJsonStrict(text);
  if (!parsed.ok) {
    const p = parsed.problem;
    throw new HelmError('config', `${p.message} at line ${p.line}, column ${p.column}`, {
      file: ws.display(rel),
      keyPath: p.keyPath,
      fix: p.keyPath ? 'keep one of the duplicate keys' : 'fix the JSON syntax there (a validator such as `jq . FILE` shows it)',
    });
  }
  return parsed.value;
}

function validate<T extends z.ZodType>(ws: Workspace, rel: string, schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw configProblem(ws.display(rel), explainZod(ws.display(rel), r.error, data, schema));
}

/** A key helm-cloud does not know in a file it shares with other tools: ignored, listed by `doctor`. */
export interface ConfigNote {
  file: string;
  keyPath: string;
  /** The known key it probably misspells. */
  near?: string;
  /** The same key in more places than one (`keyPath` then has `[*]` for the indices): how many, and the first. */
  count?: number;
  first?: string;
}

/** Forward-compatible read (registry/, shared/): the schema's keys strictly, other keys noted and ignored. */
function validateShared<T extends z.ZodType>(ws: Workspace, rel: string, schema: T, data: unknown, notes?: ConfigNote[]): z.infer<T> {
  const out = validate(ws, rel, schema, dropNullOptionals(schema, data));
  if (notes) notes.push(...groupNotes(ws.display(rel), foreignKeys(schema, data)));
  return out;
}

/**
 * One note per unknown key, not per place: a deploy tool that adds a key to each of 20 000 resources would
 * otherwise print 20 000 warnings on every run. Array indices become `[*]`; the count and first place stay.
 */
function groupNotes(file: string, keys: { keyPath: string; near?: string }[]): ConfigNote[] {
  const groups = new Map<string, ConfigNote>();
  for (const k of keys) {
    const pattern = k.keyPath.replace(/\[\d+\]/g, '[*]');
    const g = groups.get(pattern);
    if (g) g.count = (g.count ?? 1) + 1;
    else groups.set(pattern, { file, keyPath: k.keyPath, ...(k.near ? { near: k.near } : {}), first: k.keyPath });
  }
  return [...groups.entries()].map(([pattern, g]) => (g.count ? { ...g, keyPath: pattern } : { file: g.file, keyPath: g.keyPath, ...(g.near ? { near: g.near } : {}) }));
}

export function describeNote(n: ConfigNote): string {
  const where = n.count ? ` (in ${n.count} places; the first is ${n.first})` : '';
  return `${n.file}: ${n.keyPath}: not a key helm-cloud reads (ignored)${where}${n.near ? `; if you meant "${n.near}", rename it` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------

export function loadRegistry(ws: Workspace, notes?: ConfigNote[]): Registry {
  const data = readJson(ws, PATHS.registry, MAX_REGISTRY_BYTES);
  if (data === undefined) {
    throw new HelmError('config', 'not found', {
      file: ws.display(PATHS.registry),
      fix: 'deploy with faber-cloud (it writes the registry), or create it: {"version":1,"deployments":[]}',
    });
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > REGISTRY_VERSION) {
    // A newer deploy tool wrote a format we cannot know: editing the number would only hide that.
    throw new HelmError('config', `is in registry format version ${version}; this helm-cloud reads version ${REGISTRY_VERSION}`, {
      file: ws.display(PATHS.registry),
      keyPath: 'version',
      fix: 'upgrade helm-cloud (npm install -g helm-cloud@latest); the registry was written by a newer faber-cloud',
    });
  }
  const reg = validateShared(ws, PATHS.registry, Registry, data, notes);
  const ids = new Set<string>();
  reg.deployments.forEach((d, i) => {
    if (ids.has(d.id)) {
      throw new HelmError('config', `duplicate deployment id "${printable(d.id)}"`, {
        file: ws.display(PATHS.registry),
        keyPath: `deployments[${i}].id`,
        fix: 'give every deployment a unique id',
      });
    }
    ids.add(d.id);
  });
  return reg;
}

export function loadEnvironments(ws: Workspace, notes?: ConfigNote[]): Environments {
  const data = readJson(ws, PATHS.environments, MAX_CONFIG_BYTES);
  if (data === undefined) {
    throw new HelmError('config', 'not found', {
      file: ws.display(PATHS.environments),
      fix: 'run `helm-cloud init`, then describe each environment: {"environments":{"test":{"region":"us-east-1"}}}',
    });
  }
  return validateShared(ws, PATHS.environments, Environments, data, notes);
}

export function loadCredentials(ws: Workspace, notes?: ConfigNote[]): Credentials | undefined {
  const data = readJson(ws, PATHS.credentials, MAX_CONFIG_BYTES);
  if (data === undefined) return undefined;
  const secrets = findSecrets(data);
  if (secrets.length) {
    const s = secrets[0]!;
    throw new HelmError('config', `refused: ${s.reason}; this file must hold profile names and account ids only, never secrets`, {
      file: ws.display(PATHS.credentials),
      keyPath: s.keyPath,
      fix: 'remove the secret from the file (and rotate it: it may be in version control); keep keys in ~/.aws/credentials or your SSO profile',
    });
  }
  return validateShared(ws, PATHS.credentials, Credentials, data, notes);
}

export function parseToml(text: string, display: string): Record<string, unknown> {
  let data: Record<string, unknown>;
  try {
    data = TOML.parse(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; col?: number; message?: string };
    const first = (err.message ?? String(e)).split('\n')[0]!.replace(/ at row \d+, col \d+, pos \d+:?$/, '');
    const where = err.line !== undefined ? ` at line ${err.line + 1}, column ${(err.col ?? 0) + 1}` : '';
    throw new HelmError('config', `invalid TOML${where}: ${first}`, {
      file: display,
      fix: 'fix the TOML syntax there; config/monitoring.example.toml shows every key',
    });
  }
  // What follows (copying, validation, messages) recurses per level: refuse what no config needs before it does.
  const path = deeperThan(data, MAX_DEPTH);
  if (path) {
    throw new HelmError('config', `tables or arrays nested deeper than ${MAX_DEPTH} levels`, { file: display, keyPath: path, fix: 'flatten it; no helm-cloud setting nests that deep' });
  }
  return data;
}

/** The key path where `value` nests deeper than `max` levels (walked without recursion), or undefined. */
function deeperThan(value: unknown, max: number): string | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length) {
    const [v, depth, path] = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof Date) continue;
    if (depth > max) return printable(path, 120);
    for (const [k, x] of Object.entries(v)) stack.push([x, depth + 1, Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k]);
  }
  return undefined;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** TOML values come back with class prototypes and Date objects; normalise to plain JSON data. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

let exampleCache: Record<string, unknown> | undefined;
export function exampleMonitoring(): Record<string, unknown> {
  if (!exampleCache) exampleCache = plain(parseToml(readFileSync(exampleConfigPath(), 'utf8'), exampleConfigPath())) as Record<string, unknown>;
  return exampleCache;
}

/** monitoring.toml over the defaults of config/monitoring.example.toml; a missing file means the defaults. */
export function loadMonitoring(ws: Workspace): Monitoring {
  const rel = PATHS.monitoring;
  const text = readText(ws, rel, MAX_CONFIG_BYTES);
  const user = text === undefined ? {} : (plain(parseToml(text, ws.display(rel))) as Record<string, unknown>);
  guardServerSecrets(user, ws.display(rel));
  // Validate the user's own file first so messages point at what they wrote.
  validate(ws, rel, Monitoring, user);
  return validate(ws, rel, Monitoring, deepMerge(exampleMonitoring(), user));
}

// ---------------------------------------------------------------------------------------------------------

export interface ResolvedEnvironment {
  name: string;
  config: Environment;
  accountId?: string;
}

export function resolveEnvironment(ws: Workspace, envs: Environments, creds: Credentials | undefined, name: string | undefined): ResolvedEnvironment {
  const known = Object.keys(envs.environments);
  if (!name) {
    throw new HelmError('usage', 'no environment given', { keyPath: '--env', fix: `pass --env with one of: ${known.join(', ')}` });
  }
  if (!NAME_RE.test(name)) {
    throw new HelmError('input', `"${printable(name)}" is not a valid environment name`, {
      keyPath: '--env',
      expected: 'letters, digits, ".", "_" or "-"; no path separators',
      fix: `use one of: ${known.join(', ')}`,
    });
  }
  const config = envs.environments[name];
  if (!config) {
    const near = closest(name, known);
    throw new HelmError('input', `unknown environment "${name}"`, {
      file: ws.display(PATHS.environments),
      keyPath: `environments.${name}`,
      fix: near ? `did you mean --env=${near}? Known: ${known.join(', ')}` : `use one of: ${known.join(', ')}, or add it to the file`,
    });
  }
  let accountId = config.account_id;
  if (config.aws_profile && creds) {
    const profile = creds.profiles[config.aws_profile];
    if (!profile) {
      throw new HelmError('config', `environment "${name}" uses profile "${config.aws_profile}", which is not listed`, {
        file: ws.display(PATHS.credentials),
        keyPath: `profiles.${config.aws_profile}`,
        fix: `add the profile with its account_id, or fix aws_profile in ${ws.display(PATHS.environments)}`,
      });
    }
    if (accountId && profile.account_id !== accountId) {
      throw new HelmError('config', `environment "${name}" says account ${accountId} but profile "${config.aws_profile}" is account ${profile.account_id}`, {
        file: ws.display(PATHS.environments),
        keyPath: `environments.${name}.account_id`,
        fix: 'make the two agree',
      });
    }
    accountId ??= profile.account_id;
  }
  return { name, config, accountId };
}

export interface LiveResource extends RegistryResource {
  project: string;
  deploymentId: string;
  version: string;
  deployedAt: string;
  region: string;
}

/** The newest deployment per (environment, project) is live; its resources are what we watch. */
export function liveResources(reg: Registry, env: string, defaultRegion: string): LiveResource[] {
  const newest = new Map<string, Deployment>();
  for (const d of reg.deployments) {
    if (d.environment !== env) continue;
    if (d.status === 'failed') continue;
    const cur = newest.get(d.project);
    if (!cur || Date.parse(d.deployed_at) > Date.parse(cur.deployed_at)) newest.set(d.project, d);
  }
  const out: LiveResource[] = [];
  for (const d of [...newest.values()].sort((a, b) => a.project.localeCompare(b.project))) {
    for (const r of d.resources) {
      out.push({ ...r, project: d.project, deploymentId: d.id, version: d.version, deployedAt: d.deployed_at, region: r.region ?? d.region ?? defaultRegion });
    }
  }
  return out;
}

/** All deployments of an environment, oldest first: the deploy timeline. */
export function deployTimeline(reg: Registry, env: string): Deployment[] {
  return reg.deployments.filter((d) => d.environment === env).sort((a, b) => Date.parse(a.deployed_at) - Date.parse(b.deployed_at));
}
