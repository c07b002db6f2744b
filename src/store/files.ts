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
import { HelmError } from '../errors.js';

/**
 * A file-system refusal on a state file (a directory where the file belongs, no permission, a read-only or full
 * disk) as one message naming the file and the fix, instead of an internal error. Writes go through a temp file
 * and a rename, so a failed write leaves the previous file as it was; the message says so.
 */
export function fsProblem(e: unknown, shown: string, op: 'read' | 'write'): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const kept = op === 'write' ? '; the previous file, if any, is unchanged' : '';
  const say = (message: string, fix: string) => new HelmError('config', `cannot be ${op === 'read' ? 'read' : 'written'}: ${message}${kept}`, { file: shown, fix, cause: e });
  switch (code) {
    case 'EISDIR':
      return say('it is a directory, not a file', 'remove or rename that directory; helm-cloud keeps a file there');
    case 'ENOTDIR':
    case 'EEXIST':
      return say('a folder on its path is a file', 'remove or rename the file that stands where a folder of .fractary belongs');
    case 'EACCES':
    case 'EPERM':
      return say('permission denied', `give the user running helm-cloud ${op} access to it and its folder (chmod/chown)`);
    case 'EROFS':
      return say('the file system is read-only', 'run helm-cloud where .fractary is writable, or remount it read-write');
    case 'ENOSPC':
    case 'EDQUOT':
      return say('no space left on the device', 'free disk space and run again');
    case 'ELOOP':
      return say('a symbolic link on its path loops', 'fix the symbolic link');
    case 'ENAMETOOLONG':
      return say('the path is too long', 'use a shorter project path');
    default:
      return e;
  }
}

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
      throw fsProblem(e, this.display(key), 'read');
    }
  }

  async replace(key: string, content: string): Promise<void> {
    try {
      writeFileAtomic(this.location(key), content);
    } catch (e) {
      throw fsProblem(e, this.display(key), 'write');
    }
  }

  async create(key: string, content: string): Promise<boolean> {
    const path = this.location(key);
    let fd: number;
    try {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && existsSync(path)) return false;
      throw fsProblem(e, this.display(key), 'write');
    }
    try {
      writeSync(fd, content);
    } catch (e) {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
      throw fsProblem(e, this.display(key), 'write');
    }
    closeSync(fd);
    return true;
  }

  async remove(key: string): Promise<void> {
    try {
      unlinkSync(this.location(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsProblem(e, this.display(key), 'write');
    }
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.location(prefix);
    if (!existsSync(dir)) return [];
    try {
      return readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile() && !d.name.startsWith('.'))
        .map((d) => d.name)
        .sort();
    } catch (e) {
      throw fsProblem(e, this.display(prefix), 'read');
    }
  }

  async append(log: string, record: unknown): Promise<{ seq: number }> {
    const path = this.location(log);
    const line = JSON.stringify(record);
    let lines: string[];
    try {
      appendJsonLine(path, record);
      // The newest line equal to ours: concurrent appenders may have added lines after it.
      lines = readFileSync(path, 'utf8').split('\n');
    } catch (e) {
      throw fsProblem(e, this.display(log), 'write');
    }
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i] === line) return { seq: i + 1 };
    return { seq: 0 };
  }

  async readLog(log: string): Promise<unknown[]> {
    let text: string;
    try {
      text = readFileSync(this.location(log), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fsProblem(e, this.display(log), 'read');
    }
    const out: unknown[] = [];
    // A byte-order mark (the log opened and saved in an editor) must not cost the first record.
    for (const line of text.replace(/^\uFEFF/, '').split('\n')) {
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
    try {
      return this.lockOnce(key, info, staleMs, now);
    } catch (e) {
      throw fsProblem(e, this.display(key), 'write');
    }
  }

  private lockOnce(key: string, info: Omit<LockHolder, 'pid' | 'host'>, staleMs: number, now: number): TryLock {
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
