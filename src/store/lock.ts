/**
 * A lock per target guards concurrent remediations (`plugins/helm-cloud/locks/<env>--<target>.lock`). It holds
 * pid, host, operator, action and time; a lock whose process is dead (same host) or older than the stale limit
 * is recovered.
 */
import { PATHS, type Workspace } from '../config/load.js';
import { HelmError } from '../errors.js';
import { storeOf, type Store } from './index.js';

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
  release(): Promise<void>;
}

const STALE_MS = 30 * 60 * 1000;

export function lockName(env: string, target: string): string {
  return `${env}--${target}`.replace(/[^A-Za-z0-9._-]/g, '_') + '.lock';
}

export async function acquireLock(ws: Workspace | Store, info: Omit<LockInfo, 'pid' | 'host' | 'acquiredAt'>, now = Date.now()): Promise<Lock> {
  const store = storeOf(ws);
  const key = `${PATHS.locks}/${lockName(info.env, info.target)}`;
  const path = store.location(key);
  const got = await store.lease(key, info, STALE_MS, now);
  if (got.ok) return { path, recovered: got.recovered as LockInfo | undefined, release: got.release };
  const holder = got.holder as LockInfo | undefined;
  if (!holder) throw new HelmError('action-failed', `could not acquire the lock for ${info.target}`, { file: path, fix: 'retry' });
  throw new HelmError(
    'action-failed',
    `${info.target} is locked by another remediation: ${holder.operator} (pid ${holder.pid} on ${holder.host}) running ${holder.action} since ${holder.acquiredAt}`,
    { file: path, fix: 'wait for it to finish; if that process is gone, the lock is recovered automatically' },
  );
}
