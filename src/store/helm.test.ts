import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileBackend, Store } from './index.js';
import { readIssue } from './helm.js';

const record = { id: 'infra-001', domain: 'infra', title: 'errors on orders', severity: 'high', status: 'open', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };

function storeWith(text: string): { store: Store; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'helm-issues-'));
  mkdirSync(join(root, 'helm/issues'), { recursive: true });
  writeFileSync(join(root, 'helm/issues/infra-001.json'), text);
  return { store: new Store(new FileBackend(root)), file: join(root, 'helm/issues/infra-001.json') };
}

describe('Helm issue records written by other tools', () => {
  it('a record saved with a byte-order mark and CRLF line endings is read', async () => {
    const { store } = storeWith('\uFEFF' + JSON.stringify(record, null, 2).replace(/\n/g, '\r\n'));
    expect(await readIssue(store, 'infra-001')).toMatchObject({ id: 'infra-001', title: 'errors on orders' });
  });

  it('a record of the wrong shape names every bad field by key path, in our words', async () => {
    const { store, file } = storeWith(JSON.stringify({ ...record, severity: 'hihg', title: 42 }));
    const e = await readIssue(store, 'infra-001').catch((x: unknown) => x as { kind: string; message: string });
    expect(e.kind).toBe('config');
    expect(e.message).toContain(`${file}: title: expected string, got number 42. Fix: change the value`);
    expect(e.message).toMatch(/severity: string hihg is not allowed .*did you mean "high"\?/);
    expect(e.message).not.toMatch(/Invalid input|received/);
  });

  it('a duplicate key is named with its position', async () => {
    const { store } = storeWith('{"id":"infra-001","id":"infra-002"}');
    await expect(readIssue(store, 'infra-001')).rejects.toMatchObject({ kind: 'config', keyPath: 'id', message: expect.stringMatching(/^duplicate key "id" at line 1, column \d+$/) });
  });
});
