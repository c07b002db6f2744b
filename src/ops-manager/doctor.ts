/**
 * doctor: the troubleshooting list as checks, one line each, PASS or FAIL with the fix.
 * Stops descending when a prerequisite fails (no AWS probes without a valid environment).
 */
import { isActionId, loadAction, loadAllActions } from '../actions/index.js';
import { LIST_OF } from '../core/safety.js';
import { count } from '../core/plural.js';
import { AwsProvider } from '../aws/provider.js';
import { probeEndpoint, probeIdentity, probeReadAccess } from '../aws/probe.js';
import { describeNote, loadCredentials, loadEnvironments, loadMonitoring, loadRegistry, openWorkspace, PATHS, resolveEnvironment, type ConfigNote, type Workspace } from '../config/load.js';
import type { Credentials, Environments } from '../config/schemas.js';
import { isHelmError, type HelmError } from '../errors.js';
import type { Io } from '../io.js';
import { mdTable, paintVerdict, renderTable, type CommandResult, type ResultJson } from '../report/render.js';
import { nodeSupportCheck } from './node-support.js';
import type { DoctorRequest } from './requests.js';

interface Check {
  check: string;
  /** NOTE: informational (a key in a shared file that helm-cloud ignores); never fails doctor. */
  status: 'PASS' | 'FAIL' | 'SKIP' | 'NOTE';
  detail: string;
  fix?: string;
}

function guard<T>(checks: Check[], name: string, fn: () => T, ok: (v: T) => string): T | undefined {
  try {
    const v = fn();
    checks.push({ check: name, status: 'PASS', detail: ok(v) });
    return v;
  } catch (e) {
    if (!isHelmError(e)) throw e;
    checks.push({ check: name, status: 'FAIL', ...failure(e) });
    return undefined;
  }
}

/**
 * A stopped check's detail and fix: every problem of the file (a config message lists them one a line, each
 * "file: key: what. Fix: how"), with the file and key path, so the row says what to change.
 */
function failure(e: HelmError): { detail: string; fix: string } {
  const lines = e.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\d+ problems:$/.test(l));
  const parts = lines.map((l) => {
    const at = l.lastIndexOf('. Fix: ');
    return at < 0 ? { what: l, fix: undefined } : { what: l.slice(0, at), fix: l.slice(at + '. Fix: '.length) };
  });
  const where = e.file ? `${e.file}${e.keyPath ? `: ${e.keyPath}` : ''}: ` : e.keyPath ? `${e.keyPath}: ` : '';
  const fixes = [...new Set(parts.map((p) => p.fix).filter((f): f is string => !!f))];
  return { detail: where + parts.map((p) => p.what).join('; '), fix: e.fix ?? (fixes.join('; ') || 'see the message') };
}

