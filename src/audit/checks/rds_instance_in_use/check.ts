/** Idle RDS: DatabaseConnections never above zero in the window. RDS always publishes it, so no data is UNKNOWN. */
import { defineCheck, type Finding } from '../../check.js';
import { rdsIdleSaving } from '../../../core/cost.js';
import { maxOf, youngerThanWindow } from '../../metrics.js';
import metadata from './metadata.json' with { type: 'json' };

export default defineCheck(metadata, (inv, cfg) =>
  inv.dbs.map((d): Finding => {
    const base = { checkId: metadata.CheckID, resourceId: d.name, arn: d.arn, region: d.region, project: d.project };
    if (!d.instance) return { ...base, status: 'UNKNOWN', reason: d.error ?? 'instance not read' };
    if (!d.connectionsMax.ok) return { ...base, status: 'UNKNOWN', reason: `DatabaseConnections unreadable: ${d.connectionsMax.reason}` };
    const peak = maxOf(d.connectionsMax);
    if (peak === undefined) return { ...base, status: 'UNKNOWN', reason: `no DatabaseConnections datapoints in ${cfg.idleDays} days` };
    if (peak > 0) return { ...base, status: 'PASS', reason: `up to ${Math.round(peak)} connections` };
    if (youngerThanWindow(d.firstSeenMs, cfg.nowMs, cfg.idleDays)) {
      return { ...base, status: 'UNKNOWN', reason: `no connections, but first deployed less than ${cfg.idleDays} days ago (registry)` };
    }
    return { ...base, status: 'FAIL', reason: `no connections in ${cfg.idleDays} days (${d.instance.instanceClass})`, ...rdsIdleSaving(d.instance) };
  }),
);
