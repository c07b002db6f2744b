/**
 * Unused RDS storage: used = allocated − the lowest FreeStorageSpace in the window (the fullest moment).
 * FAIL when the recommended size (used + 50%, 20 GB floor) is at least 20 GB and 50% below the allocation.
 */
import { defineCheck, type Finding } from '../../check.js';
import { rdsStorageSaving, recommendedStorageGb } from '../../../core/cost.js';
import { minOf } from '../../metrics.js';
import metadata from './metadata.json' with { type: 'json' };

const GIB = 1024 ** 3;
export const MIN_EXCESS_GB = 20;

export default defineCheck(metadata, (inv, cfg) =>
  inv.dbs.map((d): Finding => {
    const base = { checkId: metadata.CheckID, resourceId: d.name, arn: d.arn, region: d.region, project: d.project };
    if (!d.instance) return { ...base, status: 'UNKNOWN', reason: d.error ?? 'instance not read' };
    if (!d.freeStorageMin.ok) return { ...base, status: 'UNKNOWN', reason: `FreeStorageSpace unreadable: ${d.freeStorageMin.reason}` };
    const free = minOf(d.freeStorageMin);
    if (free === undefined) return { ...base, status: 'UNKNOWN', reason: `no FreeStorageSpace datapoints in ${cfg.idleDays} days` };
    const allocated = d.instance.allocatedGb;
    const used = Math.max(0, allocated - free / GIB);
    const target = recommendedStorageGb(used);
    const usage = `${used.toFixed(1)} GB used of ${allocated} GB allocated`;
    if (allocated - target < MIN_EXCESS_GB || target > allocated * 0.5) return { ...base, status: 'PASS', reason: usage };
    const est = rdsStorageSaving({ allocatedGb: allocated, usedGb: used, storageType: d.instance.storageType, multiAz: d.instance.multiAz });
    return { ...base, status: 'FAIL', reason: `${usage}; ${est.targetGb} GB would do`, monthlySaving: est.monthlySaving, how: est.how };
  }),
);
