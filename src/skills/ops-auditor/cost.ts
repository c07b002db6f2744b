/**
 * Cost section: Cost Explorer spend for the environment's account (and cost-allocation tag, when the
 * environment names one), this period against the last, by service and by registry project; anomalies;
 * the forecast; optimisation findings from the environment's own metrics (the cost checks).
 */
import { costExplorer, type CostAnomaly, type CostFilter, type CostForecast } from '../../aws/costexplorer.js';
import { loadChecks } from '../../audit/checks/index.js';
import { buildInventory } from '../../audit/inventory.js';
import type { AuditSeverity } from '../../audit/severity.js';
import { comparisonPeriods, grandTotal, isoDay, totalsByKey, type PeriodTotal, type Periods } from '../../core/cost.js';
import type { AuditContext, AuditFinding, SectionOutcome, Unknown } from './types.js';
import { mergeUnknowns, readPart } from './unknown.js';

export interface Optimisation {
  check: string;
  resource: string;
  project?: string;
  finding: string;
  monthlySaving: number | null;
  how: string;
}

export interface CostData {
  period: Periods;
  filter: { accountId?: string; tag?: { key: string; value: string } };
  currency: string;
  total?: { current: number; previous: number; changePercent: number | null };
  byService: PeriodTotal[];
  byProject: (PeriodTotal & { registered: boolean })[];
  anomalies: (CostAnomaly & { severity: AuditSeverity })[];
  forecast?: (CostForecast & { available: true }) | { available: false; reason: string };
  optimisations: Optimisation[];
  /** Checks that could not judge a resource (no data, no permission): never counted as passing. */
  unmeasured: { check: string; resource: string; reason: string }[];
  estimatedMonthlySaving: number;
  calls: number;
}

const UNTAGGED = '(untagged)';

/** Severity of a cost anomaly from its impact: doubling spend or $1,000 is high; +25% or $100 is medium. */
export function anomalySeverity(a: Pick<CostAnomaly, 'totalImpact' | 'impactPercent'>): AuditSeverity {
  const pct = a.impactPercent ?? 0;
  if (pct >= 100 || a.totalImpact >= 1000) return 'high';
  if (pct >= 25 || a.totalImpact >= 100) return 'medium';
  return 'low';
}

/** Severity of the period-on-period change of the total: doubling and +$100 is high; +25% and +$10 is medium. */
export function growthSeverity(t: { current: number; previous: number; changePercent: number | null }): AuditSeverity | undefined {
  const delta = t.current - t.previous;
  const pct = t.changePercent ?? (t.previous === 0 && t.current > 0 ? Infinity : 0);
  if (pct >= 100 && delta >= 100) return 'high';
  if (pct >= 25 && delta >= 10) return 'medium';
  return undefined;
}

