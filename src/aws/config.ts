/**
 * AWS Config adapter: recorder status, rules, compliance by rule, non-compliant resources per rule, and
 * conformance packs with their compliance summary. All paginated.
 */
import { attempt } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface RecorderStatus {
  name: string;
  recording: boolean;
  lastStatus?: string;
  lastErrorCode?: string;
  lastErrorMessage?: string;
}

export interface ConfigRule {
  name: string;
  arn?: string;
  description?: string;
  /** AWS managed rule identifier (e.g. S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED) or a custom Lambda ARN. */
  sourceIdentifier?: string;
  owner?: string;
  state?: string;
  inputParameters?: string;
}

export interface RuleCompliance {
  rule: string;
  compliance: string;
  nonCompliantCount?: number;
  capExceeded?: boolean;
}

export interface RuleEvaluation {
  rule: string;
  resourceType: string;
  resourceId: string;
  compliance: string;
  annotation?: string;
  recordedAt?: string;
}

export interface ConformancePackSummary {
  name: string;
  compliance: string;
}

export interface ConfigApi {
  recorderStatus(): Promise<RecorderStatus[]>;
  describeRules(): Promise<ConfigRule[]>;
  complianceByRule(): Promise<RuleCompliance[]>;
  nonCompliantResources(rule: string): Promise<RuleEvaluation[]>;
  conformancePacks(): Promise<string[]>;
  conformancePackSummaries(names: string[]): Promise<ConformancePackSummary[]>;
}

export function configService(provider: AwsProvider): ConfigApi {
  const client = () =>
    provider.once('config', async () => {
      const { ConfigServiceClient } = await import('@aws-sdk/client-config-service');
      return new ConfigServiceClient(await provider.clientConfig());
    });
  const sdk = () => import('@aws-sdk/client-config-service');

  /** Follows NextToken until it is absent or repeats. */
  async function pages<P extends { NextToken?: string }>(op: string, send: (token: string | undefined) => Promise<P>): Promise<P[]> {
    const out: P[] = [];
    let token: string | undefined;
    do {
      const page = await attempt('config', op, () => send(token));
      out.push(page);
      const next = page.NextToken || undefined;
      token = next && next !== token ? next : undefined;
    } while (token);
    return out;
  }

  return {
    async recorderStatus() {
      const c = await client();
      const { DescribeConfigurationRecorderStatusCommand } = await sdk();
      const out = await attempt('config', 'DescribeConfigurationRecorderStatus', () => c.send(new DescribeConfigurationRecorderStatusCommand({})));
      return (out.ConfigurationRecordersStatus ?? []).map((s) => ({
        name: s.name ?? '',
        recording: Boolean(s.recording),
        lastStatus: s.lastStatus,
        lastErrorCode: s.lastErrorCode,
        lastErrorMessage: s.lastErrorMessage,
      }));
    },
    async describeRules() {
      const c = await client();
      const { DescribeConfigRulesCommand } = await sdk();
      const ps = await pages('DescribeConfigRules', (NextToken) => c.send(new DescribeConfigRulesCommand({ NextToken })));
      return ps.flatMap((p) =>
        (p.ConfigRules ?? []).map((r) => ({
          name: r.ConfigRuleName ?? '',
          arn: r.ConfigRuleArn,
          description: r.Description,
          sourceIdentifier: r.Source?.SourceIdentifier,
          owner: r.Source?.Owner,
          state: r.ConfigRuleState,
          inputParameters: r.InputParameters,
        })),
      );
    },
    async complianceByRule() {
      const c = await client();
      const { DescribeComplianceByConfigRuleCommand } = await sdk();
      const ps = await pages('DescribeComplianceByConfigRule', (NextToken) => c.send(new DescribeComplianceByConfigRuleCommand({ NextToken })));
      return ps.flatMap((p) =>
        (p.ComplianceByConfigRules ?? []).map((r) => ({
          rule: r.ConfigRuleName ?? '',
          compliance: r.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA',
          nonCompliantCount: r.Compliance?.ComplianceContributorCount?.CappedCount,
          capExceeded: r.Compliance?.ComplianceContributorCount?.CapExceeded,
        })),
      );
    },
    async nonCompliantResources(rule) {
      const c = await client();
      const { GetComplianceDetailsByConfigRuleCommand } = await sdk();
      const ps = await pages('GetComplianceDetailsByConfigRule', (NextToken) =>
        c.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: rule, ComplianceTypes: ['NON_COMPLIANT'], NextToken, Limit: 100 })),
      );
      return ps.flatMap((p) =>
        (p.EvaluationResults ?? [])
          // Sent as a filter too; checked again because an endpoint may ignore it.
          .filter((e) => (e.ComplianceType ?? 'NON_COMPLIANT') === 'NON_COMPLIANT')
          .map((e) => {
            const q = e.EvaluationResultIdentifier?.EvaluationResultQualifier;
            return {
              rule: q?.ConfigRuleName ?? rule,
              resourceType: q?.ResourceType ?? '',
              resourceId: q?.ResourceId ?? '',
              compliance: e.ComplianceType ?? 'NON_COMPLIANT',
              annotation: e.Annotation,
              recordedAt: e.ResultRecordedTime ? new Date(e.ResultRecordedTime).toISOString() : undefined,
            };
          }),
      );
    },
    async conformancePacks() {
      const c = await client();
      const { DescribeConformancePacksCommand } = await sdk();
      const ps = await pages('DescribeConformancePacks', (NextToken) => c.send(new DescribeConformancePacksCommand({ NextToken })));
      return ps.flatMap((p) => (p.ConformancePackDetails ?? []).map((d) => d.ConformancePackName ?? '')).filter(Boolean);
    },
    async conformancePackSummaries(names) {
      if (names.length === 0) return [];
      const c = await client();
      const { GetConformancePackComplianceSummaryCommand } = await sdk();
      const out: ConformancePackSummary[] = [];
      // The API takes at most 5 names a call.
      for (let i = 0; i < names.length; i += 5) {
        const ps = await pages('GetConformancePackComplianceSummary', (NextToken) =>
          c.send(new GetConformancePackComplianceSummaryCommand({ ConformancePackNames: names.slice(i, i + 5), NextToken })),
        );
        for (const p of ps) {
          for (const s of p.ConformancePackComplianceSummaryList ?? []) out.push({ name: s.ConformancePackName ?? '', compliance: s.ConformancePackComplianceStatus ?? 'INSUFFICIENT_DATA' });
        }
      }
      return out;
    },
  };
}
