/**
 * ops-manager: the alerts family. One lifecycle over CloudWatch alarms (with --env), Alertmanager alerts and
 * hand-made alerts; helm-cloud's own state (acks, local silences, escalations, notes, groups, resolutions) is
 * an append-only event log under .fractary/plugins/helm-cloud/alerts/ through the store, so two operators
 * acting at once are both recorded and a torn write loses at most the last record.
 */
import { AlertmanagerClient } from '../adapters/alertmanager/client.js';
import { PrometheusClient } from '../adapters/prometheus/client.js';
import { closest } from '../config/explain.js';
import { deployTimeline, openWorkspace, PATHS } from '../config/load.js';
import { correlate, type CorrelationAlert, type CorrelationDeploy } from '../core/alert-correlate.js';
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { mdTable, renderTable, safeText, type CommandResult } from '../report/render.js';
import type { AwsProvider } from '../aws/provider.js';
import { switchAlarmActions } from '../skills/ops-alerts/alarm-actions.js';
import { actionHolds, buildAlerts, alertId, localFingerprint, raise, severityAtLeast, type Alert, type AlertEvent, type AlertSeverity, type AlertSource, type AlertStatus } from '../skills/ops-alerts/model.js';
import { alarmHistory, EVENTS, gather, readEvents } from '../skills/ops-alerts/sources.js';
import { reenableExpiredActions } from './alert-holds.js';
import { createIssue, updateIssue } from '../store/helm.js';
import { storeOf } from '../store/index.js';
import { resolveContext, type CommonOptions } from './context.js';
import { operator } from './prometheus.js';
import { resolveServers } from './servers.js';

