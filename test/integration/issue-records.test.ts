/**
 * Issue records (.fractary/helm/issues/<domain>-NNN.json), domain registration and domain status
 * (src/store/helm.ts): numbering, checked state transitions, history, concurrent writers.
 * Concurrency cases run several real processes against the built store (dist/), as separate CLI runs would.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/config/load.js';
import { ISSUE_STATES, createIssue, listIssueIds, readIssue, registerDomain, updateIssue, writeDomainStatus, type IssueState } from '../../src/store/helm.js';
import { makeProject } from '../support/index.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const DIST_HELM = join(import.meta.dirname, '..', '..', 'dist', 'store', 'helm.js');
const DIST_LOAD = join(import.meta.dirname, '..', '..', 'dist', 'config', 'load.js');

function workspace(files = {}): { project: string; ws: Workspace } {
  const project = makeProject(files);
  return { project, ws: openWorkspace(project) };
}
const open = (ws: Workspace, over = {}) => createIssue(ws, { domain: 'infra', title: 't', severity: 'high', environment: 'test', ...over }, T0);
const setStatus = (ws: Workspace, id: string, to: IssueState, at = T0 + 1000) => updateIssue(ws, id, (r) => void (r.status = to), at, `to ${to}`);

/** Runs `count` node processes at once, each executing `body` with helm (the store) and ws in scope. */
function parallel(project: string, count: number, body: string): Promise<number[]> {
  const script = `const helm = await import(${JSON.stringify(DIST_HELM)}); const { openWorkspace } = await import(${JSON.stringify(DIST_LOAD)});
const ws = openWorkspace(${JSON.stringify(project)}); const worker = Number(process.argv[1]); ${body}`;
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, String(i)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`worker ${i} exited ${code}: ${err}`))));
      }),
    ),
  );
}

describe('creating issue records', () => {
  it('numbers issues per domain from 001 and records when and how they opened', async () => {
    const { ws } = workspace();
    const a = await open(ws);
    const b = await open(ws);
    const c = await open(ws, { domain: 'data' });
    expect([a.id, b.id, c.id]).toEqual(['infra-001', 'infra-002', 'data-001']);
    expect(await readIssue(ws, 'infra-001')).toMatchObject({ status: 'open', created_at: new Date(T0).toISOString(), history: [{ to: 'open', note: 'opened' }] });
    expect(await listIssueIds(ws, 'infra')).toEqual(['infra-001', 'infra-002']);
  });

  it('continues after the highest number, even with gaps', async () => {
    const { ws } = workspace({ 'helm/issues/infra-007.json': { id: 'infra-007', domain: 'infra', title: 'x', severity: 'low', status: 'open', created_at: 'x', updated_at: 'x' } });
    expect((await open(ws)).id).toBe('infra-008');
  });

  it('gives concurrent processes distinct ids (no two runs share a record)', async () => {
    const { project, ws } = workspace();
    await parallel(project, 4, `for (let i = 0; i < 5; i++) await helm.createIssue(ws, { domain: 'infra', title: 'w' + worker + '-' + i, severity: 'low' }, Date.now());`);
    const ids = await listIssueIds(ws, 'infra');
    expect(ids).toHaveLength(20);
    expect(ids[0]).toBe('infra-001');
    expect(ids.at(-1)).toBe('infra-020');
    expect(new Set((await Promise.all(ids.map((id) => readIssue(ws, id)))).map((r) => r.title)).size).toBe(20);
  });
});

