/**
 * Alarm actions on and off for `alerts silence --disable-actions`: DisableAlarmActions now, EnableAlarmActions
 * when the silence ends, each through the guarded write (lock, consent, actions.jsonl).
 */
import { cloudWatchAlarms } from '../../aws/cloudwatch-alarms.js';
import type { AwsProvider } from '../../aws/provider.js';
import { HelmError } from '../../errors.js';
import { guardedWrite, type GuardedResult, type GuardedWrite } from './guarded.js';

export type AlarmActionsRead = { actionsEnabled: boolean; state: string };

export async function switchAlarmActions(
  o: Pick<GuardedWrite<AlarmActionsRead>, 'ws' | 'env' | 'io' | 'operator' | 'yes' | 'now' | 'preauthorized'> & { aws: AwsProvider; alarm: string; enabled: boolean; why: string },
): Promise<GuardedResult<AlarmActionsRead>> {
  const cw = cloudWatchAlarms(o.aws);
  const word = o.enabled ? 'enable' : 'disable';
  return guardedWrite<AlarmActionsRead>({
    ...o,
    action: `cloudwatch.${word}_alarm_actions`,
    target: `alarm:${o.alarm}`,
    params: { alarm: o.alarm, why: o.why },
    async read() {
      const a = await cw.actionsOf(o.alarm);
      if (!a) throw new HelmError('input', `CloudWatch has no alarm "${o.alarm}" any more`, { fix: 'list the alarms with `helm-cloud alerts rules list --env E`' });
      return { actionsEnabled: a.actionsEnabled, state: a.state };
    },
    plan: (before) => (before.actionsEnabled === o.enabled ? [] : [`ActionsEnabled ${before.actionsEnabled} → ${o.enabled} (${word === 'enable' ? 'EnableAlarmActions' : 'DisableAlarmActions'})`]),
    apply: () => cw.setActions(o.alarm, o.enabled),
    verify: (after) => (after.actionsEnabled === o.enabled ? { ok: true, detail: `ActionsEnabled reads ${after.actionsEnabled}` } : { ok: false, detail: `ActionsEnabled reads ${after.actionsEnabled}, expected ${o.enabled}` }),
  });
}
