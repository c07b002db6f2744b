/**
 * How to fix a resource an AWS Config rule marks NON_COMPLIANT. AWS Config rules carry no severity and no
 * remediation text, so managed rules we know get both here; any other rule gets its own description and the
 * managed-rule documentation page (its address follows from the identifier), with severity medium.
 */
import type { AuditSeverity } from './severity.js';

interface Guidance {
  severity: AuditSeverity;
  fix: string;
}

const MANAGED: Record<string, Guidance> = {
  LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED: { severity: 'critical', fix: 'remove resource-policy statements that allow Principal "*" (aws lambda remove-permission), or add a SourceArn/SourceAccount condition' },
  LAMBDA_INSIDE_VPC: { severity: 'low', fix: 'attach the function to private subnets and a security group (VpcConfig) if it reaches private resources' },
  LAMBDA_DLQ_CHECK: { severity: 'low', fix: 'configure an SQS or SNS dead-letter queue (DeadLetterConfig) or an on-failure destination' },
  LAMBDA_FUNCTION_SETTINGS_CHECK: { severity: 'low', fix: 'set runtime, memory and timeout to the values the rule parameters require' },
  S3_BUCKET_PUBLIC_READ_PROHIBITED: { severity: 'critical', fix: 'enable S3 Block Public Access on the bucket and remove public ACL grants and policy statements' },
  S3_BUCKET_PUBLIC_WRITE_PROHIBITED: { severity: 'critical', fix: 'enable S3 Block Public Access on the bucket and remove public write grants' },
  S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED: { severity: 'high', fix: 'turn on all four Block Public Access settings (aws s3api put-public-access-block)' },
  S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: { severity: 'medium', fix: 'set default encryption (SSE-S3 or SSE-KMS) with aws s3api put-bucket-encryption' },
  S3_BUCKET_SSL_REQUESTS_ONLY: { severity: 'medium', fix: 'add a bucket-policy Deny for aws:SecureTransport = false' },
  S3_BUCKET_VERSIONING_ENABLED: { severity: 'low', fix: 'enable versioning (aws s3api put-bucket-versioning --versioning-configuration Status=Enabled)' },
  S3_BUCKET_LOGGING_ENABLED: { severity: 'low', fix: 'enable server access logging to a log bucket' },
  RDS_STORAGE_ENCRYPTED: { severity: 'high', fix: 'encryption cannot be turned on in place: snapshot, copy the snapshot with a KMS key, restore, switch over' },
  RDS_INSTANCE_PUBLIC_ACCESS_CHECK: { severity: 'critical', fix: 'modify the instance with --no-publicly-accessible and keep it in private subnets' },
  RDS_SNAPSHOTS_PUBLIC_PROHIBITED: { severity: 'critical', fix: 'remove "all" from the snapshot restore attribute (aws rds modify-db-snapshot-attribute)' },
  RDS_MULTI_AZ_SUPPORT: { severity: 'medium', fix: 'modify the instance to Multi-AZ (--multi-az) in a maintenance window' },
  DB_INSTANCE_BACKUP_ENABLED: { severity: 'medium', fix: 'set a backup retention period of at least 7 days (--backup-retention-period)' },
  RDS_INSTANCE_DELETION_PROTECTION_ENABLED: { severity: 'low', fix: 'modify the instance with --deletion-protection' },
  DYNAMODB_PITR_ENABLED: { severity: 'medium', fix: 'enable point-in-time recovery (aws dynamodb update-continuous-backups)' },
  DYNAMODB_TABLE_ENCRYPTED_KMS: { severity: 'medium', fix: 'switch the table to a KMS key (aws dynamodb update-table --sse-specification)' },
  SQS_QUEUE_ENCRYPTED: { severity: 'medium', fix: 'enable SSE (SqsManagedSseEnabled or a KMS key) on the queue' },
  API_GW_EXECUTION_LOGGING_ENABLED: { severity: 'low', fix: 'set the stage logging level to ERROR or INFO and give API Gateway a CloudWatch role' },
  API_GW_CACHE_ENABLED_AND_ENCRYPTED: { severity: 'low', fix: 'enable stage caching with cache data encrypted' },
  API_GW_ASSOCIATED_WITH_WAF: { severity: 'medium', fix: 'associate a WAF web ACL with the stage' },
  ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK: { severity: 'high', fix: 'run host-network containers as a non-root user, or drop host networking' },
  ECS_CONTAINERS_READONLY_ACCESS: { severity: 'medium', fix: 'set readonlyRootFilesystem: true in the container definitions' },
  ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK: { severity: 'medium', fix: 'set a snapshot retention limit of at least 1 day' },
  IAM_ROOT_ACCESS_KEY_CHECK: { severity: 'critical', fix: 'delete the root user access keys' },
  ROOT_ACCOUNT_MFA_ENABLED: { severity: 'critical', fix: 'enable MFA on the root user' },
  IAM_USER_MFA_ENABLED: { severity: 'high', fix: 'enable MFA for every IAM user with a console password' },
  IAM_PASSWORD_POLICY: { severity: 'medium', fix: 'set an account password policy that meets the rule parameters' },
  CLOUD_TRAIL_ENABLED: { severity: 'high', fix: 'create a multi-region trail that logs management events' },
  ENCRYPTED_VOLUMES: { severity: 'medium', fix: 'enable EBS encryption by default; migrate attached volumes via encrypted snapshots' },
  VPC_FLOW_LOGS_ENABLED: { severity: 'medium', fix: 'enable flow logs on the VPC' },
  RESTRICTED_INCOMING_TRAFFIC: { severity: 'high', fix: 'remove 0.0.0.0/0 ingress on the restricted ports from the security group' },
  INCOMING_SSH_DISABLED: { severity: 'high', fix: 'remove 0.0.0.0/0 ingress on port 22; use Session Manager instead' },
};

export function managedRuleDocUrl(identifier: string): string {
  return `https://docs.aws.amazon.com/config/latest/developerguide/${identifier.toLowerCase().replace(/_/g, '-')}.html`;
}

export function guidanceFor(rule: { name: string; sourceIdentifier?: string; owner?: string; description?: string }): Guidance & { url?: string } {
  const id = rule.sourceIdentifier;
  const known = id ? MANAGED[id] : undefined;
  const url = rule.owner === 'AWS' && id ? managedRuleDocUrl(id) : undefined;
  if (known) return { ...known, url };
  const what = rule.description?.trim() ? `make the resource satisfy the rule: ${rule.description.trim()}` : `make the resource satisfy rule ${rule.name}`;
  return { severity: 'medium', fix: url ? `${what} (see ${url})` : `${what}; ask the rule's owner for the fix`, url };
}
