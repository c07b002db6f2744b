/**
 * THE action registry: action id → lazy import. Adding an action = one folder under src/actions/ + one line
 * here. The id is the folder name and the key users write in [remediation].
 */
import { closest, printable } from '../config/explain.js';
import { HelmError } from '../errors.js';
import type { Remedy } from '../core/hypotheses.js';
import type { Grammar } from '../core/nl-parse.js';
import type { SafetyLevel } from '../core/safety.js';
import { typeWords } from '../resources/index.js';
import type { ActionDef } from './define.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = () => Promise<{ default: ActionDef<any> }>;

export const ACTIONS = {
  restart_lambda: () => import('./restart_lambda/index.js'),
  clear_cache: () => import('./clear_cache/index.js'),
  scale_resources: () => import('./scale_resources/index.js'),
  increase_capacity: () => import('./increase_capacity/index.js'),
  modify_db_parameter: () => import('./modify_db_parameter/index.js'),
  rollback: () => import('./rollback/index.js'),
  delete_resources: () => import('./delete_resources/index.js'),
  modify_security_groups: () => import('./modify_security_groups/index.js'),
  k8s_rollout_restart: () => import('./k8s_rollout_restart/index.js'),
  k8s_scale: () => import('./k8s_scale/index.js'),
} satisfies Record<string, Loader>;

export type ActionId = keyof typeof ACTIONS;
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];

export function isActionId(id: string): id is ActionId {
  return Object.prototype.hasOwnProperty.call(ACTIONS, id);
}

// The registry hands out loosely typed definitions: params are validated by each action's own schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = ActionDef<any>;

export async function loadAction(id: string): Promise<AnyAction> {
  if (!isActionId(id)) {
    const near = closest(id, ACTION_IDS);
    throw new HelmError('input', `unknown action "${printable(id, 40)}"`, {
      keyPath: '--action',
      fix: `${near ? `did you mean ${near}? ` : ''}known actions: ${ACTION_IDS.join(', ')}`,
    });
  }
  return (await ACTIONS[id]()).default as unknown as AnyAction;
}

export async function loadAllActions(): Promise<AnyAction[]> {
  return Promise.all(ACTION_IDS.map((id) => loadAction(id)));
}

/** The remediate request grammar: every action's phrases and the words naming each resource type. */
export async function requestGrammar(): Promise<Grammar> {
  const actions = (await loadAllActions()).flatMap((a) => ('none' in a.phrases ? [] : [{ id: a.id, appliesTo: a.appliesTo, phrases: a.phrases }]));
  return { actions, typeWords: typeWords('request') };
}

/** The hypotheses' remedies of every registered action, in registry order (input to src/core/hypotheses.ts). */
export async function remedies(): Promise<Remedy[]> {
  return (await loadAllActions()).flatMap((a) => (a.remedies ?? []).map((r) => ({ ...r, action: a.id })));
}

/** The declared default safety of an action; undefined for an id the registry does not know. */
export async function defaultSafetyOf(id: string): Promise<SafetyLevel | undefined> {
  return isActionId(id) ? (await loadAction(id)).defaultSafety : undefined;
}
