import { describe, expect, it } from 'vitest';
import { buildAlerts, type AlertEvent, type SourceAlert } from './model.js';

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
