/** Table and Markdown views of a deploy outcome: the verdict first, then the evidence people argue with. */
import { colors, mdCode, mdEscape, mdTable, paintVerdict, renderTable } from '../../report/render.js';
import type { DeployOutcome } from './index.js';

type Row = string[];

function evidence(o: DeployOutcome): { headers: string[]; rows: Row[] } | undefined {
  const d = o.data as Record<string, any>;
  switch (o.action) {
    case 'assess_risk':
      return { headers: ['factor', 'points', 'status', 'evidence'], rows: (d.factors as any[]).map((f) => [f.label, `${f.points}/${f.max}`, f.status, f.detail]) };
    case 'pre_deploy_checklist':
      return { headers: ['check', 'status', 'detail'], rows: (o.lines ?? []).map((l) => [l.label, l.status, l.detail]) };
    case 'canary_status':
      return { headers: ['metric', 'result', 'canary', 'baseline', 'change', 'p', 'why'], rows: (d.metrics as any[]).map(metricRow) };
    case 'post_deploy_verify':
      return {
        headers: ['resource', 'metric', 'result', 'after', 'before', 'change', 'p', 'why'],
        rows: (d.resources as any[]).flatMap((r) => (r.metrics as any[]).map((m) => [r.resource, ...metricRow(m)])),
      };
    case 'rollback_check':
      return { headers: ['resource', 'ready', 'detail'], rows: [...(d.blockers as string[]).map((b) => ['(deployment)', 'no', b]), ...(d.targets as any[]).map((t) => [t.resource, t.ready ? 'yes' : 'no', t.detail])] };
    case 'diff_analysis':
      return {
        headers: ['resource', 'field', 'live', 'target'],
        rows: [
          ...(d.changes as any[]).map((c) => [c.resource, c.field, JSON.stringify(c.from), JSON.stringify(c.to)]),
          ...(d.added as string[]).map((a) => [a, '(resource)', '—', 'added']),
          ...(d.removed as string[]).map((a) => [a, '(resource)', 'present', 'removed']),
        ],
      };
    case 'deploy_timeline':
      return {
        headers: ['deployed at', 'deployment', 'version', 'status', 'recorded around it'],
        rows: (d.deployments as any[]).map((x) => [x.deployedAt, x.id, x.version, x.status, (x.records as any[]).map((r) => `${r.kind} ${r.verdict}`).join(', ') || '—']),
      };
    case 'change_window':
      return { headers: ['open', 'reason', 'next open', 'next close', 'zone'], rows: [[d.open ? 'yes' : 'no', d.reason, d.nextOpen ?? '—', d.nextClose ?? '—', d.timeZone]] };
  }
}

function metricRow(m: any): Row {
  const n = (x: number | null) => (x === null || x === undefined ? '—' : Math.abs(x) >= 100 ? String(Math.round(x)) : String(Math.round(x * 1000) / 1000));
  const change = m.relativeChange === null || m.relativeChange === undefined ? '—' : `${m.relativeChange >= 0 ? '+' : ''}${Math.round(m.relativeChange * 1000) / 10}%`;
  const result = m.classification === 'NODATA' ? 'NODATA' : m.failed ? 'FAIL' : 'PASS';
  return [m.name, result, n(m.canaryMedian), n(m.baselineMedian), change, m.pValue === null ? '—' : m.pValue < 0.001 ? m.pValue.toExponential(1) : String(Math.round(m.pValue * 1000) / 1000), m.reason];
}

export function deployTable(o: DeployOutcome, color: boolean): string {
  const out = [`${colors.bold(o.action, color)}  ${paintVerdict(o.verdict, color)}  ${o.summary}`];
  const ev = evidence(o);
  if (ev && ev.rows.length) out.push('', renderTable(ev.headers, ev.rows.map((r) => r.map((c, i) => (i === 1 || (o.action === 'pre_deploy_checklist' && i === 1) ? paintVerdict(c, color) : c))), { color }));
  return out.join('\n');
}

export function deployMarkdown(o: DeployOutcome, env: string, project: string): string {
  const out = [`## deploy ${mdEscape(o.action)}: ${mdEscape(o.verdict)}`, '', `${mdEscape(project)} in ${mdEscape(env)}: ${mdEscape(o.summary)}`];
  const ev = evidence(o);
  if (ev && ev.rows.length) out.push('', mdTable(ev.headers, ev.rows));
  const suggestion = (o.data as { suggestedRemediation?: string }).suggestedRemediation;
  if (suggestion) out.push('', 'Suggested (never run automatically):', '', mdCode(suggestion, 'sh'));
  if (o.notes.length) out.push('', ...o.notes.map((n) => `- ${mdEscape(n)}`));
  return out.join('\n') + '\n';
}
