/** Kubernetes Deployment: available vs desired replicas, rollout progress deadline, pod problems, Warning events. */
import { k8sWorkloadResource } from './workload.js';

export const k8sDeployment = k8sWorkloadResource('Deployment');
