/**
 * Maps a resource named by Security Hub or AWS Config back to the registry resource it is, so reports can
 * put the environment's own resources first and name their project.
 */
import type { LiveResource } from '../config/load.js';
import { RESOURCES, type ResourceType } from '../resources/index.js';
import { isNone } from '../resources/types.js';

/** Security Hub ASFF resource types and AWS Config resource types of a registry type (from its descriptor). */
const findingTypesOf = (t: ResourceType): readonly string[] => {
  const f = RESOURCES[t].findingTypes;
  return isNone(f) ? [] : f;
};

export interface RegistryRef {
  project: string;
  type: ResourceType;
  name: string;
}

/** The last path or ARN segment: function name, bucket, queue (from an ARN or a queue URL), table, service. */
function lastSegment(id: string): string {
  const noQualifier = id.replace(/^(arn:[^:]*:lambda:[^:]*:[^:]*:function:[^:]+):.+$/, '$1');
  const parts = noQualifier.split(/[:/]/).filter(Boolean);
  return parts[parts.length - 1] ?? id;
}

export function resourceMatcher(resources: readonly LiveResource[]): (type: string, id: string) => RegistryRef | undefined {
  const byArn = new Map<string, LiveResource>();
  for (const r of resources) if (r.arn) byArn.set(r.arn, r);
  return (type, id) => {
    const hit =
      byArn.get(id) ??
      resources.find((r) => {
        const known = findingTypesOf(r.type);
        if (type && !known.includes(type) && !/^(Other|AWS::::Account)$/.test(type) && type !== '') return false;
        if (!type && !id.startsWith('arn:')) return false;
        return id === r.name || lastSegment(id) === r.name;
      });
    return hit ? { project: hit.project, type: hit.type, name: hit.name } : undefined;
  };
}

export const refLabel = (r: RegistryRef | undefined) => (r ? `${r.project}/${r.name}` : undefined);
