/**
 * The no-daemon hook that runs before any helm-cloud command: unacknowledged local incidents whose tier delay
 * has passed escalate by their policy, and alarm actions that an ended `alerts silence --disable-actions` had
 * turned off are re-enabled (alert-holds.ts). Costs one directory listing per family when nothing was ever
 * recorded; never fails the command it rides on (a broken config is that command's to report).
 */
import { findFractary } from '../config/find-root.js';
import type { Io } from '../io.js';

const SKIP = new Set(['oncall', 'incident', 'help', 'init', 'demo']);
/** The alerts family re-enables expired alarm actions itself (it knows --profile and --env). */
const SKIP_HOLDS = new Set(['alerts', 'help', 'init', 'demo']);

export async function autoEscalate(args: string[], io: Io, cwd: string, now = Date.now()): Promise<void> {
  const cmd = args[0];
  if (!cmd || cmd.startsWith('-') || args.includes('--help') || args.includes('-h')) return;
  let root: string | undefined;
  const i = args.findIndex((a) => a === '--root' || a.startsWith('--root='));
  if (i >= 0) root = args[i]!.includes('=') ? args[i]!.slice('--root='.length) : args[i + 1];
  try {
    findFractary(cwd, root);
  } catch {
    return;
  }
  if (!SKIP_HOLDS.has(cmd)) await (await import('./alert-holds.js')).reenableExpiredActions({ cwd, root, io, now });
  if (SKIP.has(cmd)) return;
  try {
    const { openWorkspace } = await import('../config/load.js');
    const { hasIncidentLog } = await import('../adapters/oncall/local/state.js');
    if (!(await hasIncidentLog(openWorkspace(cwd, root)))) return;
    const { openOncall } = await import('../skills/ops-oncall/index.js');
    const oc = await openOncall({ cwd, root, now: () => now });
    if (oc.backend.kind !== 'local') return;
    for (const m of await oc.backend.tick(now)) io.err(`oncall: ${m.incident.id} unacknowledged: escalated to tier ${m.step.tier} (${m.step.users?.join(', ') || 'nobody on call'})`);
  } catch {
    // The command itself reports config problems; escalation runs again with the next command.
  }
}
