/**
 * PagerDuty contract tests: the pagerduty backend against Prism serving PagerDuty's own OpenAPI descriptions
 * (REST v2 and Events v2) with validation errors on. Prism answers with schema examples, so these tests check
 * that every request the backend sends is valid PagerDuty (a request breaking the schema gets a 4xx and the
 * command fails) and that the answers are read; they do not check PagerDuty's behaviour (there is no
 * open-source PagerDuty server). Without the descriptions in shared/ the suite is skipped, saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMonitoring, openWorkspace } from '../../src/config/load.js';
import { loadOncall } from '../../src/config/oncall.js';
import { openPagerDuty, type PagerDutyBackend } from '../../src/adapters/oncall/pagerduty/index.js';
import { isHelmError } from '../../src/errors.js';
import { makeProject, runCli } from '../support/index.js';
import { pagerdutySpecDir, startPrism, type PrismServer } from '../substrates/prism/prism.js';

const SPECS = pagerdutySpecDir();
const title = SPECS ? 'PagerDuty contract (Prism, validating)' : 'PagerDuty contract: skipped — PagerDuty OpenAPI description not found (set HELM_CLOUD_PAGERDUTY_SPECS or place shared/data/pagerduty beside the clone)';

describe.skipIf(!SPECS)(title, () => {
  let rest: PrismServer;
  let events: PrismServer;
  let dir: string;
  const env = { PD_TEST_TOKEN: 'y_NbAkKc66ryYTWUXYEu', PD_TEST_ROUTING: 'R0UT1NGKEY000000000000000000000' };

  beforeAll(async () => {
    [rest, events] = await Promise.all([startPrism(join(SPECS!, 'rest-openapiv3.json')), startPrism(join(SPECS!, 'events-v2-openapiv3.json'))]);
    dir = makeProject({
      'plugins/helm-cloud/monitoring.toml': `
[oncall]
backend = "pagerduty"
[oncall.pagerduty]
url = "${rest.url}"
events_url = "${events.url}"
token = "env:PD_TEST_TOKEN"
routing_key = "env:PD_TEST_ROUTING"
from = "oncall-bot@example.com"
[oncall.users]
# The email of the user in PagerDuty's own example answer to GET /users (Prism serves the examples).
alice = { email = "125.greenholt.earline@graham.name" }
[oncall.teams.payments]
pagerduty = { schedule = "PI7DH85", escalation_policy = "PT20YPA", service = "PIJ90N7" }
`,
    });
    Object.assign(process.env, env);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([rest?.stop(), events?.stop()]);
  });

  const cli = (...args: string[]) => runCli([...args, '--output', 'json'], { cwd: dir, env });

  it('answers who_is_oncall from /oncalls and the escalation policy', async () => {
    const r = await cli('oncall', 'who_is_oncall', '--team', 'payments');
    expect(r.stderr).toBe('');
    expect(r.code).toBeLessThanOrEqual(1);
    const j = r.json<{ backend: string; tiers: Array<{ tier: number; delayMinutes: number }> }>();
    expect(j.backend).toBe('pagerduty');
    expect(j.tiers.length).toBeGreaterThan(0);
    expect(j.tiers[0]).toMatchObject({ tier: 1 });
  });

  it('sends a valid schedule request (PagerDuty\'s own example answer breaks its schema: only response violations)', async () => {
    // Prism in errors mode checks the answer too, and PagerDuty's example for GET /schedules/{id} does not match
    // its own schema (schedule.next_oncall_for_user.user). The request side must be clean.
    const r = await cli('oncall', 'schedule', '--team', 'payments', '--days', '2');
    if (r.code !== 0) {
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/rejected GET \/schedules\/PI7DH85 \(HTTP 500\): response\./);
      expect(r.stderr).not.toMatch(/request\./);
    } else expect(Array.isArray(r.json<{ segments: unknown[] }>().segments)).toBe(true);
  });

  it('creates and removes an override with valid requests (From header included)', async () => {
    const add = await cli('oncall', 'override_oncall', '--team', 'payments', '--user', 'alice', '--from', '2026-12-08T09:00:00Z', '--to', '2026-12-08T17:00:00Z');
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const id = add.json<{ override: { id: string } }>().override.id;
    expect(id).toMatch(/^[A-Z0-9]+$/);
    const rm = await cli('oncall', 'override_oncall', '--team', 'payments', '--remove', id);
    expect(rm.stderr).toBe('');
    expect(rm.code).toBe(0);
  });

  it('runs an incident through create, show, acknowledge, escalate and resolve', async () => {
    const c = await cli('incident', 'create', '--team', 'payments', '--title', 'checkout 5xx', '--urgency', 'high', '--from-alert', 'A-12', '--description', 'error rate 7%');
    expect(c.stderr).toBe('');
    const id = c.json<{ incident: { id: string } }>().incident.id;
    for (const action of ['show', 'acknowledge', 'escalate', 'resolve']) {
      const r = await cli('incident', action, id);
      expect([action, r.stderr]).toEqual([action, '']);
      expect(r.json<{ incident: { id: string; backend: string } }>().incident.backend).toBe('pagerduty');
    }
    const list = await cli('incident', 'list', '--team', 'payments', '--status', 'triggered,acknowledged');
    expect(list.code).toBe(0);
  });

  it('sends Events API v2 triggers and resolves that the events description accepts', async () => {
    const ws = openWorkspace(dir);
    const pd = (await openPagerDuty(loadOncall(ws, loadMonitoring(ws)), { now: () => Date.now() })) as PagerDutyBackend;
    const t = await pd.event('trigger', 'A-12', { summary: 'checkout 5xx', source: 'helm-cloud', severity: 'critical' });
    expect(t.status).toBeTruthy();
    await expect(pd.event('resolve', 'A-12')).resolves.toBeTruthy();
  });

  it('fails when a request breaks PagerDuty\'s schema (the guard these tests rely on is live)', async () => {
    const ws = openWorkspace(dir);
    const pd = (await openPagerDuty(loadOncall(ws, loadMonitoring(ws)), { now: () => Date.now() })) as PagerDutyBackend;
    const bad = pd.rest('POST', '/incidents', { write: true, body: { incident: { type: 'incident', title: 'x', urgency: 'medium', service: { id: 'PIJ90N7', type: 'service_reference' } } } });
    await expect(bad).rejects.toSatisfy((e: unknown) => isHelmError(e) && /PagerDuty rejected POST \/incidents \(HTTP 4\d\d\)/.test((e as Error).message));
    const noFrom = pd.rest('PUT', '/incidents/PT4KHLK', { body: { incident: { type: 'incident_reference', status: 'acknowledged' } } });
    await expect(noFrom).rejects.toSatisfy((e: unknown) => isHelmError(e) && /HTTP 4\d\d/.test((e as Error).message));
    await expect(pd.event('trigger', 'A-13', { summary: 'x', source: 'helm-cloud', severity: 'fatal' as 'critical' })).rejects.toSatisfy((e: unknown) => isHelmError(e));
  });

  it('refuses a missing token, naming the reference, and says why a keychain entry cannot be read', async () => {
    const r = await runCli(['oncall', 'who_is_oncall', '--team', 'payments'], { cwd: dir, env: { PD_TEST_TOKEN: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/oncall\.pagerduty\.token: the environment variable PD_TEST_TOKEN is not set/);
    const kc = makeProject({ 'plugins/helm-cloud/monitoring.toml': `[oncall]\nbackend = "pagerduty"\n[oncall.pagerduty]\nurl = "${rest.url}"\ntoken = "keychain:helm-cloud-test-missing"\n[oncall.teams.payments]\n` });
    const k = await runCli(['oncall', 'who_is_oncall', '--team', 'payments'], { cwd: kc });
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/oncall\.pagerduty\.token: .*keychain/);
  });
});
