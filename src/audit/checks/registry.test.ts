/** Walks every registered check: id == folder == metadata CheckID, metadata validates, every folder registered. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckMetadata } from '../check.js';
import { CHECKS, loadChecks } from './index.js';

const dir = import.meta.dirname;
const folders = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());

describe('audit check registry', () => {
  it('registers exactly the check folders', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(folders.sort());
  });

  it.each(folders)('%s: metadata validates and its CheckID is the folder name', async (id) => {
    const meta = CheckMetadata.parse(JSON.parse(readFileSync(join(dir, id, 'metadata.json'), 'utf8')));
    expect(meta.CheckID).toBe(id);
    const check = (await CHECKS[id]!()).default;
    expect(check.metadata.CheckID).toBe(id);
    expect(readdirSync(join(dir, id))).toEqual(expect.arrayContaining(['check.ts', 'metadata.json', 'check.test.ts']));
  });

  it('rejects metadata with an unknown severity', () => {
    const meta = JSON.parse(readFileSync(join(dir, folders[0]!, 'metadata.json'), 'utf8'));
    expect(() => CheckMetadata.parse({ ...meta, Severity: 'severe' })).toThrow();
  });

  it('loads cost checks by section', async () => {
    expect((await loadChecks('cost')).length).toBe(folders.length);
  });
});
