/**
 * rollback: a Lambda alias to the previous published version, or an ECS service to the previous revision
 * of its task definition family. "Previous" is relative to what is live now, so a second run would roll
 * back again; the idempotency rule is therefore: if helm-cloud rolled this target back inside the window
 * and it is still where that rollback left it, it is already in the target state. --param version=N pins
 * the target explicitly.
 */
import { z } from 'zod';
import { mins } from '../../core/hypotheses.js';
import { ecsWrite, parseTaskDefinition } from '../../aws/ecs-write.js';
import { lambdaWrite } from '../../aws/lambda.js';
import { HelmError } from '../../errors.js';
import { badParam, DEFAULT_WINDOW_MINUTES, defineAction, notInAws, recentApplied, sh } from '../define.js';
import { count } from '../../core/plural.js';

const Params = z
  .object({
    /** Lambda version or ECS task definition revision to go to (default: the one before the live one). */
    version: z.coerce.number().int().min(1).optional(),
    /** Lambda alias, when the registry resource does not name one. */
    alias: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'an alias name').optional(),
    within_minutes: z.coerce.number().int().min(0).max(1440).default(DEFAULT_WINDOW_MINUTES),
  })
  .strict();

export default defineAction({
  id: 'rollback',
  title: 'Roll back (Lambda alias to the previous version; ECS service to the previous task definition)',
  appliesTo: ['lambda', 'ecs_service'],
  params: Params,
  permissions: ['lambda:GetAlias', 'lambda:ListVersionsByFunction', 'lambda:UpdateAlias', 'ecs:DescribeServices', 'ecs:ListTaskDefinitions', 'ecs:UpdateService'],
  defaultSafety: 'confirm',
  phrases: {
    words: ['roll', 'rollback', 'revert', 'downgrade', 'previous', 'version', 'revision'],
    rules: [
      {
        order: 30,
        example: 'roll back checkout',
        read(t) {
          if (!/\b(roll ?-?back|revert|downgrade)\b/.test(t) && !/\bprevious (version|revision|task definition)\b/.test(t)) return undefined;
          const v = /\b(?:version|revision|v)\s*:?\s*(\d+)\b/.exec(t);
          return { params: v ? { version: v[1]! } : ({} as Record<string, string>), said: v ? `roll back to version ${v[1]}` : 'roll back to the previous version' };
        },
      },
    ],
  },
  // Works on a registry resource (an ECS service, or a Lambda function through its alias) and goes to the
  // revision before the live one; it takes no project versions.
  remedies: [
    {
      hypothesis: 'deploy_regression',
      propose: ({ target: t, deploy: d, firstLagMs }) =>
        d?.previousVersion && firstLagMs !== undefined && (t.type === 'ecs_service' || (t.type === 'lambda' && t.alias))
          ? { params: {}, reason: `errors began ${mins(firstLagMs)} after ${d.project} ${d.version} was deployed; rolls ${t.name} back to the revision live before it (${d.project} ${d.previousVersion})` }
          : undefined,
    },
  ],

  async diagnose(ctx) {
    if (ctx.resource.type === 'lambda') {
      const alias = ctx.params.alias ?? ctx.resource.alias;
      if (!alias) {
        throw new HelmError('input', `rolling back Lambda ${ctx.resource.name} needs an alias (traffic moves between published versions through it)`, {
          keyPath: '--param',
          fix: 'add "alias" to the registry resource or pass --param alias=<name>',
        });
      }
      const api = lambdaWrite(ctx.aws);
      const a = await api.getAlias(ctx.resource.name, alias);
      if (!a) throw notInAws({ ...ctx.resource, name: `${ctx.resource.name}:${alias}` }, 'Lambda alias');
      const versions = await api.listVersions(ctx.resource.name);
      return { alias, alias_version: a.version, versions: versions.join(',') };
    }
    const cluster = ctx.resource.cluster ?? 'default';
    const api = ecsWrite(ctx.aws);
    const s = await api.describeService(cluster, ctx.resource.name);
    if (!s) throw notInAws(ctx.resource, `ECS service (cluster ${cluster})`);
    const td = parseTaskDefinition(s.taskDefinition);
    const revisions = td ? await api.listRevisions(td.family) : [];
    return { task_definition: s.taskDefinition, desired_count: s.desiredCount, running_count: s.runningCount, revisions: revisions.join(',') };
  },

  plan(ctx, before) {
    const isLambda = ctx.resource.type === 'lambda';
    const field = isLambda ? 'alias_version' : 'task_definition';
    const current = String(before[field]);
    const family = isLambda ? undefined : parseTaskDefinition(current)?.family;
    const curNum = isLambda ? Number(current) : parseTaskDefinition(current)?.revision ?? NaN;
    const known = String(before[isLambda ? 'versions' : 'revisions']).split(',').filter(Boolean).map(Number);
    const label = (n: number) => (isLambda ? String(n) : `${family}:${n}`);
    const base = {
      reversible: true,
      blastRadius: isLambda
        ? `all traffic through alias ${String(before.alias)} of ${ctx.resource.name} moves at once from version ${current}`
        : `ECS replaces the ${count(Number(before.desired_count), 'task')} of ${ctx.resource.name} running ${current} (rolling, per the service's deployment settings)`,
      warnings: [] as string[],
    };
    let target: number;
    if (ctx.params.version !== undefined) {
      target = ctx.params.version;
      if (!known.includes(target)) throw badParam('rollback', `${isLambda ? 'version' : 'revision'} ${target} does not exist (known: ${known.join(', ') || 'none'})`, 'pick one of the known versions');
    } else {
      const last = recentApplied(ctx);
      const lastTo = (last?.after as Record<string, unknown> | undefined)?.[field];
      if (last && String(lastTo) === current) {
        return { ...base, changes: [], undo: '', noopReason: `already rolled back to ${current} by helm-cloud at ${last.time} (after ${ctx.sinceLabel})` };
      }
      if (!Number.isFinite(curNum)) throw new HelmError('action-failed', `cannot read the live version of ${ctx.resource.name} ("${current}")`);
      const older = known.filter((n) => n < curNum);
      if (!older.length) throw new HelmError('action-failed', `${ctx.resource.name} has no ${isLambda ? 'published version' : 'active task definition revision'} older than ${current} to roll back to`, { fix: 'redeploy a known-good version with the deploy tool' });
      target = Math.max(...older);
    }
    const to = label(target);
    const changes = to === current ? [] : [{ field, from: current, to }];
    base.blastRadius += ` to ${to}`;
    return {
      ...base,
      changes,
      noopReason: changes.length ? undefined : `${ctx.resource.name} already runs ${current}`,
      undo: `roll forward to ${current}`,
      undoCall: { action: 'rollback', params: { version: curNum } },
    };
  },

  async apply(ctx, before, plan) {
    const to = String(plan.changes[0]!.to);
    if (ctx.resource.type === 'lambda') {
      await lambdaWrite(ctx.aws).updateAlias(ctx.resource.name, String(before.alias), to);
      return;
    }
    await ecsWrite(ctx.aws).updateService(ctx.resource.cluster ?? 'default', ctx.resource.name, { taskDefinition: to });
  },

  runbook(r, p) {
    const region = r?.region ?? '<region>';
    if (r?.type === 'ecs_service') {
      const cluster = r.cluster ?? 'default';
      return {
        summary: `Roll ECS service ${r.name} back to the previous task definition revision.`,
        steps: ['Read the live task definition.', 'List the active revisions of its family and pick the previous one.', 'Update the service; watch the deployment until it completes.'],
        cli: [
          `aws ecs describe-services --cluster ${sh(cluster)} --services ${sh(r.name)} --region ${sh(region)} --query 'services[0].taskDefinition'`,
          `aws ecs list-task-definitions --family-prefix <family> --status ACTIVE --region ${sh(region)}`,
          `aws ecs update-service --cluster ${sh(cluster)} --service ${sh(r.name)} --task-definition <family>:${p.version ?? '<revision>'} --region ${sh(region)}`,
        ],
        console: `ECS → Clusters → ${cluster} → Services → ${r.name} → Update service → Revision`,
      };
    }
    const fn = r?.name ?? '<function>';
    const alias = p.alias ?? r?.alias ?? '<alias>';
    return {
      summary: `Point alias ${alias} of ${fn} back at the previous published version.`,
      steps: ['Read the alias and the published versions.', 'Update the alias to the previous version.', 'Watch Errors of the alias.'],
      cli: [
        `aws lambda get-alias --function-name ${sh(fn)} --name ${sh(alias)} --region ${sh(region)}`,
        `aws lambda list-versions-by-function --function-name ${sh(fn)} --region ${sh(region)}`,
        `aws lambda update-alias --function-name ${sh(fn)} --name ${sh(alias)} --function-version ${p.version ?? '<previous>'} --region ${sh(region)}`,
      ],
      console: `Lambda → Functions → ${fn} → Aliases → ${alias} → Edit`,
    };
  },
});
