/** Kubernetes Deployment: the type's data; the reader is ./index.ts (src/adapters/kubernetes). */
import { k8sWorkloadType } from './workload-type.js';

export const k8sDeploymentType = k8sWorkloadType('k8s_deployment', 'deployment', async () => (await import('./index.js')).k8sDeployment);
