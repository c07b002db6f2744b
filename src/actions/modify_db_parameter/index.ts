/**
 * modify_db_parameter: set one parameter (e.g. max_connections) in the instance's DB parameter group.
 * A default group (default.*) cannot be modified — AWS refuses — so the plan refuses and the runbook says how
 * to create and attach a custom group. Static parameters apply only after a reboot, which this action does
 * not do: verify reports them as pending.
 */
import { z } from 'zod';
import { rdsWrite } from '../../aws/rds-write.js';
import { badParam, defineAction, notInAws, sh } from '../define.js';

const Params = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,127}$/, 'a parameter name such as max_connections'),
    value: z.string().min(1).max(4096),
    apply_method: z.enum(['immediate', 'pending-reboot']).optional(),
  })
  .strict();

/** "1-8388607" → [1, 8388607]; other AllowedValues forms (lists, expressions) are left to AWS to judge. */
function numericRange(allowed: string | undefined): [number, number] | undefined {
  const m = /^(\d+)-(\d+)$/.exec(allowed ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export default defineAction({
  id: 'modify_db_parameter',
  title: 'Modify a DB parameter (e.g. max_connections) in the instance parameter group',
  appliesTo: ['rds'],
  params: Params,
  permissions: ['rds:DescribeDBInstances', 'rds:DescribeDBParameters', 'rds:ModifyDBParameterGroup'],
  defaultSafety: 'confirm',
  phrases: {
    words: ['conn', 'connection', 'connections', 'parameter', 'param'],
    rules: [
      {
        order: 50,
        example: 'increase RDS max connections to 200',
        read(t, n) {
          if (!/\bmax(imum)?[ _-]?conn(ection)?s?\b|\bconnection limit\b/.test(t)) return undefined;
          if (!n.num || 'relative' in n.num) return n.needNumber('max_connections');
          if (!n.isInt(n.num.value)) return n.needWhole('max_connections');
          return { params: { name: 'max_connections', value: String(n.num.value) }, said: `set DB parameter max_connections to ${n.num.value}` };
        },
      },
      {
        order: 55,
        read(t) {
          const param = /\b(?:parameter|param)\s+([a-z_][a-z0-9_.]*)\s*(?:to|=)\s*([a-z0-9_.-]+)/.exec(t);
          return param ? { params: { name: param[1]!, value: param[2]! }, said: `set DB parameter ${param[1]} to ${param[2]}` } : undefined;
        },
      },
    ],
  },

  async diagnose(ctx) {
    const api = rdsWrite(ctx.aws);
    const d = await api.describeInstance(ctx.resource.name);
    if (!d) throw notInAws(ctx.resource, 'DB instance');
    const group = d.parameterGroups[0];
    const p = group ? await api.getParameter(group.name, ctx.params.name) : undefined;
    return {
      parameter_group: group?.name ?? null,
      parameter_apply_status: group?.applyStatus ?? null,
      [ctx.params.name]: p?.value ?? null,
      apply_type: p?.applyType ?? null,
      modifiable: p?.modifiable ?? null,
      allowed_values: p?.allowedValues ?? null,
      engine: d.engine,
    };
  },

  plan(ctx, before) {
    const { name, value } = ctx.params;
    const group = before.parameter_group as string | null;
    const base = { blastRadius: '', reversible: true, undo: '', warnings: [] as string[] };
    if (!group) return { ...base, changes: [], refusal: `${ctx.resource.name} has no DB parameter group` };
    if (group.startsWith('default.')) {
      return {
        ...base,
        changes: [{ field: name, from: (before[name] ?? null) as string | null, to: value }],
        refusal: `${ctx.resource.name} uses the default parameter group ${group}, which cannot be modified (AWS refuses); create a custom group first (see the runbook)`,
      };
    }
    if (before.modifiable === false) return { ...base, changes: [], refusal: `${name} is not modifiable in ${group}` };
    const range = numericRange(before.allowed_values as string | undefined);
    if (range && /^\d+$/.test(value) && (Number(value) < range[0] || Number(value) > range[1])) {
      throw badParam('modify_db_parameter', `${name}=${value} is outside the allowed range ${range[0]}-${range[1]}`, `pick a value in ${range[0]}-${range[1]}`);
    }
    const method = ctx.params.apply_method ?? (before.apply_type === 'dynamic' ? 'immediate' : 'pending-reboot');
    const from = (before[name] ?? null) as string | null;
    const changes = from === value ? [] : [{ field: name, from, to: value }];
    const warnings: string[] = [];
    if (method === 'pending-reboot') warnings.push(`${name} takes effect only after ${ctx.resource.name} reboots; this action does not reboot it`);
    if (name === 'max_connections') warnings.push('each connection uses memory on the instance: a higher max_connections can exhaust it under load');
    return {
      ...base,
      changes,
      noopReason: changes.length ? undefined : `${name} is already ${value} in ${group}`,
      blastRadius: `every DB instance that uses parameter group ${group} (including ${ctx.resource.name}) gets ${name}=${value}, ${method === 'immediate' ? 'now' : 'at its next reboot'}`,
      undo: from === null ? `reset ${name} to the engine default: aws rds reset-db-parameter-group --db-parameter-group-name ${sh(group)} --parameters ParameterName=${name},ApplyMethod=${method}` : `set ${name} back to ${from}`,
      undoCall: from === null ? undefined : { action: 'modify_db_parameter', params: { name, value: from } },
      warnings,
      data: { applyMethod: method },
    };
  },

  async apply(ctx, before, plan) {
    const method = plan.data?.applyMethod === 'immediate' ? 'immediate' : 'pending-reboot';
    await rdsWrite(ctx.aws).modifyParameter(String(before.parameter_group), ctx.params.name, ctx.params.value, method);
  },

  verify(ctx, _before, plan, after) {
    const { name, value } = ctx.params;
    if (String(after[name]) !== value) return { ok: false, status: 'failed', detail: `${name} reads ${String(after[name])} in ${String(after.parameter_group)}, expected ${value}` };
    const method = plan.data?.applyMethod;
    if (method === 'pending-reboot' || after.parameter_apply_status === 'pending-reboot') {
      return { ok: true, status: 'pending', detail: `${name}=${value} set in ${String(after.parameter_group)}; takes effect after ${ctx.resource.name} reboots` };
    }
    return { ok: true, status: 'verified', detail: `${name}=${value} read back from ${String(after.parameter_group)} (applied immediately)` };
  },

  runbook(r, p) {
    const db = r?.name ?? '<db-instance>';
    const region = r?.region ?? '<region>';
    const name = p.name ?? '<parameter>';
    const value = p.value ?? '<value>';
    return {
      summary: `Set ${name}=${value} for ${db} through a custom DB parameter group.`,
      steps: [
        'Find the instance parameter group; if it is a default.* group, create a custom group of the same family.',
        `Set ${name}=${value} in the custom group.`,
        'Attach the custom group to the instance (if it was on the default group) and reboot in a quiet period for static parameters.',
        'Verify with describe-db-parameters and watch DatabaseConnections and FreeableMemory.',
      ],
      cli: [
        `aws rds describe-db-instances --db-instance-identifier ${sh(db)} --region ${sh(region)} --query 'DBInstances[0].DBParameterGroups'`,
        `aws rds create-db-parameter-group --db-parameter-group-name ${sh(db)}-custom --db-parameter-group-family <family> --description "custom parameters for ${db}" --region ${sh(region)}`,
        `aws rds modify-db-parameter-group --db-parameter-group-name ${sh(db)}-custom --parameters ParameterName=${name},ParameterValue=${value},ApplyMethod=pending-reboot --region ${sh(region)}`,
        `aws rds modify-db-instance --db-instance-identifier ${sh(db)} --db-parameter-group-name ${sh(db)}-custom --apply-immediately --region ${sh(region)}`,
        `aws rds reboot-db-instance --db-instance-identifier ${sh(db)} --region ${sh(region)}`,
      ],
      console: `RDS → Parameter groups → Create parameter group; then Databases → ${db} → Modify → DB parameter group`,
    };
  },
});
