/**
 * modify_security_groups: never executed by helm-cloud, whatever [remediation] says. Opening network access
 * is a security decision that needs review; a request for it gets a runbook.
 */
import { z } from 'zod';
import { HelmError } from '../../errors.js';
import { defineAction, sh } from '../define.js';

export default defineAction({
  id: 'modify_security_groups',
  title: 'Modify security group rules (manual runbook only; never executed by helm-cloud)',
  appliesTo: ['lambda', 'rds', 'ecs_service', 'elasticache'],
  params: z.object({ port: z.coerce.number().int().min(0).max(65535).optional(), source: z.string().max(64).optional() }).strict(),
  permissions: ['none: helm-cloud never changes network access; the operator needs ec2:AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress'],
  defaultSafety: 'never',
  phrases: {
    words: ['security', 'group', 'groups', 'firewall', 'ingress', 'open', 'port'],
    rules: [{ order: 10, read: (t) => (/\b(security[ -]?groups?|firewall|ingress|egress|open (the )?port|inbound rules?)\b/.test(t) ? { params: {}, said: 'security group change' } : undefined) }],
  },
  async diagnose() {
    return {};
  },
  plan(ctx) {
    return {
      changes: [],
      blastRadius: `network access to or from ${ctx.resource.name} changes; a wrong rule exposes it or cuts it off`,
      reversible: true,
      undo: 'revoke the rule that was added (or re-add the one removed)',
      warnings: [],
      refusal: 'modify_security_groups is never executed by helm-cloud',
    };
  },
  async apply() {
    throw new HelmError('internal', 'modify_security_groups must never be applied; this is a bug');
  },
  runbook(r, p) {
    const region = r?.region ?? '<region>';
    const port = p.port ?? '<port>';
    const source = p.source ?? '<cidr-or-sg>';
    return {
      summary: `Change security group rules of ${r?.name ?? '<resource>'} by hand, after review.`,
      steps: [
        'Find the security groups attached to the resource.',
        'Write the smallest rule that fixes the problem (one port, one source security group, never 0.0.0.0/0 to a database).',
        'Get it reviewed; change it in the infrastructure code and deploy, so it is not reverted.',
        'If it cannot wait, apply it by hand with the command below and record it in the issue.',
      ],
      cli: [
        `aws ec2 describe-security-groups --group-ids <sg-id> --region ${sh(region)}`,
        `aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port ${port} --source-group ${source} --region ${sh(region)}`,
      ],
      console: 'EC2 → Security Groups → <sg-id> → Inbound rules → Edit inbound rules',
    };
  },
});
