/**
 * zod schemas for every file helm-cloud reads. Keys are snake_case as users write them.
 * Two policies (docs/configuration.md, "Which files are whose"):
 * - files another tool writes or shares (registry/, shared/) are forward-compatible: the keys declared here are
 *   validated strictly, other keys are ignored (stripped) and listed by `doctor`;
 * - files helm-cloud owns (monitoring.toml) are strict: an unknown key is an error with "did you mean", because
 *   a typo in a threshold must not silently fall back to a default.
 */
import { z } from 'zod';
import { DeploySection } from './deploy-schema.js';
import { AutomationSection } from './automation-schema.js';
import { OncallSection } from './oncall-schema.js';
import { MonitoringServer, PromSlo } from './prometheus-schema.js';

import { RESOURCE_TYPES, SLO_KEYS, type ResourceType } from '../resources/index.js';

// The resource registry is the home of types and their SLO keys; config validates against it.
export { RESOURCE_TYPES, SLO_KEYS, type ResourceType };

/** Environment and profile names become file names and report keys: no separators, no control characters. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const name = z.string().regex(NAME_RE, 'a name of letters, digits, ".", "_" or "-" (at most 64, no path separators)');

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 timestamp such as 2026-11-20T10:00:00Z');

export const RegistryResource = z
  .object({
    type: z.enum(RESOURCE_TYPES),
    name: z.string().min(1).max(255),
    arn: z.string().optional(),
    region: z.string().optional(),
    /** Optional overrides used by some resource types (log group, API stage, ECS cluster, SQS DLQ...). */
    log_group: z.string().optional(),
    cluster: z.string().optional(),
    stage: z.string().optional(),
    dead_letter_queue: z.string().optional(),
    alias: z.string().optional(),
    /** Kubernetes workloads: namespace (default "default") and kubeconfig context (default: the environment's, else current-context). */
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name (lowercase letters, digits, "-")').optional(),
    context: z.string().min(1).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  });
export type RegistryResource = z.infer<typeof RegistryResource>;

export const Deployment = z
  .object({
    id: z.string().min(1),
    environment: name,
    project: z.string().min(1),
    version: z.string().min(1),
    deployed_at: isoDate,
    region: z.string().optional(),
    deployed_by: z.string().optional(),
    commit: z.string().optional(),
    status: z.enum(['succeeded', 'failed', 'rolled_back']).optional(),
    resources: z.array(RegistryResource),
  });
export type Deployment = z.infer<typeof Deployment>;

export const Registry = z
  .object({
    version: z.literal(1),
    deployments: z.array(Deployment),
  });
export type Registry = z.infer<typeof Registry>;

export const Environment = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1'),
    aws_profile: name.optional(),
    account_id: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id').optional(),
    protected: z.boolean().default(false),
    endpoint_url: z.string().url().optional(),
    /** Per-environment monitoring servers; PROMETHEUS_URL / ALERTMANAGER_URL still win. */
    prometheus_url: z.string().url().optional(),
    alertmanager_url: z.string().url().optional(),
    cost_allocation_tag: z.object({ key: z.string().min(1), value: z.string().min(1) }).optional(),
    description: z.string().optional(),
    /** kubeconfig context for this environment's Kubernetes workloads (default: current-context). */
    kube_context: z.string().min(1).optional(),
  });
export type Environment = z.infer<typeof Environment>;

export const Environments = z
  .object({
    environments: z.record(name, Environment).refine((r) => Object.keys(r).length > 0, 'at least one environment'),
  });
export type Environments = z.infer<typeof Environments>;

export const CredentialProfile = z
  .object({
    account_id: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
    region: z.string().optional(),
    role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN').optional(),
    source_profile: name.optional(),
    description: z.string().optional(),
  });

export const Credentials = z
  .object({
    profiles: z.record(name, CredentialProfile),
  });
export type Credentials = z.infer<typeof Credentials>;

