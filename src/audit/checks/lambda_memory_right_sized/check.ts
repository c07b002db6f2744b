/**
 * Lambda memory far above use: peak `used_memory_max` (Lambda Insights) at or under half the configured
 * memory. Without Lambda Insights nothing publishes memory use, so the result is UNKNOWN, never PASS.
 */
import { defineCheck, type Finding } from '../../check.js';
import { lambdaMemorySaving, recommendedMemoryMb } from '../../../core/cost.js';
import { maxOf, meanOf, sumOf } from '../../metrics.js';
import metadata from './metadata.json' with { type: 'json' };

/** "Far above": peak use at or below this share of the configured memory. */
export const FAR_ABOVE_RATIO = 0.5;

export default defineCheck(metadata, (inv, cfg) =>
  inv.lambdas.map((l): Finding => {
    const base = { checkId: metadata.CheckID, resourceId: l.name, arn: l.arn, region: l.region, project: l.project };
    if (!l.config) return { ...base, status: 'UNKNOWN', reason: l.error ?? 'configuration not read' };
    if (!l.memoryUsedMax.ok) return { ...base, status: 'UNKNOWN', reason: `memory use unreadable: ${l.memoryUsedMax.reason}` };
    const peak = maxOf(l.memoryUsedMax);
    if (peak === undefined) {
      return { ...base, status: 'UNKNOWN', reason: `no LambdaInsights used_memory_max data in ${cfg.idleDays} days (Lambda Insights off, or not invoked)` };
    }
    const configured = l.config.memoryMb;
    const recommended = recommendedMemoryMb(peak);
    if (peak > configured * FAR_ABOVE_RATIO || recommended >= configured) {
      return { ...base, status: 'PASS', reason: `peak ${Math.round(peak)} MB of ${configured} MB configured` };
    }
    const invocations = l.invocations.ok ? sumOf(l.invocations) : undefined;
    const duration = l.duration.ok ? meanOf(l.duration) : undefined;
    const reason = `peak ${Math.round(peak)} MB of ${configured} MB configured over ${cfg.idleDays} days; ${recommended} MB would do`;
    if (invocations === undefined || duration === undefined) {
      return { ...base, status: 'FAIL', reason, monthlySaving: null, how: 'Invocations or Duration unreadable, so the GB-seconds saved cannot be sized' };
    }
    const est = lambdaMemorySaving({ configuredMb: configured, recommendedMb: recommended, avgDurationMs: duration, invocationsPerMonth: (invocations / cfg.idleDays) * 30.42, arch: l.config.arch });
    return { ...base, status: 'FAIL', reason, ...est };
  }),
);
