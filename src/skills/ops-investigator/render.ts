/** Table and Markdown views of the investigate@1 JSON. Every string from logs or users goes through safeText/mdEscape. */
import { colors, mdCode, mdCodeSpan, mdEscape, mdTable, renderTable, safeText } from '../../report/render.js';
import { count } from '../../core/plural.js';

// Log templates are full of "<*>" and "_": mdEscape alone makes them render as written (escaping twice showed "\\").
const md = mdEscape;

/** The subset of helm-cloud/investigate@1 the views read. */
export interface InvestigateView {
  environment?: string;
  verdict: string;
  summary: string;
  scope: { text: string; matches: { phrase: string; resource: string; type: string }[]; symptom: string | null; window: { from: string; to: string; source: string } };
  logs: { groups: { name: string; status: string; lines: number; source?: string; note?: string }[]; lines: number; signalLines: number; truncated: boolean; source: string };
  patterns: { target: string; template: string; count: number; firstSeen?: string; isNew: boolean; classes: string[]; example: string }[];
  changePoints: { target: string; metric: string; stat: string; at: string; before: number; after: number; direction: string; adverse: boolean }[];
  deployments: { id: string; project: string; version: string; at: string }[];
  alarms: { name: string; target: string; state: string; transitions: unknown[] }[];
  timeline: { at: string; kind: string; target?: string; summary: string }[];
  hypotheses: { id: string; title: string; confidence: number; level: string; evidence: { summary: string; weight: number }[]; refutedBy: string; proposedAction?: { action: string; target: string; params: Record<string, unknown> } }[];
  gaps: { what: string; reason: string; blocking: boolean }[];
  issue: { id: string; action: string } | null;
  report: { json: string; markdown: string } | null;
}

const paint = (v: string, on: boolean) => (v === 'FINDINGS' ? colors.red(v, on) : v === 'UNKNOWN' ? colors.yellow(v, on) : colors.green(v, on));
const hhmm = (iso?: string) => (iso ? iso.replace('T', ' ').replace(/:\d\d\.\d+Z$|:\d\dZ$/, 'Z') : '');

export function investigateTable(j: InvestigateView, color: boolean): string {
  const out: string[] = [];
  out.push(`${paint(j.verdict, color)}  ${safeText(j.summary)}`);
  out.push(`window ${hhmm(j.scope.window.from)} → ${hhmm(j.scope.window.to)} (${j.scope.window.source})${j.scope.symptom ? `, symptom: ${j.scope.symptom}` : ''}`);
  out.push('');
  out.push(renderTable(['MATCHED', 'RESOURCE', 'TYPE'], j.scope.matches.map((m) => [`'${m.phrase}'`, m.resource, m.type]), { color }));
  if (j.hypotheses.length) {
    out.push('');
    out.push(renderTable(['#', 'CONF', 'HYPOTHESIS', 'STRONGEST EVIDENCE'], j.hypotheses.slice(0, 8).map((h, i) => [String(i + 1), h.confidence.toFixed(2), h.title, h.evidence[0]?.summary ?? '']), { color, maxWidth: 80 }));
    const top = j.hypotheses[0]!;
    out.push('');
    out.push(colors.bold(`Most likely: ${safeText(top.title)} (${top.level}, ${top.confidence.toFixed(2)})`, color));
    for (const e of top.evidence) out.push(`  + ${safeText(e.summary)}`);
    out.push(`  refuted if: ${safeText(top.refutedBy)}`);
    if (top.proposedAction) out.push(`  proposed: ${top.proposedAction.action} ${top.proposedAction.target} ${Object.entries(top.proposedAction.params).map(([k, v]) => `${k}=${safeText(v)}`).join(' ')}`);
  }
  if (j.patterns.length) {
    out.push('');
    out.push(renderTable(['COUNT', 'NEW', 'CLASS', 'TARGET', 'PATTERN'], j.patterns.slice(0, 10).map((p) => [String(p.count), p.isNew ? 'new' : '', p.classes.join(','), p.target, p.template]), { color, maxWidth: 90 }));
  }
  if (j.timeline.length) {
    out.push('');
    out.push(renderTable(['TIME', 'EVENT', 'TARGET', 'WHAT'], j.timeline.slice(0, 20).map((t) => [hhmm(t.at), t.kind, t.target ?? '', t.summary]), { color, maxWidth: 90 }));
  }
  out.push('');
  out.push(`logs: ${j.logs.lines} lines read (${j.logs.signalLines} error-like) from ${count(j.logs.groups.filter((g) => g.status === 'read').length, 'group')} via ${j.logs.source}${j.logs.truncated ? ', truncated' : ''}`);
  for (const g of j.gaps) out.push(colors.yellow(`gap: ${safeText(g.what)}: ${safeText(g.reason)}`, color));
  if (j.issue) out.push(`issue ${j.issue.id} ${j.issue.action}`);
  if (j.report) out.push(`report: ${j.report.markdown}`);
  return out.join('\n');
}

