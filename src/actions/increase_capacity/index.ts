/**
 * increase_capacity: Lambda memory or timeout; RDS instance class or allocated storage. Only increases:
 * a smaller value is refused (exit 2) because shrinking capacity is not a remediation and RDS storage can
 * never shrink. RDS changes may be pending (maintenance window, or in progress): a pending value equal to
 * the target counts as already requested.
 */
import { z } from 'zod';
import type { PhraseRule } from '../../core/nl-parse.js';
import { lambdaWrite } from '../../aws/lambda.js';
import { rdsWrite } from '../../aws/rds-write.js';
import type { Change } from '../../core/plan.js';
import { badParam, defineAction, notInAws, sh } from '../define.js';

const Params = z
  .object({
    memory_mb: z.coerce.number().int().min(128).max(10_240).optional(),
    timeout_s: z.coerce.number().int().min(1).max(900).optional(),
    instance_class: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'an RDS instance class such as db.r6g.large').optional(),
    storage_gb: z.coerce.number().int().min(20).max(65_536).optional(),
    /** RDS: apply now (restarts the instance for a class change) instead of in the next maintenance window. */
    apply_immediately: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).default(true),
  })
  .strict();

const SIZES = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'];
/** Rank of an instance size within its family: micro < small < … < xlarge < 2xlarge < 4xlarge … */
export function sizeRank(cls: string): { family: string; rank: number } | undefined {
  const m = /^db\.([a-z0-9]+)\.(\d*)([a-z]+)$/.exec(cls);
  if (!m) return undefined;
  const base = SIZES.indexOf(m[3]!);
  if (base < 0) return m[3] === 'metal' ? { family: m[1]!, rank: 1000 } : undefined;
  return { family: m[1]!, rank: base + (m[2] ? Number(m[2]) : 0) };
}

/** "increase memory to 1 GB": an increase of one capacity field, read in its unit; decreases are refused. */
function capacityRule(order: number, re: RegExp, key: string, what: string, conv: 'memoryMb' | 'seconds' | 'storageGb', unit: string, example: string): PhraseRule {
  return {
    order,
    example,
    read(t, n) {
      if (!re.test(t)) return undefined;
      if (n.decrease) return { refuse: `only increases are supported for ${what}`, fix: 'lower it through a deploy' };
      if (!n.num || 'relative' in n.num) return n.needNumber(what);
      const v = n[conv](n.num);
      if (typeof v === 'string') return { refuse: v };
      return { params: { [key]: String(v) }, said: `increase ${what} to ${v} ${unit}` };
    },
  };
}

