/**
 * The parts of Kubernetes API objects helm-cloud reads, as the API server sends them (JSON field names,
 * timestamps as RFC 3339 strings). Plain data: the adapter converts client objects into these.
 */

export interface K8sOwner {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface K8sMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  ownerReferences?: K8sOwner[];
}

export interface K8sCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface K8sProbe {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  tcpSocket?: { port?: number | string };
  exec?: { command?: string[] };
  grpc?: { port?: number };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface K8sContainer {
  name: string;
  image?: string;
  ports?: { containerPort: number; protocol?: string; name?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  livenessProbe?: K8sProbe;
  readinessProbe?: K8sProbe;
  startupProbe?: K8sProbe;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  command?: string[];
  args?: string[];
  /** Init containers only: Always makes it a native sidecar (started before, running beside the containers). */
  restartPolicy?: string;
}

export interface K8sContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string };
}

export interface K8sContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: K8sContainerState;
  lastState?: K8sContainerState;
}

export interface K8sPodTemplate {
  metadata?: Partial<K8sMeta>;
  spec?: { containers: K8sContainer[]; initContainers?: K8sContainer[]; nodeSelector?: Record<string, string>; serviceAccountName?: string; affinity?: { nodeAffinity?: unknown }; tolerations?: unknown[] };
}

export interface K8sPod {
  metadata: K8sMeta;
  spec?: K8sPodTemplate['spec'] & { nodeName?: string; restartPolicy?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    hostIP?: string;
    startTime?: string;
    qosClass?: string;
    conditions?: K8sCondition[];
    containerStatuses?: K8sContainerStatus[];
    initContainerStatuses?: K8sContainerStatus[];
  };
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface K8sWorkload {
  kind?: string;
  metadata: K8sMeta;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
    template?: K8sPodTemplate;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    serviceName?: string;
    podManagementPolicy?: string;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    // DaemonSet
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    updatedNumberScheduled?: number;
    numberMisscheduled?: number;
    conditions?: K8sCondition[];
  };
}

/** A ReplicaSet (Deployment revision) or ControllerRevision (StatefulSet/DaemonSet revision). */
export interface K8sRevision {
  metadata: K8sMeta;
  revision?: number;
  spec?: { replicas?: number; template?: K8sPodTemplate; selector?: NonNullable<K8sWorkload['spec']>['selector'] };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; fullyLabeledReplicas?: number; conditions?: K8sCondition[] };
}

export interface K8sEvent {
  metadata: K8sMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export interface K8sService {
  metadata: K8sMeta;
  spec?: {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number }[];
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface K8sNode {
  metadata: K8sMeta;
  status?: { conditions?: K8sCondition[]; capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

export interface PodUsage {
  namespace: string;
  name: string;
  containers: { name: string; cpu: string; memory: string }[];
}

export interface NodeUsage {
  name: string;
  cpu: string;
  memory: string;
}

/** RFC 3339 → epoch ms (undefined when absent or unreadable). */
export function tsMs(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** When an event last happened: series events carry eventTime, legacy ones lastTimestamp. */
export function eventMs(e: K8sEvent): number | undefined {
  return tsMs(e.lastTimestamp) ?? tsMs(e.eventTime) ?? tsMs(e.firstTimestamp) ?? tsMs(e.metadata.creationTimestamp);
}
