/**
 * What every store backend must do, as tests. The files backend runs it (src/store/files.test.ts); a shared
 * backend (DynamoDB) runs the same cases against its server.
 */
import { describe, expect, it } from 'vitest';
import { Store, type StoreBackend } from '../../src/store/index.js';

export function storeContract(name: string, make: () => StoreBackend): void {
  describe(`store contract: ${name}`, () => {
    it('reads back what replace wrote, and undefined for an absent key', async () => {
      const s = new Store(make());
      expect(await s.read('a/b.json')).toBeUndefined();
      await s.replaceJson('a/b.json', { n: 1 });
      await s.replaceJson('a/b.json', { n: 2 });
      expect(await s.readJson('a/b.json')).toEqual({ n: 2 });
    });

    it('create writes only when the key is absent', async () => {
      const s = new Store(make());
      expect(await s.create('x.txt', 'first')).toBe(true);
      expect(await s.create('x.txt', 'second')).toBe(false);
      expect(await s.read('x.txt')).toBe('first');
    });

    it('lists the documents under a prefix, sorted, without internal (dot) names', async () => {
      const s = new Store(make());
      await s.replace('d/b.json', '{}');
      await s.replace('d/a.json', '{}');
      await s.withLock('d/c.json', async () => expect(await s.list('d')).toEqual(['a.json', 'b.json']));
      expect(await s.list('missing')).toEqual([]);
    });

    it('appends records in order, numbering them, and reads them back oldest first', async () => {
      const s = new Store(make());
      expect((await s.append('log.jsonl', { i: 1 })).seq).toBe(1);
      expect((await s.append('log.jsonl', { i: 2 })).seq).toBe(2);
      expect(await s.readLog('log.jsonl')).toEqual([{ i: 1 }, { i: 2 }]);
      expect(await s.readLog('none.jsonl')).toEqual([]);
    });

    it('update is a locked read-modify-write: concurrent updates lose nothing', async () => {
      const s = new Store(make());
      await Promise.all(Array.from({ length: 20 }, (_, i) => s.updateJson<number[]>('list.json', (cur) => [...(cur ?? []), i])));
      expect(((await s.readJson<number[]>('list.json')) ?? []).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('an update returning undefined leaves the document as it was', async () => {
      const s = new Store(make());
      await s.replace('keep.json', '{"a":1}\n');
      expect(await s.updateJson('keep.json', () => undefined)).toEqual({ a: 1 });
      expect(await s.read('keep.json')).toBe('{"a":1}\n');
    });

    it('a change that throws releases the lock and writes nothing', async () => {
      const s = new Store(make());
      await s.replaceJson('t.json', { v: 1 });
      await expect(s.updateJson('t.json', () => { throw new Error('refused'); })).rejects.toThrow('refused');
      expect(await s.updateJson<{ v: number }>('t.json', (c) => ({ v: c!.v + 1 }), { waitMs: 200 })).toEqual({ v: 2 });
    });

    it('withLock waits for a holder and gives up after waitMs naming what is locked', async () => {
      const s = new Store(make());
      let release!: () => void;
      const held = s.withLock('busy.json', () => new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 20));
      await expect(s.withLock('busy.json', () => 1, { what: 'the busy record', waitMs: 100 })).rejects.toMatchObject({ kind: 'action-failed', message: 'the busy record is being updated by another process' });
      release();
      await held;
      expect(await s.withLock('busy.json', () => 2)).toBe(2);
    });

    it('a lease is refused while its live holder has it, naming the holder, and free after release', async () => {
      const s = new Store(make());
      const now = Date.now();
      const a = await s.lease('locks/t.lock', { operator: 'alice' }, 60_000, now);
      expect(a.ok).toBe(true);
      const b = await s.lease('locks/t.lock', { operator: 'bob' }, 60_000, now);
      expect(b).toMatchObject({ ok: false, holder: { operator: 'alice', pid: process.pid } });
      if (a.ok) await a.release();
      expect((await s.lease('locks/t.lock', { operator: 'bob' }, 60_000, now)).ok).toBe(true);
    });

    it('a lease older than its stale limit is recovered and the old holder reported', async () => {
      const s = new Store(make());
      const t0 = Date.now();
      await s.lease('locks/old.lock', { operator: 'alice' }, 1000, t0);
      const b = await s.lease('locks/old.lock', { operator: 'bob' }, 1000, t0 + 5000);
      expect(b).toMatchObject({ ok: true, recovered: { operator: 'alice' } });
    });

    it('a family store keeps its keys under plugins/helm-cloud/<family>/', async () => {
      const root = new Store(make());
      const alerts = root.family('alerts');
      await alerts.replaceJson('silences.json', []);
      expect(await root.list('plugins/helm-cloud/alerts')).toEqual(['silences.json']);
      expect(alerts.key('silences.json')).toBe('plugins/helm-cloud/alerts/silences.json');
      expect(() => root.family('../x')).toThrow();
    });
  });
}
