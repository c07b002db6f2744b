/** Tables and Markdown for the kubernetes family: kubectl's columns, made for people. */
import { colors, mdCode, mdEscape, mdTable, renderTable, safeText } from '../../report/render.js';
import { describeText, type Description } from './describe.js';
import type { DeploymentRow, EventRow, LogsResult, PodRow, RolloutWatch, ServiceRow, TopRow } from './reads.js';

export interface Grid {
  headers: string[];
  rows: string[][];
}

const ns = (all: boolean, n: string) => (all ? [n] : []);

export function paintStatus(s: string, color: boolean): string {
  if (!color) return s;
  if (s === 'Running' || s === 'Completed') return colors.green(s, true);
  if (/BackOff|Err|Error|OOM|Invalid|Failed|Crash/.test(s)) return colors.red(s, true);
  return colors.yellow(s, true);
}

export function podsGrid(rows: PodRow[], all: boolean, color: boolean): Grid {
  return {
    headers: [...ns(all, 'NAMESPACE'), 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE', 'IMAGES'],
    rows: rows.map((r) => [...ns(all, r.namespace), r.name, r.ready, paintStatus(r.status, color), `${r.restarts}${r.lastRestart ? ` (${r.lastRestart})` : ''}`, r.age, r.node ?? '<none>', r.images.join(',')]),
  };
}

export function servicesGrid(rows: ServiceRow[], all: boolean): Grid {
  return {
    headers: [...ns(all, 'NAMESPACE'), 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    rows: rows.map((r) => [...ns(all, r.namespace), r.name, r.type, r.clusterIP, r.externalIP, r.ports || '<none>', r.age, r.selector]),
  };
}

export function deploymentsGrid(rows: DeploymentRow[], all: boolean, color: boolean): Grid {
  return {
    headers: [...ns(all, 'NAMESPACE'), 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'RESTARTS', 'AGE', 'ROLLOUT', 'IMAGES'],
    rows: rows.map((r) => [...ns(all, r.namespace), r.name, r.available < r.desired ? colors.yellow(r.ready, color) : r.ready, String(r.upToDate), String(r.available), String(r.restarts), r.age, r.rollout === 'failed' ? colors.red(r.rollout, color) : r.rollout, r.images.join(',')]),
  };
}

export function eventsGrid(rows: EventRow[], all: boolean, color: boolean): Grid {
  return {
    headers: ['TIME', ...ns(all, 'NAMESPACE'), 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    rows: rows.map((r) => [r.time ?? '?', ...ns(all, r.namespace), r.type === 'Warning' ? colors.yellow(r.type, color) : r.type, r.reason, r.object, `${r.message}${r.count > 1 ? ` (x${r.count})` : ''}`]),
  };
}

export function topGrid(rows: TopRow[], what: 'pods' | 'nodes', all: boolean): Grid {
  return {
    headers: [...(what === 'pods' ? ns(all, 'NAMESPACE') : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
    rows: rows.map((r) => [...(what === 'pods' ? ns(all, r.namespace ?? '') : []), r.name, r.cpu, r.memory]),
  };
}

export function gridTable(title: string, g: Grid, color: boolean, empty: string): string {
  if (!g.rows.length) return `${colors.bold(title, color)}\n${empty}`;
  return `${colors.bold(title, color)}\n${renderTable(g.headers, g.rows, { color, maxWidth: 90 })}`;
}

export function gridMarkdown(title: string, g: Grid, empty: string): string {
  // Strip colour from cells for Markdown.
  // eslint-disable-next-line no-control-regex
  const plain = g.rows.map((r) => r.map((c) => c.replace(/\u001b\[[0-9;]*m/g, '')));
  return `## ${mdEscape(title)}\n\n${g.rows.length ? mdTable(g.headers, plain) : mdEscape(empty)}\n`;
}

export function logsText(r: LogsResult, multi: boolean): string {
  const lines = r.lines.map((l) => `${multi ? `[${l.pod}/${l.container}] ` : ''}${l.time ? `${l.time} ` : ''}${safeText(l.message)}`);
  for (const u of r.unread) lines.push(`# ${u.pod}/${u.container}: ${safeText(u.reason)}`);
  return lines.join('\n');
}

export function logsMarkdown(title: string, r: LogsResult, multi: boolean): string {
  return `## ${mdEscape(title)}\n\n${mdCode(logsText(r, multi) || '(no lines)')}\n`;
}

export function describeTable(d: Description): string {
  return safeText(describeText(d));
}

export function describeMarkdown(d: Description): string {
  const out = [`## ${mdEscape(d.kind)} ${mdEscape(d.name)}${d.namespace ? ` (namespace ${mdEscape(d.namespace)})` : ''}`, ''];
  for (const s of d.sections) {
    out.push(`### ${mdEscape(s.title)}`, '');
    for (const [k, v] of s.lines) out.push(k ? `- **${mdEscape(k)}:** ${mdEscape(v)}` : `- ${mdEscape(v)}`);
    if (s.table) out.push('', mdTable(s.table.headers, s.table.rows));
    out.push('');
  }
  return out.join('\n');
}

export function rolloutText(w: RolloutWatch, color: boolean): string {
  const word = w.final.state === 'complete' ? colors.green('complete', color) : w.final.state === 'failed' ? colors.red('failed', color) : colors.yellow(w.timedOut ? 'timed out' : w.final.state, color);
  return [...w.progress.map((p) => `${p.at}  ${safeText(p.message)}`), `rollout ${word}: ${safeText(w.final.message)}`].join('\n');
}
