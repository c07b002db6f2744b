/**
 * moto server lifecycle for the sandbox demo and the test suite: a real AWS wire-protocol emulator on a free
 * loopback port. Found as HELM_CLOUD_MOTO_SERVER, the project's .venv, or `moto_server` on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageDir } from '../config/load.js';
import { HelmError } from '../errors.js';

export interface MotoServer {
  endpoint: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
  process: ChildProcess;
  /** The last lines moto wrote to stderr besides its request log (why it stopped, when it did). */
  stderrTail(): string;
}

export function motoBinary(): string {
  const fromEnv = process.env.HELM_CLOUD_MOTO_SERVER;
  if (fromEnv) return fromEnv;
  const venv = join(packageDir(), '.venv', 'bin', 'moto_server');
  if (existsSync(venv)) return venv;
  return 'moto_server';
}

export async function freePort(): Promise<number> {
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

export async function startMoto(opts: { port?: number; timeoutMs?: number } = {}): Promise<MotoServer> {
  const bin = motoBinary();
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await freePort());
    const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } });
    let stderr = '';
    let spawnError: Error | undefined;
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('error', (e) => {
      spawnError = e;
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (spawnError) {
        throw new HelmError('config', `cannot start the AWS emulator "${bin}": ${spawnError.message}`, {
          fix: "install it: python3 -m venv .venv && .venv/bin/pip install 'moto[server]' (or set HELM_CLOUD_MOTO_SERVER)",
        });
      }
      if (child.exitCode !== null || child.signalCode !== null) break;
      try {
        const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          return {
            endpoint,
            port,
            process: child,
            // Its request log and start-up banner go to stderr too; an error is what is left.
            stderrTail: () =>
              stderr
                .replace(/\x1b\[[0-9;]*m/g, '')
                .split('\n')
                .filter((l) => l.trim() && !/"(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) \S+ HTTP\/[\d.]+" \d{3}|Running on |Press CTRL\+C|development server/.test(l))
                .slice(-3)
                .join(' | '),
            reset: async () => {
              const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
              if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
            },
            stop: () =>
              new Promise<void>((resolve) => {
                // Killed by a signal, exitCode stays null: without signalCode this waited for an exit that had happened.
                if (child.exitCode !== null || child.signalCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
                setTimeout(() => child.kill('SIGKILL'), 3000).unref();
              }),
          };
        }
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    child.kill('SIGKILL');
    if (opts.port) throw new HelmError('config', `the AWS emulator did not start on port ${opts.port}: ${stderr.split('\n').filter(Boolean).pop() ?? 'no output'}`, { fix: 'choose another --port' });
  }
  throw new HelmError('config', 'the AWS emulator (moto_server) did not start', { fix: "check `moto_server --help` works; install with pip install 'moto[server]'" });
}
