/**
 * What the three Kubernetes workload types share as data: no CloudWatch, no IAM, no Security Hub; state, pods,
 * events and container logs come from the API server (./workload.ts, src/core/k8s-hypotheses.ts).
 */
import { sh } from '../../core/sh.js';
import type { ResourceType } from '../index.js';
import { defineType, type ResourceHealth, type ResourceTypeInfo } from '../types.js';

export function k8sWorkloadType(type: ResourceType, kubectlKind: string, load: () => Promise<ResourceHealth>, deleteNote = ''): ResourceTypeInfo {
  return defineType({
    type,
    service: 'kubernetes',
    readOperation: `list ${kubectlKind}s`,
    namespace: '',
    noCloudWatch: 'Kubernetes workloads are judged from the API server (replicas, pods, events), not CloudWatch',
    dimensions: () => [],
    sloKeys: ['available_replicas_min_percent', 'restarts_max', 'availability_percent'],
    investigate: { none: 'investigated from pod state, events and container logs through the API server' },
    logs: () => ({ none: 'container logs are read from the pods through the API server' }),
    words: { none: 'kind names are ordinary words in incident text ("errors after the deployment"): a workload is named by its name' },
    findingTypes: { none: 'Security Hub and AWS Config do not describe Kubernetes workloads' },
    iamPrefix: { none: 'Kubernetes RBAC, not IAM: every permission an action declares is listed' },
    deleteCommand: (r) => `kubectl delete ${kubectlKind} ${sh(r.name)} --namespace ${sh(r.namespace ?? 'default')}${deleteNote}`,
    load,
  });
}
