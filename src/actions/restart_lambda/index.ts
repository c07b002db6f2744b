/**
 * restart_lambda: fresh execution environments without a code change. Lambda replaces every warm environment
 * when the function configuration changes, so we set one harmless environment variable to the restart time.
 * The variable doubles as the idempotency record: a marker newer than the window start means "already done".
 */
import { z } from 'zod';
import { lambdaWrite } from '../../aws/lambda.js';
import { HelmError } from '../../errors.js';
import { DEFAULT_WINDOW_MINUTES, defineAction, iso, notInAws, sh } from '../define.js';

export const RESTART_MARKER = 'HELM_CLOUD_RESTARTED_AT';
/** Lambda's limit on the total size of environment variables. */
const ENV_LIMIT_BYTES = 4096;

const Params = z
  .object({
    /** A restart by helm-cloud within this many minutes counts as done (0: always restart). */
    within_minutes: z.coerce.number().int().min(0).max(1440).default(DEFAULT_WINDOW_MINUTES),
  })
  .strict();

export default defineAction({
  id: 'restart_lambda',
  title: 'Restart a Lambda function (fresh execution environments, no code change)',
  appliesTo: ['lambda'],
  params: Params,
  permissions: ['lambda:GetFunction', 'lambda:UpdateFunctionConfiguration'],
  defaultSafety: 'auto',
  phrases: {
    words: ['restart', 're', 'start', 'recycle', 'bounce', 'reboot', 'refresh', 'cycle', 'kick', 'reset'],
    rules: [{ order: 90, verb: 'restart', example: 'restart the orders lambda', read: (t) => (/\b(restart|re-start|recycle|bounce|reboot|refresh|cycle|kick|reset)\b/.test(t) ? { params: {}, said: 'restart (fresh execution environments)' } : undefined) }],
  },

  async diagnose(ctx) {
    const f = await lambdaWrite(ctx.aws).getFunction(ctx.resource.name);
    if (!f) throw notInAws(ctx.resource, 'Lambda function');
    return {
      restart_marker: f.env[RESTART_MARKER] ?? null,
      memory_mb: f.memoryMb,
      timeout_s: f.timeoutSeconds,
      state: f.state ?? null,
      last_update_status: f.lastUpdateStatus ?? null,
      revision_id: f.revisionId ?? null,
    };
  },

  plan(ctx, before) {
    const marker = typeof before.restart_marker === 'string' ? Date.parse(before.restart_marker) : NaN;
    const base = {
      blastRadius: `every warm execution environment of ${ctx.resource.name} is replaced: the next invocations cold-start (a short latency spike); in-flight invocations finish on the old environments; code and behaviour do not change`,
      reversible: false,
      undo: `nothing to undo: only the ${RESTART_MARKER} environment variable changes`,
      warnings: ctx.resource.alias
        ? [`invocations through alias "${ctx.resource.alias}" run a published version, which a configuration change of $LATEST does not restart`]
        : [],
    };
    if (Number.isFinite(marker) && marker >= ctx.since) {
      return { ...base, changes: [], noopReason: `already restarted by helm-cloud at ${iso(marker)} (after ${ctx.sinceLabel})` };
    }
    return { ...base, changes: [{ field: 'restart_marker', from: before.restart_marker ?? null, to: iso(ctx.now) }] };
  },

  async apply(ctx, _before, plan) {
    const api = lambdaWrite(ctx.aws);
    const f = await api.getFunction(ctx.resource.name);
    if (!f) throw notInAws(ctx.resource, 'Lambda function');
    const env = { ...f.env, [RESTART_MARKER]: String(plan.changes[0]!.to) };
    const size = Object.entries(env).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > ENV_LIMIT_BYTES) {
      throw new HelmError('action-failed', `adding ${RESTART_MARKER} would exceed Lambda's 4 KB environment limit (${size} bytes)`, {
        fix: 'restart by changing another harmless setting (e.g. the description) by hand',
      });
    }
    // RevisionId: if someone changed the function since we read it, Lambda refuses instead of us overwriting.
    await api.updateConfiguration(ctx.resource.name, { env }, f.revisionId);
    await api.waitUpdated(ctx.resource.name, 60_000);
  },

  verify(_ctx, _before, plan, after) {
    const want = plan.changes[0]!.to;
    if (after.last_update_status === 'Failed') return { ok: false, status: 'failed', detail: 'Lambda reports the configuration update as Failed' };
    if (after.restart_marker !== want) return { ok: false, status: 'failed', detail: `${RESTART_MARKER} reads ${String(after.restart_marker)}, expected ${String(want)}` };
    if (after.last_update_status === 'InProgress') return { ok: true, status: 'pending', detail: 'marker set; Lambda is still applying the update' };
    return { ok: true, status: 'verified', detail: `${RESTART_MARKER}=${String(want)} read back; new invocations start in fresh environments` };
  },

  runbook(r) {
    const fn = r?.name ?? '<function>';
    const region = r?.region ?? '<region>';
    return {
      summary: `Force new execution environments for ${fn} by changing a harmless configuration value.`,
      steps: [
        'Read the current environment variables (get-function-configuration).',
        `Update the configuration with all existing variables plus ${RESTART_MARKER}=<now>.`,
        'Wait until LastUpdateStatus is Successful, then watch Errors and Duration for a few minutes.',
      ],
      cli: [
        `aws lambda get-function-configuration --function-name ${sh(fn)} --region ${sh(region)} --query Environment`,
        `aws lambda update-function-configuration --function-name ${sh(fn)} --region ${sh(region)} --environment 'Variables={<existing>,${RESTART_MARKER}=<now>}'`,
      ],
      console: `Lambda → Functions → ${fn} → Configuration → Environment variables → Edit`,
    };
  },
});
