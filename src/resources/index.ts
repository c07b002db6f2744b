/**
 * THE resource registry: type key → lazy import of its descriptor. Adding a type = one folder + one line here
 * (and its SLO keys in src/config/schemas.ts). No directory scanning, no import side effects.
 */
import { closest } from '../config/explain.js';
import { RESOURCE_TYPES, type ResourceType } from '../config/schemas.js';
import { HelmError } from '../errors.js';
import type { ResourceDescriptor } from './types.js';

export const RESOURCES: Record<ResourceType, () => Promise<ResourceDescriptor>> = {
  lambda: async () => (await import('./lambda/index.js')).lambda,
  rds: async () => (await import('./rds/index.js')).rds,
  ecs_service: async () => (await import('./ecs_service/index.js')).ecsService,
  s3: async () => (await import('./s3/index.js')).s3,
  apigateway: async () => (await import('./apigateway/index.js')).apigateway,
  dynamodb: async () => (await import('./dynamodb/index.js')).dynamodb,
  sqs: async () => (await import('./sqs/index.js')).sqs,
  elasticache: async () => (await import('./elasticache/index.js')).elasticache,
  k8s_deployment: async () => (await import('./k8s_deployment/index.js')).k8sDeployment,
  k8s_statefulset: async () => (await import('./k8s_statefulset/index.js')).k8sStatefulSet,
  k8s_daemonset: async () => (await import('./k8s_daemonset/index.js')).k8sDaemonSet,
};

export async function loadResource(type: string): Promise<ResourceDescriptor> {
  const load = RESOURCES[type as ResourceType];
  if (!load) {
    const near = closest(type, [...RESOURCE_TYPES]);
    throw new HelmError('input', `unknown resource type "${type.slice(0, 40)}"`, { fix: near ? `did you mean ${near}?` : `use one of: ${RESOURCE_TYPES.join(', ')}` });
  }
  return load();
}
