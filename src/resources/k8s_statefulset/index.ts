/** Kubernetes StatefulSet: ready/available vs desired, update revision, pod problems, Warning events. */
import { k8sWorkloadResource } from '../k8s_deployment/workload.js';

export const k8sStatefulSet = k8sWorkloadResource('StatefulSet');
