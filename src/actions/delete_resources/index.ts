/**
 * delete_resources: never executed by helm-cloud, whatever [remediation] says. Deletion loses data and
 * bypasses the deploy tool that owns the resource; the action exists so a request for it gets a runbook.
 */
import { z } from 'zod';
import { HelmError } from '../../errors.js';
import { RESOURCE_TYPES, RESOURCES } from '../../resources/index.js';
import { defineAction } from '../define.js';

export default defineAction({
  id: 'delete_resources',
  title: 'Delete a resource (manual runbook only; never executed by helm-cloud)',
  appliesTo: RESOURCE_TYPES,
  params: z.object({}).strict(),
  permissions: ['none: helm-cloud never deletes; the operator needs the service delete permission'],
  defaultSafety: 'never',
  phrases: {
    words: ['delete', 'destroy', 'terminate', 'remove'],
    rules: [{ order: 20, read: (t) => (/\b(delete|destroy|terminate|tear down|teardown|deprovision)\b/.test(t) || /\bremove\b(?!.*\bconcurrency\b)/.test(t) ? { params: {}, said: 'delete' } : undefined) }],
  },
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
      cli: [r ? RESOURCES[r.type].deleteCommand({ name, region, cluster: r.cluster, namespace: r.namespace }) : '<service> delete command'],
      console: 'the service console → select the resource → Delete (after the backup)',
    };
  },
});
