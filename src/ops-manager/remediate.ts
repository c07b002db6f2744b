/** ops-manager: remediate. Resolves the context, runs the ops-responder, renders one CommandResult. */
import { userInfo } from 'node:os';
import { printable } from '../config/explain.js';
import type { Io } from '../io.js';
import { colors, looksLikeCommand, mdCode, mdCodeSpan, mdEscape, mdTable, paintVerdict, renderTable, safeText, type CommandResult } from '../report/render.js';
import type { LiveResource } from '../config/load.js';
import { monitor } from '../skills/ops-monitor/monitor.js';
import { operatorName, respond, type Remediation, type Symptom } from '../skills/ops-responder/index.js';
import { describeChange } from '../core/plan.js';
import { remediationBrakes } from './automation.js';
import { resolveContext, skillContext, type ContextOverrides, type OpsContext } from './context.js';
import type { RemediateRequest } from './requests.js';

export const REMEDIATE_SCHEMA = 'helm-cloud/remediate@1';

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function runRemediate(req: RemediateRequest, io: Io, overrides: ContextOverrides = {}): Promise<CommandResult> {
  const ctx = resolveContext(req, io, overrides);
  const brakes = remediationBrakes(ctx);
  const r = await respond(skillContext(ctx, { dryRun: req.dryRun }), req, { operator: operatorName(process.env, currentUser()), gate: brakes.gate, readSymptoms: (resource, fromMs, toMs) => symptomsOf(ctx, resource, fromMs, toMs) });
  const automation = await brakes.after(r, req.dryRun);
  for (const n of automation) io.err(`note: ${n}`);
  const json = {
    schema: REMEDIATE_SCHEMA,
    command: 'remediate',
    environment: ctx.env.name,
    generatedAt: new Date(ctx.now()).toISOString(),
    verdict: r.verdict,
    summary: r.summary,
    exitCode: r.exitCode,
    request: r.request,
    action: r.action,
    target: r.target,
    params: r.params,
    safety: r.safety,
    steps: r.steps,
    plan: r.plan,
    before: r.before,
    after: r.after,
    verification: r.verification,
    log: r.log,
    issue: r.issue,
    runbook: r.runbook,
    automation,
  };
  return { exitCode: r.exitCode, json, table: (color) => table(r, ctx.env.name, color), markdown: () => markdown(r, ctx.env.name) };
}

const VERDICT_PAINT: Record<string, string> = { APPLIED: 'applied', ALREADY_IN_TARGET_STATE: 'skipped', PLANNED: 'skipped', REFUSED: 'refused', FAILED: 'failed' };

