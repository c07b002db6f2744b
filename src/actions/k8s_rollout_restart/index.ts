/**
 * k8s_rollout_restart: replace every pod of a workload without changing it, as `kubectl rollout restart`
 * does (a restartedAt annotation on the pod template). A restart newer than the idempotency window's start
 * counts as done. Checked by a server-side dry run first; verify waits for the new pods to be available
 * within the progress deadline, else reports the controller's reason.
 */
import { z } from 'zod';
import { kindOf, nsOf, readTarget, RESTARTED_AT, rolloutBudgetMs, waitForRollout, withKube, workloadState } from '../../adapters/kubernetes/rollout.js';
import { DEFAULT_WINDOW_MINUTES, defineAction, iso, sh } from '../define.js';
import { count } from '../../core/plural.js';
import { HelmError } from '../../errors.js';

const Params = z
  .object({
    /** A restart within this many minutes counts as done (0: always restart). */
    within_minutes: z.coerce.number().int().min(0).max(1440).default(DEFAULT_WINDOW_MINUTES),
    timeout_seconds: z.coerce.number().int().min(1).max(3600).optional(),
  })
  .strict();

const patchFor = (at: string) => ({ spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } });

export default defineAction({
  id: 'k8s_rollout_restart',
  title: 'Restart a Kubernetes workload (rolling replacement of its pods)',
  appliesTo: ['k8s_deployment', 'k8s_statefulset', 'k8s_daemonset'],
  params: Params,
  permissions: ['get deployments', 'patch deployments', 'get statefulsets', 'patch statefulsets', 'get daemonsets', 'patch daemonsets'],
  defaultSafety: 'confirm',
  phrases: {
    words: ['restart', 're', 'start', 'recycle', 'bounce', 'reboot', 'refresh', 'cycle', 'kick', 'reset', 'redeploy', 'rollout', 'roll', 'out', 'pod', 'pods', 'deployment', 'deploy', 'statefulset', 'daemonset', 'workload'],
    // The verb restart_lambda reads too: the named resource's type picks the action.
    rules: [
      {
        order: 90,
        verb: 'restart',
        example: 'restart the cart deployment',
        read: (t) => (/\b(restart|re-start|recycle|bounce|reboot|refresh|cycle|kick|reset|redeploy)\b/.test(t) ? { params: {}, said: 'rolling restart (new pods, same spec)' } : undefined),
      },
    ],
  },

  async diagnose(ctx) {
    return withKube(ctx.kube, ctx.resource, async (api) => workloadState(await readTarget(api, ctx.resource)));
  },

  async plan(ctx, before) {
    const kind = kindOf(ctx.resource);
    // With OnDelete the controller replaces a pod only when someone deletes it: the restart annotation would
    // change the template, no pod, and verify would read the rollout as complete. Refused before any change.
    if (before.paused === true) {
      throw new HelmError('input', `${kind} ${ctx.resource.name} is paused, so a restart would replace no pod until it is resumed (a paused Deployment rolls out no template change)`, {
        fix: `resume it first (kubectl rollout resume deployment/${ctx.resource.name} -n ${nsOf(ctx.resource)}): that rolls out the changes waiting, and those replace every pod`,
      });
    }
    if (before.update_strategy === 'OnDelete') {
      throw new HelmError('input', `${kind} ${ctx.resource.name} has updateStrategy OnDelete, so a restart would replace no pod (the controller recreates a pod only when it is deleted)`, {
        fix: `delete its pods one at a time and wait for each to be ready (kubectl delete pod NAME -n ${nsOf(ctx.resource)}), or switch its updateStrategy to RollingUpdate`,
      });
    }
    const name = `${kind} ${ctx.resource.name} in namespace ${nsOf(ctx.resource)}`;
    const base = {
      blastRadius: `every pod of ${name} is replaced by the rollout strategy (${count(Number(before.desired), 'pod')}); spec and image do not change`,
      reversible: false,
      undo: `nothing to undo: only the ${RESTARTED_AT} annotation of the pod template changes`,
      warnings: before.rollout === 'progressing' ? [`a rollout is already in progress: ${String(before.rollout_message)}`] : [],
    };
    const last = typeof before.restarted_at === 'string' ? Date.parse(before.restarted_at) : NaN;
    if (Number.isFinite(last) && last >= ctx.since && ctx.params.within_minutes > 0) {
      return { ...base, changes: [], noopReason: `already restarted at ${iso(last)} (after ${ctx.sinceLabel})` };
    }
    const at = iso(ctx.now);
    await withKube(ctx.kube, ctx.resource, (api) => api.patchWorkload(kind, ctx.resource.name, nsOf(ctx.resource), patchFor(at), true));
    return { ...base, blastRadius: `${base.blastRadius}; the API server accepted a dry run of the change`, changes: [{ field: 'restarted_at', from: before.restarted_at ?? null, to: at }] };
  },

  async apply(ctx, _before, plan) {
    await withKube(ctx.kube, ctx.resource, (api) => api.patchWorkload(kindOf(ctx.resource), ctx.resource.name, nsOf(ctx.resource), patchFor(String(plan.changes[0]!.to)), false));
  },

  async settle(ctx) {
    await withKube(ctx.kube, ctx.resource, async (api) => {
      const w = await readTarget(api, ctx.resource);
      await waitForRollout(api, ctx.resource, rolloutBudgetMs(w, ctx.params.timeout_seconds));
    });
  },

  verify(_ctx, _before, plan, after) {
    const want = plan.changes[0]!.to;
    if (after.restarted_at !== want) return { ok: false, status: 'failed', detail: `${RESTARTED_AT} reads ${String(after.restarted_at)}, expected ${String(want)}` };
    if (after.rollout === 'failed') return { ok: false, status: 'failed', detail: String(after.rollout_message) };
    if (after.rollout !== 'complete') return { ok: false, status: 'failed', detail: `restarted, but the new pods were not available in time: ${String(after.rollout_message)}` };
    return { ok: true, status: 'verified', detail: `rollout complete: ${String(after.available)}/${String(after.desired)} available on the restarted template` };
  },

  runbook(r) {
    const kind = r?.type === 'k8s_statefulset' ? 'statefulset' : r?.type === 'k8s_daemonset' ? 'daemonset' : 'deployment';
    const name = r?.name ?? '<name>';
    const ns = r?.namespace ?? 'default';
    const ctxFlag = r?.context ? ` --context ${sh(r.context)}` : '';
    return {
      summary: `Restart ${kind} ${name} in namespace ${ns} (rolling replacement of its pods).`,
      steps: ['Check the rollout is not already in progress.', 'Restart.', 'Wait for the rollout; watch restarts and Warning events.'],
      cli: [
        `kubectl rollout status ${kind}/${sh(name)} -n ${sh(ns)}${ctxFlag}`,
        `kubectl rollout restart ${kind}/${sh(name)} -n ${sh(ns)}${ctxFlag}`,
        `kubectl rollout status ${kind}/${sh(name)} -n ${sh(ns)}${ctxFlag} --timeout=10m`,
      ],
      console: 'your cluster dashboard → Workloads → the workload → Restart',
    };
  },
});
