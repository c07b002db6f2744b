/**
 * Security Hub adapter: DescribeHub (is the account subscribed?), GetEnabledStandards, GetFindings (paginated,
 * 100 a page). Filters are sent to AWS and applied again by the caller, because an endpoint may ignore them.
 */
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { controlIdOf } from '../core/security-score.js';
import { attempt } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface HubFinding {
  id: string;
  title: string;
  description: string;
  severityLabel?: string;
  severityNormalized?: number;
  productName?: string;
  generatorId?: string;
  controlId?: string;
  complianceStatus?: string;
  recordState: string;
  workflowStatus?: string;
  accountId?: string;
  region?: string;
  resources: { type: string; id: string; region?: string }[];
  remediationText?: string;
  remediationUrl?: string;
  updatedAt?: string;
}

export interface EnabledStandard {
  arn: string;
  subscriptionArn: string;
  status: string;
}

export interface SecurityHubApi {
  describeHub(): Promise<{ hubArn: string; subscribedAt?: string }>;
  getEnabledStandards(): Promise<EnabledStandard[]>;
  getFindings(opts: { accountId?: string }): Promise<{ findings: HubFinding[]; pages: number }>;
}

export function securityHub(provider: AwsProvider): SecurityHubApi {
  const client = () => provider.client<SecurityHubClient>('securityhub', async () => (await import('@aws-sdk/client-securityhub')).SecurityHubClient);
  const sdk = () => import('@aws-sdk/client-securityhub');
  return {
    async describeHub() {
      const sh = await client();
      const { DescribeHubCommand } = await sdk();
      const out = await attempt('securityhub', 'DescribeHub', () => sh.send(new DescribeHubCommand({})));
      return { hubArn: out.HubArn ?? '', subscribedAt: out.SubscribedAt };
    },
    async getEnabledStandards() {
      const sh = await client();
      const { paginateGetEnabledStandards } = await sdk();
      const out: EnabledStandard[] = [];
      await attempt('securityhub', 'GetEnabledStandards', async () => {
        for await (const page of paginateGetEnabledStandards({ client: sh, pageSize: 100 }, {})) {
          for (const s of page.StandardsSubscriptions ?? []) {
            out.push({ arn: s.StandardsArn ?? '', subscriptionArn: s.StandardsSubscriptionArn ?? '', status: s.StandardsStatus ?? 'UNKNOWN' });
          }
        }
      });
      return out;
    },
    async getFindings({ accountId }) {
      const sh = await client();
      const { paginateGetFindings } = await sdk();
      const findings: HubFinding[] = [];
      let pages = 0;
      // stopOnSameToken: an endpoint that repeats a token would otherwise loop forever.
      const paged = paginateGetFindings(
        { client: sh, pageSize: 100, stopOnSameToken: true, withCommand: (cmd) => (pages++, cmd) },
        {
          Filters: {
            RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
            ...(accountId ? { AwsAccountId: [{ Value: accountId, Comparison: 'EQUALS' }] } : {}),
          },
        },
      );
      await attempt('securityhub', 'GetFindings', async () => {
        for await (const page of paged) for (const f of page.Findings ?? []) {
          const pf = (f.ProductFields ?? {}) as Record<string, string>;
          findings.push({
            id: f.Id ?? '',
            title: f.Title ?? '',
            description: f.Description ?? '',
            severityLabel: f.Severity?.Label,
            severityNormalized: f.Severity?.Normalized,
            productName: f.ProductName ?? pf['aws/securityhub/ProductName'],
            generatorId: f.GeneratorId,
            controlId: f.Compliance?.Status
              ? controlIdOf({ SecurityControlId: f.Compliance?.SecurityControlId, ProductFieldsControlId: pf.ControlId, GeneratorId: f.GeneratorId })
              : undefined,
            complianceStatus: f.Compliance?.Status,
            recordState: f.RecordState ?? 'ACTIVE',
            workflowStatus: f.Workflow?.Status ?? f.WorkflowState,
            accountId: f.AwsAccountId,
            region: f.Region,
            resources: (f.Resources ?? []).map((r) => ({ type: r.Type ?? '', id: r.Id ?? '', region: r.Region })),
            remediationText: f.Remediation?.Recommendation?.Text,
            remediationUrl: f.Remediation?.Recommendation?.Url,
            updatedAt: f.UpdatedAt,
          });
        }
      });
      return { findings, pages };
    },
  };
}