function table(r: Remediation, env: string, color: boolean): string {
  const head = `${colors.bold('helm-cloud remediate', color)} ${env}: ${paintVerdict(VERDICT_PAINT[r.verdict] ?? r.verdict, color).replace(VERDICT_PAINT[r.verdict] ?? r.verdict, r.verdict)}`;
  const lines = [head, safeText(r.summary), '', ...(r.request.text ? [`asked:    ${printable(r.request.text, 200)}`] : []), `request:  ${safeText(r.request.reading)}`, `action:   ${r.action} on ${safeText(r.target ?? '-')}`, `safety:   ${r.safety.level} — ${safeText(r.safety.reason)}`, ''];
  lines.push(renderTable(['STEP', 'STATUS', 'DETAIL'], r.steps.map((s) => [s.step, paintVerdict(s.status === 'done' ? 'OK' : s.status, color), s.detail]), { color, maxWidth: 110 }));
  if (r.plan) {
    lines.push('', 'plan:');
    for (const c of r.plan.changes) lines.push(`  change   ${safeText(describeChange(c))}`);
    lines.push(`  impact   ${safeText(r.plan.blastRadius)}`, `  undo     ${safeText(r.plan.undo)}${r.plan.reversible ? '' : ' (not reversible)'}`, `  needs    ${r.plan.permissions.join(', ')}`);
    for (const w of r.plan.warnings) lines.push(`  warning  ${safeText(w)}`);
  }
  if (r.runbook) {
    lines.push('', `runbook: ${safeText(r.runbook.summary)}`);
    r.runbook.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${safeText(s)}`));
    for (const c of r.runbook.cli) lines.push(`  $ ${safeText(c)}`);
    lines.push(`  console: ${safeText(r.runbook.console)}`);
  }
  if (r.log) lines.push('', `log: ${r.log.path}:${r.log.line}`);
  return lines.join('\n');
}

function markdown(r: Remediation, env: string): string {
  const out = [
    `# helm-cloud remediate — ${mdEscape(env)}: ${r.verdict}`,
    '',
    mdEscape(r.summary),
    '',
    ...(r.request.text ? [`- **Asked:** ${mdEscape(r.request.text)}`] : []),
    `- **Request:** ${mdEscape(r.request.reading)}`,
    `- **Action:** ${mdCodeSpan(r.action)} on ${mdCodeSpan(r.target ?? '-')}`,
    `- **Safety:** ${r.safety.level} — ${mdEscape(r.safety.reason)}`,
    '',
    '## Steps',
    '',
    mdTable(['Step', 'Status', 'Detail'], r.steps.map((s) => [s.step, s.status, s.detail])),
  ];
  if (r.plan) {
    out.push('', '## Plan', '', mdTable(['Field', 'From', 'To'], r.plan.changes.map((c) => [c.field, String(c.from ?? '(none)'), String(c.to ?? '(none)')])), '');
    out.push(`- **Blast radius:** ${mdEscape(r.plan.blastRadius)}`, `- **Reversible:** ${r.plan.reversible ? 'yes' : 'no'}${looksLikeCommand(r.plan.undo) ? ', undo with:' : ` — ${mdEscape(r.plan.undo)}`}`, `- **IAM:** ${r.plan.permissions.map(mdCodeSpan).join(', ')}`);
    // A command to undo is for copying: a fenced block, after the list.
    if (looksLikeCommand(r.plan.undo)) out.push('', mdCode(r.plan.undo, 'sh'));
    for (const w of r.plan.warnings) out.push(`- **Warning:** ${mdEscape(w)}`);
  }
  if (r.verification) out.push('', `**Verification:** ${r.verification.status} — ${mdEscape(r.verification.detail)}`);
  if (r.runbook) {
    out.push('', '## Runbook', '', mdEscape(r.runbook.summary), '', ...r.runbook.steps.map((s, i) => `${i + 1}. ${mdEscape(s)}`), '', mdCode(r.runbook.cli.join('\n'), 'sh'), '', `Console: ${/^https:\/\/[^\s<>]+$/.test(r.runbook.console) ? `<${r.runbook.console}>` : mdEscape(r.runbook.console)}`);
  }
  if (r.log) out.push('', `Logged: ${mdCodeSpan(r.log.path)} line ${r.log.line}`);
  return out.join('\n') + '\n';
}

/** Health's view of one resource's SLOs and alarms over exactly [fromMs, toMs] (ops-monitor), for verify. */
/**
 * The symptoms over exactly [fromMs, toMs]: the window starts at the first whole second at or after `fromMs` and
 * counts only datapoints whose period began there or later (verify reads data after the apply, never the minute
 * before it). Less than a second of window: nothing to read yet.
 */
async function symptomsOf(ctx: OpsContext, resource: LiveResource, fromMs: number, toMs: number): Promise<Symptom[]> {
  const startMs = Math.ceil(fromMs / 1000) * 1000;
  if (toMs - startMs < 1000) return [];
  const m = await monitor({ aws: ctx.aws, monitoring: ctx.monitoring, resources: [resource], now: toMs, windowMs: toMs - startMs, startMs, windowOnly: true, burnRate: false, access: { ...ctx.aws.describe() } });
  const h = m.resources[0];
  if (!h) return [];
  return [
    ...h.slos.map((s) => ({ key: `slo:${s.key}`, verdict: s.verdict, reason: s.reason ?? `${s.key} ${s.observed ?? 'no data'} (${s.verdict})` })),
    ...h.alarms.map((a) => ({ key: `alarm:${a.name}`, verdict: a.state === 'ALARM' ? ('UNHEALTHY' as const) : a.state === 'OK' ? ('HEALTHY' as const) : ('UNKNOWN' as const), reason: `alarm ${a.name} is in ${a.state}` })),
  ];
}
