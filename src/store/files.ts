/**
 * The files backend of the store: documents are files under `.fractary`, replaced atomically (temp + fsync +
 * rename); logs are JSONL files appended with O_APPEND; locks are files created with link(2), which fails when the
 * lock exists and makes the holder record appear whole or not at all.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, openSync, closeSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appendJsonLine, writeFileAtomic } from './atomic.js';
import type { LockHolder, StoreBackend, TryLock } from './store.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return h && typeof h === 'object' ? h : undefined;
  } catch {
    return undefined;
  }
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.acquiredAt === b.acquiredAt && a.token === b.token;
}

export class FileBackend implements StoreBackend {
  constructor(
    /** Absolute path of the `.fractary` folder. */
    readonly root: string,
    private readonly shown: (key: string) => string = (k) => join(root, k),
  ) {}

  location(key: string): string {
    return join(this.root, key);
  }

  display(key: string): string {
    return this.shown(key);
  }

  async read(key: string): Promise<string | undefined> {
    try {
      return readFileSync(this.location(key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async replace(key: string, content: string): Promise<void> {
    writeFileAtomic(this.location(key), content);
  }

  async create(key: string, content: string): Promise<boolean> {
    const path = this.location(key);
    mkdirSync(dirname(path), { recursive: true });
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  async remove(key: string): Promise<void> {
    try {
      unlinkSync(this.location(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.location(prefix);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  }

  async append(log: string, record: unknown): Promise<{ seq: number }> {
    const path = this.location(log);
    const line = JSON.stringify(record);
    appendJsonLine(path, record);
    // The newest line equal to ours: concurrent appenders may have added lines after it.
    const lines = readFileSync(path, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i] === line) return { seq: i + 1 };
    return { seq: 0 };
  }

  async readLog(log: string): Promise<unknown[]> {
    let text: string;
    try {
      text = readFileSync(this.location(log), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: unknown[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // A torn last line from a killed run; the rest of the log is still good.
      }
    }
    return out;
  }

  async tryLock(key: string, info: Omit<LockHolder, 'pid' | 'host'>, staleMs: number, now: number): Promise<TryLock> {
    const path = this.location(key);
    mkdirSync(dirname(path), { recursive: true });
    const holder: LockHolder = { ...info, pid: process.pid, host: hostname(), acquiredAt: String(info.acquiredAt), token: randomBytes(6).toString('hex') };
    let recovered: LockHolder | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      // Write the holder to a private file, then link it into place: link fails with EEXIST when the lock is held.
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      writeFileSync(tmp, JSON.stringify(holder), { mode: 0o644 });
      try {
        linkSync(tmp, path);
        return { ok: true, recovered, release: async () => this.release(path, holder) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        try {
          unlinkSync(tmp);
        } catch {
          /* already gone */
        }
      }
      const cur = readHolder(path);
      // Released between our link and this read: try again rather than judge a lock that is not there.
      if (!cur && !existsSync(path)) continue;
      if (!this.stale(path, cur, staleMs, now)) return { ok: false, holder: cur };
      // Stale: move it aside so only one recoverer wins; if what moved is a fresh lock taken meanwhile, put it back.
      const aside = `${path}.stale-${process.pid}-${randomBytes(2).toString('hex')}`;
      try {
        renameSync(path, aside);
        const moved = readHolder(aside);
        // What we moved must be the very lock we judged stale; anything else (a fresh holder) goes back.
        if (moved && (!cur || !sameHolder(moved, cur))) {
          try {
            linkSync(aside, path);
          } catch {
            /* someone else holds it now */
          }
        } else {
          recovered = cur;
        }
        unlinkSync(aside);
      } catch {
        // Another process recovered it first.
      }
    }
    return { ok: false, holder: readHolder(path) };
  }

  private stale(path: string, h: LockHolder | undefined, staleMs: number, now: number): boolean {
    if (!h || typeof h.acquiredAt !== 'string') {
      // Unreadable (an old empty lock file): judge by its age.
      try {
        return now - statSync(path).mtimeMs > staleMs;
      } catch {
        // Gone: not stale, just released.
        return false;
      }
    }
    if (h.host === hostname() && typeof h.pid === 'number' && !alive(h.pid)) return true;
    const age = now - Date.parse(h.acquiredAt);
    return !(age <= staleMs);
  }

  private release(path: string, holder: LockHolder): void {
    const cur = readHolder(path);
    if (cur && sameHolder(cur, holder)) {
      try {
        unlinkSync(path);
      } catch {
        /* already released */
      }
    }
  }
}
