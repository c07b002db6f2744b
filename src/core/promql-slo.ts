/**
 * PromQL SLOs: the query plan and the evaluation, pure. One instant query per expression and window, each
 * aggregated `by` the service label, so the number of queries never depends on the number of services. Each
 * service is judged like a CloudWatch resource: the objective over the health window (evaluateSlo) and the
 * SRE-workbook multi-window burn rates (burnRates). A failed query leaves only its own SLO UNKNOWN, with the reason.
 */
import { burnRates, raiseForBurn, BURN_WINDOWS_MS, windowLabel, type BurnRateEntry } from './burn-rate.js';
import { evaluateSlo, type SloOutcome } from './slo.js';

export interface PromSloDef {
  name: string;
  error_ratio?: string;
  good?: string;
  bad?: string;
  total?: string;
  /** Percent of good events (99.9). */
  objective: number;
  service_label: string;
  period_days: number;
  services?: string[];
  project?: string;
}

export type Role = 'ratio' | 'good' | 'bad' | 'total';

export interface PlannedQuery {
  id: string;
  slo: string;
  role: Role;
  windowMs: number;
  expr: string;
}

export type QueryAnswer = { ok: true; samples: { labels: Record<string, string>; value: number }[] } | { ok: false; reason: string };

export interface PromSloOutcome extends SloOutcome {
  burnRates?: BurnRateEntry[];
}

export interface ServiceVerdicts {
  service: string;
  project?: string;
  slos: PromSloOutcome[];
  /** SLOs that do not apply (no traffic), with why. */
  notEvaluated: { key: string; reason: string }[];
}

export interface PromSloResult {
  services: ServiceVerdicts[];
  /** SLOs whose queries failed before any service was known: one entry each, so the failure is reported. */
  unattributed: { slo: string; reason: string }[];
  /** Largest 1h burn rate (null without data). */
  hourBurn: number | null;
}

export const WINDOW_TOKEN = '{{window}}';

/** The shortest window asked (5m): a service absent from it has stopped reporting. */
const LATEST_MS = BURN_WINDOWS_MS[0]!;

/** Float rounding allowed beyond 0–1 (a sum of rates may exceed another by an ulp or so). */
const RATIO_SLACK = 1e-6;

function round(x: number): number {
  return Math.abs(x) >= 100 ? Math.round(x * 10) / 10 : Number(x.toPrecision(4));
}

function promText(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x === Infinity ? '+Inf' : x === -Infinity ? '-Inf' : String(round(x));
}

export function evaluationWindows(mainWindowMs: number): number[] {
  return [...new Set([mainWindowMs, ...BURN_WINDOWS_MS])].sort((a, b) => a - b);
}

function rolesOf(s: PromSloDef): Role[] {
  if (s.error_ratio !== undefined) return ['ratio'];
  return s.good !== undefined ? ['good', 'total'] : ['bad', 'total'];
}

export function planPromSloQueries(slos: readonly PromSloDef[], mainWindowMs: number): PlannedQuery[] {
  const out: PlannedQuery[] = [];
  for (const s of slos) {
    for (const role of rolesOf(s)) {
      const template = role === 'ratio' ? s.error_ratio! : s[role]!;
      for (const w of evaluationWindows(mainWindowMs)) {
        const inner = template.split(WINDOW_TOKEN).join(windowLabel(w));
        // Ratios cannot be summed: the expression must aggregate itself. Counts are summed per service here.
        const expr = role === 'ratio' ? inner : `sum by (${s.service_label}) (${inner})`;
        out.push({ id: `${s.name}/${role}/${windowLabel(w)}`, slo: s.name, role, windowMs: w, expr });
      }
    }
  }
  return out;
}

interface Cell {
  value?: number;
  problem?: string;
}

/** Per-service values of one answer; problems (missing label, duplicate series) are attributed where they can be. */
function byService(answer: QueryAnswer, label: string): { cells: Map<string, Cell>; unlabelled: number } {
  const cells = new Map<string, Cell>();
  let unlabelled = 0;
  if (!answer.ok) return { cells, unlabelled };
  for (const s of answer.samples) {
    const svc = s.labels[label];
    if (svc === undefined) {
      unlabelled++;
      continue;
    }
    const prev = cells.get(svc);
    if (prev) cells.set(svc, { problem: `several series for ${label}="${svc}": aggregate the expression with by (${label})` });
    else cells.set(svc, { value: s.value });
  }
  return { cells, unlabelled };
}

