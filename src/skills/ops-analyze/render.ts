/** analyze output: a terminal chart per series with anomalous points marked, and Markdown. */
import { sigmaText } from '../../core/anomaly/index.js';
import { roundValue } from '../../core/round.js';
import { colors, mdEscape, mdTable, safeText } from '../../report/render.js';

export interface AnalyzeView {
  environment: string;
  resource: { name: string; type: string };
  range: { from: string; to: string };
  periodSeconds: number;
  verdict: string;
  summary: string;
  series: {
    metric: string;
    stat: string;
    status: string;
    reason?: string;
    points: { t: string; v: number; score: number | null; anomalous: boolean }[];
    anomalies: { start: string; end: string; value: number; expected: number; deviation: number; score: number; direction: string; beyondRange: boolean }[];
  }[];
}

const HEIGHT = 10;
const LABEL = 10;

/**
 * A column chart: each column covers consecutive points and spans their min..max; a column holding an
 * anomalous point is drawn with ▲ (red on a colour terminal) at its top, or ▼ at its bottom when it dipped.
 */
export function chart(points: AnalyzeView['series'][number]['points'], width: number, color: boolean): string {
  if (points.length === 0) return '';
  const cols = Math.max(10, Math.min(width - LABEL - 2, points.length));
  const lo = Math.min(...points.map((p) => p.v));
  const hi = Math.max(...points.map((p) => p.v));
  const span = hi - lo || 1;
  const row = (v: number) => Math.round(((v - lo) / span) * (HEIGHT - 1));
  const grid: string[][] = Array.from({ length: HEIGHT }, () => Array(cols).fill(' '));
  const marks: boolean[] = Array(cols).fill(false);
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * points.length) / cols);
    const to = Math.max(from + 1, Math.floor(((c + 1) * points.length) / cols));
    const slice = points.slice(from, to);
    if (!slice.length) continue;
    const a = row(Math.min(...slice.map((p) => p.v)));
    const b = row(Math.max(...slice.map((p) => p.v)));
    for (let y = a; y <= b; y++) grid[y]![c] = '│';
    const bad = slice.filter((p) => p.anomalous);
    if (bad.length) {
      marks[c] = true;
      const mean = slice.reduce((s, p) => s + p.v, 0) / slice.length;
      const up = bad.some((p) => p.v >= mean);
      if (up) grid[b]![c] = '▲';
      else grid[a]![c] = '▼';
    }
  }
  const lines: string[] = [];
  for (let y = HEIGHT - 1; y >= 0; y--) {
    const label = y === HEIGHT - 1 ? fmt(hi) : y === 0 ? fmt(lo) : y === Math.floor((HEIGHT - 1) / 2) ? fmt(lo + span / 2) : '';
    const cells = grid[y]!.map((ch, c) => (marks[c] && (ch === '▲' || ch === '▼') ? colors.red(ch, color) : ch)).join('');
    lines.push(`${label.padStart(LABEL)} ┤${cells}`);
  }
  const first = points[0]!.t.slice(0, 16).replace('T', ' ');
  const last = points[points.length - 1]!.t.slice(0, 16).replace('T', ' ');
  lines.push(`${' '.repeat(LABEL)} └${'─'.repeat(cols)}`);
  lines.push(`${' '.repeat(LABEL + 2)}${first}${last.padStart(Math.max(0, cols - first.length))}`);
  return lines.join('\n');
}

export function analyzeTable(v: AnalyzeView, color: boolean, width = 100): string {
  const out: string[] = [];
  out.push(`${colors.bold(safeText(`${v.resource.type}/${v.resource.name}`), color)}  ${safeText(v.environment)}  ${v.range.from} → ${v.range.to} (${v.periodSeconds / 60}-minute points)`);
  out.push(safeText(v.summary));
  for (const s of v.series) {
    out.push('');
    const head = `${s.metric} ${s.stat}`;
    if (s.status !== 'scored' && s.status !== 'stopped') {
      out.push(`${colors.bold(safeText(head), color)}  ${colors.yellow(s.status, color)}: ${safeText(s.reason ?? '')}`);
      continue;
    }
    out.push(`${colors.bold(safeText(head), color)}  ${s.points.length} points, ${s.anomalies.length ? colors.red(`${s.anomalies.length} anomal${s.anomalies.length === 1 ? 'y' : 'ies'}`, color) : 'no anomalies'}`);
    out.push(chart(s.points, width, color));
    for (const a of s.anomalies) out.push(`  ${colors.red('▲', color)} ${describe(a)}`);
    if (s.status === 'stopped') out.push(`  ${colors.yellow('stopped', color)}: ${safeText(s.reason ?? '')}`);
  }
  return out.join('\n');
}

export function analyzeMarkdown(v: AnalyzeView): string {
  const out = [`## Anomalies: ${mdEscape(`${v.resource.type}/${v.resource.name}`)} (${mdEscape(v.environment)})`, '', `${v.range.from} → ${v.range.to}, ${v.periodSeconds / 60}-minute points. ${mdEscape(v.summary)}`, ''];
  // Through the shared table: cells escaped (a metric name is untrusted text), headers by the one rule.
  const rows = v.series.map((s) => [`${s.metric} ${s.stat}`, s.status, String(s.points.length), s.status === 'scored' ? s.anomalies.map(describe).join('; ') || 'none' : s.status === 'stopped' ? [...s.anomalies.map(describe), s.reason ?? ''].join('; ') : (s.reason ?? '')]);
  out.push(mdTable(['series', 'status', 'points', 'anomalies'], rows));
  return out.join('\n');
}

function describe(a: AnalyzeView['series'][number]['anomalies'][number]): string {
  const how = a.beyondRange ? `beyond its range so far, ${sigmaText(a.deviation)}` : `${sigmaText(a.deviation)} from usual`;
  return `${a.start}${a.end !== a.start ? ` → ${a.end}` : ''}: ${a.direction} to ${fmt(a.value)} (usual ${fmt(a.expected)}, ${how}, score ${a.score.toFixed(2)})`;
}

function fmt(x: number): string {
  return String(roundValue(x));
}
