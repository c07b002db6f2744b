import { describe, expect, it } from 'vitest';
import { inertMarkdown } from '../../../test/support/markdown.js';
import { analyzeMarkdown, type AnalyzeView } from './render.js';

const anomaly = (start: string, value: number) => ({ start, end: start, value, expected: 20, deviation: 6, score: 0.9, direction: 'up', beyondRange: false });
const VIEW: AnalyzeView = {
  environment: 'prod',
  resource: { name: 'orders_db|<b>x</b>', type: 'rds' },
  range: { from: '2026-12-01T00:00:00Z', to: '2026-12-04T00:00:00Z' },
  periodSeconds: 300,
  verdict: 'DEGRADED',
  summary: '2 anomalies in CPUUtilization',
  series: [
    { metric: 'CPUUtilization', stat: 'Average', status: 'scored', points: [], anomalies: [anomaly('2026-12-02T10:00:00Z', 95), anomaly('2026-12-03T11:00:00Z', 90)] },
    { metric: 'Custom|<i>Metric</i>', stat: 'Sum', status: 'no data', reason: 'no datapoints in the window', anomalies: [], points: [] },
  ],
};

describe('analyze Markdown', () => {
  it('is one table through the shared helper: headers in capitals, each anomaly in its cell, hostile names as typed', () => {
    const r = inertMarkdown(analyzeMarkdown(VIEW)); // throws on raw HTML (it joined anomalies with <br>)
    expect(r.headings).toEqual(['Anomalies: rds/orders_db|<b>x</b> (prod)']);
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.header).toEqual(['SERIES', 'STATUS', 'POINTS', 'ANOMALIES']);
    expect(r.tables[0]!.rows.map((row) => row[0])).toEqual(['CPUUtilization Average', 'Custom|<i>Metric</i> Sum']);
    expect(r.tables[0]!.rows[0]![3]).toMatch(/^2026-12-02T10:00:00Z: up to 95 .*; 2026-12-03T11:00:00Z: up to 90 /);
    expect(r.tables[0]!.rows[1]![3]).toBe('no datapoints in the window');
  });
});