export function evaluatePromSlos(slos: readonly PromSloDef[], plan: readonly PlannedQuery[], answers: ReadonlyMap<string, QueryAnswer>, opts: { mainWindowMs: number; degradedPercent: number }): PromSloResult {
  const services = new Map<string, ServiceVerdicts>();
  const unattributed: PromSloResult['unattributed'] = [];
  let hourBurn: number | null = null;
  const entry = (svc: string, project?: string) => {
    let e = services.get(svc);
    if (!e) services.set(svc, (e = { service: svc, project, slos: [], notEvaluated: [] }));
    e.project ??= project;
    return e;
  };

  // Services known from any SLO's answers (a failed SLO is still reported for them).
  const seen = new Set<string>();
  for (const q of plan) {
    const s = slos.find((x) => x.name === q.slo)!;
    const a = answers.get(q.id);
    if (a) for (const svc of byService(a, s.service_label).cells.keys()) seen.add(svc);
  }
  for (const s of slos) for (const svc of s.services ?? []) seen.add(svc);

  for (const s of slos) {
    const queries = plan.filter((q) => q.slo === s.name);
    const failed = queries.map((q) => answers.get(q.id) ?? ({ ok: false, reason: 'not queried' } as QueryAnswer)).find((a) => !a.ok) as { ok: false; reason: string } | undefined;
    const objective = { key: s.name, target: s.objective, unit: '%', direction: 'min' as const, scale: 'ratio' as const, label: s.name };
    const cellsOf = new Map(queries.map((q) => [q.id, byService(answers.get(q.id)!, s.service_label)]));
    const mine = new Set<string>(s.services ?? []);
    for (const c of cellsOf.values()) for (const svc of c.cells.keys()) mine.add(svc);

    if (failed) {
      const targets = mine.size ? mine : seen;
      if (!targets.size) unattributed.push({ slo: s.name, reason: failed.reason });
      for (const svc of targets) entry(svc, s.project).slos.push(evaluateSlo(objective, null, opts.degradedPercent, `query failed: ${failed.reason}`));
      continue;
    }
    const unlabelled = Math.max(...[...cellsOf.values()].map((c) => c.unlabelled));
    if (unlabelled > 0 && !mine.size) {
      unattributed.push({ slo: s.name, reason: `the result has no ${s.service_label} label: aggregate the expression with by (${s.service_label})` });
      continue;
    }

    /** Bad share over one window for one service: a number, 'idle' (no events), or a problem. */
    const ratioAt = (svc: string, w: number): number | 'idle' | { problem: string; absent?: true } => {
      const cell = (role: Role) => cellsOf.get(`${s.name}/${role}/${windowLabel(w)}`)!.cells.get(svc);
      if (s.error_ratio !== undefined) {
        const c = cell('ratio');
        if (!c) return { problem: 'no result for this service', absent: true };
        if (c.problem) return { problem: c.problem };
        const v = c.value!;
        if (Number.isNaN(v)) return 'idle'; // 0/0: no events
        // x/0 with x > 0 is ±Inf: bad events counted while the denominator saw none.
        if (!Number.isFinite(v)) return { problem: `error_ratio is ${v > 0 ? '+Inf' : '-Inf'} over ${windowLabel(w)}: its denominator is 0 while its numerator is not (the two do not count the same requests)` };
        if (v < -RATIO_SLACK || v > 1 + RATIO_SLACK) return { problem: `error_ratio is ${round(v)} over ${windowLabel(w)}, outside 0–1: it must be a share of events (0.01 = 1 %), not a percentage` };
        return Math.min(1, Math.max(0, v));
      }
      const t = cell('total');
      const part = cell(s.good !== undefined ? 'good' : 'bad');
      const partRole = s.good !== undefined ? 'good' : 'bad';
      if (!t) return { problem: 'no total events for this service', absent: true };
      if (t.problem || part?.problem) return { problem: (t.problem ?? part!.problem)! };
      const total = t.value!;
      const partValue = part?.value ?? 0; // a service without good (or bad) events has 0 of them
      if (!Number.isFinite(total) && !Number.isNaN(total)) return { problem: `total is ${total > 0 ? '+Inf' : '-Inf'} over ${windowLabel(w)}` };
      if (!Number.isFinite(partValue) || partValue < 0) return { problem: `${partRole} is ${promText(partValue)} over ${windowLabel(w)}` };
      if (!(total > 0)) return partValue > 0 ? { problem: `${round(partValue)} ${partRole} events/s but no total events over ${windowLabel(w)}: the two expressions do not count the same requests` } : 'idle';
      // good or bad beyond total (past float rounding) means the expressions count different requests:
      // clamping would read as 100 % good or 100 % bad from data that contradicts itself.
      if (partValue > total * (1 + RATIO_SLACK)) return { problem: `${partRole} events (${round(partValue)}/s) exceed total events (${round(total)}/s) over ${windowLabel(w)}: the ${partRole} and total expressions do not count the same requests` };
      const share = Math.min(1, partValue / total);
      return s.good !== undefined ? 1 - share : share;
    };

    for (const svc of mine) {
      const e = entry(svc, s.project);
      const main = ratioAt(svc, opts.mainWindowMs);
      if (main === 'idle') {
        e.notEvaluated.push({ key: s.name, reason: `idle: no events in the ${windowLabel(opts.mainWindowMs)} window (rate SLOs do not apply)` });
        continue;
      }
      // Idle series still answer (rate 0, or 0/0 = NaN); a service with a value over the window but no answer at all
      // over the latest minutes stopped being scraped: its present state is unknown, not what the window averaged.
      const latest = ratioAt(svc, LATEST_MS);
      const stopped = typeof main === 'number' && opts.mainWindowMs > LATEST_MS && typeof latest === 'object' && latest.absent;
      const outcome: PromSloOutcome = stopped
        ? evaluateSlo(objective, null, opts.degradedPercent, `no data over the last ${windowLabel(LATEST_MS)} while the ${windowLabel(opts.mainWindowMs)} window has some: the service's series stopped (a scrape target down, or its labels changed)`)
        : typeof main === 'number'
          ? evaluateSlo(objective, (1 - main) * 100, opts.degradedPercent)
          : evaluateSlo(objective, null, opts.degradedPercent, main.problem.startsWith('no ') ? `no data: ${main.problem}` : `unusable data: ${main.problem}`);
      const events = BURN_WINDOWS_MS.map((w) => {
        const r = ratioAt(svc, w);
        return typeof r === 'number' ? { windowMs: w, bad: r, total: 1, covered: true } : { windowMs: w, bad: 0, total: 0, covered: false };
      });
      const burn = burnRates((100 - s.objective) / 100, s.period_days, events);
      outcome.burnRates = burn.entries;
      if (burn.hourRate !== null) hourBurn = Math.max(hourBurn ?? 0, burn.hourRate);
      raiseForBurn(outcome, burn.alerts, s.name);
      e.slos.push(outcome);
    }
  }
  return { services: [...services.values()].sort((a, b) => a.service.localeCompare(b.service)), unattributed, hourBurn };
}
