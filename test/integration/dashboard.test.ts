/**
 * `helm-cloud dashboard` end to end over fixture domains (test/fixtures/helm/). The dashboard reads files only:
 * these runs point AWS at a closed port to show it never calls AWS and needs no --env.
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, type CliResult } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';
import { projectWithFixture } from '../fixtures/helm/load.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
const dashboard = (project: string, args: string[] = ['-o', 'json']) => runCli(['dashboard', ...args], { cwd: project, env: NO_AWS });

interface Dash {
  schema: string;
  command: string;
  verdict: string;
  summary: string;
  exitCode: number;
  domains: { domain: string; verdict: string; reported_verdict?: string; stale?: boolean; registered: boolean; updated_at: string | null; summary: string }[];
  issues: { rank: number; id: string; domain: string; severity: string; production: boolean; production_basis: string; slo_burn: number | null; age_seconds: number | null; status: string; environment: string | null; score: { explain: string } }[];
  unreadable: { file: string; domain?: string; reason: string }[];
}

const issueFile = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  domain: id.replace(/-\d+$/, ''),
  title: `issue ${id}`,
  severity: 'medium',
  status: 'open',
  created_at: new Date(Date.now() - 3600_000).toISOString(),
  updated_at: new Date().toISOString(),
  ...over,
});
const fresh = (verdict: string) => ({ verdict, summary: `${verdict.toLowerCase()} now`, updated_at: new Date().toISOString() });
const domainsJson = (...names: string[]) => ({ domains: Object.fromEntries(names.map((n) => [n, { plugin: `fractary-helm-${n}`, description: n, status_file: `status/${n}.json`, issues_prefix: `${n}-` }])) });

describe('dashboard over three fixture domains (mixed)', () => {
  let r: CliResult;
  let d: Dash;
  beforeAll(async () => {
    r = await dashboard(projectWithFixture('three-domains-mixed'));
    d = r.json<Dash>();
  });

  it('ranks open issues of every domain by severity, then production, then SLO burn, then age', () => {
    expect(d.issues.map((i) => i.id)).toEqual(['infra-001', 'data-001', 'infra-004', 'data-002', 'infra-002', 'web-001', 'web-002']);
    expect(d.issues.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves resolved issues out of the list', () => {
    expect(d.issues.find((i) => i.id === 'infra-003')).toBeUndefined();
  });

  it('explains each rank and where "production" came from', () => {
    const byId = Object.fromEntries(d.issues.map((i) => [i.id, i]));
    expect(byId['infra-001']).toMatchObject({ production: true, production_basis: 'environments.json', slo_burn: 14.4, status: 'investigating', environment: 'prod' });
    expect(byId['infra-001']!.score.explain).toMatch(/^critical · production · burn 14\.4× · open 2h/);
    expect(byId['data-001']).toMatchObject({ severity: 'critical', production: true, production_basis: 'name', status: 'escalated' });
    expect(byId['data-002']).toMatchObject({ severity: 'high', production: true, production_basis: 'issue', slo_burn: null });
    expect(byId['web-002']).toMatchObject({ production: false, production_basis: 'name', environment: 'staging' });
    expect(byId['infra-004']!.age_seconds).toBeGreaterThan(49 * 3600);
  });

  it("shows every registered domain's status; a status older than 24h is stale and not counted HEALTHY", () => {
    expect(d.domains.map((x) => [x.domain, x.verdict])).toEqual([
      ['data', 'DEGRADED'],
      ['infra', 'HEALTHY'],
      ['web', 'UNKNOWN'],
    ]);
    const web = d.domains.find((x) => x.domain === 'web')!;
    expect(web).toMatchObject({ stale: true, reported_verdict: 'HEALTHY', registered: true });
    expect(web.summary).toMatch(/stale: last reported HEALTHY 3d/);
    expect(d.domains.find((x) => x.domain === 'infra')!.stale).toBeUndefined();
  });

  it("lists another domain's malformed files as unreadable and warns on stderr, without crashing", () => {
    expect(d.unreadable.map((u) => [u.file.replace(/^.*\.fractary\//, ''), u.domain])).toEqual([
      ['helm/issues/data-003.json', 'data'],
      ['helm/issues/web-003.json', 'web'],
    ]);
    expect(d.unreadable[1]!.reason).toMatch(/title/);
    expect(r.stderr.match(/^warning: .*listed as unreadable$/gm)).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports the worst domain verdict and exits 1 with open critical issues', () => {
    expect(d).toMatchObject({ schema: 'helm-cloud/dashboard@1', command: 'dashboard', verdict: 'UNKNOWN', exitCode: 1 });
    expect(d.summary).toMatch(/3 domains: .*7 open issues \(2 critical, 3 high, 1 medium, 1 low\); 2 unreadable files/);
    expect(r.code).toBe(1);
  });
});

describe('dashboard exit codes', () => {
  it('exits 0 when every domain is healthy and no critical or high issue is open', async () => {
    const r = await dashboard(projectWithFixture('all-healthy-no-urgent'));
    const d = r.json<Dash>();
    expect(r.code).toBe(0);
    expect(d).toMatchObject({ verdict: 'HEALTHY', exitCode: 0 });
    expect(d.issues.map((i) => i.id)).toEqual(['infra-001', 'data-001']);
    expect(r.stderr).toBe('');
  });

  it('exits 1 when every domain is healthy but a high issue is open', async () => {
    const project = makeProject({ 'helm/domains.json': domainsJson('infra'), 'helm/status/infra.json': fresh('HEALTHY'), 'helm/issues/infra-001.json': issueFile('infra-001', { severity: 'high' }) });
    const r = await dashboard(project);
    expect(r.json<Dash>()).toMatchObject({ verdict: 'HEALTHY', exitCode: 1 });
    expect(r.code).toBe(1);
  });

  it('exits 1 when a domain is degraded even with no open issue', async () => {
    const project = makeProject({ 'helm/domains.json': domainsJson('infra', 'data'), 'helm/status/infra.json': fresh('HEALTHY'), 'helm/status/data.json': fresh('DEGRADED') });
    const r = await dashboard(project);
    expect(r.json<Dash>()).toMatchObject({ verdict: 'DEGRADED', exitCode: 1, issues: [] });
    expect(r.code).toBe(1);
  });

  it('reports UNKNOWN (exit 1), not healthy, when no domain is registered', async () => {
    const r = await dashboard(makeProject());
    const d = r.json<Dash>();
    expect(d).toMatchObject({ verdict: 'UNKNOWN', exitCode: 1, domains: [], issues: [] });
    expect(d.summary).toMatch(/no domains registered/);
    expect(r.code).toBe(1);
  });

  it('reports a registered domain that never wrote a status as UNKNOWN', async () => {
    const r = await dashboard(makeProject({ 'helm/domains.json': domainsJson('infra') }));
    expect(r.json<Dash>().domains).toEqual([expect.objectContaining({ domain: 'infra', verdict: 'UNKNOWN', summary: 'no status reported yet', updated_at: null })]);
    expect(r.code).toBe(1);
  });

  it('exits 2 when there is no .fractary folder', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'helm-cloud-')), 'nothing');
    mkdirSync(empty);
    const r = await dashboard(empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.fractary/);
    expect(r.json()).toMatchObject({ schema: 'helm-cloud/dashboard@1', exitCode: 2, error: { kind: 'config', message: expect.stringMatching(/no \.fractary folder/) } });
  });
});

describe('dashboard reading untrusted files of other domains', () => {
  it('shows a domain that writes status without registering, marked unregistered', async () => {
    const r = await dashboard(makeProject({ 'helm/domains.json': domainsJson('infra'), 'helm/status/infra.json': fresh('HEALTHY'), 'helm/status/ml.json': fresh('UNHEALTHY') }));
    const d = r.json<Dash>();
    expect(d.domains.map((x) => [x.domain, x.verdict, x.registered])).toEqual([
      ['infra', 'HEALTHY', true],
      ['ml', 'UNHEALTHY', false],
    ]);
    expect(d.verdict).toBe('UNHEALTHY');
  });

  it('refuses a status_file that points outside .fractary/helm and lists it unreadable', async () => {
    const project = makeProject({
      'helm/domains.json': { domains: { evil: { plugin: 'x', status_file: '../../registry/deployments.json', issues_prefix: 'evil-' } } },
    });
    const r = await dashboard(project);
    const d = r.json<Dash>();
    expect(d.domains).toEqual([]);
    expect(d.unreadable).toEqual([expect.objectContaining({ domain: 'evil', reason: expect.stringMatching(/outside \.fractary\/helm/) })]);
    expect(r.code).toBe(1);
  });

  it('lists a malformed domains.json as unreadable and still shows the status files it finds', async () => {
    const r = await dashboard(makeProject({ 'helm/domains.json': '{"domains": [', 'helm/status/infra.json': fresh('HEALTHY') }));
    const d = r.json<Dash>();
    expect(d.unreadable).toEqual([expect.objectContaining({ file: expect.stringMatching(/helm\/domains\.json$/), reason: expect.stringMatching(/invalid JSON/) })]);
    expect(d.domains).toEqual([expect.objectContaining({ domain: 'infra', verdict: 'HEALTHY', registered: false })]);
    expect(d).toMatchObject({ verdict: 'UNKNOWN', exitCode: 1 });
    expect(r.stderr).toMatch(/^warning: .*domains\.json: invalid JSON/m);
  });

  it('treats an unrecognised status verdict and a status without a time as UNKNOWN', async () => {
    const r = await dashboard(
      makeProject({
        'helm/domains.json': domainsJson('a', 'b'),
        'helm/status/a.json': { verdict: 'PURPLE', summary: 's', updated_at: new Date().toISOString() },
        'helm/status/b.json': { verdict: 'HEALTHY', summary: 's' },
      }),
    );
    const d = r.json<Dash>();
    expect(d.domains.map((x) => [x.domain, x.verdict, x.reported_verdict])).toEqual([
      ['a', 'UNKNOWN', 'PURPLE'],
      ['b', 'UNKNOWN', 'HEALTHY'],
    ]);
    expect(d.domains[1]!.summary).toMatch(/no valid updated_at/);
  });

  it("takes an issue's SLO burn from its environment's fresh status when the record has none, never from a stale one", async () => {
    const nowIso = new Date().toISOString();
    const old = new Date(Date.now() - 48 * 3600_000).toISOString();
    const project = makeProject({
      'helm/domains.json': domainsJson('infra'),
      'helm/status/infra.json': {
        verdict: 'DEGRADED',
        updated_at: nowIso,
        environments: { prod: { verdict: 'DEGRADED', slo_burn: 6, updated_at: nowIso }, staging: { verdict: 'DEGRADED', slo_burn: 9, updated_at: old } },
      },
      'helm/issues/infra-001.json': issueFile('infra-001', { environment: 'prod', production: true }),
      'helm/issues/infra-002.json': issueFile('infra-002', { environment: 'prod', production: true, slo_burn: 2 }),
      'helm/issues/infra-003.json': issueFile('infra-003', { environment: 'staging', production: true }),
    });
    const d = (await dashboard(project)).json<Dash & { issues: { slo_burn_basis: string | null }[] }>();
    expect(d.issues.map((i) => [i.id, i.slo_burn, i.slo_burn_basis])).toEqual([
      ['infra-001', 6, 'status'],
      ['infra-002', 2, 'issue'],
      ['infra-003', null, null],
    ]);
  });

  it('lists an issue whose id does not match its file name as unreadable', async () => {
    const r = await dashboard(makeProject({ 'helm/domains.json': domainsJson('infra'), 'helm/status/infra.json': fresh('HEALTHY'), 'helm/issues/infra-002.json': issueFile('infra-001') }));
    const d = r.json<Dash>();
    expect(d.issues).toEqual([]);
    expect(d.unreadable[0]!.reason).toMatch(/does not match the file name/);
  });

  it('never echoes control characters from another domain into the table, and escapes Markdown', async () => {
    const project = makeProject({
      'helm/domains.json': domainsJson('web'),
      'helm/status/web.json': fresh('HEALTHY'),
      'helm/issues/web-001.json': issueFile('web-001', { severity: 'high', title: 'evil \u001b[2J| <b>x</b>' }),
    });
    const table = await dashboard(project, ['-o', 'table']);
    expect(table.stdout).not.toContain('\u001b');
    expect(table.stdout).toMatch(/evil \?\[2J\| <b>x<\/b>/);
    const md = await dashboard(project, ['-o', 'markdown']);
    expect(md.stdout).not.toContain('\u001b');
    // The title renders as typed (control characters shown as "?"), inside its own cell, with no HTML reaching the page.
    expect(inertMarkdown(md.stdout).tables.flatMap((t) => t.rows.flat())).toContain('evil ?[2J| <b>x</b>');
    expect(md.stdout).toMatch(/^# Helm dashboard: HEALTHY/);
  });
});

describe('dashboard as a slash command', () => {
  it('/fractary-helm:dashboard gives the same report as `dashboard`', async () => {
    const project = projectWithFixture('all-healthy-no-urgent');
    const plain = await dashboard(project);
    const slash = await runCli(['/fractary-helm:dashboard --output=json'], { cwd: project, env: NO_AWS });
    expect(slash.code).toBe(plain.code);
    const strip = (x: Dash) => ({ ...x, generatedAt: undefined, issues: x.issues.map((i) => ({ ...i, age_seconds: undefined, age: undefined, score: undefined })) });
    expect(strip(slash.json<Dash>())).toEqual(strip(plain.json<Dash>()));
    expect(slash.stderr).toBe('');
  });
});


describe('health feeds the dashboard', () => {
  it('a health run registers infra and its verdict appears on the dashboard for that environment', async () => {
    await new Seeder({ endpoint: moto() }).createFunction('orders-api');
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ env: 'test', resources: [{ type: 'lambda', name: 'orders-api' }] }]),
    });
    const health = await runCli(['health', '--env', 'test', '-o', 'json'], { cwd: project });
    const h = health.json<{ verdict: string; summary: string }>();
    const r = await runCli(['dashboard', '-o', 'json'], { cwd: project });
    const d = r.json<Dash & { domains: { plugin?: string }[] }>();
    expect(d.domains).toEqual([expect.objectContaining({ domain: 'infra', registered: true, plugin: 'fractary-helm-cloud', verdict: h.verdict, summary: `test: ${h.verdict}` })]);
    expect(d.verdict).toBe(h.verdict);
    expect(r.code).toBe(h.verdict === 'HEALTHY' ? 0 : 1);
  });
});