describe('issue state transitions', () => {
  const allowed: [IssueState, IssueState][] = [
    ['open', 'investigating'],
    ['open', 'remediating'],
    ['open', 'escalated'],
    ['open', 'resolved'],
    ['investigating', 'remediating'],
    ['investigating', 'escalated'],
    ['investigating', 'resolved'],
    ['investigating', 'open'],
    ['remediating', 'investigating'],
    ['remediating', 'escalated'],
    ['remediating', 'resolved'],
    ['remediating', 'open'],
    ['escalated', 'investigating'],
    ['escalated', 'remediating'],
    ['escalated', 'resolved'],
    ['resolved', 'open'],
  ];
  const refused = ISSUE_STATES.flatMap((from) => ISSUE_STATES.filter((to) => to !== from && !allowed.some(([f, t]) => f === from && t === to)).map((to) => [from, to] as [IssueState, IssueState]));

  /** Brings a fresh issue into `state` through allowed steps. */
  async function issueIn(ws: Workspace, state: IssueState): Promise<string> {
    const { id } = await open(ws);
    if (state === 'open') return id;
    if (state === 'escalated') await setStatus(ws, id, 'investigating', T0 + 10);
    await setStatus(ws, id, state, T0 + 20);
    return id;
  }

  it.each(allowed)('%s → %s is allowed and recorded in history', async (from, to) => {
    const { ws } = workspace();
    const id = await issueIn(ws, from);
    const r = await setStatus(ws, id, to, T0 + 5000);
    expect(await readIssue(ws, id)).toMatchObject({ status: to, updated_at: new Date(T0 + 5000).toISOString() });
    expect(r.history.at(-1)).toEqual({ at: new Date(T0 + 5000).toISOString(), from, to, note: `to ${to}` });
  });

  it.each(refused)('%s → %s is refused as an input error and the record is unchanged', async (from, to) => {
    const { ws } = workspace();
    const id = await issueIn(ws, from);
    const before = readFileSync(ws.path(`helm/issues/${id}.json`), 'utf8');
    await expect(setStatus(ws, id, to, T0 + 5000)).rejects.toThrow(expect.objectContaining({ kind: 'input', message: `issue ${id} cannot go from ${from} to ${to}` }));
    expect(readFileSync(ws.path(`helm/issues/${id}.json`), 'utf8')).toBe(before);
  });

  it('sets resolved_at on resolving, and keeps the whole path in history across a reopen', async () => {
    const { ws } = workspace();
    const { id } = await open(ws);
    await setStatus(ws, id, 'investigating', T0 + 1);
    await setStatus(ws, id, 'resolved', T0 + 2);
    expect((await readIssue(ws, id)).resolved_at).toBe(new Date(T0 + 2).toISOString());
    await setStatus(ws, id, 'open', T0 + 3);
    expect((await readIssue(ws, id)).history.map((h) => h.to)).toEqual(['open', 'investigating', 'resolved', 'open']);
  });

  it('an update that keeps the status adds no history entry', async () => {
    const { ws } = workspace();
    const { id } = await open(ws);
    await updateIssue(ws, id, (r) => void r.evidence.push({ kind: 'log', summary: 'x' }), T0 + 1);
    expect(await readIssue(ws, id)).toMatchObject({ history: [{ to: 'open' }], evidence: [{ kind: 'log', summary: 'x' }] });
  });

  it('keeps fields it does not know (written by other tools) through an update', async () => {
    const { ws } = workspace();
    const { id } = await open(ws, { ticket: 'OPS-12' } as object);
    await setStatus(ws, id, 'investigating');
    expect(await readIssue(ws, id)).toMatchObject({ ticket: 'OPS-12' });
  });

  it('concurrent updates from several processes lose no change', async () => {
    const { project, ws } = workspace();
    const { id } = await open(ws);
    await parallel(project, 4, `for (let i = 0; i < 10; i++) await helm.updateIssue(ws, ${JSON.stringify(id)}, (r) => { r.evidence.push({ kind: 'log', summary: worker + ':' + i }); }, Date.now());`);
    const ev = (await readIssue(ws, id)).evidence.map((e) => e.summary);
    expect(ev).toHaveLength(40);
    expect(new Set(ev).size).toBe(40);
    expect(readdirSync(ws.path('helm/issues'))).toEqual([`${id}.json`]);
  });
});

describe('reading issue records', () => {
  it('a malformed record is a config error naming the file', async () => {
    const { ws } = workspace({ 'helm/issues/infra-001.json': '{"id": "infra-001",' });
    await expect(readIssue(ws, 'infra-001')).rejects.toThrow(expect.objectContaining({ kind: 'config', file: expect.stringMatching(/helm\/issues\/infra-001\.json$/) }));
  });

  it('a record with an unknown severity is a config error naming the field', async () => {
    const { ws } = workspace({ 'helm/issues/infra-001.json': { id: 'infra-001', domain: 'infra', title: 'x', severity: 'urgent', status: 'open', created_at: 'a', updated_at: 'a' } });
    await expect(readIssue(ws, 'infra-001')).rejects.toThrow(/severity/);
  });
});

