/**
 * The one state store. Everything helm-cloud persists (reports, domain status, Helm issue records, escalations,
 * the actions log, remediation locks, and each family's state) goes through a `Store`; nothing else writes state.
 *
 * A backend implements a handful of primitives over string keys (paths relative to `.fractary`, `/`-separated):
 * read, atomic replace, create-if-absent, remove, list, append to a log, read a log, and a lock with a holder
 * record. The files backend (`files.ts`) is what ships; the primitives are the ones a DynamoDB table with
 * conditional writes offers (`attribute_not_exists` for create and for taking a lock, a version attribute for
 * `update`, a sort key per log record), the way Terraform's S3 backend locks, so a shared backend can come later
 * without touching callers.
 *
 * How a family uses it (state under `.fractary/plugins/helm-cloud/<family>/`):
 *
 *     import { storeOf } from '../store/index.js';
 *     const alerts = storeOf(ctx.ws).family('alerts');
 *     await alerts.replaceJson('silences.json', silences);              // atomic replace
 *     await alerts.updateJson<Acks>('acks.json', (cur) => ({ ...cur, [id]: who })); // locked read-modify-write
 *     await alerts.append('events.jsonl', { at, kind: 'ack', id });      // append-only log
 *     const events = await alerts.readLog('events.jsonl');              // parseable records, oldest first
 *     const lease = await alerts.lease('locks/route.lock', { what: 'route update', operator }); // long-held lock
 *
 * Rules: `update`'s change function may run more than once (an optimistic backend retries on conflict), so it
 * must depend only on its argument; return `undefined` from it to leave the document unchanged.
 */
import { HelmError } from '../errors.js';

/** Who holds a lock: written into the lock so a waiting process can name the holder and recover a dead one. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  acquiredAt: string;
  [k: string]: unknown;
}

export type TryLock = { ok: true; release: () => Promise<void>; recovered?: LockHolder } | { ok: false; holder: LockHolder | undefined };

/** What a storage backend provides. Keys are `/`-separated paths relative to the `.fractary` folder. */
export interface StoreBackend {
  /** How a key is shown to users in messages (a path relative to the working directory for files). */
  display(key: string): string;
  /** Where the document lives, for errors that name a file (absolute path for files). */
  location(key: string): string;
  read(key: string): Promise<string | undefined>;
  /** Atomic replace: a reader (or a crash) sees the old document or the new one, never part of one. */
  replace(key: string, content: string): Promise<void>;
  /** Writes only when the key is absent; false when it exists (O_EXCL; DynamoDB `attribute_not_exists`). */
  create(key: string, content: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Names of the documents directly under a prefix, sorted; names starting with "." are internal and left out. */
  list(prefix: string): Promise<string[]>;
  /** Appends one record as a whole; returns its 1-based position in the log. A torn tail never swallows it. */
  append(log: string, record: unknown): Promise<{ seq: number }>;
  /** Every parseable record, oldest first; a torn record (a run killed mid-write) is skipped. */
  readLog(log: string): Promise<unknown[]>;
  /**
   * Takes the lock `key` unless a live holder has it. A holder is stale (and recovered) when it is older than
   * `staleMs` or its process is gone (same host). Never waits.
   */
  tryLock(key: string, holder: Omit<LockHolder, 'pid' | 'host'>, staleMs: number, now: number): Promise<TryLock>;
}

export interface LockOptions {
  /** What is locked, for the "is being updated by another process" message. */
  what?: string;
  /** How long to wait for another holder (default 10 s). */
  waitMs?: number;
  /** Age after which a holder is abandoned (default 30 s: no short update takes that long). */
  staleMs?: number;
}

const WAIT_MS = 10_000;
const SHORT_STALE_MS = 30_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function join(prefix: string, key: string): string {
  if (!prefix) return key;
  return key ? `${prefix}/${key}` : prefix;
}

/** A byte-order mark (the file saved by an editor) is not part of the JSON; JSON.parse would refuse it. */
const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The lock that guards a document: `.<name>.lock` beside it (`helm/issues/.infra-001.lock`). */
export function lockKeyOf(key: string): string {
  const slash = key.lastIndexOf('/');
  const dir = slash < 0 ? '' : key.slice(0, slash);
  const name = key.slice(slash + 1).replace(/\.json$/, '');
  return join(dir, `.${name}.lock`);
}

/** A backend seen through a key prefix, with JSON conveniences. Cheap to make; holds no state of its own. */
export class Store {
  constructor(
    readonly backend: StoreBackend,
    readonly prefix = '',
  ) {}

  /** The store of one family: `.fractary/plugins/helm-cloud/<name>/`. */
  family(name: string): Store {
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new HelmError('internal', `bad store family name "${name}"`);
    return new Store(this.backend, `plugins/helm-cloud/${name}`);
  }

  /** The same store under a sub-prefix (`store.scope('helm/issues')`). */
  scope(sub: string): Store {
    return new Store(this.backend, join(this.prefix, sub));
  }

