/**
 * Every command's `--output markdown` read back the way GitHub renders it (markdown-it: CommonMark + tables):
 * headings and tables are what they claim, no raw HTML or escaping shows, and hostile text typed by a user
 * (an incident title, a note) renders as typed. The AWS-backed commands have theirs in their own files (health,
 * audit, investigate, remediate, escalate, dashboard, deploy); these need no AWS.
 */
import { describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';

const HOSTILE = 'pay | <script>alert(1)</script> `tick` *b* _i_ [l](http://x) AT&T';
const TEAM = `
[oncall]
default_team = "payments"
[oncall.users]
alice = { name = "Alice | <b>Ng</b>" }
bob = {}
[oncall.teams.payments]
time_zone = "UTC"
services = ["checkout-api"]
layers = [{ name = "primary", members = ["alice", "bob"], rotation = "daily", start = "2026-01-05T09:00" }]
escalation = { tiers = [{ delay_minutes = 5, targets = ["oncall"] }] }
`;
const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
/** Every table's headers follow the terminal tables' rule (columnHeader): in capitals, whatever the command wrote. */
const capitalHeaders = (command: string, tables: { header: string[] }[]) => {
  for (const t of tables) expect(t.header, `${command}: Markdown table headers`).toEqual(t.header.map((h) => h.toUpperCase()));
};
const md = async (dir: string, ...args: string[]) => {
  const r = await runCli([...args, '--output', 'markdown'], { cwd: dir, env: NO_AWS });
  expect(r.stdout, r.stderr).not.toBe('');
  const read = inertMarkdown(r.stdout);
  capitalHeaders(args.slice(0, 2).join(' '), read.tables);
  return { code: r.code, md: read };
};
/** The header line of a command's terminal table (single-word headers, two or more spaces apart). */
const terminalHeader = async (dir: string, ...args: string[]) => {
  const r = await runCli([...args, '--output', 'table'], { cwd: dir, env: { ...NO_AWS, COLUMNS: '200' } });
  const lines = r.stdout.split('\n');
  const rule = lines.findIndex((l) => /^-+( {2,}-+)+$/.test(l));
  expect(rule, r.stdout).toBeGreaterThan(0);
  return lines[rule - 1]!.trim().split(/ {2,}/);
};

describe('Markdown of the commands that need no AWS', () => {
  it('oncall and incident: tables are tables, a hostile incident title and user name render as typed', async () => {
    const dir = makeProject({ 'plugins/helm-cloud/monitoring.toml': TEAM });
    const who = await md(dir, 'oncall', 'who_is_oncall', '--at', '2026-12-08T08:00:00Z');
    expect(who.md.tables[0]!.header).toEqual(['TIER', 'ESCALATES AFTER', 'WHO', 'UNTIL']);
    expect(who.md.tables[0]!.rows[0]![2]).toContain('Alice | <b>Ng</b>');
    const schedule = await md(dir, 'oncall', 'schedule', '--from', '2026-12-08T00:00:00Z', '--days', '2', '--tz', 'UTC');
    expect(schedule.md.tables[0]!.rows.length).toBeGreaterThan(0);
    expect(schedule.md.tables[0]!.rows.map((r) => r[2])).toEqual(['alice', 'bob', 'alice']);
    const created = await runCli(['incident', 'create', '--title', HOSTILE, '--urgency', 'high', '--output', 'json'], { cwd: dir, env: NO_AWS });
    const id = created.json<{ incident: { id: string } }>().incident.id;
    const show = await md(dir, 'incident', 'show', id);
    expect(show.md.headings[0]).toBe(`${id}: ${HOSTILE}`);
    expect(show.md.tables[0]!.header).toEqual(['AT', 'EVENT', 'BY', 'DETAIL']);
    const list = await md(dir, 'incident', 'list');
    expect(list.md.tables.flatMap((t) => t.rows.flat())).toContain(HOSTILE);
    const pm = await md(dir, 'incident', 'postmortem', id);
    expect(pm.md.headings[0]).toBe(`Postmortem: ${id} — ${HOSTILE}`);
    expect(pm.md.tables.length).toBeGreaterThan(0);
  });

  it('doctor, circuit, trust and workflow list: a heading or a table, nothing escaped showing', async () => {
    const dir = makeProject();
    const doctor = await md(dir, 'doctor', '--env', 'test');
    expect(doctor.md.headings[0]).toBe('helm-cloud doctor');
    expect(doctor.md.tables[0]!.header).toEqual(['STATUS', 'CHECK', 'DETAIL', 'FIX']);
    const circuit = await md(dir, 'circuit', 'status', '--env', 'test');
    expect(circuit.md.headings[0]).toMatch(/^circuit breaker — test: /);
    const trust = await md(dir, 'trust', 'level', '--env', 'test');
    expect(trust.md.headings[0]).toBe('trust — test');
    const wf = await md(dir, 'workflow', 'list');
    expect(wf.md.tables[0]!.rows.length).toBeGreaterThan(0);
    expect(circuit.md.tables.length + trust.md.tables.length).toBeGreaterThan(0);
  });

  it('a column is named the same in Markdown as on the terminal, whichever command wrote it', async () => {
    // The commands wrote their headers in three cases before (oncall "tier", doctor "Status", investigate
    // "Pattern"); the shared table helpers now apply one rule, so each pair below must agree word for word.
    const dir = makeProject({ 'plugins/helm-cloud/monitoring.toml': TEAM });
    const created = await runCli(['incident', 'create', '--title', 'disk full', '--urgency', 'low', '--output', 'json'], { cwd: dir, env: NO_AWS });
    const id = created.json<{ incident: { id: string } }>().incident.id;
    for (const args of [['doctor', '--env', 'test'], ['incident', 'list'], ['incident', 'show', id], ['workflow', 'list']]) {
      const { md: read } = await md(dir, ...args);
      expect(read.tables[0]!.header, args.join(' ')).toEqual(await terminalHeader(dir, ...args));
    }
  });
});
