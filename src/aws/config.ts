/**
 * AWS Config adapter: recorder status, rules, compliance by rule, non-compliant resources per rule, and
 * conformance packs with their compliance summary. All paginated.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
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
  const client = () => provider.client<ConfigServiceClient>('config', async () => (await import('@aws-sdk/client-config-service')).ConfigServiceClient);
  const sdk = () => import('@aws-sdk/client-config-service');
  // Every read stops on a repeated token as well as on none: an endpoint that repeats one would loop forever.
  const paging = async () => ({ client: await client(), stopOnSameToken: true });

  /** Every page of one paginated read, its failure classified as `op`. */
  async function pages<P>(op: string, paged: AsyncIterable<P>): Promise<P[]> {
    return attempt('config', op, async () => {
      const out: P[] = [];
      for await (const page of paged) out.push(page);
      return out;
    });
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
      const { paginateDescribeConfigRules } = await sdk();
      const ps = await pages('DescribeConfigRules', paginateDescribeConfigRules(await paging(), {}));
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
      const { paginateDescribeComplianceByConfigRule } = await sdk();
      const ps = await pages('DescribeComplianceByConfigRule', paginateDescribeComplianceByConfigRule(await paging(), {}));
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
      const { paginateGetComplianceDetailsByConfigRule } = await sdk();
      const ps = await pages(
        'GetComplianceDetailsByConfigRule',
        paginateGetComplianceDetailsByConfigRule({ ...(await paging()), pageSize: 100 }, { ConfigRuleName: rule, ComplianceTypes: ['NON_COMPLIANT'] }),
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
      const { paginateDescribeConformancePacks } = await sdk();
      const ps = await pages('DescribeConformancePacks', paginateDescribeConformancePacks(await paging(), {}));
      return ps.flatMap((p) => (p.ConformancePackDetails ?? []).map((d) => d.ConformancePackName ?? '')).filter(Boolean);
    },
    async conformancePackSummaries(names) {
      if (names.length === 0) return [];
      const { paginateGetConformancePackComplianceSummary } = await sdk();
      const out: ConformancePackSummary[] = [];
      // The API takes at most 5 names a call.
      for (let i = 0; i < names.length; i += 5) {
        const ps = await pages('GetConformancePackComplianceSummary', paginateGetConformancePackComplianceSummary(await paging(), { ConformancePackNames: names.slice(i, i + 5) }));
        for (const p of ps) {
          for (const s of p.ConformancePackComplianceSummaryList ?? []) out.push({ name: s.ConformancePackName ?? '', compliance: s.ConformancePackComplianceStatus ?? 'INSUFFICIENT_DATA' });
        }
      }
      return out;
    },
  };
}
