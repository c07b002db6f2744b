import { describe, expect, it } from 'vitest';
import { cfg, db, failed, inventory, ok } from '../../inventory.fixture.js';
import check from './check.js';

const run = (d: Parameters<typeof db>[0]) => check.run(inventory({ dbs: [db(d)] }), cfg)[0]!;

describe('rds_instance_right_sized', () => {
  it('PASS when CPU is busy enough', () => {
    expect(run({})).toMatchObject({ status: 'PASS' });
  });
  it('FAIL with the one-class-down saving when CPU stays low', () => {
    expect(run({ cpuAvg: ok(3, 4), cpuMax: ok(20) })).toMatchObject({ status: 'FAIL', monthlySaving: 129.94, reason: expect.stringContaining('db.m5.large would do') });
  });
  it('PASS when the class is already the smallest of its family', () => {
    const d = db().instance!;
    expect(run({ cpuAvg: ok(1), cpuMax: ok(5), instance: { ...d, instanceClass: 'db.t3.micro' } })).toMatchObject({ status: 'PASS', reason: expect.stringContaining('smallest') });
  });
  it('PASS (not double-counted) when the instance is idle', () => {
    expect(run({ connectionsMax: ok(0), cpuAvg: ok(1), cpuMax: ok(2) })).toMatchObject({ status: 'PASS', reason: expect.stringContaining('rds_instance_in_use') });
  });
  it('UNKNOWN when CPU could not be read', () => {
    expect(run({ cpuMax: failed() })).toMatchObject({ status: 'UNKNOWN' });
  });
});