describe('domain registration and status', () => {
  it('registers infra once and keeps the other domains', async () => {
    const { ws } = workspace({ 'helm/domains.json': { domains: { data: { plugin: 'fractary-helm-data', status_file: 'status/data.json', issues_prefix: 'data-' } }, note: 'kept' } });
    await registerDomain(ws, 'infra', { plugin: 'fractary-helm-cloud', description: 'AWS infrastructure' });
    await registerDomain(ws, 'infra', { plugin: 'fractary-helm-cloud', description: 'AWS infrastructure' });
    const doc = JSON.parse(readFileSync(ws.path('helm/domains.json'), 'utf8'));
    expect(doc).toEqual({
      note: 'kept',
      domains: {
        data: { plugin: 'fractary-helm-data', status_file: 'status/data.json', issues_prefix: 'data-' },
        infra: { plugin: 'fractary-helm-cloud', description: 'AWS infrastructure', status_file: 'status/infra.json', issues_prefix: 'infra-' },
      },
    });
  });

  it('merges each environment into the status file; the domain verdict is the worst environment', async () => {
    const { ws } = workspace();
    await writeDomainStatus(ws, 'infra', 'test', { verdict: 'HEALTHY', summary: '3 healthy' }, T0);
    await writeDomainStatus(ws, 'infra', 'prod', { verdict: 'DEGRADED', summary: '1 degraded' }, T0 + 1000);
    const s = JSON.parse(readFileSync(ws.path('helm/status/infra.json'), 'utf8'));
    expect(s).toMatchObject({ domain: 'infra', verdict: 'DEGRADED', summary: 'test: HEALTHY, prod: DEGRADED', updated_at: new Date(T0 + 1000).toISOString() });
    expect(Object.keys(s.environments)).toEqual(['test', 'prod']);
  });

  it('an environment reporting UNKNOWN makes the domain UNKNOWN, never HEALTHY', async () => {
    const { ws } = workspace();
    await writeDomainStatus(ws, 'infra', 'test', { verdict: 'HEALTHY', summary: 'ok' }, T0);
    await writeDomainStatus(ws, 'infra', 'prod', { verdict: 'UNKNOWN', summary: 'no data' }, T0);
    expect(JSON.parse(readFileSync(ws.path('helm/status/infra.json'), 'utf8')).verdict).toBe('UNKNOWN');
  });

  it('rebuilds a corrupt status file from the current run', async () => {
    const { ws } = workspace({ 'helm/status/infra.json': '{"verdict": "HEAL' });
    await writeDomainStatus(ws, 'infra', 'prod', { verdict: 'HEALTHY', summary: 'ok' }, T0);
    expect(JSON.parse(readFileSync(ws.path('helm/status/infra.json'), 'utf8'))).toMatchObject({ verdict: 'HEALTHY', environments: { prod: { verdict: 'HEALTHY' } } });
  });
});

describe('updating a record that cannot be updated', () => {
  it('an unknown issue is an input error listing the known ones, and leaves no lock behind', async () => {
    const { ws } = workspace();
    await open(ws);
    await expect(setStatus(ws, 'infra-009', 'resolved')).rejects.toThrow(expect.objectContaining({ kind: 'input', fix: expect.stringMatching(/known issues: infra-001/) }));
    expect(readdirSync(ws.path('helm/issues'))).toEqual(['infra-001.json']);
  });

  it('an issue id with a path in it is refused before any file is created', async () => {
    const { ws } = workspace();
    await expect(setStatus(ws, '../../registry/x-001', 'resolved')).rejects.toThrow(expect.objectContaining({ kind: 'input', message: expect.stringMatching(/is not an issue id/) }));
  });

  it('a refused transition releases the lock so the next update proceeds', async () => {
    const { ws } = workspace();
    const { id } = await open(ws);
    await setStatus(ws, id, 'resolved');
    await expect(setStatus(ws, id, 'remediating')).rejects.toThrow();
    expect((await setStatus(ws, id, 'open')).status).toBe('open');
    expect(readdirSync(ws.path('helm/issues'))).toEqual([`${id}.json`]);
  });
});

describe('concurrent writers of the shared Helm files', () => {
  it('health runs for different environments at once all land in the domain status', async () => {
    const { project, ws } = workspace();
    await parallel(project, 4, `for (let i = 0; i < 5; i++) await helm.writeDomainStatus(ws, 'infra', 'env' + worker + '-' + i, { verdict: 'HEALTHY', summary: 'ok' }, Date.now());`);
    const s = JSON.parse(readFileSync(ws.path('helm/status/infra.json'), 'utf8'));
    expect(Object.keys(s.environments)).toHaveLength(20);
  });

  it('domains registering at once are all kept in domains.json', async () => {
    const { project, ws } = workspace();
    await parallel(project, 4, `for (let i = 0; i < 5; i++) await helm.registerDomain(ws, 'd' + worker + 'x' + i, { plugin: 'p' + worker, description: 'd' });`);
    expect(Object.keys(JSON.parse(readFileSync(ws.path('helm/domains.json'), 'utf8')).domains)).toHaveLength(20);
  });
});
