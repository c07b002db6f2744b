/**
 * Oversized RDS: daily mean CPU under 10% and no daily peak over 40% across the window, so half the vCPUs
 * would still run under 80% at the observed peak.
 */
import { defineCheck, type Finding } from '../../check.js';
import { rdsDownsizeSaving, rdsHourly } from '../../../core/cost.js';
import { maxOf, meanOf } from '../../metrics.js';
import metadata from './metadata.json' with { type: 'json' };

export const MEAN_CPU_BELOW = 10;
export const PEAK_CPU_BELOW = 40;

export default defineCheck(metadata, (inv, cfg) =>
  inv.dbs.map((d): Finding => {
    const base = { checkId: metadata.CheckID, resourceId: d.name, arn: d.arn, region: d.region, project: d.project };
    if (!d.instance) return { ...base, status: 'UNKNOWN', reason: d.error ?? 'instance not read' };
    if (!d.cpuAvg.ok || !d.cpuMax.ok) return { ...base, status: 'UNKNOWN', reason: `CPUUtilization unreadable: ${!d.cpuAvg.ok ? d.cpuAvg.reason : !d.cpuMax.ok ? d.cpuMax.reason : ''}` };
    // An idle instance's saving is the whole instance (rds_instance_in_use); counting a downsize too would double it.
    if (d.connectionsMax.ok && d.connectionsMax.values.length && maxOf(d.connectionsMax) === 0) {
      return { ...base, status: 'PASS', reason: 'no connections: judged idle by rds_instance_in_use, not resized' };
    }
    const mean = meanOf(d.cpuAvg);
    const peak = maxOf(d.cpuMax);
    if (mean === undefined || peak === undefined) return { ...base, status: 'UNKNOWN', reason: `no CPUUtilization datapoints in ${cfg.idleDays} days` };
    const load = `CPU mean ${mean.toFixed(1)}%, peak ${peak.toFixed(1)}% over ${cfg.idleDays} days`;
    if (mean >= MEAN_CPU_BELOW || peak >= PEAK_CPU_BELOW) return { ...base, status: 'PASS', reason: load };
    const est = rdsDownsizeSaving(d.instance);
    if (!est.target && rdsHourly(d.instance.instanceClass) !== undefined) {
      return { ...base, status: 'PASS', reason: `${load}; ${d.instance.instanceClass} is already the smallest class of its family` };
    }
    return { ...base, status: 'FAIL', reason: `${load} on ${d.instance.instanceClass}${est.target ? `; ${est.target} would do` : ''}`, monthlySaving: est.monthlySaving, how: est.how };
  }),
);
