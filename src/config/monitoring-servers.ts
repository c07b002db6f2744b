/**
 * Where Prometheus and Alertmanager are, and how to authenticate. URL precedence: PROMETHEUS_URL /
 * ALERTMANAGER_URL in the environment, then the environment's `prometheus_url` / `alertmanager_url` in
 * environments.json, then `[prometheus] url` / `[alertmanager] url` in monitoring.toml. Credentials come only
 * from the environment (<KIND>_BEARER_TOKEN, <KIND>_USERNAME + <KIND>_PASSWORD) or from files (<KIND>_BEARER_TOKEN_FILE,
 * <KIND>_PASSWORD_FILE, or `bearer_token_file` / `password_file` in monitoring.toml); never from a config value.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Endpoint } from '../adapters/http/json-api.js';
import { durationMs } from '../core/duration.js';
import { HelmError } from '../errors.js';
import { findSecrets } from './secret-guard.js';
import type { MonitoringServer } from './prometheus-schema.js';
import type { Environment } from './schemas.js';

export type ServerKind = 'prometheus' | 'alertmanager';
const NAME: Record<ServerKind, string> = { prometheus: 'Prometheus', alertmanager: 'Alertmanager' };

export interface ServerSources {
  /** `[prometheus]` / `[alertmanager]` of monitoring.toml, when a workspace exists. */
  file?: MonitoringServer;
  /** Display path of monitoring.toml (for messages). */
  fileDisplay?: string;
  /** The selected environment, if any. */
  env?: { name: string; config: Environment; display: string };
  /** Base folder for relative `*_file` paths (the project folder). */
  baseDir: string;
  vars: NodeJS.ProcessEnv;
  /** --timeout in ms (wins over the file). */
  timeoutMs?: number;
}


function readSecretFile(path: string, baseDir: string, where: string): string {
  const abs = isAbsolute(path) ? path : resolve(baseDir, path);
  try {
    return readFileSync(abs, 'utf8').trim();
  } catch (e) {
    throw new HelmError('config', `cannot read the credentials file ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { keyPath: where, fix: 'point it at a readable file holding only the secret' });
  }
}

/** Resolves the endpoint, or undefined when no URL is configured anywhere. */
export function resolveServer(kind: ServerKind, s: ServerSources): Endpoint | undefined {
  const VAR = kind.toUpperCase();
  const fromVar = s.vars[`${VAR}_URL`]?.trim();
  const fromEnv = kind === 'prometheus' ? s.env?.config.prometheus_url : s.env?.config.alertmanager_url;
  const fromFile = s.file?.url;
  const url = fromVar || fromEnv || fromFile;
  if (!url) return undefined;
  const source = fromVar
    ? `${VAR}_URL`
    : fromEnv
      ? `${s.env!.display}: environments.${s.env!.name}.${kind}_url`
      : `${s.fileDisplay ?? 'monitoring.toml'}: [${kind}] url`;
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (!/^https?:$/.test(parsed.protocol)) throw new Error('not http');
  } catch {
    throw new HelmError('config', `"${url.slice(0, 80)}" is not an http(s) URL`, { keyPath: source, fix: `e.g. http://127.0.0.1:${kind === 'prometheus' ? 9090 : 9093}` });
  }
  if (parsed.username || parsed.password) {
    throw new HelmError('config', `the ${NAME[kind]} URL carries credentials`, { keyPath: source, fix: `remove them from the URL; set ${VAR}_USERNAME and ${VAR}_PASSWORD (or ${VAR}_PASSWORD_FILE) instead` });
  }
  const timeoutMs = s.timeoutMs ?? durationMs(s.file?.timeout ?? '30s')!;
  const token = s.vars[`${VAR}_BEARER_TOKEN`] || (s.vars[`${VAR}_BEARER_TOKEN_FILE`] ? readSecretFile(s.vars[`${VAR}_BEARER_TOKEN_FILE`]!, s.baseDir, `${VAR}_BEARER_TOKEN_FILE`) : undefined) || (s.file?.bearer_token_file ? readSecretFile(s.file.bearer_token_file, s.baseDir, `[${kind}] bearer_token_file`) : undefined);
  const user = s.vars[`${VAR}_USERNAME`] || s.file?.username;
  const password =
    s.vars[`${VAR}_PASSWORD`] ||
    (s.vars[`${VAR}_PASSWORD_FILE`] ? readSecretFile(s.vars[`${VAR}_PASSWORD_FILE`]!, s.baseDir, `${VAR}_PASSWORD_FILE`) : undefined) ||
    (s.file?.password_file ? readSecretFile(s.file.password_file, s.baseDir, `[${kind}] password_file`) : undefined);
  if (token && user) throw new HelmError('config', `both a bearer token and basic auth are set for ${NAME[kind]}`, { fix: 'keep one of them' });
  if (user && password === undefined) throw new HelmError('config', `${NAME[kind]} username set without a password`, { fix: `set ${VAR}_PASSWORD or ${VAR}_PASSWORD_FILE (or [${kind}] password_file)` });
  const authorization = token ? `Bearer ${token}` : user ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : undefined;
  return { kind: NAME[kind], url: url.replace(/\/+$/, ''), source, timeoutMs, authorization };
}

/** The error for a command that needs a server nobody configured. */
export function notConfigured(kind: ServerKind, fileDisplay = '.fractary/plugins/helm-cloud/monitoring.toml'): HelmError {
  const VAR = kind.toUpperCase();
  return new HelmError('config', `no ${NAME[kind]} URL is configured`, {
    fix: `set ${VAR}_URL, or ${kind}_url for the environment in environments.json, or [${kind}] url in ${fileDisplay}`,
  });
}

/**
 * Secrets written into monitoring.toml's server tables are refused before anything uses them: `*_file`
 * keys hold paths and `username` a name; anything else that names or looks like a secret is an error.
 */
export function guardServerSecrets(user: Record<string, unknown>, display: string): void {
  for (const kind of ['prometheus', 'alertmanager'] as const) {
    const table = user[kind];
    if (!table || typeof table !== 'object') continue;
    const hits = findSecrets(table, [kind]).filter((h) => !/_file$/.test(h.keyPath));
    if (hits.length) {
      const VAR = kind.toUpperCase();
      throw new HelmError('config', `refused: ${hits[0]!.reason}; credentials never belong in a config file`, {
        file: display,
        keyPath: hits[0]!.keyPath,
        fix: `remove it (and rotate it if the file is in version control); use ${VAR}_BEARER_TOKEN / ${VAR}_PASSWORD in the environment, or bearer_token_file / password_file naming a file`,
      });
    }
  }
}
