/**
 * ops-manager: escalate. Hands an issue to the deploy tool (FABER): writes
 * `.fractary/faber/escalations/<issue>.json` and marks the issue escalated. No --env and no AWS: the
 * environment is in the issue record.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { userInfo } from 'node:os';
import { openWorkspace } from '../config/load.js';
import { HelmError } from '../errors.js';
import { printable } from '../config/explain.js';
import type { Io } from '../io.js';
import { mdCode, mdCodeSpan, mdEscape, renderTable, type CommandResult } from '../report/render.js';
import { escalate, escalationRelPath, type EscalationRecord } from '../store/escalations.js';
import type { EscalateRequest } from './requests.js';

export interface EscalateOverrides {
  now?: () => number;
}

export function operator(): string {
  try {
    return process.env.USER || process.env.LOGNAME || userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

function reasonText(reason: string | undefined, who: string): string {
  const by = `requested by ${printable(who, 40)}`;
  const text = reason?.trim();
  if (reason !== undefined && !text) throw new HelmError('usage', '--reason is empty', { keyPath: '--reason', fix: 'say why, e.g. --reason "restart did not help; needs a code fix"' });
  return text ? `${printable(text, 500)} (${by})` : by;
}

export async function runEscalate(req: EscalateRequest, io: Io, overrides: EscalateOverrides = {}): Promise<CommandResult> {
  const ws = openWorkspace(req.cwd, req.root);
  const now = (overrides.now ?? Date.now)();
  const who = operator();
  const { id } = await escalate(ws, req.issue, { reason: reasonText(req.reason, who), source: 'helm-cloud escalate' }, now);
  const rel = escalationRelPath(id);
  const record = JSON.parse(readFileSync(ws.path(rel), 'utf8')) as EscalationRecord;
  const times = record.history.length;
  const file = ws.display(rel);
  const fromFractary = relative(ws.fractary, ws.path(rel));
  const summary = `${id} escalated to the deploy tool${times > 1 ? ` (escalation ${times}; the record was updated, not duplicated)` : ''}: ${file}`;
  const json = {
    schema: 'helm-cloud/escalate@1',
    command: 'escalate',
    ...(record.issue.environment ? { environment: record.issue.environment } : {}),
    generatedAt: new Date(now).toISOString(),
    verdict: 'ESCALATED',
    summary,
    exitCode: 0,
    issue: id,
    issue_status: record.issue.status,
    path: file,
    record_path: fromFractary,
    escalations: times,
    suggested_change: record.suggested_change,
  };
  io.progress(`escalated ${id}`);
  return {
    json,
    exitCode: 0,
    table: () =>
      [
        file,
        '',
        renderTable(
          ['ISSUE', 'SEVERITY', 'ENV', 'STATUS', 'ESCALATIONS'],
          [[id, record.issue.severity, record.issue.environment ?? '-', record.issue.status, String(times)]],
        ),
        '',
        `Suggested change: ${printable(record.suggested_change, 400)}`,
      ].join('\n'),
    markdown: () =>
      [
        `# Escalated ${mdEscape(id)} to FABER`,
        '',
        `- Issue: ${mdEscape(record.issue.title)} (${mdEscape(record.issue.severity)}, ${mdEscape(record.issue.environment ?? 'no environment')})`,
        `- Record: ${mdCodeSpan(fromFractary)} (escalation ${times})`,
        `- Reason: ${mdEscape(record.reason)}`,
        '',
        '## Suggested change',
        '',
        mdCode(record.suggested_change),
        '',
      ].join('\n'),
  };
}
