/** Kubernetes StatefulSet: the type's data; the reader is ./index.ts (src/adapters/kubernetes). */
import { k8sWorkloadType } from '../k8s_deployment/workload-type.js';

export const k8sStatefulSetType = k8sWorkloadType('k8s_statefulset', 'statefulset', async () => (await import('./index.js')).k8sStatefulSet, '   # PersistentVolumeClaims stay; back them up');
