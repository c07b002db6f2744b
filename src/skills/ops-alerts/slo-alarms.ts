/**
 * The CloudWatch side of `alerts rules generate`: the ratio SLOs of monitoring.toml for the environment's
 * registry resources (the same SLOs and bad/total event metrics health's burn rates read) turned into the
 * workbook's multi-window multi-burn-rate alarms (src/core/slo-rules.ts), diffed against the alarms helm-cloud
 * manages in CloudWatch, and applied with --apply through the guarded write.
 */
import { cloudWatchAlarms } from '../../aws/cloudwatch-alarms.js';
import type { AwsProvider } from '../../aws/provider.js';
import type { LiveResource } from '../../config/load.js';
import { cloudWatchSloAlarms, CW_ALARM_PREFIX, diffAlarms, type CwAlarmDiff, type CwAlarmSpec, type CwSloInput } from '../../core/slo-rules.js';
import { loadResource } from '../../resources/index.js';
import { guardedWrite, type GuardedResult, type GuardedWrite } from './guarded.js';

export interface SloAlarmPlan {
  slos: CwSloInput[];
  alarms: CwAlarmSpec[];
  /** Configured SLOs that get no alarms, and why. */
  skipped: { resource: string; key: string; reason: string }[];
}

const queryId = (id: string) => (/^[a-z][a-zA-Z0-9_]*$/.test(id) ? id : `m_${id.replace(/[^a-zA-Z0-9_]/g, '_')}`);

export async function sloAlarmPlan(resources: readonly LiveResource[], slos: Record<string, Partial<Record<string, number>> | undefined>): Promise<SloAlarmPlan> {
  const out: SloAlarmPlan = { slos: [], alarms: [], skipped: [] };
  for (const r of resources) {
    if (r.type.startsWith('k8s_')) continue; // Kubernetes workloads have no CloudWatch metrics
    const d = await loadResource(r.type);
    const table = slos[r.type] ?? {};
    for (const spec of d.slos) {
      const target = table[spec.key];
      if (target === undefined || !spec.events) continue;
      if (table.period_days === undefined) {
        out.skipped.push({ resource: r.name, key: spec.key, reason: `period_days = false for ${r.type}: burn rates are off` });
        continue;
      }
      const allowed = spec.direction === 'max' ? target / 100 : (100 - target) / 100;
      if (allowed <= 0) {
        out.skipped.push({ resource: r.name, key: spec.key, reason: `an objective of ${target}% leaves no error budget to burn` });
        continue;
      }
      const ref = (id: string) => d.metrics.find((m) => m.id === id)!;
      const used = [...spec.events.bad, ...spec.events.total].map(ref);
      if (used.some((m) => m.dimensionSets)) {
        out.skipped.push({ resource: r.name, key: spec.key, reason: `its metrics are summed over several dimension sets (${used.find((m) => m.dimensionSets)!.metricName}), which one alarm query cannot express` });
        continue;
      }
      const dims = d.dimensions(r);
      const toRef = (id: string) => {
        const m = ref(id);
        return { id: queryId(m.id), namespace: d.namespace, metricName: m.metricName, dimensions: dims, stat: m.stat, sparse: m.sparse };
      };
      out.slos.push({
        resource: r.name,
        key: spec.key,
        label: spec.label,
        allowed,
        periodDays: table.period_days,
        bad: spec.events.bad.map(toRef),
        total: spec.events.total.map(toRef),
        objective: `${spec.label} ${spec.direction === 'max' ? '≤' : '≥'} ${target}${spec.unit}`,
      });
    }
  }
  out.alarms = cloudWatchSloAlarms(out.slos);
  return out;
}

export async function diffSloAlarms(aws: AwsProvider, desired: readonly CwAlarmSpec[]): Promise<{ diff: CwAlarmDiff; existing: CwAlarmSpec[] }> {
  const existing = await cloudWatchAlarms(aws).managedAlarms(CW_ALARM_PREFIX);
  return { diff: diffAlarms(desired, existing), existing };
}

export const TAGS = { 'managed-by': 'helm-cloud', 'helm-cloud:generator': 'alerts rules generate' };

/** Creates and updates the alarms that differ (window alarms before the composites that name them). */
export async function applySloAlarms(
  o: Pick<GuardedWrite<CwAlarmSpec[]>, 'ws' | 'env' | 'io' | 'operator' | 'yes' | 'now'> & { aws: AwsProvider; desired: CwAlarmSpec[] },
): Promise<GuardedResult<CwAlarmSpec[]>> {
  const cw = cloudWatchAlarms(o.aws);
  const lines = (d: CwAlarmDiff) => [...d.create.map((a) => `create ${a.name}`), ...d.update.map((u) => `update ${u.spec.name} (${u.changes.join('; ')})`)];
  return guardedWrite<CwAlarmSpec[]>({
    ...o,
    action: 'cloudwatch.put_slo_alarms',
    target: `slo-alarms:${o.env.name}`,
    params: { alarms: o.desired.length, prefix: CW_ALARM_PREFIX },
    read: () => cw.managedAlarms(CW_ALARM_PREFIX),
    summarize: (have) => {
      const d = diffAlarms(o.desired, have);
      return { managed: have.length, differing: lines(d), stale: d.stale };
    },
    plan: (have) => lines(diffAlarms(o.desired, have)),
    async apply(have) {
      const d = diffAlarms(o.desired, have);
      const keep = new Map(have.map((a) => [a.name, a.actions]));
      const todo = [...d.create, ...d.update.map((u) => u.spec)].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'metric' ? -1 : 1));
      for (const spec of todo) await cw.put(spec, TAGS, keep.get(spec.name));
    },
    verify(have) {
      const left = lines(diffAlarms(o.desired, have));
      return left.length ? { ok: false, detail: `still differing after the apply: ${left.join('; ')}` } : { ok: true, detail: `${o.desired.length} alarms read back as generated` };
    },
  });
}
