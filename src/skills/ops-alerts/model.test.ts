import { describe, expect, it } from 'vitest';
import { actionHolds, buildAlerts, expiredHolds, type AlertEvent, type SourceAlert } from './model.js';

const T = Date.parse('2026-12-01T10:00:00Z');
const alarm = (state: SourceAlert['state'], startsAt: number): SourceAlert => ({ source: 'cloudwatch', fingerprint: 'us-east-1:api-errors', name: 'api-errors', severity: 'warning', sourceState: state === 'firing' ? 'ALARM' : 'OK', state, description: '', labels: {}, startsAt, ref: {} });
const ack = (at: number, by = 'ana'): AlertEvent => ({ kind: 'ack', id: buildAlerts([alarm('firing', T)], [], T)[0]!.id, at: new Date(at).toISOString(), by });

describe('alert lifecycle model', () => {
  it('an acknowledgement holds while the alarm keeps firing', () => {
    expect(buildAlerts([alarm('firing', T)], [ack(T + 60_000)], T + 120_000)[0]!.status).toBe('acknowledged');
  });
  it('ends when the alarm resolves, and does not carry over when it fires again', () => {
    expect(buildAlerts([alarm('resolved', T + 300_000)], [ack(T + 60_000)], T + 400_000)[0]!.status).toBe('resolved');
    expect(buildAlerts([alarm('firing', T + 600_000)], [ack(T + 60_000)], T + 700_000)[0]!.status).toBe('firing');
  });
  it('a local silence mutes until it ends', () => {
    const id = buildAlerts([alarm('firing', T)], [], T)[0]!.id;
    const s: AlertEvent = { kind: 'silence', id, at: new Date(T).toISOString(), by: 'ana', until: new Date(T + 3600_000).toISOString() };
    expect(buildAlerts([alarm('firing', T)], [s], T + 60_000)[0]!.status).toBe('silenced');
    expect(buildAlerts([alarm('firing', T)], [s], T + 3700_000)[0]!.status).toBe('firing');
  });
});

describe('alarm actions held by silences', () => {
  const at = (min: number) => new Date(T + min * 60_000).toISOString();
  const silence = (min: number, untilMin: number, disabledActions = true): AlertEvent => ({ kind: 'silence', id: 'A-1', at: at(min), by: 'ana', until: at(untilMin), disabledActions, alarm: 'api-errors', env: 'prod' });
  it('a silence that disabled the actions holds them until it ends; a later one extends the hold', () => {
    const events = [silence(0, 60), silence(30, 120)];
    expect(actionHolds(events)).toEqual([expect.objectContaining({ id: 'A-1', alarm: 'api-errors', env: 'prod', until: at(120) })]);
    expect(expiredHolds(events, T + 90 * 60_000)).toEqual([]);
    expect(expiredHolds(events, T + 120 * 60_000)).toHaveLength(1);
  });
  it('re-enabling closes the hold; a silence that found the actions already off holds nothing', () => {
    expect(actionHolds([silence(0, 60), { kind: 'actions-enabled', id: 'A-1', at: at(61), by: 'ana', alarm: 'api-errors' }])).toEqual([]);
    expect(actionHolds([silence(0, 60, false)])).toEqual([]);
  });
});
