/** Kubernetes DaemonSet: the type's data; the reader is ./index.ts (src/adapters/kubernetes). */
import { k8sWorkloadType } from '../k8s_deployment/workload-type.js';

export const k8sDaemonSetType = k8sWorkloadType('k8s_daemonset', 'daemonset', async () => (await import('./index.js')).k8sDaemonSet);