export const ALERTS_SCHEMA = 'helm-cloud/alerts@1';
/** How far back `history ID` asks CloudWatch without --since (it keeps alarm history for 30 days). */
const ALARM_HISTORY_MS = 30 * 86400_000;
/** A hand-made alert posted to Alertmanager fires there this long unless it is resolved first. */
const POSTED_FOR_MS = 7 * 86400_000;
export const ALERT_ACTIONS = ['create', 'list', 'acknowledge', 'silence', 'escalate', 'correlate', 'group', 'resolve', 'history', 'rules'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

export interface AlertsRequest extends CommonOptions {
  action: AlertAction;
  id?: string;
  name?: string;
  severity?: AlertSeverity;
  description?: string;
  resource?: string;
  labels?: Record<string, string>;
  status?: AlertStatus;
  source?: AlertSource;
  note?: string;
  durationMs?: number;
  comment?: string;
  /** silence: also disable the CloudWatch alarm's actions until the silence ends. */
  disableActions?: boolean;
  toSeverity?: AlertSeverity;
  team?: string;
  windowMs?: number;
  by?: string[];
  group?: string;
  add?: string[];
  sinceMs?: number;
  timeoutMs?: number;
  yes?: boolean;
}

interface Ctx {
  store: ReturnType<typeof storeOf>;
  ws: ReturnType<typeof openWorkspace>;
  aws?: AwsProvider;
  region?: string;
  events: AlertEvent[];
  envName?: string;
  protected: boolean;
  am?: AlertmanagerClient;
  prom?: PrometheusClient;
  deploys: CorrelationDeploy[];
  alerts: Alert[];
  problems: string[];
  now: number;
  monitoring?: ReturnType<typeof resolveServers>['monitoring'];
}

async function load(req: AlertsRequest, io: Io, now: number): Promise<Ctx> {
  const servers = resolveServers({ ...req, env: req.env }, io);
  const ws = servers.ws ?? openWorkspace(req.cwd, req.root);
  const store = storeOf(ws).family('alerts');
  let aws;
  let resources: ReturnType<typeof resolveContext>['resources'] = [];
  let deploys: CorrelationDeploy[] = [];
  let region: string | undefined;
  if (req.env) {
    const ctx = resolveContext(req, io);
    aws = ctx.aws;
    resources = ctx.resources;
    region = req.region ?? ctx.env.config.region;
    deploys = deployTimeline(ctx.registry, ctx.env.name).map((d) => ({ id: d.id, project: d.project, version: d.version, atMs: Date.parse(d.deployed_at), resources: d.resources.map((r) => r.name) }));
  }
  const am = servers.alertmanager ? new AlertmanagerClient(servers.alertmanager) : undefined;
  const prom = servers.prometheus ? new PrometheusClient(servers.prometheus) : undefined;
  const g = await gather({ am, aws, region, resources });
  const events = await readEvents(store);
  return { store, ws, aws, region, events, envName: servers.env?.name, protected: Boolean(servers.env?.config.protected), am, prom, deploys, alerts: buildAlerts(g.sources, events, now), problems: g.problems, now, monitoring: servers.monitoring };
}

function find(ctx: Ctx, id: string | undefined): Alert {
  const a = ctx.alerts.find((x) => x.id === id);
  if (a) return a;
  const ids = ctx.alerts.map((x) => x.id);
  const near = id ? closest(id, ids) : undefined;
  throw new HelmError('input', `no alert "${safeText(id ?? '').slice(0, 40)}"`, { fix: near ? `did you mean ${near}?` : ids.length ? `list them with \`helm-cloud alerts list\` (${ids.length} known)` : 'no alerts are known: `helm-cloud alerts list` shows what the sources report' });
}

async function record(ctx: Ctx, e: AlertEvent): Promise<void> {
  await ctx.store.append(EVENTS, e);
}

const at = (ms: number) => new Date(ms).toISOString();
const alertRow = (a: Alert) => [a.id, a.source, a.severity, a.status, a.name, a.resource ?? '', a.startsAt, a.acknowledged ? `${a.acknowledged.by}` : '', a.description];
const HEAD = ['id', 'source', 'severity', 'status', 'name', 'resource', 'since', 'ack by', 'description'];

function result(req: AlertsRequest, ctx: Ctx, summary: string, data: Record<string, unknown>, view: { headers: string[]; rows: string[][]; extra?: string[] }, exitCode = 0): CommandResult {
  const problems = ctx.problems.map((p) => `warning: source unavailable: ${safeText(p)}`);
  const json = { schema: ALERTS_SCHEMA, command: 'alerts', action: req.action, ...(ctx.envName ? { environment: ctx.envName } : {}), generatedAt: at(ctx.now), verdict: exitCode ? 'FINDINGS' : 'OK', summary, exitCode, problems: ctx.problems, ...data };
  return {
    json,
    exitCode,
    table: (color) => [safeText(summary), '', renderTable(view.headers, view.rows, { color, maxWidth: 70 }), ...(view.extra ?? []), ...problems].join('\n'),
    markdown: () => [`## alerts ${req.action}: ${safeText(summary)}`, '', mdTable(view.headers, view.rows), ...(view.extra ?? []).map((l) => `    ${l}`), ...problems.map((p) => `> ${p}`)].join('\n') + '\n',
  };
}

export async function runAlerts(req: AlertsRequest, io: Io, overrides: { now?: () => number } = {}): Promise<CommandResult> {
  const now = (overrides.now ?? Date.now)();
  await reenableExpiredActions({ cwd: req.cwd, root: req.root, io, now, profile: req.profile });
  const ctx = await load(req, io, now);
  for (const p of ctx.problems) io.err(`warning: source unavailable: ${safeText(p)}`);
  const by = operator();
  switch (req.action) {
    case 'list': {
      const shown = ctx.alerts.filter((a) => (!req.status || a.status === req.status) && (!req.severity || a.severity === req.severity) && (!req.source || a.source === req.source));
      const firing = shown.filter((a) => a.status === 'firing').length;
      return result(req, ctx, `${shown.length} alert${shown.length === 1 ? '' : 's'} (${firing} firing unacknowledged)`, { alerts: shown }, { headers: HEAD, rows: shown.map(alertRow) });
    }
    case 'create': {
      const labels = { ...(req.labels ?? {}) };
      const fp = localFingerprint(req.name!, labels, req.resource);
      const id = alertId('local', fp);
      const existing = ctx.alerts.find((a) => a.id === id && a.status !== 'resolved');
      if (existing) return result(req, ctx, `${id} already exists and is ${existing.status}`, { alert: existing, change: { outcome: 'skipped', id } }, { headers: HEAD, rows: [alertRow(existing)] });
      let posted = false;
      if (ctx.am) {
        await ctx.am.postAlerts([{ labels: { alertname: req.name!, severity: req.severity!, helm_cloud_id: id, ...(req.resource ? { resource: req.resource } : {}), ...labels }, annotations: { description: req.description!, summary: req.description! }, startsAt: at(now), endsAt: at(now + POSTED_FOR_MS) }]);
        posted = true;
      }
      await record(ctx, { kind: 'create', id, at: at(now), by, name: req.name!, severity: req.severity!, description: req.description!, labels, resource: req.resource, posted });
      const a = buildAlerts([], [{ kind: 'create', id, at: at(now), by, name: req.name!, severity: req.severity!, description: req.description!, labels, resource: req.resource, posted }], now)[0]!;
      return result(req, ctx, `${id} created${posted ? ` and posted to Alertmanager at ${ctx.am!.endpoint.url}` : ' (no Alertmanager configured: local only)'}`, { alert: a, change: { outcome: 'applied', id, posted } }, { headers: HEAD, rows: [alertRow(a)] });
    }
    case 'acknowledge': {
      const a = find(ctx, req.id);
      if (a.status === 'resolved') throw new HelmError('input', `${a.id} is resolved: nothing to acknowledge`, { fix: 'acknowledge a firing alert' });
      await record(ctx, { kind: 'ack', id: a.id, at: at(now), by, note: req.note });
      return result(req, ctx, `${a.id} acknowledged by ${by}`, { alert: { ...a, status: 'acknowledged', acknowledged: { by, at: at(now), note: req.note } }, change: { outcome: 'applied', id: a.id } }, { headers: HEAD, rows: [alertRow({ ...a, status: 'acknowledged', acknowledged: { by, at: at(now) } })] });
    }
    case 'silence': {
      const a = find(ctx, req.id);
      const until = at(now + req.durationMs!);
      if (req.disableActions) return silenceWithActions(req, ctx, io, a, until, by);
      let silenceId: string | undefined;
      const amLabels = a.source === 'alertmanager' ? a.labels : a.source === 'local' && a.ref.posted ? { helm_cloud_id: a.id } : undefined;
      if (amLabels && ctx.am) {
        if (ctx.protected && !req.yes) {
          // As remediate: no terminal to ask on is an incomplete call (2); a "no" is a refusal (3).
          if (!io.stdinIsTTY) {
            throw new HelmError('usage', `silence of ${a.id} on the protected environment ${ctx.envName} needs confirmation and this run is not interactive`, { fix: 'pass --yes to confirm without a terminal' });
          }
          if (!(await io.confirm(`silence ${a.id} in Alertmanager for the protected environment ${ctx.envName}?`))) {
            throw new HelmError('action-failed', `silence of ${a.id} not confirmed for the protected environment ${ctx.envName}`, { fix: 'nothing was changed' });
          }
        }
        const matchers = Object.entries(amLabels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
        silenceId = await ctx.am.createSilence({ matchers, startsAt: at(now), endsAt: until, createdBy: by, comment: req.comment ?? `silenced with helm-cloud alerts silence ${a.id}` });
      }
      await record(ctx, { kind: 'silence', id: a.id, at: at(now), by, until, comment: req.comment, silenceId });
      const where = silenceId ? `Alertmanager silence ${silenceId}` : a.source === 'cloudwatch' ? "helm-cloud's views and gates (the alarm's actions still run)" : "helm-cloud's views";
      return result(req, ctx, `${a.id} silenced until ${until} in ${where}`, { alert: a, change: { outcome: 'applied', id: a.id, silenceId, until } }, { headers: HEAD, rows: [alertRow({ ...a, status: 'silenced' })] });
    }
    case 'escalate': {
      const a = find(ctx, req.id);
      const to = req.toSeverity ?? raise(a.severity);
      const sev: Record<AlertSeverity, 'critical' | 'high' | 'medium'> = { critical: 'critical', warning: 'high', info: 'medium' };
      let issue = a.escalation?.issue;
      if (issue) {
        await updateIssue(ctx.ws, issue, (r) => void r.evidence.push({ kind: 'alert', summary: `${a.id} ${a.name} escalated to ${to}`, at: at(now), ref: a.id }), now);
      } else {
        const rec = await createIssue(ctx.ws, { domain: 'infra', title: `${a.name}${a.resource ? ` on ${a.resource}` : ''}`, severity: sev[severityAtLeast(a.severity, to) ? a.severity : to], environment: ctx.envName, resources: a.resource ? [a.resource] : [], evidence: [{ kind: 'alert', summary: `${a.id} ${a.name}: ${a.description}`, at: a.startsAt, ref: a.id }], started_at: a.startsAt }, now);
        issue = rec.id;
      }
      // Paging goes through the on-call family when [oncall] names teams; otherwise say nobody was paged.
      let paged: { incident: string; team?: string; assigned: string[]; backend: string } | undefined;
      let paging = 'paging is not configured ([oncall] in monitoring.toml has no teams): nobody was paged';
      if (Object.keys(ctx.monitoring?.oncall?.teams ?? {}).length) {
        const { openOncall } = await import('../skills/ops-oncall/index.js');
        const oncall = await openOncall({ cwd: req.cwd, root: req.root, now: () => now });
        const inc = await oncall.page(req.team, { title: `${a.name}${a.resource ? ` on ${a.resource}` : ''}`, urgency: to === 'critical' ? 'high' : 'low', description: a.description, service: req.team ? undefined : a.resource, fromAlert: a.id, issue, by });
        paged = { incident: inc.id, team: inc.team, assigned: inc.assigned, backend: inc.backend };
        paging = `paged ${inc.team ?? 'the on-call team'} (${inc.assigned.join(', ') || 'tier 1'}) through ${inc.backend}: incident ${inc.id}`;
      }
      await record(ctx, { kind: 'escalate', id: a.id, at: at(now), by, from: a.severity, to, team: req.team, issue, paged: paged?.incident });
      io.err(`note: ${paging}`);
      return result(req, ctx, `${a.id} escalated to ${to}; Helm issue ${issue}; ${paging}`, { alert: { ...a, severity: severityAtLeast(a.severity, to) ? a.severity : to }, change: { outcome: 'applied', id: a.id, issue, paged: paged ?? null, paging: paged ? 'paged' : 'not configured' } }, { headers: HEAD, rows: [alertRow({ ...a, severity: to })] });
    }
    case 'resolve': {
      const a = find(ctx, req.id);
      if (a.source === 'local') {
        if (a.status === 'resolved' && !(a.ref.posted && ctx.am && a.sourceState.startsWith('alertmanager'))) return result(req, ctx, `${a.id} is already resolved`, { alert: a, change: { outcome: 'skipped', id: a.id } }, { headers: HEAD, rows: [alertRow(a)] });
        if (a.ref.posted && ctx.am) await ctx.am.postAlerts([{ labels: { alertname: a.name, severity: a.severity, helm_cloud_id: a.id, ...(a.resource ? { resource: a.resource } : {}), ...a.labels }, startsAt: a.startsAt, endsAt: at(now) }]);
        await record(ctx, { kind: 'resolve', id: a.id, at: at(now), by, note: req.note, owned: true });
        // A copy posted to an Alertmanager this run cannot reach keeps firing there until the endsAt it was posted with.
        const stray = a.ref.posted && !ctx.am ? `its Alertmanager copy was not ended (no Alertmanager configured in this run): it fires there until ${at(Date.parse(a.startsAt) + POSTED_FOR_MS)} unless resolved again with ALERTMANAGER_URL set` : undefined;
        if (stray) io.err(`warning: ${a.id}: ${stray}`);
        const copy = !a.ref.posted ? 'none' : ctx.am ? 'ended' : 'not ended';
        return result(req, ctx, `${a.id} resolved${copy === 'ended' ? ' (its Alertmanager copy ended)' : stray ? `; ${stray}` : ''}`, { alert: { ...a, status: 'resolved' }, change: { outcome: 'applied', id: a.id, alertmanagerCopy: copy } }, { headers: HEAD, rows: [alertRow({ ...a, status: 'resolved' })] });
      }
      await record(ctx, { kind: 'resolve', id: a.id, at: at(now), by, note: req.note, owned: false });
      return result(req, ctx, `${a.id} belongs to ${a.source}: resolution note recorded; the source still says ${a.sourceState}`, { alert: a, change: { outcome: 'applied', id: a.id, sourceState: a.sourceState } }, { headers: HEAD, rows: [alertRow(a)] });
    }
    case 'history': {
      const rows: { at: string; alert: string; what: string; by: string }[] = [];
      const gaps: { source: string; what: string; reason: string }[] = [];
      const one = req.id ? find(ctx, req.id) : undefined;
      const from = req.sinceMs !== undefined ? now - req.sinceMs : undefined;
      const inRange = (t: string) => from === undefined || Date.parse(t) >= from;
      for (const e of ctx.events) {
        if (one && e.id !== one.id) continue;
        if (inRange(e.at)) rows.push({ at: e.at, alert: e.id, what: describeEvent(e), by: e.by });
      }
      // CloudWatch's own timeline of the alarms (DescribeAlarmHistory); without it, their current state only.
      const alarms = new Map((one ? [one] : ctx.alerts).filter((a) => a.source === 'cloudwatch').map((a) => [String(a.ref.alarm ?? a.name), a]));
      const told = new Set<string>();
      if (alarms.size && ctx.aws) {
        try {
          const items = await alarmHistory(ctx.aws, { alarms: [...alarms.keys()], startMs: from ?? now - ALARM_HISTORY_MS, endMs: now });
          // CloudWatch answered for every alarm asked: its timeline replaces the "entered <state>" guess.
          for (const n of alarms.keys()) told.add(n);
          for (const h of items) {
            const a = alarms.get(h.alarmName)!;
            rows.push({ at: at(h.timestamp), alert: a.id, what: `cloudwatch: ${h.alarmName} ${h.oldState && h.newState ? `${h.oldState} → ${h.newState}` : 'changed'}${h.summary ? `: ${h.summary}` : ''}`, by: 'cloudwatch' });
          }
        } catch (e) {
          gaps.push({ source: 'cloudwatch', what: 'alarm history', reason: (e as Error).message.split('\n')[0]!.slice(0, 300) });
        }
      }
      for (const a of one ? [one] : ctx.alerts) {
        if (a.source === 'local' || told.has(String(a.ref.alarm ?? a.name)) || !inRange(a.startsAt)) continue;
        rows.push({ at: a.startsAt, alert: a.id, what: `${a.source}: ${a.name} entered ${a.sourceState}`, by: a.source });
      }
      rows.sort((x, y) => x.at.localeCompare(y.at) || x.alert.localeCompare(y.alert));
      const gapLines = gaps.map((g) => `gap: ${g.source} ${g.what} unavailable (${safeText(g.reason)}): the CloudWatch alarms show their current state only`);
      for (const l of gapLines) io.err(`warning: ${l}`);
      return result(req, ctx, `${rows.length} event${rows.length === 1 ? '' : 's'}${req.id ? ` for ${req.id}` : ''}${gaps.length ? ` (${gaps.length} source gap${gaps.length === 1 ? '' : 's'})` : ''}`, { events: rows, gaps }, { headers: ['at', 'alert', 'what', 'by'], rows: rows.map((r) => [r.at, r.alert, r.what, r.by]), extra: gapLines.length ? ['', ...gapLines] : [] });
    }
    case 'group': {
      if (req.group && req.add?.length) {
        const targets = req.add.map((id) => find(ctx, id));
        for (const a of targets) await record(ctx, { kind: 'group', id: a.id, at: at(now), by, group: req.group });
        return result(req, ctx, `${targets.length} alert${targets.length === 1 ? '' : 's'} added to group ${req.group}`, { group: req.group, alerts: targets.map((a) => a.id) }, { headers: HEAD, rows: targets.map(alertRow) });
      }
      const active = ctx.alerts.filter((a) => a.status !== 'resolved');
      const keys = req.by?.length ? req.by : undefined;
      const groups = new Map<string, Alert[]>();
      for (const a of active) {
        const names = keys ? [keys.map((k) => `${k}=${a.labels[k] ?? (k === 'resource' ? (a.resource ?? '') : '')}`).join(',')] : a.groups.length ? a.groups : [];
        for (const n of names) groups.set(n, [...(groups.get(n) ?? []), a]);
      }
      const list = [...groups.entries()].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0])).map(([key, as]) => ({ key, alerts: as.map((a) => a.id), severity: as.reduce<AlertSeverity>((s, a) => (severityAtLeast(a.severity, s) ? a.severity : s), 'info') }));
      return result(req, ctx, `${list.length} group${list.length === 1 ? '' : 's'}${keys ? ` by ${keys.join(',')}` : ' (named)'}`, { groups: list }, { headers: ['group', 'alerts', 'worst severity', 'ids'], rows: list.map((g) => [g.key, String(g.alerts.length), g.severity, g.alerts.join(' ')]) });
    }
    case 'correlate': {
      const firing = ctx.alerts.filter((a) => a.status === 'firing' || a.status === 'acknowledged');
      const input: CorrelationAlert[] = firing.map((a) => ({ id: a.id, name: a.name, startsAt: Date.parse(a.startsAt), labels: a.labels, resource: a.resource, project: a.project }));
      const groups = correlate(input, ctx.deploys, req.windowMs ?? 30 * 60_000);
      const extra: string[] = [];
      for (const g of groups.filter((x) => x.alerts.length > 1)) {
        extra.push('', `${g.alerts.join(' ')}: probable cause ${g.cause.summary}`);
        for (const l of g.evidence) extra.push(`  ${l.between.join(' ~ ')} (${l.score}): ${l.evidence.map((e) => e.detail).join('; ')}`);
      }
      const related = groups.filter((g) => g.alerts.length > 1).length;
      return result(req, ctx, `${firing.length} firing alerts in ${groups.length} group${groups.length === 1 ? '' : 's'} (${related} with more than one alert)`, { groups }, { headers: ['alerts', 'probable cause', 'first'], rows: groups.map((g) => [g.alerts.join(' '), g.cause.summary, at(g.firstAt)]), extra });
    }
    case 'rules':
      throw new HelmError('internal', 'rules is handled by runAlertRules');
  }
}

