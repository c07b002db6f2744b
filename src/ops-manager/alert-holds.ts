/**
 * Alarm actions that `alerts silence --disable-actions` turned off come back on when the silence ends: every
 * alerts command, and the pre-command hook of every other command (oncall-tick.ts), re-enables the expired
 * ones. The silence asked for this at its start (with the protected-environment consent of that run), so the
 * re-enabling asks nothing; it is still locked and logged in actions.jsonl like any remediation.
 */
import { openWorkspace } from '../config/load.js';
import type { Io } from '../io.js';
import { safeText } from '../report/render.js';
import { expiredHolds } from '../skills/ops-alerts/model.js';
import { EVENTS, readEvents } from '../skills/ops-alerts/sources.js';
import { storeOf } from '../store/index.js';
import type { OpsContext } from './context.js';

/** Re-enables the alarm actions of ended silences; returns how many it re-enabled. Never throws. */
export async function reenableExpiredActions(o: { cwd: string; root?: string; io: Io; now: number; profile?: string }): Promise<number> {
  let done = 0;
  try {
    const ws = openWorkspace(o.cwd, o.root);
    const store = storeOf(ws).family('alerts');
    if (!(await store.list()).includes(EVENTS)) return 0;
    const due = expiredHolds(await readEvents(store), o.now);
    if (!due.length) return 0;
    // Loaded only when something is due: the hook runs before every command.
    const [{ resolveContext }, { switchAlarmActions }, { operator }] = await Promise.all([import('./context.js'), import('../skills/ops-alerts/alarm-actions.js'), import('./prometheus.js')]);
    const contexts = new Map<string, OpsContext>();
    for (const h of due) {
      try {
        if (!h.env) throw new Error('the silence did not record its environment');
        let ctx = contexts.get(h.env);
        if (!ctx) contexts.set(h.env, (ctx = resolveContext({ cwd: o.cwd, root: o.root, env: h.env, region: h.region, profile: o.profile, output: 'json' }, o.io)));
        const r = await switchAlarmActions({
          aws: ctx.aws,
          ws,
          env: { name: ctx.env.name, protected: Boolean(ctx.env.config.protected) },
          io: o.io,
          operator: operator(),
          yes: false,
          now: () => o.now,
          alarm: h.alarm,
          enabled: true,
          preauthorized: `the silence of ${h.id} that disabled them ended at ${h.until}`,
          why: `silence of ${h.id} ended at ${h.until}`,
        });
        await store.append(EVENTS, { kind: 'actions-enabled', id: h.id, at: new Date(o.now).toISOString(), by: operator(), alarm: h.alarm, env: h.env });
        done++;
        o.io.err(`alerts: alarm actions of ${safeText(h.alarm)} ${r.outcome === 'applied' ? 're-enabled' : 'were already enabled'}: the silence of ${h.id} ended at ${h.until}${r.log ? ` (logged at ${r.log.path}:${r.log.line})` : ''}`);
      } catch (e) {
        o.io.err(`warning: alerts: could not re-enable the alarm actions of ${safeText(h.alarm)} (silence of ${h.id} ended at ${h.until}): ${safeText((e as Error).message.split('\n')[0] ?? '')}; the next helm-cloud command tries again`);
      }
    }
  } catch {
    // No workspace, or an unreadable one: the command itself reports that.
  }
  return done;
}
