/**
 * CloudWatch alarm writes and the reads they are planned on: alarm actions on/off (alerts silence
 * --disable-actions) and the metric-math and composite alarms that `alerts rules generate --apply` manages.
 * Metric and composite alarms are read with separate DescribeAlarms calls (AlarmTypes), so an endpoint that
 * keeps no composite alarms still answers the metric ones.
 */
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CwAlarmActions, CwAlarmSpec, CwCompositeAlarm, CwMathAlarm, CwMetricQuery } from '../core/slo-rules.js';
import { classifyAwsError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface AlarmActionsState {
  name: string;
  actionsEnabled: boolean;
  state: string;
}

export interface CompositeState {
  name: string;
  description: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string;
  updatedAt?: number;
}

export interface CloudWatchAlarmsApi {
  /** The alarm's ActionsEnabled, or undefined when CloudWatch has no such alarm. */
  actionsOf(name: string): Promise<AlarmActionsState | undefined>;
  setActions(name: string, enabled: boolean): Promise<void>;
  /** Composite alarms under the prefix with their state (the burn-rate alerts of generated SLO alarms). */
  compositeStates(prefix: string): Promise<CompositeState[]>;
  /** helm-cloud's alarms under the prefix, metric (with Metrics[]) and composite, as specs to diff against. */
  managedAlarms(prefix: string): Promise<CwAlarmSpec[]>;
  /** Creates or overwrites the alarm; `keep` carries the actions of the alarm being replaced. */
  put(spec: CwAlarmSpec, tags: Record<string, string>, keep?: CwAlarmActions): Promise<void>;
}

const toQuery = (q: CwMetricQuery): MetricDataQuery => ({
  Id: q.id,
  ReturnData: q.returnData,
  ...(q.expression ? { Expression: q.expression } : {}),
  ...(q.label ? { Label: q.label } : {}),
  ...(q.metricStat
    ? { MetricStat: { Metric: { Namespace: q.metricStat.namespace, MetricName: q.metricStat.metricName, Dimensions: q.metricStat.dimensions.map((d) => ({ Name: d.name, Value: d.value })) }, Period: q.metricStat.period, Stat: q.metricStat.stat } }
    : {}),
});

const fromQuery = (q: MetricDataQuery): CwMetricQuery => ({
  id: q.Id ?? '',
  returnData: q.ReturnData ?? true,
  ...(q.Expression ? { expression: q.Expression } : {}),
  ...(q.Label ? { label: q.Label } : {}),
  ...(q.MetricStat
    ? { metricStat: { namespace: q.MetricStat.Metric?.Namespace ?? '', metricName: q.MetricStat.Metric?.MetricName ?? '', dimensions: (q.MetricStat.Metric?.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })), period: q.MetricStat.Period ?? 0, stat: q.MetricStat.Stat ?? '' } }
    : {}),
});

const actionsOf = (a: { ActionsEnabled?: boolean; AlarmActions?: string[]; OKActions?: string[]; InsufficientDataActions?: string[] }): CwAlarmActions => ({
  enabled: a.ActionsEnabled ?? true,
  alarm: a.AlarmActions ?? [],
  ok: a.OKActions ?? [],
  insufficientData: a.InsufficientDataActions ?? [],
});

const actionParams = (k: CwAlarmActions | undefined) => (k ? { ActionsEnabled: k.enabled, AlarmActions: k.alarm, OKActions: k.ok, InsufficientDataActions: k.insufficientData } : {});