export function investigateMarkdown(j: InvestigateView): string {
  const s: string[] = [];
  s.push(`# Investigation: ${mdEscape(j.scope.text || '(issue)')} (${mdEscape(j.environment ?? '')})`);
  s.push('');
  s.push(`**${j.verdict}**: ${mdEscape(j.summary)}`);
  s.push('');
  s.push(`Window: ${mdEscape(j.scope.window.from)} → ${mdEscape(j.scope.window.to)} (${mdEscape(j.scope.window.source)})${j.scope.symptom ? ` · symptom: ${mdEscape(j.scope.symptom)}` : ''}`);
  s.push('');
  s.push('## Scope');
  s.push('');
  s.push(mdTable(['Matched', 'Resource', 'Type'], j.scope.matches.map((m) => [m.phrase, m.resource, m.type])));
  s.push('');
  s.push('## Hypotheses');
  s.push('');
  if (!j.hypotheses.length) s.push('None: no evidence pointed at a cause.');
  j.hypotheses.forEach((h, i) => {
    s.push(`### ${i + 1}. ${md(h.title)} (confidence ${h.confidence.toFixed(2)}, ${h.level})`);
    s.push('');
    for (const e of h.evidence) s.push(`- ${md(e.summary)}`);
    s.push(`- *Refuted if:* ${md(h.refutedBy)}`);
    if (h.proposedAction) s.push(`- *Proposed action:* ${mdCodeSpan(h.proposedAction.action)} on ${mdEscape(h.proposedAction.target)} with ${mdCodeSpan(JSON.stringify(h.proposedAction.params))}`);
    s.push('');
  });
  s.push('## Timeline');
  s.push('');
  s.push(j.timeline.length ? mdTable(['Time', 'Event', 'Target', 'What'], j.timeline.map((t) => [t.at, t.kind, t.target ?? '', t.summary])) : 'No events in the window.');
  s.push('');
  s.push('## Log patterns');
  s.push('');
  s.push(`${j.logs.lines} lines read (${j.logs.signalLines} error-like) via ${mdEscape(j.logs.source)}${j.logs.truncated ? ', truncated' : ''}.`);
  s.push('');
  if (j.patterns.length) {
    s.push(mdTable(['Count', 'New', 'Class', 'Target', 'Pattern'], j.patterns.map((p) => [String(p.count), p.isNew ? 'new' : '', p.classes.join(', '), p.target, p.template])));
    const ex = j.patterns.find((p) => p.isNew) ?? j.patterns[0]!;
    s.push('');
    s.push('Example line:');
    s.push('');
    s.push(mdCode(ex.example));
  }
  s.push('');
  s.push('## Metric changes');
  s.push('');
  s.push(j.changePoints.length ? mdTable(['Time', 'Target', 'Metric', 'Change'], j.changePoints.map((c) => [c.at, c.target, `${c.metric} ${c.stat}`, `${c.direction} ${c.before} → ${c.after}${c.adverse ? '' : ' (benign direction)'}`])) : 'No change points.');
  s.push('');
  if (j.alarms.length) {
    s.push('## Alarms');
    s.push('');
    s.push(mdTable(['Alarm', 'Target', 'State', 'Transitions in window'], j.alarms.map((a) => [a.name, a.target, a.state, String(a.transitions.length)])));
    s.push('');
  }
  if (j.gaps.length) {
    s.push('## Gaps');
    s.push('');
    for (const g of j.gaps) s.push(`- ${md(g.what)}: ${md(g.reason)}${g.blocking ? ' (blocks a "nothing found" verdict)' : ''}`);
    s.push('');
  }
  if (j.issue) s.push(`Issue: ${mdEscape(j.issue.id)} (${mdEscape(j.issue.action)})`);
  return s.join('\n') + '\n';
}
