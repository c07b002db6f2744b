/** Kubernetes DaemonSet: available vs desired scheduled pods, updated pods, pod problems, Warning events. */
import { k8sWorkloadResource } from '../k8s_deployment/workload.js';

export const k8sDaemonSet = k8sWorkloadResource('DaemonSet');
