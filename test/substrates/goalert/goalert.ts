/**
 * A real GoAlert (v0.34.1, built by scripts/substrates/goalert.sh) on a private PostgreSQL, both on free loopback
 * ports: initdb + pg_ctl as the postgres user, `goalert migrate`, `goalert add-user --admin`, then the server with
 * a 1 s engine cycle. `stop()` ends both and removes the data; a process-exit hook does the same when a test
 * crashes, so nothing is left running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const GOALERT_VERSION = 'v0.34.1';
export const ADMIN = { user: 'admin', password: 'admin123!' };

export function goalertBinary(): string {
  const cache = process.env.HELM_CLOUD_CACHE ?? join(homedir(), '.cache', 'helm-cloud');
  return join(cache, `goalert-${GOALERT_VERSION}`, 'bin', 'goalert');
}

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions[versions.length - 1]!, 'bin') : undefined;
}

/** Why GoAlert cannot run here, or undefined when it can. */
export function goalertMissing(): string | undefined {
  if (!existsSync(goalertBinary())) return `GoAlert ${GOALERT_VERSION} is not built at ${goalertBinary()}: run \`bash scripts/substrates/goalert.sh test\``;
  if (!pgBin()) return 'PostgreSQL is not installed: run `bash scripts/substrates/goalert.sh test` (as root) or `apt-get install postgresql`';
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface GoAlertServer {
  url: string;
  dbUrl: string;
  token: string;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root). */
function pg(tool: string, args: string[]): void {
  const bin = join(pgBin()!, tool);
  const r = asRoot() ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 800)}`);
}

async function waitFor(url: string, timeoutMs: number, proc: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`goalert exited (${proc.exitCode}): ${log().slice(-1500)}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`goalert did not become ready in ${timeoutMs} ms: ${log().slice(-1500)}`);
}

export async function login(url: string, user = ADMIN.user, password = ADMIN.password): Promise<string> {
  const res = await fetch(`${url}/api/v2/identity/providers/basic?noRedirect=1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Referer: `${url}/` },
    body: new URLSearchParams({ username: user, password }).toString(),
  });
  if (!res.ok) throw new Error(`goalert login failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.text()).trim();
}

export async function startGoAlert(opts: { timeoutMs?: number } = {}): Promise<GoAlertServer> {
  const missing = goalertMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'helm-goalert-'));
  const data = join(dir, 'pg');
  if (asRoot()) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
  const pgPort = await freePort();
  let started = false;
  let proc: ChildProcess | undefined;
  const cleanup = () => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    if (started) {
      try {
        pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  try {
    pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    pg('pg_ctl', ['-D', data, '-l', join(dir, 'pg.log'), '-o', `-c listen_addresses=127.0.0.1 -p ${pgPort} -k ${data} -c fsync=off`, '-w', 'start']);
    started = true;
    const dbUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres?sslmode=disable`;
    const bin = goalertBinary();
    const run = (args: string[]) => {
      const r = spawnSync(bin, [...args, '--db-url', dbUrl], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`goalert ${args[0]} failed: ${(r.stderr || r.stdout).slice(-800)}`);
    };
    run(['migrate']);
    run(['add-user', '--admin', '--user', ADMIN.user, '--pass', ADMIN.password, '--email', 'admin@example.test']);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    proc = spawn(bin, ['--db-url', dbUrl, '--listen', `127.0.0.1:${port}`, '--public-url', url, '--engine-cycle-time', '1s', '--log-errors-only'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: dir, USER: userInfo().username },
    });
    proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
    proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
    await waitFor(`${url}/health`, opts.timeoutMs ?? 60_000, proc, () => log);
    const token = await login(url);
    const gql = async <T,>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const r = await fetch(`${url}/api/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      const body = (await r.json()) as { data?: T; errors?: Array<{ message: string }> };
      if (body.errors?.length) throw new Error(`goalert graphql: ${body.errors.map((e) => e.message).join('; ')}`);
      return body.data as T;
    };
    return {
      url,
      dbUrl,
      token,
      gql,
      async stop() {
        process.removeListener('exit', cleanup);
        if (proc && proc.exitCode === null) {
          const p = proc;
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => p.kill('SIGKILL'), 5000);
            p.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            p.kill('SIGTERM');
          });
        }
        cleanup();
      },
    };
  } catch (e) {
    process.removeListener('exit', cleanup);
    cleanup();
    throw e;
  }
}