export default defineAction({
  id: 'increase_capacity',
  title: 'Increase capacity (Lambda memory/timeout, RDS instance class/storage)',
  appliesTo: ['lambda', 'rds'],
  params: Params,
  permissions: ['lambda:GetFunction', 'lambda:UpdateFunctionConfiguration', 'rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
  defaultSafety: 'confirm',
  phrases: {
    words: ['memory', 'ram', 'timeout', 'storage', 'disk', 'allocated', 'instance', 'class'],
    rules: [
      capacityRule(71, /\b(memory|ram)\b/, 'memory_mb', 'memory', 'memoryMb', 'MB', 'increase memory of checkout-handler to 1 GB'),
      capacityRule(72, /\btime ?outs?\b/, 'timeout_s', 'timeout', 'seconds', 's', 'raise the timeout of orders-worker to 30s'),
      capacityRule(73, /\b(storage|disk|allocated storage)\b/, 'storage_gb', 'storage', 'storageGb', 'GB', 'increase storage of orders-db to 100 GB'),
      {
        order: 74,
        read(t, n) {
          const cls = /\b(db\.[a-z0-9]+\.[a-z0-9]+)\b/.exec(t);
          if (!cls && !/\binstance (class|size|type)\b/.test(t)) return undefined;
          if (!cls) return { refuse: 'no instance class given', fix: 'name it, e.g. "to db.r6g.large"' };
          if (n.decrease) return { refuse: 'only increases are supported for the instance class', fix: 'lower it through a deploy' };
          return { params: { instance_class: cls[1]! }, said: `change the instance class to ${cls[1]}` };
        },
      },
    ],
  },
  remedies: [
    {
      hypothesis: 'timeout_limit',
      propose: ({ target: t, timeoutSeconds: secs }) => (secs && t.type === 'lambda' ? { params: { timeout_s: Math.min(900, Math.ceil(secs * 2)) }, reason: `invocations time out at ${secs}s` } : undefined),
    },
    {
      hypothesis: 'memory_limit',
      propose: ({ target: t, memoryMb: mb }) => (mb && t.type === 'lambda' ? { params: { memory_mb: Math.min(10240, mb * 2) }, reason: `out of memory at ${mb} MB` } : undefined),
    },
  ],

  async diagnose(ctx) {
    if (ctx.resource.type === 'lambda') {
      const f = await lambdaWrite(ctx.aws).getFunction(ctx.resource.name);
      if (!f) throw notInAws(ctx.resource, 'Lambda function');
      return { memory_mb: f.memoryMb, timeout_s: f.timeoutSeconds, last_update_status: f.lastUpdateStatus ?? null };
    }
    const d = await rdsWrite(ctx.aws).describeInstance(ctx.resource.name);
    if (!d) throw notInAws(ctx.resource, 'DB instance');
    return {
      instance_class: d.instanceClass,
      storage_gb: d.storageGb,
      status: d.status,
      multi_az: d.multiAz,
      pending_instance_class: d.pending.instanceClass ?? null,
      pending_storage_gb: d.pending.storageGb ?? null,
    };
  },

  plan(ctx, before) {
    const p = ctx.params;
    const name = ctx.resource.name;
    const changes: Change[] = [];
    const warnings: string[] = [];
    const pendingNotes: string[] = [];
    if (ctx.resource.type === 'lambda') {
      if (p.instance_class || p.storage_gb) throw badParam('increase_capacity', 'instance_class and storage_gb apply to RDS, not Lambda', 'use memory_mb=N or timeout_s=N');
      if (p.memory_mb === undefined && p.timeout_s === undefined) throw badParam('increase_capacity', 'nothing to increase', 'pass --param memory_mb=N and/or timeout_s=N');
      for (const [field, want, unit] of [['memory_mb', p.memory_mb, 'MB'], ['timeout_s', p.timeout_s, 's']] as const) {
        if (want === undefined) continue;
        const cur = Number(before[field]);
        if (want < cur) throw badParam('increase_capacity', `${field} is ${cur} ${unit}; ${want} ${unit} would decrease it`, 'increase_capacity only increases; lower it by hand or through a deploy');
        if (want !== cur) changes.push({ field, from: cur, to: want });
      }
      const undoParts = changes.map((c) => (c.field === 'memory_mb' ? `--memory-size ${String(c.from)}` : `--timeout ${String(c.from)}`));
      return {
        changes,
        noopReason: changes.length ? undefined : 'memory and timeout are already at the requested values',
        blastRadius: `${name}: new configuration for all new invocations; warm environments are replaced (cold starts)${changes.some((c) => c.field === 'memory_mb') ? '; cost per ms grows with memory' : ''}`,
        reversible: true,
        undo: `aws lambda update-function-configuration --function-name ${sh(name)} ${undoParts.join(' ')} --region ${sh(ctx.resource.region)}`,
        warnings,
      };
    }
    if (p.memory_mb || p.timeout_s) throw badParam('increase_capacity', 'memory_mb and timeout_s apply to Lambda, not RDS', 'use instance_class=db.x.y or storage_gb=N');
    if (!p.instance_class && p.storage_gb === undefined) throw badParam('increase_capacity', 'nothing to increase', 'pass --param instance_class=db.r6g.large and/or storage_gb=N');
    if (p.instance_class) {
      const effective = String(before.pending_instance_class ?? before.instance_class);
      const cur = sizeRank(String(before.instance_class));
      const want = sizeRank(p.instance_class);
      if (cur && want && cur.family === want.family && want.rank < cur.rank) {
        throw badParam('increase_capacity', `${p.instance_class} is smaller than ${String(before.instance_class)}`, 'increase_capacity only increases; pick a larger class');
      }
      if (effective === p.instance_class) {
        if (before.pending_instance_class) pendingNotes.push(`instance class ${p.instance_class} already requested (pending)`);
      } else changes.push({ field: 'instance_class', from: String(before.instance_class), to: p.instance_class });
    }
    if (p.storage_gb !== undefined) {
      const cur = Number(before.storage_gb);
      const effective = Number(before.pending_storage_gb ?? cur);
      if (p.storage_gb < cur) throw badParam('increase_capacity', `storage is ${cur} GB; RDS storage can never decrease`, `pick at least ${Math.ceil(cur * 1.1)} GB`);
      if (effective !== p.storage_gb) {
        // AWS refuses storage increases of less than 10%.
        if (p.storage_gb < cur * 1.1) throw badParam('increase_capacity', `storage must grow by at least 10% (from ${cur} GB)`, `pick at least ${Math.ceil(cur * 1.1)} GB`);
        changes.push({ field: 'storage_gb', from: cur, to: p.storage_gb });
      } else if (before.pending_storage_gb) pendingNotes.push(`storage ${p.storage_gb} GB already requested (pending)`);
    }
    const when = p.apply_immediately ? 'now' : 'in the next maintenance window';
    const parts: string[] = [];
    if (changes.some((c) => c.field === 'instance_class'))
      parts.push(`the instance restarts ${when}: ${before.multi_az ? 'a Multi-AZ failover (about 1–2 minutes of connection errors)' : 'downtime of several minutes'}`);
    if (changes.some((c) => c.field === 'storage_gb')) parts.push('storage grows online; further storage changes are blocked for 6 hours and it can never shrink');
    if (before.status !== 'available') warnings.push(`instance status is ${String(before.status)}, not available`);
    const classChange = changes.find((c) => c.field === 'instance_class');
    return {
      changes,
      noopReason: changes.length ? undefined : pendingNotes.join('; ') || 'already at the requested capacity',
      blastRadius: `${name}: ${parts.join('; ') || 'no change'}`,
      reversible: !changes.some((c) => c.field === 'storage_gb'),
      undo: changes.some((c) => c.field === 'storage_gb')
        ? 'storage cannot be decreased; restore from a snapshot into a smaller instance'
        : classChange
          ? `aws rds modify-db-instance --db-instance-identifier ${sh(name)} --db-instance-class ${String(classChange.from)} --apply-immediately`
          : 'nothing to undo',
      warnings,
    };
  },

  async apply(ctx, _before, plan) {
    const get = (f: string) => plan.changes.find((c) => c.field === f)?.to;
    if (ctx.resource.type === 'lambda') {
      const m = get('memory_mb');
      const t = get('timeout_s');
      const api = lambdaWrite(ctx.aws);
      await api.updateConfiguration(ctx.resource.name, { ...(m !== undefined ? { memoryMb: Number(m) } : {}), ...(t !== undefined ? { timeoutSeconds: Number(t) } : {}) });
      await api.waitUpdated(ctx.resource.name, 60_000);
      return;
    }
    const cls = get('instance_class');
    const gb = get('storage_gb');
    await rdsWrite(ctx.aws).modifyInstance(ctx.resource.name, { ...(cls ? { instanceClass: String(cls) } : {}), ...(gb !== undefined ? { storageGb: Number(gb) } : {}) }, ctx.params.apply_immediately);
  },

  verify(ctx, _before, plan, after) {
    const missing: string[] = [];
    const pending: string[] = [];
    for (const c of plan.changes) {
      if (String(after[c.field]) === String(c.to)) continue;
      if (String(after[`pending_${c.field}`]) === String(c.to)) pending.push(`${c.field} ${String(c.to)}`);
      else missing.push(`${c.field} reads ${String(after[c.field])}, expected ${String(c.to)}`);
    }
    if (missing.length) return { ok: false, status: 'failed', detail: missing.join('; ') };
    if (ctx.resource.type === 'lambda' && after.last_update_status === 'Failed') return { ok: false, status: 'failed', detail: 'Lambda reports the configuration update as Failed' };
    if (pending.length) return { ok: true, status: 'pending', detail: `accepted, pending: ${pending.join(', ')} (status ${String(after.status)}); re-run to confirm` };
    return { ok: true, status: 'verified', detail: plan.changes.map((c) => `${c.field} reads ${String(c.to)}`).join('; ') };
  },

  runbook(r, p) {
    const region = r?.region ?? '<region>';
    if (r?.type === 'rds') {
      return {
        summary: `Increase capacity of DB instance ${r.name}.`,
        steps: ['Check the current class, storage and status.', 'Modify the instance (a class change restarts it).', 'Wait for status available; watch CPU, connections and latency.'],
        cli: [`aws rds modify-db-instance --db-instance-identifier ${sh(r.name)} ${p.instance_class ? `--db-instance-class ${p.instance_class} ` : ''}${p.storage_gb ? `--allocated-storage ${p.storage_gb} ` : ''}--apply-immediately --region ${sh(region)}`],
        console: `RDS → Databases → ${r.name} → Modify`,
      };
    }
    const fn = r?.name ?? '<function>';
    return {
      summary: `Increase memory or timeout of ${fn}.`,
      steps: ['Check the current memory and timeout.', 'Update the configuration.', 'Watch Duration, Errors and cost.'],
      cli: [`aws lambda update-function-configuration --function-name ${sh(fn)} ${p.memory_mb ? `--memory-size ${p.memory_mb} ` : ''}${p.timeout_s ? `--timeout ${p.timeout_s} ` : ''}--region ${sh(region)}`],
      console: `Lambda → Functions → ${fn} → Configuration → General configuration → Edit`,
    };
  },
});
