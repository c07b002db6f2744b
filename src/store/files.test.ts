import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
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

  it('a byte-order mark at the start of a log or document (saved by an editor) costs no record', async () => {
    const b = fresh();
    writeFileSync(join(b.root, 'log.jsonl'), '\uFEFF{"n":1}\r\n{"n":2}\r\n');
    writeFileSync(join(b.root, 'doc.json'), '\uFEFF{"open":true}');
    const s = new Store(b);
    expect(await s.readLog('log.jsonl')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await s.readJson('doc.json')).toEqual({ open: true });
    expect(await s.updateJson<{ open: boolean }>('doc.json', (cur) => cur, { onInvalid: 'reset' })).toEqual({ open: true });
  });

  it('a log cut mid-record loses that record only, and NUL padding (a crash on some file systems) is skipped', async () => {
    const b = fresh();
    const s = new Store(b);
    for (let n = 1; n <= 3; n++) await s.append('a.jsonl', { n, text: 'x'.repeat(20) });
    const full = readFileSync(join(b.root, 'a.jsonl'));
    writeFileSync(join(b.root, 'a.jsonl'), Buffer.concat([full.subarray(0, full.length - 10), Buffer.alloc(16)]));
    expect(await s.readLog('a.jsonl')).toEqual([{ n: 1, text: 'x'.repeat(20) }, { n: 2, text: 'x'.repeat(20) }]);
    await s.append('a.jsonl', { n: 4 });
    expect((await s.readLog<{ n: number }>('a.jsonl')).map((r) => r.n)).toEqual([1, 2, 4]);
  });

  it('a directory where a state file belongs is a config error naming the file, for reads, writes and appends', async () => {
    const b = fresh();
    for (const d of ['doc.json', 'log.jsonl']) mkdirSync(join(b.root, 'st', d), { recursive: true });
    const s = new Store(b);
    const named = (file: string, op: string) => ({ kind: 'config', file: join(b.root, 'st', file), message: expect.stringMatching(new RegExp(`^cannot be ${op}: it is a directory`)), fix: expect.stringMatching(/remove or rename that directory/) });
    await expect(s.read('st/doc.json')).rejects.toMatchObject(named('doc.json', 'read'));
    await expect(s.readLog('st/log.jsonl')).rejects.toMatchObject(named('log.jsonl', 'read'));
    await expect(s.append('st/log.jsonl', { a: 1 })).rejects.toMatchObject(named('log.jsonl', 'written'));
    await expect(s.replaceJson('st/doc.json', { a: 1 })).rejects.toMatchObject(named('doc.json', 'written'));
  });

  it('a file where a state folder belongs is a config error naming the path', async () => {
    const b = fresh();
    writeFileSync(join(b.root, 'state'), 'not a folder');
    const s = new Store(b);
    await expect(s.replaceJson('state/circuit.json', {})).rejects.toMatchObject({ kind: 'config', message: expect.stringMatching(/a folder on its path is a file/) });
    await expect(s.append('state/trust.jsonl', {})).rejects.toMatchObject({ kind: 'config', message: expect.stringMatching(/a folder on its path is a file/) });
    await expect(s.read('state/circuit.json')).rejects.toMatchObject({ kind: 'config', message: expect.stringMatching(/^cannot be read/) });
  });

  // Root ignores permission bits: there the folder is made immutable (chattr +i, ext4 and most Linux file
  // systems); elsewhere chmod makes it read-only. Where neither works the case cannot be set up and is skipped.
  const readOnly = (dir: string): (() => void) | undefined => {
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o555);
      return () => chmodSync(dir, 0o755);
    }
    if (spawnSync('chattr', ['+i', dir]).status !== 0) return undefined;
    return () => void spawnSync('chattr', ['-i', dir]);
  };
  const probe = fresh();
  mkdirSync(join(probe.root, 'p'));
  const undo = readOnly(join(probe.root, 'p'));
  undo?.();

  it.skipIf(!undo)('a read-only state folder: writes fail with a message naming the file and leave the old file intact', async () => {
    const b = fresh();
    const s = new Store(b);
    await s.replaceJson('st/circuit.json', { old: true });
    await s.append('st/trust.jsonl', { n: 1 });
    const restore = readOnly(join(b.root, 'st'))!;
    try {
      await expect(s.replaceJson('st/circuit.json', { new: true })).rejects.toMatchObject({ kind: 'config', file: join(b.root, 'st/circuit.json'), message: expect.stringMatching(/cannot be written: (permission denied|the file system is read-only); the previous file, if any, is unchanged/) });
      await expect(s.withLock('st/other.json', () => 1)).rejects.toMatchObject({ kind: 'config', message: expect.stringMatching(/cannot be written/) });
    } finally {
      restore();
    }
    expect(await s.readJson('st/circuit.json')).toEqual({ old: true });
    expect(readdirSync(join(b.root, 'st')).sort()).toEqual(['circuit.json', 'trust.jsonl']);
  });
});
