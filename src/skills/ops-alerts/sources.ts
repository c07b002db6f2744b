/**
 * Reads the alert sources: CloudWatch alarms of the registry's resources, Alertmanager alerts (API v2), and
 * the local event log. A source that fails is reported (with why) and the others still answer.
 */
import type { AlertmanagerClient, AmAlert } from '../../adapters/alertmanager/client.js';
import { cloudWatch, type Alarm, type AlarmHistoryItem } from '../../aws/cloudwatch.js';
import { cloudWatchAlarms, type CompositeState } from '../../aws/cloudwatch-alarms.js';
import { CW_ALARM_PREFIX } from '../../core/slo-rules.js';
import type { AwsProvider } from '../../aws/provider.js';
import type { LiveResource } from '../../config/load.js';
import type { Store } from '../../store/index.js';
import { SEVERITIES, type AlertEvent, type AlertSeverity, type SourceAlert } from './model.js';

export const EVENTS = 'events.jsonl';

export async function readEvents(store: Store): Promise<AlertEvent[]> {
  return store.readLog<AlertEvent>(EVENTS, (r): r is AlertEvent => !!r && typeof r === 'object' && typeof (r as AlertEvent).kind === 'string' && typeof (r as AlertEvent).id === 'string');
}

const sev = (v: string | undefined): AlertSeverity => (SEVERITIES as readonly string[]).includes(v ?? '') ? (v as AlertSeverity) : v === 'page' || v === 'error' ? 'critical' : 'warning';

/** The registry resource an alert names: a label holding a live resource's name. */
function resourceFor(labels: Record<string, string>, resources: readonly LiveResource[]): LiveResource | undefined {
  for (const key of ['resource', 'service', 'function', 'job', 'instance', 'queue', 'table', 'db']) {
    const v = labels[key];
    if (!v) continue;
    const r = resources.find((x) => x.name === v || x.name === v.split(':')[0]);
    if (r) return r;
  }
  return undefined;
}

export function fromAlertmanager(alerts: readonly AmAlert[], resources: readonly LiveResource[]): SourceAlert[] {
  return alerts.map((a) => {
    const r = resourceFor(a.labels, resources);
    return {
      source: 'alertmanager',
      fingerprint: a.fingerprint,
      name: a.labels.alertname ?? '(unnamed)',
      severity: sev(a.labels.severity),
      sourceState: a.status.state,
      state: a.status.state === 'suppressed' ? 'silenced' : 'firing',
      description: a.annotations.summary ?? a.annotations.description ?? '',
      labels: a.labels,
      resource: r?.name ?? a.labels.resource,
      project: r?.project,
      startsAt: Date.parse(a.startsAt),
      endsAt: Date.parse(a.endsAt),
      ref: { fingerprint: a.fingerprint, silencedBy: a.status.silencedBy, startsAt: a.startsAt, updatedAt: a.updatedAt, endsAt: a.endsAt },
    } satisfies SourceAlert;
  });
}

/** CloudWatch alarms whose dimensions name a live resource (or every alarm when `all`). */
export function fromCloudWatch(alarms: readonly Alarm[], resources: readonly LiveResource[], region: string, all = false): SourceAlert[] {
  const out: SourceAlert[] = [];
  for (const a of alarms) {
    // The window alarms of generated burn-rate alarms: their composite is the alert (one window alone is noise).
    if (a.name.startsWith(CW_ALARM_PREFIX)) continue;
    const r = resources.find((x) => a.dimensions.some((d) => d.value === x.name));
    if (!r && !all) continue;
    out.push({
      source: 'cloudwatch',
      fingerprint: `${region}:${a.name}`,
      name: a.name,
      severity: 'warning',
      sourceState: a.state,
      state: a.state === 'ALARM' ? 'firing' : a.state === 'OK' ? 'resolved' : 'unknown',
      description: a.reason,
      labels: { alarm: a.name, ...(a.namespace ? { namespace: a.namespace } : {}), ...(a.metricName ? { metric: a.metricName } : {}), ...Object.fromEntries(a.dimensions.map((d) => [d.name, d.value])) },
      resource: r?.name,
      project: r?.project,
      startsAt: a.updatedAt ?? 0,
      ref: { alarm: a.name, region },
    });
  }
  return out;
}

