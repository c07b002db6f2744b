import { describe, expect, it } from 'vitest';
import { cfg, db, failed, inventory, NOW, ok } from '../../inventory.fixture.js';
import check from './check.js';

const run = (d: Parameters<typeof db>[0]) => check.run(inventory({ dbs: [db(d)] }), cfg)[0]!;

describe('rds_instance_in_use', () => {
  it('PASS when clients connected', () => {
    expect(run({})).toMatchObject({ status: 'PASS', reason: 'up to 8 connections' });
  });
  it('FAIL with the instance and storage cost when nothing connected', () => {
    // $0.356/h × 730 + 100 GB × $0.115.
    expect(run({ connectionsMax: ok(0, 0) })).toMatchObject({ status: 'FAIL', monthlySaving: 271.38 });
  });
  it('FAIL doubles the cost of a Multi-AZ instance', () => {
    const d = db().instance!;
    expect(run({ connectionsMax: ok(0), instance: { ...d, multiAz: true } })).toMatchObject({ monthlySaving: 542.76, how: expect.stringContaining('Multi-AZ') });
  });
  it('FAIL without a figure for a class the price table lacks', () => {
    const d = db().instance!;
    expect(run({ connectionsMax: ok(0), instance: { ...d, instanceClass: 'db.x2g.large' } })).toMatchObject({ status: 'FAIL', monthlySaving: null });
  });
  it('UNKNOWN when there are no datapoints (RDS always publishes connections)', () => {
    expect(run({ connectionsMax: ok() })).toMatchObject({ status: 'UNKNOWN' });
  });
  it('UNKNOWN when the instance is younger than the window', () => {
    expect(run({ connectionsMax: ok(0), firstSeenMs: NOW - 3 * 86_400_000 })).toMatchObject({ status: 'UNKNOWN' });
  });
  it('UNKNOWN with the reason when the metric read failed', () => {
    expect(run({ connectionsMax: failed() })).toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('access denied') });
  });
});