/** Durations as operators write them: 30s, 5m, 1h, 3d. */
export const DURATION_RE = /^(\d+)(ms|s|m|h|d|w)$/;
const duration = z.string().regex(DURATION_RE, 'a duration such as 30s, 5m, 1h or 3d');

export const CHECKS = ['resource_status', 'cloudwatch_metrics', 'cloudwatch_alarms'] as const;


/**
 * `key = false` switches off an SLO that the example defaults set (the user's file is merged over them, so
 * leaving a key out keeps the default). `period_days = false` switches off burn rates for the type.
 */
const sloTable = (type: ResourceType) =>
  z
    .object(Object.fromEntries(SLO_KEYS[type].map((k) => [k, z.union([z.number().finite().nonnegative(), z.literal(false)]).optional()])))
    .strict()
    .transform((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== false)) as Partial<Record<string, number>>);

export const Monitoring = z
  .object({
    monitoring: z
      .object({
        health_check_interval: duration.default('5m'),
        enabled_checks: z.array(z.enum(CHECKS)).default([...CHECKS]),
        default_window: duration.default('1h'),
        /** An SLO whose consumed error budget reaches this percentage is DEGRADED. */
        degraded_budget_percent: z.number().min(0).max(100).default(75),
        /** Bound on concurrent AWS calls per run. */
        concurrency: z.number().int().min(1).max(64).default(8),
        /** health scores each SLO series over anomaly_baseline with the anomaly detector (as --anomalies). */
        anomaly_detection: z.boolean().default(false),
        anomaly_baseline: duration.default('7d'),
      })
      .strict()
      .default({
        health_check_interval: '5m',
        enabled_checks: [...CHECKS],
        default_window: '1h',
        degraded_budget_percent: 75,
        concurrency: 8,
        anomaly_detection: false,
        anomaly_baseline: '7d',
      }),
    slos: z
      .object({ ...Object.fromEntries(RESOURCE_TYPES.map((t) => [t, sloTable(t).optional()])), prometheus: z.array(PromSlo).optional() })
      .strict()
      .default({}),
    prometheus: MonitoringServer.optional(),
    alertmanager: MonitoringServer.optional(),
    remediation: z
      .object({
        auto_remediate: z.array(z.string()).default([]),
        require_confirmation: z.array(z.string()).default([]),
        never_auto: z.array(z.string()).default([]),
        /** Seconds to wait before re-reading metrics in verify. */
        settle_seconds: z.number().int().min(0).max(3600).default(0),
      })
      .strict()
      .default({ auto_remediate: [], require_confirmation: [], never_auto: [], settle_seconds: 0 }),
    /** Per-resource settings, keyed by the registry resource name. */
    resources: z
      .record(
        z.string().min(1).max(255),
        z
          .object({
            /** Zero requests in the window is a finding (UNHEALTHY), not "idle". */
            expect_traffic: z.boolean().default(false),
          })
          .strict(),
      )
      .default({}),
    investigate: z
      .object({
        max_lines: z.number().int().min(1).max(1_000_000).default(10_000),
        query_timeout_seconds: z.number().min(1).max(900).default(60),
        default_window: duration.default('1h'),
      })
      .strict()
      .default({ max_lines: 10_000, query_timeout_seconds: 60, default_window: '1h' }),
    audit: z
      .object({
        fail_on: z.enum(['critical', 'high', 'medium', 'low']).default('high'),
        idle_days: z.number().int().min(1).max(90).default(14),
        /** Days in each compared cost period (this period against the one before). */
        period_days: z.number().int().min(1).max(180).default(30),
        /** Cost-allocation tag whose value names the registry project. */
        project_tag: z.string().min(1).max(128).default('project'),
      })
      .strict()
      .default({ fail_on: 'high', idle_days: 14, period_days: 30, project_tag: 'project' }),
    oncall: OncallSection.optional(),
    deploy: DeploySection.optional(),
    automation: AutomationSection.optional(),
  })
  .strict();
export type Monitoring = z.infer<typeof Monitoring>;
export type SloTable = Partial<Record<string, number>>;
