/**
 * Where evidence lives per resource type, as investigate reads it: the CloudWatch metrics (with what each one
 * means for hypotheses) and the log groups. Derived from the resource registry (src/resources/<type>/type.ts),
 * the one home of a type.
 */
import type { LiveResource } from '../../config/load.js';
import { RESOURCE_TYPES, RESOURCES, typeInfo } from '../../resources/index.js';
import { isNone, type Dim, type InvestigationMetric, type LogSource } from '../../resources/types.js';

/** A descriptor's investigation metric with its namespace and defaults filled in. */
export type InvestigatedMetric = Required<InvestigationMetric> & { namespace: string };

/** The dimensions that name a resource in CloudWatch (also used to attach alarms); undefined when the type has none. */
export function dimensionsOf(r: Pick<LiveResource, 'type' | 'name' | 'cluster' | 'stage'>): Dim[] | undefined {
  const t = typeInfo(r.type);
  return t?.namespace ? t.dimensions(r) : undefined;
}

export const METRICS: Record<string, InvestigatedMetric[]> = Object.fromEntries(
  RESOURCE_TYPES.flatMap((type) => {
    const t = RESOURCES[type];
    if (isNone(t.investigate)) return [];
    return [[type, t.investigate.map((m) => ({ namespace: t.namespace, metricName: m.metricName, stat: m.stat, kind: m.kind, adverse: m.adverse ?? 'up', minAbsolute: m.minAbsolute ?? 0 }))]];
  }),
);

/** Log groups of a resource; `none` with a reason when none can be known. */
export function logSourceOf(r: Pick<LiveResource, 'type' | 'name' | 'log_group' | 'arn' | 'stage'>): LogSource | { none: string; byNature?: true } {
  if (r.log_group) return { name: r.log_group, exact: true };
  const t = typeInfo(r.type);
  return t ? t.logs(r) : { none: `${r.type} has no log group of its own; metrics only` };
}
