import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { storeContract } from '../../test/support/store-contract.js';
import { FileBackend, Store, lockKeyOf } from './index.js';

const fresh = () => new FileBackend(mkdtempSync(join(tmpdir(), 'helm-store-')));
storeContract('files', fresh);

describe('files backend', () => {
  it('keeps the file layout of today: a document is the file at its key, its lock a dotfile beside it', async () => {
    const b = fresh();
    const s = new Store(b);
    await s.replaceJson('helm/issues/infra-001.json', { id: 'infra-001' });
    expect(JSON.parse(readFileSync(join(b.root, 'helm/issues/infra-001.json'), 'utf8'))).toEqual({ id: 'infra-001' });
    expect(lockKeyOf('helm/issues/infra-001.json')).toBe('helm/issues/.infra-001.lock');
    await s.withLock('helm/issues/infra-001.json', () => expect(readdirSync(join(b.root, 'helm/issues'), { withFileTypes: false }).sort()).toEqual(['.infra-001.lock', 'infra-001.json']));
    expect(readdirSync(join(b.root, 'helm/issues'))).toEqual(['infra-001.json']);
  });

  it('an append after a torn tail (a run killed mid-write) starts on a new line; readers skip the fragment', async () => {
    const b = fresh();
    const s = new Store(b);
    await s.append('actions.jsonl', { a: 1 });
    appendFileSync(join(b.root, 'actions.jsonl'), '{"a":');
    expect((await s.append('actions.jsonl', { a: 2 })).seq).toBe(3);
    expect(await s.readLog('actions.jsonl')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('recovers a lock whose holder process is gone (same host), however recent', async () => {
    const b = fresh();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    mkdirSync(join(b.root, 'locks'), { recursive: true });
    writeFileSync(join(b.root, 'locks/x.lock'), JSON.stringify({ pid: dead, host: hostname(), operator: 'bob', acquiredAt: new Date().toISOString() }));
    const got = await new Store(b).lease('locks/x.lock', { operator: 'carol' }, 60 * 60_000, Date.now());
    expect(got).toMatchObject({ ok: true, recovered: { operator: 'bob', pid: dead } });
  });

  it('an unreadable lock file (an old empty lock) is judged by its age', async () => {
    const b = fresh();
    mkdirSync(join(b.root, 'd'), { recursive: true });
    writeFileSync(join(b.root, 'd/.r.lock'), '');
    const s = new Store(b);
    await expect(s.withLock('d/r.json', () => 1, { waitMs: 50 })).rejects.toMatchObject({ kind: 'action-failed' });
    expect(await s.withLock('d/r.json', () => 1, { staleMs: -1 })).toBe(1);
  });

  it('an invalid JSON document is a config error naming its file', async () => {
    const b = fresh();
    writeFileSync(join(b.root, 'bad.json'), '{');
    await expect(new Store(b).readJson('bad.json')).rejects.toMatchObject({ kind: 'config', file: join(b.root, 'bad.json') });
  });
});
