/**
 * Resolves a secret reference from the config — `env:VAR`, `file:PATH` (~ expanded; first line), or
 * `keychain:NAME` (the OS keychain, service "helm-cloud", through @napi-rs/keyring: macOS Keychain, Windows
 * Credential Manager, the Secret Service on Linux) — at the moment a backend needs it. Tokens never live in the
 * config itself (the schema refuses anything that is not a reference) and never appear in messages.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HelmError } from '../../errors.js';

export const KEYCHAIN_SERVICE = 'helm-cloud';

export async function resolveSecret(ref: string, where: { file: string; keyPath: string }): Promise<string> {
  const i = ref.indexOf(':');
  const kind = ref.slice(0, i);
  const name = ref.slice(i + 1);
  const fail = (msg: string, fix: string) => new HelmError('config', msg, { file: where.file, keyPath: where.keyPath, fix });
  if (kind === 'env') {
    const v = process.env[name];
    if (!v || !v.trim()) throw fail(`the environment variable ${name} is not set`, `export ${name}=<token> (or point ${where.keyPath} at file: or keychain:)`);
    return v.trim();
  }
  if (kind === 'file') {
    const path = name.startsWith('~/') ? join(homedir(), name.slice(2)) : name;
    if (!existsSync(path) || !statSync(path).isFile()) throw fail(`token file ${path} not found`, `write the token to ${path} (mode 600)`);
    const v = readFileSync(path, 'utf8').split('\n')[0]!.trim();
    if (!v) throw fail(`token file ${path} is empty`, `write the token on its first line`);
    return v;
  }
  if (kind === 'keychain') {
    let entry: { getPassword(): string | null };
    try {
      const { Entry } = await import('@napi-rs/keyring');
      entry = new Entry(KEYCHAIN_SERVICE, name);
    } catch (e) {
      throw fail(`the OS keychain is not available (${String((e as Error).message).split('\n')[0]})`, 'use env: or file: instead');
    }
    let v: string | null;
    try {
      v = entry.getPassword();
    } catch (e) {
      throw fail(`the OS keychain could not be read (${String((e as Error).message).split('\n')[0]})`, 'unlock the keychain, or use env: or file: instead');
    }
    if (!v) throw fail(`no keychain entry "${name}" for service "${KEYCHAIN_SERVICE}"`, `store it first (e.g. macOS: security add-generic-password -s ${KEYCHAIN_SERVICE} -a ${name} -w; Linux: secret-tool store --label=${name} service ${KEYCHAIN_SERVICE} username ${name})`);
    return v;
  }
  throw fail(`"${kind}" is not a secret reference`, 'use env:VAR, file:PATH or keychain:NAME');
}