export function cloudWatchAlarms(provider: AwsProvider): CloudWatchAlarmsApi {
  const client = () => provider.client<CloudWatchClient>('cloudwatch', async () => (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient);
  const sdk = () => import('@aws-sdk/client-cloudwatch');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'cloudwatch', op), provider.describe());

  return {
    async actionsOf(name) {
      const { DescribeAlarmsCommand } = await sdk();
      try {
        const out = await (await client()).send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
        const a = [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].find((x) => x.AlarmName === name);
        return a ? { name, actionsEnabled: a.ActionsEnabled ?? true, state: a.StateValue ?? 'INSUFFICIENT_DATA' } : undefined;
      } catch (e) {
        throw fail(e, 'DescribeAlarms');
      }
    },
    async setActions(name, enabled) {
      const { DisableAlarmActionsCommand, EnableAlarmActionsCommand } = await sdk();
      try {
        await (await client()).send(enabled ? new EnableAlarmActionsCommand({ AlarmNames: [name] }) : new DisableAlarmActionsCommand({ AlarmNames: [name] }));
      } catch (e) {
        throw fail(e, enabled ? 'EnableAlarmActions' : 'DisableAlarmActions');
      }
    },
    async compositeStates(prefix) {
      const { paginateDescribeAlarms } = await sdk();
      const out: CompositeState[] = [];
      try {
        for await (const page of paginateDescribeAlarms({ client: await client(), pageSize: 100 }, { AlarmNamePrefix: prefix, AlarmTypes: ['CompositeAlarm'] })) {
          for (const a of page.CompositeAlarms ?? []) {
            if (!a.AlarmName?.startsWith(prefix)) continue;
            out.push({ name: a.AlarmName, description: a.AlarmDescription ?? '', state: (a.StateValue ?? 'INSUFFICIENT_DATA') as CompositeState['state'], reason: a.StateReason ?? '', updatedAt: a.StateUpdatedTimestamp ? new Date(a.StateUpdatedTimestamp).getTime() : undefined });
          }
        }
      } catch (e) {
        throw fail(e, 'DescribeAlarms');
      }
      return out;
    },
    async managedAlarms(prefix) {
      const { paginateDescribeAlarms } = await sdk();
      const out: CwAlarmSpec[] = [];
      for (const type of ['MetricAlarm', 'CompositeAlarm'] as const) {
        try {
          for await (const page of paginateDescribeAlarms({ client: await client(), pageSize: 100 }, { AlarmNamePrefix: prefix, AlarmTypes: [type] })) {
            if (type === 'MetricAlarm') {
              for (const a of page.MetricAlarms ?? []) {
                if (!a.AlarmName?.startsWith(prefix)) continue;
                out.push({
                  kind: 'metric',
                  name: a.AlarmName,
                  description: a.AlarmDescription ?? '',
                  threshold: a.Threshold ?? 0,
                  comparison: a.ComparisonOperator as CwMathAlarm['comparison'],
                  evaluationPeriods: a.EvaluationPeriods ?? 0,
                  treatMissingData: a.TreatMissingData as CwMathAlarm['treatMissingData'],
                  metrics: (a.Metrics ?? []).map(fromQuery),
                  actions: actionsOf(a),
                });
              }
            } else {
              for (const a of page.CompositeAlarms ?? []) {
                if (!a.AlarmName?.startsWith(prefix)) continue;
                out.push({ kind: 'composite', name: a.AlarmName, description: a.AlarmDescription ?? '', rule: a.AlarmRule ?? '', actions: actionsOf(a) } satisfies CwCompositeAlarm);
              }
            }
          }
        } catch (e) {
          throw fail(e, 'DescribeAlarms');
        }
      }
      return out;
    },
    async put(spec, tags, keep) {
      const { PutMetricAlarmCommand, PutCompositeAlarmCommand } = await sdk();
      const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      try {
        if (spec.kind === 'metric') {
          await (await client()).send(
            new PutMetricAlarmCommand({
              AlarmName: spec.name,
              AlarmDescription: spec.description,
              Metrics: spec.metrics.map(toQuery),
              Threshold: spec.threshold,
              ComparisonOperator: spec.comparison,
              EvaluationPeriods: spec.evaluationPeriods,
              TreatMissingData: spec.treatMissingData,
              ...actionParams(keep),
              Tags,
            }),
          );
        } else {
          await (await client()).send(new PutCompositeAlarmCommand({ AlarmName: spec.name, AlarmDescription: spec.description, AlarmRule: spec.rule, ...actionParams(keep), Tags }));
        }
      } catch (e) {
        throw fail(e, spec.kind === 'metric' ? 'PutMetricAlarm' : 'PutCompositeAlarm');
      }
    },
  };
}