/**
 * The composite alarms of `alerts rules generate` (helm-cloud-slo:<resource>:<slo>:<long>+<short>): one alert per
 * workbook rule of a registry resource, critical for the page rules and warning for the ticket rule.
 */
export function fromBurnComposites(composites: readonly CompositeState[], resources: readonly LiveResource[], region: string): SourceAlert[] {
  const out: SourceAlert[] = [];
  for (const c of composites) {
    const r = [...resources].sort((a, b) => b.name.length - a.name.length).find((x) => c.name.startsWith(`${CW_ALARM_PREFIX}${x.name}:`));
    if (!r) continue;
    const [slo, windows] = c.name.slice(`${CW_ALARM_PREFIX}${r.name}:`.length).split(':');
    out.push({
      source: 'cloudwatch',
      fingerprint: `${region}:${c.name}`,
      name: c.name,
      severity: c.description.startsWith('helm-cloud page') ? 'critical' : 'warning',
      sourceState: c.state,
      state: c.state === 'ALARM' ? 'firing' : c.state === 'OK' ? 'resolved' : 'unknown',
      description: c.description || c.reason,
      labels: { alarm: c.name, ...(slo ? { slo } : {}), ...(windows ? { burn_window: windows } : {}) },
      resource: r.name,
      project: r.project,
      startsAt: c.updatedAt ?? 0,
      ref: { alarm: c.name, region, composite: true },
    });
  }
  return out;
}

export interface Gathered {
  sources: SourceAlert[];
  problems: string[];
}

export async function gather(opts: { am?: AlertmanagerClient; aws?: AwsProvider; region?: string; resources: readonly LiveResource[]; onCall?: (op: string) => void }): Promise<Gathered> {
  const problems: string[] = [];
  const sources: SourceAlert[] = [];
  await Promise.all([
    (async () => {
      if (!opts.am) return;
      try {
        sources.push(...fromAlertmanager(await opts.am.alerts(), opts.resources));
      } catch (e) {
        problems.push(`alertmanager: ${(e as Error).message.split('\n')[0]}`);
      }
    })(),
    (async () => {
      if (!opts.aws) return;
      try {
        sources.push(...fromCloudWatch(await cloudWatch(opts.aws).describeAlarms({ onCall: opts.onCall }), opts.resources, opts.region ?? ''));
      } catch (e) {
        problems.push(`cloudwatch: ${(e as Error).message.split('\n')[0]}`);
      }
    })(),
    (async () => {
      if (!opts.aws) return;
      try {
        sources.push(...fromBurnComposites(await cloudWatchAlarms(opts.aws).compositeStates(CW_ALARM_PREFIX), opts.resources, opts.region ?? ''));
      } catch (e) {
        problems.push(`cloudwatch burn-rate alarms: ${(e as Error).message.split('\n')[0]}`);
      }
    })(),
  ]);
  return { sources, problems };
}

/**
 * CloudWatch's state changes of the given alarms over [startMs, endMs], oldest first: one call per alarm when
 * there are few, else one account-wide call filtered here. Throws when CloudWatch cannot answer (the caller
 * states the gap).
 */
export async function alarmHistory(aws: AwsProvider, o: { alarms: string[]; startMs: number; endMs: number }): Promise<AlarmHistoryItem[]> {
  const cw = cloudWatch(aws);
  const wanted = new Set(o.alarms);
  const items = o.alarms.length <= 3
    ? (await Promise.all(o.alarms.map((alarmName) => cw.describeAlarmHistory({ startMs: o.startMs, endMs: o.endMs, alarmName })))).flat()
    : await cw.describeAlarmHistory({ startMs: o.startMs, endMs: o.endMs });
  return items.filter((h) => wanted.has(h.alarmName) && h.timestamp >= o.startMs && h.timestamp <= o.endMs).sort((a, b) => a.timestamp - b.timestamp);
}
