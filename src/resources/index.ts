/**
 * THE resource registry: type key → the type's descriptor (./<type>/type.ts), whose `load` imports the reader
 * lazily. Adding a type = one folder (type.ts + index.ts) + one line here + its adapter. Everything else that
 * knows types (config's RESOURCE_TYPES and SLO_KEYS, investigate's metrics and logs, scope and request words,
 * audit's finding types, remediate's IAM prefixes and delete runbooks) is derived from this map.
 * No directory scanning, no import side effects; the type files import no adapter, so config may import this.
 */
import { closest } from '../core/closest.js';
import { HelmError } from '../errors.js';
import { apigatewayType } from './apigateway/type.js';
import { dynamodbType } from './dynamodb/type.js';
import { ecsServiceType } from './ecs_service/type.js';
import { elasticacheType } from './elasticache/type.js';
import { k8sDaemonSetType } from './k8s_daemonset/type.js';
import { k8sDeploymentType } from './k8s_deployment/type.js';
import { k8sStatefulSetType } from './k8s_statefulset/type.js';
import { lambdaType } from './lambda/type.js';
import { rdsType } from './rds/type.js';
import { s3Type } from './s3/type.js';
import { sqsType } from './sqs/type.js';
import { isNone, type ResourceDescriptor, type ResourceTypeInfo } from './types.js';

export const RESOURCES = {
  lambda: lambdaType,
  rds: rdsType,
  ecs_service: ecsServiceType,
  s3: s3Type,
  apigateway: apigatewayType,
  dynamodb: dynamodbType,
  sqs: sqsType,
  elasticache: elasticacheType,
  k8s_deployment: k8sDeploymentType,
  k8s_statefulset: k8sStatefulSetType,
  k8s_daemonset: k8sDaemonSetType,
} satisfies Record<string, ResourceTypeInfo>;

export type ResourceType = keyof typeof RESOURCES;
/** Type keys in registry order (config validates `type` against them; reports keep this order). */
export const RESOURCE_TYPES = Object.keys(RESOURCES) as [ResourceType, ...ResourceType[]];

/** Per-type SLO keys users may set under [slos.<type>]; the set is fixed per type so typos are caught. */
export const SLO_KEYS = Object.fromEntries(RESOURCE_TYPES.map((t) => [t, [...RESOURCES[t].sloKeys, 'period_days']])) as unknown as Record<ResourceType, readonly string[]>;

export function isResourceType(type: string): type is ResourceType {
  return Object.prototype.hasOwnProperty.call(RESOURCES, type);
}

/** The static descriptor of a type (no reader loaded); undefined for a type the registry does not know. */
export function typeInfo(type: string): ResourceTypeInfo | undefined {
  return isResourceType(type) ? RESOURCES[type] : undefined;
}

/** Words naming each type in investigate's free text and in remediate's requests (input to src/core). */
export function typeWords(which: 'scope' | 'request'): Record<string, readonly string[]> {
  return Object.fromEntries(RESOURCE_TYPES.flatMap((t) => { const w = RESOURCES[t].words; return isNone(w) ? [] : [[t, w[which]]]; }));
}

function unknownType(type: string): HelmError {
  const near = closest(type, [...RESOURCE_TYPES]);
  return new HelmError('input', `unknown resource type "${type.slice(0, 40)}"`, { fix: near ? `did you mean ${near}?` : `use one of: ${RESOURCE_TYPES.join(', ')}` });
}

/** The full descriptor of a type: its data plus the reader and SLO observers, loaded on first use. */
export async function loadResource(type: string): Promise<ResourceDescriptor> {
  const info = typeInfo(type);
  if (!info) throw unknownType(type);
  const { load, ...data } = info;
  return { ...data, ...(await load()) };
}
