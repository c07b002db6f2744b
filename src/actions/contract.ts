/**
 * The investigate → remediate hand-off as one rule: a proposal is valid only when its action exists, its target
 * is a registry resource of a type the action applies to, and its params pass the action's own schema in the
 * form remediate receives them from an issue record (values as strings). investigate drops a proposal that
 * fails it (and says why); remediate --issue would refuse the same one.
 */
import type { LiveResource } from '../config/load.js';
import { isActionId, loadAction } from './index.js';

export interface Proposal {
  action: string;
  target?: string;
  params?: Record<string, unknown>;
}

/** Why remediate would refuse this proposal, or undefined when it would accept it. */
export async function proposalProblem(p: Proposal, resources: readonly Pick<LiveResource, 'name' | 'type'>[]): Promise<string | undefined> {
  if (!isActionId(p.action)) return `unknown action "${p.action}"`;
  const action = await loadAction(p.action);
  if (!p.target) return 'no target';
  const r = resources.find((x) => x.name === p.target);
  if (!r) return `no resource "${p.target}" in the registry`;
  if (!action.appliesTo.includes(r.type)) return `${action.id} does not apply to ${r.name} (a ${r.type})`;
  const asGiven = Object.fromEntries(Object.entries(p.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
  const parsed = action.params.safeParse(asGiven);
  if (!parsed.success) return `params rejected by ${action.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || (i as { keys?: string[] }).keys?.join(', ') || 'params'}: ${i.message}`).join('; ')}`;
  return undefined;
}
