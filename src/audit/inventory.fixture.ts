/** Builders for hand-made inventories in check tests (not used by the product). */
import type { AuditInventory, DbItem, LambdaItem, MetricResult } from './inventory.js';

export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const OLD = NOW - 60 * 86_400_000;
export const ok = (...values: number[]): MetricResult => ({ ok: true, values });
export const failed = (reason = 'access denied on cloudwatch:GetMetricData (AccessDenied)'): MetricResult => ({ ok: false, reason });

export function lambda(o: Partial<LambdaItem> = {}): LambdaItem {
  return {
    name: 'fn',
    region: 'us-east-1',
    project: 'app',
    firstSeenMs: OLD,
    config: { name: 'fn', memoryMb: 1024, arch: 'x86_64' },
    invocations: ok(100),
    duration: ok(100),
    memoryUsedMax: ok(900),
    ...o,
  };
}

export function db(o: Partial<DbItem> = {}): DbItem {
  return {
    name: 'db',
    region: 'us-east-1',
    project: 'app',
    firstSeenMs: OLD,
    instance: { id: 'db', instanceClass: 'db.m5.xlarge', engine: 'postgres', status: 'available', multiAz: false, allocatedGb: 100, storageType: 'gp3' },
    connectionsMax: ok(5, 8),
    cpuAvg: ok(30, 40),
    cpuMax: ok(70, 80),
    freeStorageMin: ok(20 * 1024 ** 3),
    ...o,
  };
}

export const inventory = (o: Partial<AuditInventory>): AuditInventory => ({ windowDays: 14, nowMs: NOW, lambdas: [], dbs: [], metricCalls: 0, ...o });
export const cfg = { idleDays: 14, nowMs: NOW };