/**
 * silence --disable-actions on a CloudWatch alarm: the alarm's actions are disabled through the guarded write
 * (lock, protected-environment consent, actions.jsonl) before the silence is recorded, and re-enabled by the
 * first helm-cloud run after it ends (alert-holds.ts). Actions that were already off are left as they are,
 * then and at the end: turning them back on is their owner's call.
 */
async function silenceWithActions(req: AlertsRequest, ctx: Ctx, io: Io, a: Alert, until: string, by: string): Promise<CommandResult> {
  if (a.source !== 'cloudwatch') {
    throw new HelmError('usage', `--disable-actions applies to CloudWatch alarms; ${a.id} comes from ${a.source}`, { keyPath: '--disable-actions', fix: a.source === 'alertmanager' ? 'an Alertmanager silence already stops its notifications: drop --disable-actions' : 'drop --disable-actions' });
  }
  const alarm = String(a.ref.alarm ?? a.name);
  if (!ctx.aws || !ctx.envName) throw new HelmError('usage', `${a.id} is a CloudWatch alarm: --disable-actions needs its environment`, { keyPath: '--env', fix: 'pass --env E' });
  const held = actionHolds(ctx.events).some((h) => h.id === a.id);
  const r = await switchAlarmActions({ aws: ctx.aws, ws: ctx.ws, env: { name: ctx.envName, protected: ctx.protected }, io, operator: by, yes: Boolean(req.yes), now: () => ctx.now, alarm, enabled: false, why: `silence of ${a.id} until ${until}` });
  const disabled = r.outcome === 'applied' || held;
  await record(ctx, { kind: 'silence', id: a.id, at: at(ctx.now), by, until, comment: req.comment, disabledActions: disabled, alarm, env: ctx.envName, region: ctx.region });
  const actions = r.outcome === 'applied'
    ? `its alarm actions are disabled until then (re-enabled by the first helm-cloud command after it ends)`
    : held
      ? 'its alarm actions stay disabled until then (re-enabled by the first helm-cloud command after it ends)'
      : 'its alarm actions were already disabled by someone else: left as they are, now and when the silence ends';
  const change = { outcome: r.outcome === 'applied' ? 'applied' : 'skipped', id: a.id, until, alarm, actionsEnabled: r.after?.actionsEnabled ?? r.before?.actionsEnabled ?? null, disabledActions: disabled, log: r.log };
  return result(req, ctx, `${a.id} silenced until ${until} in helm-cloud's views and gates; ${actions}`, { alert: a, change }, { headers: HEAD, rows: [alertRow({ ...a, status: 'silenced' })] });
}

function describeEvent(e: AlertEvent): string {
  switch (e.kind) {
    case 'create':
      return `created (${e.severity}): ${e.name}${e.posted ? ', posted to Alertmanager' : ''}`;
    case 'ack':
      return `acknowledged${e.note ? `: ${e.note}` : ''}`;
    case 'silence':
      return `silenced until ${e.until}${e.silenceId ? ` (Alertmanager ${e.silenceId})` : e.disabledActions ? ` (helm-cloud views; alarm actions of ${e.alarm} disabled)` : ' (helm-cloud views)'}${e.comment ? `: ${e.comment}` : ''}`;
    case 'actions-enabled':
      return `alarm actions of ${e.alarm} re-enabled`;
    case 'escalate':
      return `escalated ${e.from} → ${e.to}${e.team ? ` (team ${e.team})` : ''}${e.issue ? `, issue ${e.issue}` : ''}`;
    case 'resolve':
      return e.owned ? `resolved${e.note ? `: ${e.note}` : ''}` : `resolution note: ${e.note ?? ''}`;
    case 'note':
      return `note: ${e.note}`;
    case 'group':
      return `added to group ${e.group}`;
  }
}

export { PATHS };
