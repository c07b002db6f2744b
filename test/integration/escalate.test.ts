/**
 * FABER escalation: `helm-cloud escalate --issue infra-NNN` end to end, and the store function the responder
 * calls when a remediation fails or is never_auto. Records land in .fractary/faber/escalations/<id>.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/config/load.js';
import { escalate } from '../../src/store/escalations.js';
import { createIssue, readIssue, updateIssue } from '../../src/store/helm.js';
import { makeProject, runCli } from '../support/index.js';
import { inertMarkdown } from '../support/markdown.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
const T0 = Date.parse('2026-11-20T10:00:00Z');

async function projectWithIssue(over: Record<string, unknown> = {}) {
  const project = makeProject();
  const ws = openWorkspace(project);
  const issue = await createIssue(
    ws,
    {
      domain: 'infra',
      title: 'Lambda errors in API function',
      severity: 'critical',
      environment: 'prod',
      resources: ['api-handler'],
      evidence: [{ kind: 'metric', summary: 'error rate 7.2% (SLO 0.5%)' }],
      ...over,
    },
    T0,
  );
  return { project, ws, id: issue.id };
}

const recordOf = (project: string, id: string) => JSON.parse(readFileSync(join(project, '.fractary', 'faber', 'escalations', `${id}.json`), 'utf8'));
const issueOf = (project: string, id: string) => JSON.parse(readFileSync(join(project, '.fractary', 'helm', 'issues', `${id}.json`), 'utf8'));

describe('helm-cloud escalate --issue', () => {
  it('shows a hostile issue title as typed in the Markdown, the suggested change as code, nothing reaching the page as HTML', async () => {
    const title = 'pay | <script>alert(1)</script> `tick` *b* _i_ [l](http://x) \u0007\nsecond line';
    const { project, id } = await projectWithIssue({ title, diagnosis: { summary: 'x', proposed_actions: [{ action: 'scale_resources', target: 'api-handler', params: { memory_mb: 1024 }, reason: 'OOM | <b>' }] } });
    const r = await runCli(['escalate', '--issue', id, '--output', 'markdown'], { cwd: project, env: NO_AWS });
    expect(r.code, r.stderr).toBe(0);
    const md = inertMarkdown(r.stdout);
    expect(md.headings).toEqual(['Escalated infra-001 to FABER', 'Suggested change']);
    expect(md.text).toContain('Issue: pay | <script>alert(1)</script> `tick` *b* _i_ [l](http://x) ? second line (critical, prod)');
    expect(md.spans).toEqual(['faber/escalations/infra-001.json']);
    expect(md.code[0]!.content).toBe('scale_resources on api-handler (memory_mb=1024): OOM | <b>\n');
  });

  it('writes the escalation record (issue, evidence, suggested change), marks the issue escalated and prints the path', async () => {
    const { project, id } = await projectWithIssue({
      diagnosis: { summary: 'memory exhausted', proposed_actions: [{ action: 'scale_resources', target: 'api-handler', params: { memory_mb: 1024 }, reason: 'OOM at 512 MB' }] },
    });
    const r = await runCli(['escalate', '--issue', id, '--output', 'table'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/\.fractary\/faber\/escalations\/infra-001\.json$/);
    const rec = recordOf(project, id);
    expect(rec).toMatchObject({
      schema: 'faber/escalation@1',
      id: 'infra-001',
      status: 'pending',
      source: 'helm-cloud escalate',
      evidence: [{ kind: 'metric', summary: 'error rate 7.2% (SLO 0.5%)' }],
      suggested_change: 'scale_resources on api-handler (memory_mb=1024): OOM at 512 MB',
      issue: { id: 'infra-001', status: 'escalated', environment: 'prod', title: 'Lambda errors in API function' },
    });
    expect(rec.history).toHaveLength(1);
    const issue = issueOf(project, id);
    expect(issue.status).toBe('escalated');
    expect(issue.history.at(-1)).toMatchObject({ from: 'open', to: 'escalated' });
    expect(issue.actions.at(-1)).toMatchObject({ action: 'escalate', outcome: 'escalated', log: 'faber/escalations/infra-001.json' });
  });

  it('reports JSON with the issue environment and the record path, needing no --env', async () => {
    const { project, id } = await projectWithIssue();
    const r = await runCli(['escalate', '--issue', id, '-o', 'json'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ schema: 'helm-cloud/escalate@1', command: 'escalate', environment: 'prod', verdict: 'ESCALATED', exitCode: 0, issue: 'infra-001', escalations: 1, record_path: 'faber/escalations/infra-001.json' });
  });

  it('suggests the best hypothesis when the diagnosis proposes no action', async () => {
    const { project, id } = await projectWithIssue({ diagnosis: { summary: 's', hypotheses: [{ cause: 'deploy 1.4.2 removed the DB_HOST variable', confidence: 0.8 }, 'second'] } });
    expect((await runCli(['escalate', '--issue', id], { cwd: project, env: NO_AWS })).code).toBe(0);
    expect(recordOf(project, id).suggested_change).toBe('Address the likely cause: deploy 1.4.2 removed the DB_HOST variable');
  });

  it('suggests a review sentence naming resources and environment when there is no diagnosis', async () => {
    const { project, id } = await projectWithIssue();
    await runCli(['escalate', '--issue', id], { cwd: project, env: NO_AWS });
    expect(recordOf(project, id).suggested_change).toMatch(/^Review the configuration and the latest deployment of api-handler in prod/);
  });

  it('escalating twice updates one record and appends to its history instead of duplicating it', async () => {
    const { project, id } = await projectWithIssue();
    await runCli(['escalate', '--issue', id], { cwd: project, env: NO_AWS });
    const first = recordOf(project, id);
    const r = await runCli(['escalate', '--issue', id, '-o', 'json'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ escalations: 2 });
    const second = recordOf(project, id);
    expect(readdirSync(join(project, '.fractary', 'faber', 'escalations'))).toEqual(['infra-001.json']);
    expect(second.created_at).toBe(first.created_at);
    expect(second.history.map((h: { issue_status: string }) => h.issue_status)).toEqual(['open', 'escalated']);
  });

  it('refuses to escalate a resolved issue (exit 2) and writes nothing', async () => {
    const { project, ws, id } = await projectWithIssue();
    await updateIssue(ws, id, (r) => void (r.status = 'resolved'), T0 + 1000);
    const r = await runCli(['escalate', '--issue', id], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/infra-001 is resolved/);
    expect(existsSync(join(project, '.fractary', 'faber', 'escalations', `${id}.json`))).toBe(false);
    expect(issueOf(project, id).status).toBe('resolved');
  });

  it('exits 2 for an unknown issue and lists the known ones', async () => {
    const { project } = await projectWithIssue();
    const r = await runCli(['escalate', '--issue', 'infra-042'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no issue record infra-042.*known issues: infra-001/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a malformed issue id without touching the file system outside .fractary', async () => {
    const { project } = await projectWithIssue();
    const r = await runCli(['escalate', '--issue', '../../etc/passwd'], { cwd: project, env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not an issue id/);
  });

  it('an escalated issue shows on the dashboard with status escalated', async () => {
    const { project, id } = await projectWithIssue();
    await runCli(['escalate', '--issue', id], { cwd: project, env: NO_AWS });
    const d = (await runCli(['dashboard', '-o', 'json'], { cwd: project, env: NO_AWS })).json<{ issues: { id: string; status: string }[] }>();
    expect(d.issues).toEqual([expect.objectContaining({ id, status: 'escalated' })]);
  });
});

describe('escalate() for automatic escalation (failed or never_auto remediation)', () => {
  it('records the caller’s reason, evidence and suggested change and the source', async () => {
    const { project, ws, id } = await projectWithIssue();
    await updateIssue(ws, id, (r) => void (r.status = 'remediating'), T0 + 1000);
    const out = await escalate(ws, id, { reason: 'restart_lambda failed verification', evidence: [{ kind: 'action', summary: 'errors still 7%' }], suggested_change: 'raise memory to 1024 MB', source: 'remediate' }, T0 + 2000);
    expect(out).toEqual({ id, path: join(ws.fractary, 'faber', 'escalations', `${id}.json`) });
    const rec = recordOf(project, id);
    expect(rec).toMatchObject({ reason: 'restart_lambda failed verification', source: 'remediate', suggested_change: 'raise memory to 1024 MB', evidence: [{ kind: 'action', summary: 'errors still 7%' }], created_at: new Date(T0 + 2000).toISOString() });
    expect(await readIssue(ws, id)).toMatchObject({ status: 'escalated', history: expect.arrayContaining([expect.objectContaining({ from: 'remediating', to: 'escalated', note: 'remediate: restart_lambda failed verification' })]) });
  });

  it('throws an input error for a resolved issue', async () => {
    const { ws, id } = await projectWithIssue();
    await updateIssue(ws, id, (r) => void (r.status = 'resolved'), T0 + 1000);
    await expect(escalate(ws, id, { reason: 'r', source: 'remediate' }, T0 + 2000)).rejects.toThrow(expect.objectContaining({ kind: 'input' }));
  });

  it('replaces a corrupt escalation record instead of failing', async () => {
    const { project, ws, id } = await projectWithIssue();
    await escalate(ws, id, { reason: 'first', source: 'remediate' }, T0 + 1000);
    const path = join(project, '.fractary', 'faber', 'escalations', `${id}.json`);
    writeFileSync(path, '{"truncated');
    await escalate(ws, id, { reason: 'second', source: 'remediate' }, T0 + 2000);
    expect(recordOf(project, id)).toMatchObject({ reason: 'second', history: [expect.objectContaining({ reason: 'second' })] });
  });
});


describe('concurrent escalations of one issue', () => {
  it('each lands in the one record’s history and in the issue’s actions (processes escalating at once)', async () => {
    const { project, ws, id } = await projectWithIssue();
    const mod = join(import.meta.dirname, '..', '..', 'dist', 'store', 'escalations.js');
    const load = join(import.meta.dirname, '..', '..', 'dist', 'config', 'load.js');
    const script = `const { escalate } = await import(${JSON.stringify(mod)}); const { openWorkspace } = await import(${JSON.stringify(load)});
const ws = openWorkspace(${JSON.stringify(project)}); for (let i = 0; i < 3; i++) await escalate(ws, ${JSON.stringify(id)}, { reason: process.argv[1] + ':' + i, source: 'remediate' }, Date.now());`;
    await Promise.all(
      [0, 1, 2, 3].map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const c = spawn(process.execPath, ['--input-type=module', '-e', script, String(w)], { stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            c.stderr.on('data', (d: Buffer) => (err += d.toString()));
            c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${w} exited ${code}: ${err}`))));
          }),
      ),
    );
    const rec = recordOf(project, id);
    expect(new Set(rec.history.map((h: { reason: string }) => h.reason)).size).toBe(12);
    expect((await readIssue(ws, id)).actions.filter((a) => a.action === 'escalate')).toHaveLength(12);
    expect(readdirSync(join(project, '.fractary', 'faber', 'escalations'))).toEqual([`${id}.json`]);
  });
});

describe('escalate --reason', () => {
  it('keeps the operator\'s reason in the record, its history and the issue, with who asked', async () => {
    const { project, id } = await projectWithIssue();
    const r = await runCli(['escalate', '--issue', id, '--reason', 'restart did not help; needs a code fix', '--output', 'json'], { cwd: project, env: { ...NO_AWS, USER: 'dana' } });
    expect(r.code, r.stderr).toBe(0);
    const rec = recordOf(project, id);
    expect(rec.reason).toBe('restart did not help; needs a code fix (requested by dana)');
    expect(rec.history.at(-1).reason).toBe('restart did not help; needs a code fix (requested by dana)');
    expect(issueOf(project, id).actions.at(-1)).toMatchObject({ action: 'escalate', reason: 'restart did not help; needs a code fix (requested by dana)' });
  });

  it('without --reason says who asked; an empty --reason is a usage error', async () => {
    const { project, id } = await projectWithIssue();
    expect((await runCli(['escalate', '--issue', id, '--output', 'json'], { cwd: project, env: { ...NO_AWS, USER: 'dana' } })).code).toBe(0);
    expect(recordOf(project, id).reason).toBe('requested by dana');
    const empty = await runCli(['escalate', '--issue', id, '--reason', '  '], { cwd: project, env: NO_AWS });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--reason is empty/);
  });
});
