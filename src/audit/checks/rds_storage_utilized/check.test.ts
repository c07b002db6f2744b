import { describe, expect, it } from 'vitest';
import { cfg, db, failed, inventory, ok } from '../../inventory.fixture.js';
import check from './check.js';

const GIB = 1024 ** 3;
const run = (d: Parameters<typeof db>[0]) => check.run(inventory({ dbs: [db(d)] }), cfg)[0]!;

describe('rds_storage_utilized', () => {
  it('PASS when most of the allocation is used', () => {
    expect(run({ freeStorageMin: ok(20 * GIB) })).toMatchObject({ status: 'PASS', reason: '80.0 GB used of 100 GB allocated' });
  });
  it('FAIL with the GB-month saving when most of the allocation is free at the fullest moment', () => {
    // 10 GB used at most → keep 20 GB; 80 GB × $0.115.
    expect(run({ freeStorageMin: ok(95 * GIB, 90 * GIB) })).toMatchObject({ status: 'FAIL', monthlySaving: 9.2, how: expect.stringContaining('cannot shrink in place') });
  });
  it('UNKNOWN without datapoints', () => {
    expect(run({ freeStorageMin: ok() })).toMatchObject({ status: 'UNKNOWN' });
  });
  it('UNKNOWN when FreeStorageSpace could not be read', () => {
    expect(run({ freeStorageMin: failed() })).toMatchObject({ status: 'UNKNOWN' });
  });
});
