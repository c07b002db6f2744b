/** scale_resources: Lambda reserved concurrency, ECS service desired count. Reversible: scale back to the old value. */
import { z } from 'zod';
import { ecsWrite } from '../../aws/ecs-write.js';
import { lambdaWrite } from '../../aws/lambda.js';
import { diffState } from '../../core/plan.js';
import { badParam, defineAction, notInAws, sh } from '../define.js';
import { count as counted } from '../../core/plural.js';

const count = z.coerce.number().int().min(0).max(100_000);
const Params = z
  .object({
    /** The target size whatever the type: tasks for ECS, reserved concurrency for Lambda. */
    count: count.optional(),
    desired_count: count.optional(),
    /** "none" removes the reservation (the function shares the account pool again). */
    reserved_concurrency: z.union([z.literal('none'), count]).optional(),
  })
  .strict();

/** What "scale" sets, in the words of the target's type (refusals name it before and after the target is known). */
const SIZE = { neutral: 'the size', byType: { ecs_service: 'the desired count (tasks)', lambda: 'reserved concurrency' } };

export default defineAction({
  id: 'scale_resources',
  title: 'Scale a resource (ECS desired count, Lambda reserved concurrency)',
  appliesTo: ['ecs_service', 'lambda'],
  params: Params,
  permissions: ['ecs:DescribeServices', 'ecs:UpdateService', 'lambda:GetFunction', 'lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'],
  defaultSafety: 'confirm',
  phrases: {
    words: ['scale', 'concurrency', 'reserved', 'task', 'tasks', 'replica', 'replicas', 'desired', 'count', 'container', 'containers'],
    rules: [
      {
        // After the capacity phrases: "increase memory of the api container" is not a scale.
        order: 80,
        verb: 'scale',
        example: 'scale the api service to 6 tasks',
        read(t, n) {
          if (/\bscale\b|\b(tasks?|replicas?|desired count|instances?|containers?)\b/.test(t) && n.num) {
            if ('relative' in n.num) return n.needNumber(SIZE);
            if (!n.isInt(n.num.value)) return n.needWhole(SIZE);
            const count = String(n.num.value);
            // "count" is the type-neutral size: the desired count of an ECS service, a function's reserved concurrency.
            const key: Record<string, string> = { ecs_service: 'desired_count', lambda: 'reserved_concurrency' };
            return { params: { count }, said: `scale to ${count}`, paramsFor: (type) => ({ [key[type] ?? 'count']: count }) };
          }
          return /\bscale\b/.test(t) ? n.needNumber(SIZE) : undefined;
        },
      },
      {
        order: 60,
        example: 'set reserved concurrency of orders-worker to 50',
        read(t, n) {
          if (!/\bconcurrency\b/.test(t)) return undefined;
          if (/\b(remove|unreserve|unset)\b/.test(t)) return { params: { reserved_concurrency: 'none' }, said: 'remove the reserved concurrency' };
          if (!n.num || 'relative' in n.num) return n.needNumber('reserved concurrency');
          if (!n.isInt(n.num.value)) return n.needWhole('reserved concurrency');
          return { params: { reserved_concurrency: String(n.num.value) }, said: `set reserved concurrency to ${n.num.value}` };
        },
      },
    ],
  },
  remedies: [
    {
      hypothesis: 'throttling',
      propose: ({ target: t, throttled, peakConcurrency: peak }) =>
        t.type === 'lambda' && throttled && peak !== undefined && peak > 0 ? { params: { reserved_concurrency: Math.ceil(peak * 2) }, reason: `throttled at a peak concurrency of ${peak}` } : undefined,
    },
  ],

  async diagnose(ctx) {
    if (ctx.resource.type === 'lambda') {
      const api = lambdaWrite(ctx.aws);
      if (!(await api.getFunction(ctx.resource.name))) throw notInAws(ctx.resource, 'Lambda function');
      return { reserved_concurrency: await api.getReservedConcurrency(ctx.resource.name) };
    }
    const s = await ecsWrite(ctx.aws).describeService(ctx.resource.cluster ?? 'default', ctx.resource.name);
    if (!s) throw notInAws(ctx.resource, `ECS service (cluster ${ctx.resource.cluster ?? 'default'})`);
    return { desired_count: s.desiredCount, running_count: s.runningCount, pending_count: s.pendingCount, task_definition: s.taskDefinition };
  },

  plan(ctx, before) {
    const p = ctx.params;
    const name = ctx.resource.name;
    if (ctx.resource.type === 'lambda') {
      if (p.desired_count !== undefined) throw badParam('scale_resources', 'desired_count applies to ECS services, not Lambda', 'use reserved_concurrency=N (or count=N)');
      const raw = p.reserved_concurrency ?? p.count;
      if (raw === undefined) throw badParam('scale_resources', 'no target size', 'pass --param reserved_concurrency=N (or none to remove the reservation)');
      const to = raw === 'none' ? null : raw;
      const from = (before.reserved_concurrency ?? null) as number | null;
      const warnings: string[] = [];
      if (to === 0) warnings.push('reserved concurrency 0 throttles every invocation: the function stops serving');
      if (to !== null && from !== null && to < from) warnings.push(`lowers the limit from ${from} to ${to}: invocations beyond ${to} are throttled`);
      const changes = from === to ? [] : [{ field: 'reserved_concurrency', from, to }];
      return {
        changes,
        noopReason: changes.length ? undefined : `reserved concurrency is already ${to ?? 'unset'}`,
        blastRadius:
          to === null
            ? `${name} shares the account's unreserved concurrency again (no guaranteed capacity, no cap)`
            : `${name} is guaranteed and capped at ${to} concurrent executions, taken from the account's pool; invocations beyond ${to} are throttled`,
        reversible: true,
        undo: from === null ? 'remove the reservation again' : `set reserved concurrency back to ${from}`,
        undoCall: { action: 'scale_resources', params: { reserved_concurrency: from ?? 'none' } },
        warnings,
      };
    }
    if (p.reserved_concurrency !== undefined) throw badParam('scale_resources', 'reserved_concurrency applies to Lambda, not ECS', 'use desired_count=N (or count=N)');
    const to = p.desired_count ?? p.count;
    if (to === undefined) throw badParam('scale_resources', 'no target size', 'pass --param desired_count=N');
    const changes = diffState(before, { desired_count: to });
    const from = Number(before.desired_count);
    const warnings: string[] = [];
    if (to === 0) warnings.push('desired count 0 stops every task: the service stops serving');
    else if (to < from) warnings.push(`scales in from ${from} to ${to}: ECS stops ${counted(from - to, 'running task')}, dropping their in-flight requests if draining is short`);
    return {
      changes,
      noopReason: changes.length ? undefined : `desired count is already ${to}`,
      blastRadius: `${name} in cluster ${ctx.resource.cluster ?? 'default'} runs ${counted(to, 'task')} instead of ${from}; tasks of ${String(before.task_definition)} start or stop per the service's deployment settings`,
      reversible: true,
      undo: `set the desired count back to ${from}`,
      undoCall: { action: 'scale_resources', params: { desired_count: from } },
      warnings,
    };
  },

  async apply(ctx, _before, plan) {
    const c = plan.changes[0]!;
    if (ctx.resource.type === 'lambda') {
      const api = lambdaWrite(ctx.aws);
      if (c.to === null) await api.deleteReservedConcurrency(ctx.resource.name);
      else await api.putReservedConcurrency(ctx.resource.name, Number(c.to));
      return;
    }
    await ecsWrite(ctx.aws).updateService(ctx.resource.cluster ?? 'default', ctx.resource.name, { desiredCount: Number(c.to) });
  },

  verify(ctx, _before, plan, after) {
    const c = plan.changes[0]!;
    const got = after[c.field] ?? null;
    if (String(got) !== String(c.to)) return { ok: false, status: 'failed', detail: `${c.field} reads ${String(got)}, expected ${String(c.to)}` };
    if (ctx.resource.type === 'lambda') return { ok: true, status: 'verified', detail: `reserved concurrency reads ${String(got ?? 'unset')}` };
    const running = Number(after.running_count);
    if (running === Number(c.to)) return { ok: true, status: 'verified', detail: `desired ${String(c.to)}, running ${running}` };
    return { ok: true, status: 'pending', detail: `desired count ${String(c.to)} set; running ${running}, pending ${String(after.pending_count)}: tasks are still starting or stopping` };
  },

  runbook(r, p) {
    const region = r?.region ?? '<region>';
    if (r?.type === 'lambda') {
      const n = p.reserved_concurrency ?? p.count ?? '<N>';
      return {
        summary: `Set reserved concurrency of ${r.name} to ${n}.`,
        steps: ['Read the current reservation.', 'Set the new reservation.', 'Watch Throttles and ConcurrentExecutions.'],
        cli: [
          `aws lambda get-function-concurrency --function-name ${sh(r.name)} --region ${sh(region)}`,
          `aws lambda put-function-concurrency --function-name ${sh(r.name)} --reserved-concurrent-executions ${n} --region ${sh(region)}`,
        ],
        console: `Lambda → Functions → ${r.name} → Configuration → Concurrency → Edit`,
      };
    }
    const cluster = r?.cluster ?? 'default';
    const svc = r?.name ?? '<service>';
    const n = p.desired_count ?? p.count ?? '<N>';
    return {
      summary: `Set the desired count of ECS service ${svc} to ${n}.`,
      steps: ['Read the current desired and running counts.', 'Update the desired count.', 'Wait until running equals desired; watch CPU and memory.'],
      cli: [
        `aws ecs describe-services --cluster ${sh(cluster)} --services ${sh(svc)} --region ${sh(region)}`,
        `aws ecs update-service --cluster ${sh(cluster)} --service ${sh(svc)} --desired-count ${n} --region ${sh(region)}`,
      ],
      console: `ECS → Clusters → ${cluster} → Services → ${svc} → Update service → Desired tasks`,
    };
  },
});