export async function auditCost(ctx: AuditContext): Promise<SectionOutcome<CostData>> {
  const now = ctx.now();
  const days = ctx.audit.period_days;
  const period = comparisonPeriods(now, days);
  const filter: CostFilter = { accountId: ctx.env.accountId, tag: ctx.env.config.cost_allocation_tag };
  const data: CostData = { period, filter, currency: 'USD', byService: [], byProject: [], anomalies: [], optimisations: [], unmeasured: [], estimatedMonthlySaving: 0, calls: 0 };
  const findings: AuditFinding[] = [];
  const notes: string[] = [];
  if (!filter.accountId) notes.push('the environment names no account_id: costs are for every account the credentials can see');
  const ce = costExplorer(ctx.aws);
  const span = { start: period.previous.start, end: period.current.end };

  // Each call stands on its own: one that fails makes its part UNKNOWN (named in the reason) and keeps what the
  // others returned, including the optimisations measured from metrics.
  const unknowns: Unknown[] = [];
  // Sequential on purpose (see the adapter): service split first, then the project tag.
  const svc = await readPart(ctx.aws, 'Cost Explorer (GetCostAndUsage by service)', () => ce.getCostAndUsage(span, { type: 'DIMENSION', key: 'SERVICE' }, filter));
  if (svc.ok) {
    data.calls += svc.value.calls;
    data.currency = svc.value.rows[0]?.unit ?? 'USD';
    data.byService = totalsByKey(svc.value.rows, period);
    data.total = grandTotal(data.byService);
    if (svc.value.rows.some((r) => r.estimated && r.date >= period.current.start)) notes.push('the current period includes estimated (not yet final) costs');
  } else unknowns.push(svc.unknown);

  const tag = ctx.audit.project_tag;
  const proj = await readPart(ctx.aws, `Cost Explorer (GetCostAndUsage by tag ${tag})`, () => ce.getCostAndUsage(span, { type: 'TAG', key: tag }, filter));
  if (proj.ok) {
    data.calls += proj.value.calls;
    const totals = new Map(totalsByKey(proj.value.rows, period).map((t) => [t.key, t]));
    const projects = [...new Set(ctx.resources.map((r) => r.project))].sort();
    for (const p of projects) {
      const t = totals.get(p) ?? { key: p, current: 0, previous: 0, change: 0, changePercent: 0 };
      totals.delete(p);
      data.byProject.push({ ...t, registered: true });
    }
    for (const [k, t] of totals) data.byProject.push({ ...t, key: k === '' ? UNTAGGED : k, registered: false });
    if (projects.length && !proj.value.rows.some((r) => projects.includes(r.key))) {
      notes.push(`no cost carries the "${tag}" cost-allocation tag with a registry project name: activate the tag in Billing, or set [audit] project_tag`);
    }
  } else unknowns.push(proj.unknown);

  const anomalies = await readPart(ctx.aws, 'Cost Explorer anomalies (GetAnomalies)', () => ce.getAnomalies(period.current));
  if (!anomalies.ok) unknowns.push(anomalies.unknown);
  else data.calls++;
  for (const a of anomalies.ok ? anomalies.value : []) {
    // Anomaly monitors are account-wide (often the payer's): keep the ones that touch this account.
    if (filter.accountId && a.rootCauses.length && !a.rootCauses.some((r) => !r.account || r.account === filter.accountId)) continue;
    if (a.feedback === 'NO') continue;
    const severity = anomalySeverity(a);
    data.anomalies.push({ ...a, severity });
    const cause = a.rootCauses[0];
    findings.push({
      id: `cost:anomaly:${a.id}`,
      section: 'cost',
      severity,
      resource: cause?.service ?? a.dimension ?? 'account',
      title: `cost anomaly: $${a.totalImpact.toFixed(2)} above expected${a.impactPercent !== undefined ? ` (+${a.impactPercent}%)` : ''}${cause ? ` in ${[cause.service, cause.usageType, cause.region].filter(Boolean).join(' / ')}` : ''} since ${a.start ?? '?'}`,
      remediation: 'find the change behind it (deploys, traffic, usage type); give feedback on the anomaly in Cost Anomaly Detection',
    });
  }

  const growth = svc.ok && data.total ? growthSeverity(data.total) : undefined;
  if (growth && data.total) {
    findings.push({
      id: 'cost:period-growth',
      section: 'cost',
      severity: growth,
      resource: 'account',
      title: `spend up ${data.total.changePercent === null ? 'from $0' : `${data.total.changePercent}%`}: $${data.total.previous} → $${data.total.current} over ${days} days`,
      remediation: `see byService for what grew${data.anomalies.length ? ' and the anomalies for their root causes' : ''}; confirm the growth is expected`,
    });
  }

  const fStart = isoDay(now);
  const fEnd = isoDay(now + days * 86_400_000);
  const f = await readPart(ctx.aws, 'Cost Explorer forecast (GetCostForecast)', () => ce.getCostForecast({ start: fStart, end: fEnd }, filter));
  if (f.ok) {
    data.calls++;
    data.forecast = { ...f.value, available: true };
  } else if (/DataUnavailable/.test(f.unknown.reason)) {
    // Too little history to forecast is an answer, not a failure to audit (new accounts, new tags).
    data.forecast = { available: false, reason: 'not enough cost history to forecast (DataUnavailableException)' };
  } else {
    data.forecast = { available: false, reason: f.unknown.reason };
    unknowns.push(f.unknown);
  }

  // Optimisations from the environment's own metrics.
  const inventory = await buildInventory({ aws: ctx.aws, resources: ctx.resources, firstSeen: ctx.firstSeen, nowMs: now, windowDays: ctx.audit.idle_days, concurrency: ctx.concurrency });
  data.calls += inventory.metricCalls;
  for (const check of await loadChecks('cost')) {
    for (const f of check.run(inventory, { idleDays: ctx.audit.idle_days, nowMs: now })) {
      if (f.status === 'UNKNOWN') data.unmeasured.push({ check: f.checkId, resource: f.resourceId, reason: f.reason });
      if (f.status !== 'FAIL') continue;
      data.optimisations.push({ check: f.checkId, resource: f.resourceId, project: f.project, finding: f.reason, monthlySaving: f.monthlySaving ?? null, how: f.how ?? '' });
      findings.push({
        id: `cost:${f.checkId}:${f.resourceId}`,
        section: 'cost',
        severity: check.metadata.Severity,
        resource: f.arn ?? f.resourceId,
        registryResource: f.project ? `${f.project}/${f.resourceId}` : undefined,
        title: `${check.metadata.CheckTitle}: ${f.reason}${f.monthlySaving ? ` (saves ~$${f.monthlySaving}/month)` : ''}`,
        remediation: check.metadata.Remediation.Text,
      });
    }
  }
  data.optimisations.sort((a, b) => (b.monthlySaving ?? -1) - (a.monthlySaving ?? -1) || a.resource.localeCompare(b.resource));
  data.estimatedMonthlySaving = Math.round(data.optimisations.reduce((s, o) => s + (o.monthlySaving ?? 0), 0) * 100) / 100;
  return { ...(unknowns.length ? { unknown: mergeUnknowns(unknowns) } : {}), data, findings, notes };
}
