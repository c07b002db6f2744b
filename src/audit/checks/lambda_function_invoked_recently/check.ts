/**
 * Idle Lambda: no Invocations in the window. Lambda publishes Invocations only when a function runs, so an
 * empty but successfully read series means "not invoked"; a failed read is UNKNOWN.
 */
import { defineCheck, type Finding } from '../../check.js';
import { sumOf, youngerThanWindow } from '../../metrics.js';
import metadata from './metadata.json' with { type: 'json' };

export default defineCheck(metadata, (inv, cfg) =>
  inv.lambdas.map((l): Finding => {
    const base = { checkId: metadata.CheckID, resourceId: l.name, arn: l.arn, region: l.region, project: l.project };
    if (!l.config) return { ...base, status: 'UNKNOWN', reason: l.error ?? 'configuration not read' };
    if (!l.invocations.ok) return { ...base, status: 'UNKNOWN', reason: `Invocations unreadable: ${l.invocations.reason}` };
    const total = sumOf(l.invocations);
    if (total > 0) return { ...base, status: 'PASS', reason: `${Math.round(total)} invocations in ${cfg.idleDays} days` };
    if (youngerThanWindow(l.firstSeenMs, cfg.nowMs, cfg.idleDays)) {
      return { ...base, status: 'UNKNOWN', reason: `not invoked, but first deployed less than ${cfg.idleDays} days ago (registry): too new to call idle` };
    }
    return {
      ...base,
      status: 'FAIL',
      reason: `no invocations in ${cfg.idleDays} days`,
      monthlySaving: 0,
      how: 'Lambda bills per request and GB-second, so an idle function costs about $0 to keep; the saving is in risk and clutter (provisioned concurrency, if any, is not read by this check)',
    };
  }),
);
