/**
 * delete_resources: never executed by helm-cloud, whatever [remediation] says. Deletion loses data and
 * bypasses the deploy tool that owns the resource; the action exists so a request for it gets a runbook.
 */
import { z } from 'zod';
import { RESOURCE_TYPES } from '../../config/schemas.js';
import { HelmError } from '../../errors.js';
import { defineAction, sh } from '../define.js';

const CLI: Record<string, (name: string, region: string, cluster?: string, namespace?: string) => string> = {
  lambda: (n, r) => `aws lambda delete-function --function-name ${sh(n)} --region ${sh(r)}`,
  rds: (n, r) => `aws rds delete-db-instance --db-instance-identifier ${sh(n)} --final-db-snapshot-identifier ${sh(n)}-final --region ${sh(r)}`,
  ecs_service: (n, r, c) => `aws ecs delete-service --cluster ${sh(c ?? 'default')} --service ${sh(n)} --force --region ${sh(r)}`,
  s3: (n, r) => `aws s3 rb s3://${n} --region ${sh(r)}   # after emptying and backing up`,
  apigateway: (_n, r) => `aws apigateway delete-rest-api --rest-api-id <id> --region ${sh(r)}`,
  dynamodb: (n, r) => `aws dynamodb delete-table --table-name ${sh(n)} --region ${sh(r)}   # after an on-demand backup`,
  sqs: (_n, r) => `aws sqs delete-queue --queue-url <url> --region ${sh(r)}`,
  elasticache: (n, r) => `aws elasticache delete-cache-cluster --cache-cluster-id ${sh(n)} --final-snapshot-identifier ${sh(n)}-final --region ${sh(r)}`,
  k8s_deployment: (n, _r, _c, ns) => `kubectl delete deployment ${sh(n)} --namespace ${sh(ns ?? 'default')}`,
  k8s_statefulset: (n, _r, _c, ns) => `kubectl delete statefulset ${sh(n)} --namespace ${sh(ns ?? 'default')}   # PersistentVolumeClaims stay; back them up`,
  k8s_daemonset: (n, _r, _c, ns) => `kubectl delete daemonset ${sh(n)} --namespace ${sh(ns ?? 'default')}`,
};

export default defineAction({
  id: 'delete_resources',
  title: 'Delete a resource (manual runbook only; never executed by helm-cloud)',
  appliesTo: RESOURCE_TYPES,
  params: z.object({}).strict(),
  permissions: ['none: helm-cloud never deletes; the operator needs the service delete permission'],
  defaultSafety: 'never',
  async diagnose() {
    return {};
  },
  plan(ctx) {
    return {
      changes: [{ field: 'exists', from: true, to: false }],
      blastRadius: `${ctx.resource.name} and its data are gone; everything that calls it fails`,
      reversible: false,
      undo: 'only by restoring a backup or redeploying',
      warnings: [],
      refusal: 'delete_resources is never executed by helm-cloud',
    };
  },
  async apply() {
    throw new HelmError('internal', 'delete_resources must never be applied; this is a bug');
  },
  runbook(r) {
    const name = r?.name ?? '<resource>';
    const region = r?.region ?? '<region>';
    return {
      summary: `Delete ${name} by hand, through the deploy tool that owns it.`,
      steps: [
        'Confirm nothing depends on it (callers, event sources, DNS, IAM policies).',
        'Take a backup or final snapshot of any data.',
        'Remove it from the infrastructure code and deploy (faber-cloud), so the registry stays true.',
        'Only if that is impossible, delete it by hand with the command below and record why in the issue.',
      ],
      cli: [r ? CLI[r.type]!(name, region, r.cluster, r.namespace) : '<service> delete command'],
      console: 'the service console → select the resource → Delete (after the backup)',
    };
  },
});
