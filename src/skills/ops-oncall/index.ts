/**
 * ops-oncall: who is on call, paging, incidents — over whichever backend the config names. This is also the API
 * other families use to page a team (alerts firing, a failed deploy, the shell):
 *
 *   const oncall = await openOncall({ cwd: process.cwd() });
 *   const people = await oncall.whoIsOnCall('payments', Date.now());
 *   const incident = await oncall.page('payments', { title: 'checkout 5xx', urgency: 'high', fromAlert: 'A-12' });
 *
 * `page` opens an incident that pages tier 1 of the team's policy (local: recorded; GoAlert/PagerDuty: their
 * notifications), links the alert or Helm issue both ways, and returns it.
 */
import { loadMonitoring, openWorkspace, type Workspace } from '../../config/load.js';
import { loadOncall, resolveTeam, type OncallModel, type TeamModel } from '../../config/oncall.js';
import { printable } from '../../config/explain.js';
import { HelmError } from '../../errors.js';
import { updateIssue } from '../../store/helm.js';
import { openBackend, type OncallBackend } from '../../adapters/oncall/index.js';
import { INCIDENTS_FILE } from '../../adapters/oncall/local/paths.js';
import type { Incident, NewIncident, Urgency, WhoIsOnCall } from '../../adapters/oncall/types.js';

export interface OncallContext {
  ws: Workspace;
  model: OncallModel;
  backend: OncallBackend;
  now: () => number;
}

export interface PageRequest {
  title: string;
  urgency?: Urgency;
  description?: string;
  service?: string;
  fromAlert?: string;
  issue?: string;
  by?: string;
}

export interface Oncall extends OncallContext {
  team(name?: string): TeamModel;
  whoIsOnCall(team: string | undefined, at?: number): Promise<WhoIsOnCall>;
  page(team: string | undefined, incident: PageRequest): Promise<Incident>;
}

export async function openOncall(opts: { cwd: string; root?: string; now?: () => number; fetch?: typeof fetch }): Promise<Oncall> {
  const ws = openWorkspace(opts.cwd, opts.root);
  const model = loadOncall(ws, loadMonitoring(ws));
  const now = opts.now ?? (() => Date.now());
  const backend = await openBackend(ws, model, { now, fetch: opts.fetch });
  return oncallFor({ ws, model, backend, now });
}

export function oncallFor(ctx: OncallContext): Oncall {
  return {
    ...ctx,
    team: (name) => resolveTeam(ctx.model, name),
    whoIsOnCall: (team, at) => ctx.backend.whoIsOnCall(resolveTeam(ctx.model, team), at ?? ctx.now()),
    page: (team, incident) => createIncident(ctx, team, incident),
  };
}

/** The team a service belongs to (incident create --service), else --team / the default. */
export function teamForService(model: OncallModel, service: string | undefined, team: string | undefined): TeamModel {
  if (team || !service) return resolveTeam(model, team);
  const owners = [...model.teams.values()].filter((t) => t.services.includes(service));
  if (owners.length === 1) return owners[0]!;
  if (owners.length > 1) throw new HelmError('input', `service "${printable(service, 60)}" is listed by teams ${owners.map((t) => t.name).join(' and ')}`, { keyPath: '--service', fix: 'pass --team, or list the service under one team only' });
  return resolveTeam(model, undefined);
}

export async function createIncident(ctx: OncallContext, teamName: string | undefined, req: PageRequest): Promise<Incident> {
  const team = teamForService(ctx.model, req.service, teamName);
  if (team.policy.tiers.length === 0) throw new HelmError('config', `team ${team.name} has an escalation policy with no tiers`, { file: ctx.model.file, fix: 'add a tier' });
  const input: NewIncident = { title: req.title, urgency: req.urgency ?? 'high', description: req.description, service: req.service, fromAlert: req.fromAlert, issue: req.issue, by: req.by ?? 'helm-cloud' };
  if (req.issue) {
    // Validates the issue id before anything is written (nothing half-written on a typo).
    const { readIssue } = await import('../../store/helm.js');
    await readIssue(ctx.ws, req.issue);
  }
  const inc = await ctx.backend.createIncident(team, input);
  if (req.issue) {
    const now = ctx.now();
    await updateIssue(ctx.ws, req.issue, (r) => {
      const rec = r as typeof r & { incidents?: string[] };
      rec.incidents = [...new Set([...(rec.incidents ?? []), inc.id])];
      r.actions.push({ at: new Date(now).toISOString(), action: 'incident', outcome: 'paged', log: ctx.backend.kind === 'local' ? INCIDENTS_FILE : `${ctx.backend.kind}:${inc.id}`, target: team.name });
    }, now);
  }
  return inc;
}

/** The incident opened from an alert, if any (the alerts family's side of the two-way link). */
export async function incidentForAlert(ctx: OncallContext, alertId: string): Promise<Incident | undefined> {
  return (await ctx.backend.listIncidents({})).find((i) => i.alerts.includes(alertId));
}
