/**
 * The audit check contract (Prowler style): metadata is reviewable data validated on load; a check only judges
 * a pre-fetched inventory and returns one Finding per resource. UNKNOWN (no data, no permission) never counts
 * as PASS.
 */
import { z } from 'zod';
import { RESOURCE_TYPES } from '../config/schemas.js';
import type { AuditInventory } from './inventory.js';
import { SEVERITIES } from './severity.js';

export const CheckMetadata = z
  .object({
    CheckID: z.string().regex(/^[a-z0-9]+(_[a-z0-9]+)+$/, 'snake_case <service>_<subject>_<expected_state>'),
    CheckTitle: z.string().min(1),
    ServiceName: z.string().min(1),
    Severity: z.enum(SEVERITIES),
    ResourceType: z.enum(RESOURCE_TYPES),
    /** The Security Hub / Config style type name, for readers who know those. */
    AwsResourceType: z.string().min(1),
    Risk: z.string().min(1),
    Remediation: z
      .object({
        Text: z.string().min(1),
        CLI: z.string().optional(),
        IaC: z.string().optional(),
        Url: z.string().url().optional(),
      })
      .strict(),
    Categories: z.array(z.string().min(1)).min(1),
    /** Which audit section reports the check. */
    Section: z.enum(['cost', 'security', 'compliance']),
  })
  .strict();
export type CheckMetadata = z.infer<typeof CheckMetadata>;

export type FindingStatus = 'PASS' | 'FAIL' | 'UNKNOWN';

export interface Finding {
  checkId: string;
  status: FindingStatus;
  resourceId: string;
  arn?: string;
  region: string;
  project?: string;
  /** One human sentence: why this status. */
  reason: string;
  /** Cost checks: estimated monthly saving in USD when FAIL (null when it cannot be estimated). */
  monthlySaving?: number | null;
  /** Cost checks: how the saving was estimated. */
  how?: string;
}

export interface CheckConfig {
  /** Days of metrics an idle/usage judgement looks at ([audit] idle_days). */
  idleDays: number;
  nowMs: number;
}

export interface Check {
  metadata: CheckMetadata;
  run(inventory: AuditInventory, config: CheckConfig): Finding[];
}

/** Validates metadata when the check module loads, so a bad metadata.json fails loudly and early. */
export function defineCheck(metadata: unknown, run: Check['run']): Check {
  return { metadata: CheckMetadata.parse(metadata), run };
}