  /** Full key (relative to `.fractary`) of a key of this store. */
  key(k: string): string {
    return join(this.prefix, k);
  }

  display(k: string): string {
    return this.backend.display(this.key(k));
  }

  location(k: string): string {
    return this.backend.location(this.key(k));
  }

  read(k: string): Promise<string | undefined> {
    return this.backend.read(this.key(k));
  }

  /** The parsed document; undefined when absent. Invalid JSON goes to `onInvalid` (default: a config error naming the file). */
  async readJson<T = unknown>(k: string, onInvalid?: (e: Error) => T | undefined): Promise<T | undefined> {
    const text = await this.read(k);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(stripBom(text)) as T;
    } catch (e) {
      if (onInvalid) return onInvalid(e as Error);
      throw new HelmError('config', `invalid JSON: ${(e as Error).message}`, { file: this.display(k), fix: 'restore the file or remove it' });
    }
  }

  replace(k: string, content: string): Promise<void> {
    return this.backend.replace(this.key(k), content);
  }

  replaceJson(k: string, value: unknown): Promise<void> {
    return this.replace(k, JSON.stringify(value, null, 2) + '\n');
  }

  create(k: string, content: string): Promise<boolean> {
    return this.backend.create(this.key(k), content);
  }

  createJson(k: string, value: unknown): Promise<boolean> {
    return this.create(k, JSON.stringify(value, null, 2) + '\n');
  }

  remove(k: string): Promise<void> {
    return this.backend.remove(this.key(k));
  }

  list(sub = ''): Promise<string[]> {
    return this.backend.list(this.key(sub));
  }

  append(log: string, record: unknown): Promise<{ seq: number }> {
    return this.backend.append(this.key(log), record);
  }

  /** Records of a log, oldest first; `accept` drops records of the wrong shape. */
  async readLog<T = unknown>(log: string, accept?: (r: unknown) => r is T): Promise<T[]> {
    const all = await this.backend.readLog(this.key(log));
    return (accept ? all.filter(accept) : all) as T[];
  }

  /**
   * Runs `f` holding the short lock of document `k` (waiting up to `waitMs` for another holder). Use it when one
   * logical change spans several documents; for one document use `update`.
   */
  async withLock<T>(k: string, f: () => Promise<T> | T, opts: LockOptions = {}): Promise<T> {
    const lockKey = lockKeyOf(this.key(k));
    const deadline = Date.now() + (opts.waitMs ?? WAIT_MS);
    for (;;) {
      const got = await this.backend.tryLock(lockKey, { acquiredAt: new Date().toISOString(), what: opts.what ?? k }, opts.staleMs ?? SHORT_STALE_MS, Date.now());
      if (got.ok) {
        try {
          return await f();
        } finally {
          await got.release();
        }
      }
      if (Date.now() > deadline) {
        throw new HelmError('action-failed', `${opts.what ?? k} is being updated by another process`, {
          file: this.backend.display(lockKey),
          fix: 'retry; if no helm-cloud process is running, remove the lock file',
        });
      }
      await sleep(5 + Math.floor(Math.random() * 10));
    }
  }

  /** Locked read-modify-write of one text document; `change` returns the new text, or undefined to leave it. */
  async update(k: string, change: (current: string | undefined) => string | undefined | Promise<string | undefined>, opts: LockOptions = {}): Promise<string | undefined> {
    return this.withLock(
      k,
      async () => {
        const cur = await this.read(k);
        const next = await change(cur);
        if (next === undefined) return cur;
        await this.replace(k, next);
        return next;
      },
      opts,
    );
  }

  /** `update` on a JSON document. Invalid JSON reaches `change` as undefined when `onInvalid` is 'reset', else it is a config error. */
  async updateJson<T>(k: string, change: (current: T | undefined) => T | undefined | Promise<T | undefined>, opts: LockOptions & { onInvalid?: 'reset' | 'error' } = {}): Promise<T | undefined> {
    let result: T | undefined;
    await this.update(
      k,
      async (text) => {
        let cur: T | undefined;
        if (text !== undefined) {
          try {
            cur = JSON.parse(stripBom(text)) as T;
          } catch (e) {
            if (opts.onInvalid !== 'reset') throw new HelmError('config', `invalid JSON: ${(e as Error).message}`, { file: this.display(k), fix: 'restore the file or remove it' });
          }
        }
        const next = await change(cur);
        result = next ?? cur;
        return next === undefined ? undefined : JSON.stringify(next, null, 2) + '\n';
      },
      opts,
    );
    return result;
  }

  /**
   * A long-held lock (a remediation's lock on its target), taken without waiting. Returns the holder when someone
   * alive has it; a stale holder (dead process on this host, or older than `staleMs`) is recovered and reported.
   */
  async lease(k: string, info: Record<string, unknown>, staleMs: number, now: number): Promise<TryLock> {
    return this.backend.tryLock(this.key(k), { ...info, acquiredAt: new Date(now).toISOString() }, staleMs, now);
  }
}
