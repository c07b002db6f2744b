/**
 * A lock file per target guards concurrent remediations. Created with O_EXCL; holds pid, host, operator,
 * time. A lock whose process is dead (same host) or older than the stale limit is recovered.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HelmError } from '../errors.js';

export interface LockInfo {
  env: string;
  pid: number;
  host: string;
  operator: string;
  action: string;
  target: string;
  acquiredAt: string;
}

export interface Lock {
  path: string;
  recovered?: LockInfo;
  release(): void;
}

const STALE_MS = 30 * 60 * 1000;

export function lockName(env: string, target: string): string {
  return `${env}--${target}`.replace(/[^A-Za-z0-9._-]/g, '_') + '.lock';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

export function acquireLock(dir: string, info: Omit<LockInfo, 'pid' | 'host' | 'acquiredAt'>, now = Date.now()): Lock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, lockName(info.env, info.target));
  const record: LockInfo = { ...info, pid: process.pid, host: hostname(), acquiredAt: new Date(now).toISOString() };
  let recovered: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      return {
        path,
        recovered,
        release() {
          const cur = readLock(path);
          if (cur && cur.pid === record.pid && cur.host === record.host) {
            try {
              unlinkSync(path);
            } catch {
              /* already released */
            }
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(path);
      const age = holder ? now - Date.parse(holder.acquiredAt) : Infinity;
      const dead = !holder || (holder.host === hostname() && !alive(holder.pid)) || age > STALE_MS;
      if (!dead) {
        throw new HelmError(
          'action-failed',
          `${info.target} is locked by another remediation: ${holder!.operator} (pid ${holder!.pid} on ${holder!.host}) running ${holder!.action} since ${holder!.acquiredAt}`,
          { file: path, fix: 'wait for it to finish; if that process is gone, the lock is recovered automatically' },
        );
      }
      // Stale: move it aside atomically so only one recoverer wins, then retry the exclusive create.
      recovered = holder;
      try {
        renameSync(path, `${path}.stale-${process.pid}`);
        unlinkSync(`${path}.stale-${process.pid}`);
      } catch {
        /* another process recovered it first */
      }
    }
  }
  throw new HelmError('action-failed', `could not acquire the lock for ${info.target}`, { file: path, fix: 'retry' });
}
