/** On-call and incident views: tables for people, Markdown for reports, a compact day timeline on a TTY. */
import { formatInstant, toWall } from '../../core/time-zone.js';
import type { Postmortem } from '../../core/postmortem.js';
import { colors, mdEscape, mdTable, renderTable, safeText } from '../../report/render.js';
import type { Incident, ScheduleView, WhoIsOnCall } from '../../adapters/oncall/types.js';

/** "2026-12-07 09:00" in the reader's zone. */
export function localTime(tz: string, isoText: string | undefined): string {
  if (!isoText) return '-';
  const t = Date.parse(isoText);
  return Number.isNaN(t) ? isoText : formatInstant(tz, t).slice(0, 16).replace('T', ' ');
}

const person = (p: { user: string; name?: string }) => (p.name && p.name !== p.user ? `${p.user} (${p.name})` : p.user);

export function whoTable(w: WhoIsOnCall, tz: string, color: boolean): string {
  const rows = w.tiers.map((t) => [String(t.tier), `${t.delayMinutes}m`, t.oncall.length ? t.oncall.map(person).join(', ') : colors.yellow('nobody', color), t.oncall.map((p) => localTime(tz, p.until)).filter((x) => x !== '-').join(', ') || '-', t.targets.join(', ')]);
  return [`${safeText(w.team)}: on call at ${localTime(tz, w.at)} (${tz})`, '', renderTable(['TIER', 'AFTER', 'WHO', 'UNTIL', 'TARGETS'], rows, { color })].join('\n');
}

export function whoMarkdown(w: WhoIsOnCall, tz: string): string {
  return [`## On call: ${mdEscape(w.team)} at ${localTime(tz, w.at)} (${mdEscape(tz)})`, '', mdTable(['tier', 'escalates after', 'who', 'until'], w.tiers.map((t) => [String(t.tier), `${t.delayMinutes} min`, t.oncall.map(person).join(', ') || 'nobody', t.oncall.map((p) => localTime(tz, p.until)).join(', ') || '-']))].join('\n');
}

/** One line per day, 48 half-hour cells; a letter per person, "·" nobody, "+" several. */
export function timeline(s: ScheduleView, tz: string): string {
  const users = [...new Set(s.segments.flatMap((g) => g.users))];
  const letter = new Map(users.map((u, i) => [u, String.fromCharCode(i < 26 ? 97 + i : 65 + ((i - 26) % 26))]));
  const from = Date.parse(s.from);
  const to = Date.parse(s.to);
  const lines: string[] = [];
  const dayStartWall = Math.floor(toWall(tz, from) / 86_400_000) * 86_400_000;
  for (let wall = dayStartWall; ; wall += 86_400_000) {
    const label = new Date(wall).toISOString().slice(0, 10);
    let row = '';
    let any = false;
    for (let c = 0; c < 48; c++) {
      const w = wall + c * 1_800_000 + 900_000;
      const t = w - (toWall(tz, w) - w); // approximate instant of the cell's middle (exact except inside a DST change)
      if (t < from || t >= to) {
        row += ' ';
        continue;
      }
      any = true;
      const seg = s.segments.find((g) => Date.parse(g.start) <= t && t < Date.parse(g.end));
      row += !seg || seg.users.length === 0 ? '·' : seg.users.length > 1 ? '+' : letter.get(seg.users[0]!)!;
    }
    if (any) lines.push(`${label} |${row}|`);
    if (wall > toWall(tz, to)) break;
  }
  const legend = users.map((u) => `${letter.get(u)}=${u}`).join('  ');
  return [`           0     3     6     9     12    15    18    21`, ...lines, legend ? `           ${legend}  ·=nobody  +=several` : ''].join('\n');
}

export function scheduleTable(s: ScheduleView, tz: string, color: boolean, tty: boolean): string {
  const rows = s.segments.map((g) => [localTime(tz, g.start), localTime(tz, g.end), g.users.join(', ') || colors.yellow('nobody', color), g.overrides.length ? `override ${g.overrides.join(', ')}` : (g.layer ?? '-')]);
  const out = [`${safeText(s.team)}: ${localTime(tz, s.from)} → ${localTime(tz, s.to)} (${tz})`, ''];
  if (tty) out.push(timeline(s, tz), '');
  out.push(renderTable(['FROM', 'TO', 'ON CALL', 'SOURCE'], rows, { color }));
  if (s.overrides.length) {
    out.push('', 'Overrides:', renderTable(['ID', 'USER', 'FROM', 'TO', 'KIND', 'BY'], s.overrides.map((o) => [o.id, o.user, localTime(tz, o.start), localTime(tz, o.end), o.add ? 'add' : o.replaces ? `replaces ${o.replaces}` : 'instead of the schedule', o.by ?? o.source]), { color }));
  }
  return out.join('\n');
}

export function scheduleMarkdown(s: ScheduleView, tz: string): string {
  return [`## Schedule: ${mdEscape(s.team)} (${mdEscape(tz)})`, '', mdTable(['from', 'to', 'on call', 'source'], s.segments.map((g) => [localTime(tz, g.start), localTime(tz, g.end), g.users.join(', ') || 'nobody', g.overrides.length ? `override ${g.overrides.join(', ')}` : (g.layer ?? '-')]))].join('\n');
}