export async function runDoctor(req: DoctorRequest, io: Io): Promise<CommandResult<ResultJson & { checks: Check[] }>> {
  const checks: Check[] = [];
  const ws = guard<Workspace>(checks, '.fractary found', () => openWorkspace(req.cwd, req.root), (w) => w.fractary);
  let envs: Environments | undefined;
  let creds: Credentials | undefined;
  let monitoring: ReturnType<typeof loadMonitoring> | undefined;
  if (ws) {
    const notes: ConfigNote[] = [];
    guard(checks, 'registry present and valid', () => loadRegistry(ws, notes), (r) => `${count(r.deployments.length, 'deployment')} in ${ws.display(PATHS.registry)}`);
    envs = guard(checks, 'environments file valid', () => loadEnvironments(ws, notes), (e) => Object.keys(e.environments).join(', '));
    creds = guard(checks, 'credentials file sane (no secrets)', () => loadCredentials(ws, notes), (c) => (c ? count(Object.keys(c.profiles).length, 'profile') : 'absent (optional)'));
    monitoring = guard(checks, 'monitoring.toml valid', () => loadMonitoring(ws), () => 'ok (over the example defaults)');
    if (monitoring) {
      // Unlisted actions are never_auto (design: unknown actions are never); say what each is meant to be.
      const r = monitoring.remediation;
      const unlisted = (await loadAllActions()).filter((a) => ![...r.auto_remediate, ...r.require_confirmation, ...r.never_auto].includes(a.id));
      if (unlisted.length) {
        checks.push({
          check: '[remediation] actions listed nowhere (never_auto)',
          status: 'NOTE',
          detail: unlisted.map((a) => `${a.id} (default ${a.defaultSafety})`).join(', '),
          fix: `to use them, add each to the list of its default: ${unlisted.map((a) => `${a.id} → ${LIST_OF[a.defaultSafety]}`).join(', ')}`,
        });
      }
    }
    for (const n of notes) {
      checks.push({ check: 'key ignored in a shared file', status: 'NOTE', detail: describeNote(n), fix: n.near ? `rename it to "${n.near}" if that was meant` : undefined });
    }
  }
  const envName = req.env;
  if (ws && envs && envName) {
    const env = guard(checks, `environment "${envName}" known`, () => resolveEnvironment(ws, envs!, creds, envName), (e) => `${e.config.region}${e.config.protected ? ', protected' : ''}`);
    if (env) {
      const provider = new AwsProvider({ region: req.region ?? env.config.region, explicitProfile: req.profile, configProfile: env.config.aws_profile, endpoint: env.config.endpoint_url, maxAttempts: 1, requestTimeoutMs: 5000 });
      const d = provider.describe();
      // Says where credentials would come from, not that there are any: the identity probe below decides that.
      checks.push({ check: 'profile and region resolve', status: 'PASS', detail: `region ${d.region}, ${d.profile ? `profile ${d.profile}` : 'no profile: credentials from AWS_* variables or the default chain (checked next)'}` });
      if (d.endpoint) {
        const r = await probeEndpoint(d.endpoint);
        checks.push({ check: r.name, status: r.ok ? 'PASS' : 'FAIL', detail: r.detail, fix: r.ok ? undefined : 'start the endpoint or unset AWS_ENDPOINT_URL / endpoint_url' });
      }
      const id = await probeIdentity(provider);
      checks.push({ check: id.name, status: id.ok ? 'PASS' : 'FAIL', detail: id.detail, fix: id.ok ? undefined : d.profile ? `aws sso login --profile ${d.profile}, or check ~/.aws/config` : 'set AWS credentials or AWS_PROFILE' });
      // Only missing credentials or an unreachable endpoint stop the read probes: an STS outage or throttle
      // says nothing about CloudWatch, Logs or Lambda, and their own answers are worth reporting.
      if (id.ok || (id.failure?.category !== 'credentials' && id.failure?.category !== 'endpoint')) {
        for (const r of await probeReadAccess(provider)) {
          checks.push({ check: r.name, status: r.ok ? 'PASS' : 'FAIL', detail: r.detail, fix: r.ok ? undefined : `grant ${r.failure?.service}:${r.failure?.operation} (read-only) to the role` });
        }
      } else checks.push({ check: 'read access (CloudWatch, Logs, Lambda, Security Hub, Config, Cost Explorer)', status: 'FAIL', detail: 'not checked: no credentials resolved', fix: 'fix the credentials above, then run doctor again' });
      // A write cannot be probed without making it: list what auto_remediate will need, per action.
      for (const id of monitoring?.remediation.auto_remediate ?? []) {
        if (!isActionId(id)) continue;
        const action = await loadAction(id);
        checks.push({ check: `auto_remediate ${id}: IAM it needs`, status: 'NOTE', detail: action.permissions.join(', '), fix: 'grant these to the role that runs helm-cloud remediate (doctor does not try writes)' });
      }
    }
  } else if (ws && envs && !envName) {
    checks.push({ check: 'AWS access', status: 'SKIP', detail: 'no --env given', fix: `pass --env with one of: ${Object.keys(envs.environments).join(', ')}` });
  }
  checks.push(nodeSupportCheck(process.version));
  const failed = checks.filter((c) => c.status === 'FAIL').length;
  const exitCode = failed ? (checks.some((c) => c.status === 'FAIL' && /credentials|endpoint|read/.test(c.check)) ? 4 : 2) : 0;
  const passed = checks.filter((c) => c.status === 'PASS').length;
  const summary = failed ? `${failed} of ${count(checks.length, 'check')} failed` : passed === 1 ? '1 check passed' : `all ${passed} checks passed`;
  void io;
  return {
    exitCode,
    json: { schema: 'helm-cloud/doctor@1', command: 'doctor', environment: envName, generatedAt: new Date().toISOString(), verdict: failed ? 'FAIL' : 'PASS', summary, exitCode, checks },
    table: (color) => renderTable(['STATUS', 'CHECK', 'DETAIL', 'FIX'], checks.map((c) => [paintVerdict(c.status, color), c.check, c.detail, c.fix ?? '']), { color, maxWidth: 90 }) + `\n\n${summary}`,
    markdown: () => `# helm-cloud doctor\n\n${mdTable(['Status', 'Check', 'Detail', 'Fix'], checks.map((c) => [c.status, c.check, c.detail, c.fix ?? '']))}\n\n${summary}\n`,
  };
}
