/**
 * k8s_scale: set a Deployment's or StatefulSet's replicas through the scale subresource (as `kubectl scale`).
 * Scaling to the current count changes nothing. The plan is checked by a server-side dry run (admission,
 * RBAC, quota) before anyone is asked; verify waits for the rollout to reach available.
 */
import { z } from 'zod';
import { diffState } from '../../core/plan.js';
import { kindOf, nsOf, readTarget, rolloutBudgetMs, waitForRollout, withKube, workloadState } from '../../adapters/kubernetes/rollout.js';
import { badParam, defineAction, sh } from '../define.js';
import { count } from '../../core/plural.js';

const Params = z
  .object({
    replicas: z.coerce.number().int().min(0).max(10_000).optional(),
    /** Seconds to wait for the rollout in verify (default: the progress deadline plus 15 s). */
    timeout_seconds: z.coerce.number().int().min(1).max(3600).optional(),
  })
  .strict();

export default defineAction({
  id: 'k8s_scale',
  title: 'Scale a Kubernetes Deployment or StatefulSet (replicas)',
  appliesTo: ['k8s_deployment', 'k8s_statefulset'],
  params: Params,
  permissions: ['get deployments', 'patch deployments/scale', 'get statefulsets', 'patch statefulsets/scale'],
  defaultSafety: 'confirm',
  phrases: {
    words: ['scale', 'replica', 'replicas', 'pod', 'pods', 'deployment', 'deploy', 'statefulset', 'workload'],
    // The verb scale_resources reads too: the named resource's type picks the action.
    rules: [
      {
        order: 80,
        verb: 'scale',
        example: 'scale web to 5 replicas',
        read(t, n) {
          if (/\bscale\b|\b(replicas?|pods?)\b/.test(t) && n.num) {
            if ('relative' in n.num) return n.needNumber('replicas');
            if (!n.isInt(n.num.value)) return n.needWhole('replicas');
            return { params: { replicas: String(n.num.value) }, said: `scale to ${n.num.value} replicas` };
          }
          return /\bscale\b/.test(t) ? n.needNumber('replicas') : undefined;
        },
      },
    ],
  },

  async diagnose(ctx) {
    return withKube(ctx.kube, ctx.resource, async (api) => workloadState(await readTarget(api, ctx.resource)));
  },

  async plan(ctx, before) {
    const to = ctx.params.replicas;
    if (to === undefined) throw badParam('k8s_scale', 'no replica count', 'pass --replicas N (remediate: --param replicas=N)');
    const from = Number(before.replicas);
    const changes = diffState(before, { replicas: to });
    const name = `${kindOf(ctx.resource)} ${ctx.resource.name} in namespace ${nsOf(ctx.resource)}`;
    const warnings: string[] = [];
    if (to === 0) warnings.push(`replicas 0 stops every pod of ${ctx.resource.name}: it stops serving`);
    else if (to < from) warnings.push(`scales in from ${from} to ${to}: ${count(from - to, 'pod')} are terminated (in-flight requests end with their grace period)`);
    const plan = {
      changes,
      noopReason: changes.length ? undefined : `replicas is already ${to}`,
      blastRadius: `${name} runs ${count(to, 'pod')} instead of ${from}`,
      reversible: true,
      undo: `scale back to ${from}`,
      undoCall: { action: 'k8s_scale', params: { replicas: from } },
      warnings,
    };
    if (!changes.length) return plan;
    // The API server validates and admits the change without persisting it: RBAC and admission refusals
    // surface here, before confirmation.
    const kind = kindOf(ctx.resource);
    if (kind === 'DaemonSet') throw badParam('k8s_scale', 'a DaemonSet runs one pod per node and has no replica count', 'change its node selector instead');
    await withKube(ctx.kube, ctx.resource, (api) => api.patchScale(kind, ctx.resource.name, nsOf(ctx.resource), to, true));
    return { ...plan, blastRadius: `${plan.blastRadius}; the API server accepted a dry run of the change` };
  },

  async apply(ctx, _before, plan) {
    const kind = kindOf(ctx.resource);
    if (kind === 'DaemonSet') return;
    await withKube(ctx.kube, ctx.resource, (api) => api.patchScale(kind, ctx.resource.name, nsOf(ctx.resource), Number(plan.changes[0]!.to), false));
  },

  async settle(ctx) {
    await withKube(ctx.kube, ctx.resource, async (api) => {
      const w = await readTarget(api, ctx.resource);
      await waitForRollout(api, ctx.resource, rolloutBudgetMs(w, ctx.params.timeout_seconds));
    });
  },

  verify(_ctx, _before, plan, after) {
    const want = plan.changes[0]!.to;
    if (String(after.replicas) !== String(want)) return { ok: false, status: 'failed', detail: `replicas reads ${String(after.replicas)}, expected ${String(want)}` };
    if (after.rollout === 'failed') return { ok: false, status: 'failed', detail: String(after.rollout_message) };
    // A paused Deployment scales (its current ReplicaSet) without a rollout: verified once the replicas are available.
    const paused = after.rollout === 'paused' && Number(after.available) >= Number(want);
    if (after.rollout !== 'complete' && !paused) return { ok: false, status: 'failed', detail: `replicas set to ${String(want)} but not available in time: ${String(after.rollout_message)}` };
    return { ok: true, status: 'verified', detail: `replicas ${String(want)}, ${String(after.available)} available${paused ? ' (the Deployment is paused: its template change still waits)' : ''}` };
  },

  runbook(r, p) {
    const kind = r?.type === 'k8s_statefulset' ? 'statefulset' : 'deployment';
    const name = r?.name ?? '<name>';
    const ns = r?.namespace ?? 'default';
    const ctxFlag = r?.context ? ` --context ${sh(r.context)}` : '';
    return {
      summary: `Scale ${kind} ${name} in namespace ${ns} to ${p.replicas ?? '<N>'} replicas.`,
      steps: ['Read the current replicas and availability.', 'Scale.', 'Wait for the rollout and watch the pods become ready.'],
      cli: [
        `kubectl get ${kind} ${sh(name)} -n ${sh(ns)}${ctxFlag}`,
        `kubectl scale ${kind}/${sh(name)} -n ${sh(ns)}${ctxFlag} --replicas=${p.replicas ?? '<N>'}`,
        `kubectl rollout status ${kind}/${sh(name)} -n ${sh(ns)}${ctxFlag}`,
      ],
      console: 'your cluster dashboard → Workloads → the workload → Scale',
    };
  },
});
