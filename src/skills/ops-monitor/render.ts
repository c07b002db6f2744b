/** Health report → table, Markdown, JUnit cases. Untrusted text (names, alarm reasons) is escaped by the helpers. */
import { formatValue } from '../../core/slo.js';
import { verdictExitCode, type Verdict } from '../../core/verdict.js';
import { mdEscape, mdTable, paintVerdict, renderTable, safeText, type JunitCase, type JunitSuite } from '../../report/render.js';
import type { MonitorResult, ResourceHealth } from './monitor.js';

export interface HealthView {
  environment: string;
  verdict: string;
  summary: string;
  window: { start: string; end: string };
  resources: ResourceHealth[];
}

const observedText = (s: ResourceHealth['slos'][number]) => (s.observed === null ? 'no data' : formatValue(s.observed, s.unit));
const targetText = (s: ResourceHealth['slos'][number]) => formatValue(s.target, s.unit);
const budgetText = (s: ResourceHealth['slos'][number]) => (s.budgetConsumedPercent === null ? '-' : `${s.budgetConsumedPercent}%`);

export function healthTable(v: HealthView, color: boolean): string {
  // The Markdown table's columns; the first reason stands for the rest (all of them follow below the table).
  const rows = v.resources.map((r) => [`${r.type}/${r.name}`, r.project, r.version, paintVerdict(r.verdict, color), r.reasons[0] ?? '']);
  const lines = [
    `${safeText(v.environment)}: ${paintVerdict(v.verdict, color)} — ${safeText(v.summary)}`,
    `window ${v.window.start} → ${v.window.end}`,
    '',
    renderTable(['resource', 'project', 'version', 'verdict', 'why'], rows, { color, maxWidth: 90 }),
  ];
  const detail = v.resources.filter((r) => r.verdict !== 'HEALTHY');
  for (const r of detail) {
    lines.push('', `${safeText(r.type)}/${safeText(r.name)}: ${paintVerdict(r.verdict, color)}`);
    for (const why of r.reasons) lines.push(`  - ${safeText(why)}`);
    if (r.slos.length) {
      lines.push(
        renderTable(
          ['SLO', 'target', 'observed', 'budget used', 'verdict'],
          r.slos.map((s) => [s.key, targetText(s), observedText(s), budgetText(s), paintVerdict(s.verdict, color)]),
          { color, indent: 2 },
        ),
      );
    }
  }
  return lines.join('\n');
}

export function healthMarkdown(v: HealthView): string {
  const out = [
    `## Health: ${mdEscape(v.environment)} — ${v.verdict}`,
    '',
    `${mdEscape(v.summary)} (window ${v.window.start} → ${v.window.end})`,
    '',
    mdTable(['resource', 'project', 'version', 'verdict', 'why'], v.resources.map((r) => [`${r.type}/${r.name}`, r.project, r.version, r.verdict, r.reasons.join('; ')])),
  ];
  for (const r of v.resources.filter((x) => x.slos.length)) {
    out.push('', `### ${mdEscape(r.type)}/${mdEscape(r.name)} — ${r.verdict}`, '');
    out.push(
      mdTable(
        ['SLO', 'target', 'observed', 'budget used', 'burn 1h / 5m', 'verdict'],
        r.slos.map((s) => {
          const rate = (w: string) => s.burnRates?.find((b) => b.window === w)?.rate;
          const burn = s.burnRates ? `${rate('1h') ?? '?'}× / ${rate('5m') ?? '?'}×` : '-';
          return [s.key, targetText(s), observedText(s), budgetText(s), burn, s.verdict + (s.reason && s.verdict !== 'HEALTHY' ? `: ${s.reason}` : '')];
        }),
      ),
    );
    if (r.alarms.length) out.push('', mdTable(['alarm', 'state', 'reason'], r.alarms.map((a) => [a.name, a.state, a.reason])));
  }
  return out.join('\n') + '\n';
}

/**
 * One case per resource and one per SLO. A case fails when the gate fails on its verdict (`--fail-on`): with
 * `--fail-on unhealthy` a DEGRADED case passes and carries its reason in <system-out>. UNKNOWN is an error (a
 * gate never passes on missing data). A case's time is how long the reads it was judged from took.
 */
export function healthJunit(v: HealthView, failOn: 'degraded' | 'unhealthy', run: { startedAt: number; elapsedMs: number; readMs?: MonitorResult['readMs'] }): JunitSuite {
  const judged = (verdict: Verdict, text: string): Partial<JunitCase> => {
    if (verdict === 'HEALTHY') return {};
    if (verdict === 'UNKNOWN') return { error: `UNKNOWN: ${text}` };
    if (verdictExitCode(verdict, failOn) !== 0) return { failure: `${verdict}: ${text}` };
    return { output: `${verdict} (passes --fail-on ${failOn}): ${text}` };
  };
  const sec = (ms: number | undefined) => (ms ?? run.elapsedMs) / 1000;
  const cases: JunitCase[] = [];
  for (const r of v.resources) {
    const cls = `health.${v.environment}.${r.type}.${r.name}`;
    const t = run.readMs ? Math.max(run.readMs.state[r.type] ?? 0, r.slos.length ? run.readMs.metrics : 0, r.alarms.length ? run.readMs.alarms : 0) : undefined;
    cases.push({ classname: cls, name: 'resource', timeSeconds: sec(t), ...judged(r.verdict, r.reasons.join('; ')) });
    for (const s of r.slos) cases.push({ classname: cls, name: s.key, timeSeconds: sec(run.readMs?.metrics), ...judged(s.verdict, s.reason ?? '') });
    for (const n of r.notEvaluated) cases.push({ classname: cls, name: n.key, skipped: n.reason, timeSeconds: 0 });
  }
  return { name: `helm-cloud health ${v.environment}`, startedAt: run.startedAt, timeSeconds: run.elapsedMs / 1000, cases };
}