export function incidentRows(list: Incident[], tz: string, color: boolean): string {
  const paint = (s: string) => (s === 'triggered' ? colors.red(s, color) : s === 'acknowledged' ? colors.yellow(s, color) : colors.green(s, color));
  return renderTable(['ID', 'STATUS', 'URGENCY', 'TEAM', 'TIER', 'ASSIGNED', 'OPENED', 'TITLE'], list.map((i) => [i.id, paint(i.status), i.urgency, i.team ?? '-', String(i.tier), i.assigned.join(', ') || '-', localTime(tz, i.createdAt), i.title]), { color, maxWidth: 70 });
}

/** The same columns as incidentRows, as a GitHub table (the list's Markdown was the terminal table, raw HTML and all). */
export function incidentsMarkdown(list: Incident[], tz: string, summary: string): string {
  return [`## Incidents: ${mdEscape(summary)}`, '', mdTable(['id', 'status', 'urgency', 'team', 'tier', 'assigned', 'opened', 'title'], list.map((i) => [i.id, i.status, i.urgency, i.team ?? '-', String(i.tier), i.assigned.join(', ') || '-', localTime(tz, i.createdAt), i.title]))].join('\n') + '\n';
}

export function incidentDetail(i: Incident, tz: string, color: boolean): string {
  const head = [
    `${i.id}: ${safeText(i.title)}`,
    `status ${i.status} · urgency ${i.urgency} · team ${i.team ?? '-'}${i.service ? ` · service ${safeText(i.service)}` : ''} · tier ${i.tier} · assigned ${i.assigned.join(', ') || 'nobody'}`,
    ...(i.issues.length ? [`issues: ${i.issues.join(', ')}`] : []),
    ...(i.alerts.length ? [`alerts: ${i.alerts.join(', ')}`] : []),
    ...(i.url ? [`url: ${i.url}`] : []),
    '',
  ];
  return [...head, renderTable(['AT', 'EVENT', 'BY', 'DETAIL'], i.events.map((e) => [localTime(tz, e.at), e.type + (e.tier ? ` (tier ${e.tier})` : ''), e.by ?? '-', e.users?.join(', ') ?? e.note ?? '']), { color })].join('\n');
}

export function incidentMarkdown(i: Incident, tz: string): string {
  return [`## ${mdEscape(i.id)}: ${mdEscape(i.title)}`, '', `Status **${i.status}**, urgency ${i.urgency}, team ${mdEscape(i.team ?? '-')}, tier ${i.tier}, assigned ${mdEscape(i.assigned.join(', ') || 'nobody')}.`, '', mdTable(['at', 'event', 'by', 'detail'], i.events.map((e) => [localTime(tz, e.at), e.type + (e.tier ? ` (tier ${e.tier})` : ''), e.by ?? '-', e.users?.join(', ') ?? e.note ?? '']))].join('\n');
}

const mins = (m: number | null) => (m === null ? 'not recorded' : m < 120 ? `${m} min` : `${Math.round(m / 6) / 10} h`);

export function postmortemMarkdown(p: Postmortem, tz: string): string {
  const out = [
    `# Postmortem: ${mdEscape(p.id)} — ${mdEscape(p.title)}`,
    '',
    `Blameless: this describes what happened and what the systems and people knew at the time, not who is at fault. Status ${p.status}; window ${localTime(tz, p.window.from)} → ${localTime(tz, p.window.to)} (${mdEscape(tz)}).`,
    '',
    '## Impact',
    '',
    p.impact.slos.length ? mdTable(['SLO', 'error budget consumed', 'basis'], p.impact.slos.map((s) => [s.slo, s.consumedPercent === null ? 'unknown' : `${s.consumedPercent}%`, s.basis])) : `SLO budget consumed: ${mdEscape(p.impact.note)}`,
    '',
    '## Detection and response',
    '',
    mdTable(['measure', 'value'], [
      ['first symptom', p.times.firstSymptom ? localTime(tz, p.times.firstSymptom) : 'not recorded'],
      ['time to detect (symptom → incident)', mins(p.times.detectMinutes)],
      ['time to acknowledge', mins(p.times.acknowledgeMinutes)],
      ['time to mitigate', mins(p.times.mitigateMinutes)],
      ['time to resolve', mins(p.times.resolveMinutes)],
    ]),
    '',
    '## Timeline',
    '',
    mdTable(['time', 'what', 'event'], p.timeline.map((e) => [localTime(tz, e.at), e.kind, e.text])),
    '',
    '## Contributing factors',
    '',
    ...(p.factors.length ? p.factors.slice(0, 6).map((f) => `- ${mdEscape(f.title)}${f.confidence !== null ? ` (confidence ${Math.round(f.confidence * 100)}%)` : ''}${f.evidence.length ? ` — evidence: ${f.evidence.map(mdEscape).join('; ')}` : ''}`) : ['- None recorded: no investigation ran during the incident (`helm-cloud investigate`). To fill in.']),
    '',
    '## What went well / what was hard',
    '',
    '- To fill in.',
    '',
    '## Action items',
    '',
    ...p.actionItems.map((a) => `- [ ] ${mdEscape(a)}`),
    '',
  ];
  return out.join('\n');
}
