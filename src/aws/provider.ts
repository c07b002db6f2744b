/**
 * The one place AWS SDK clients get their configuration: region, credentials, endpoint, retry policy, timeouts,
 * and the one place they are made: `client(service, load)` creates a service's client on first use and hands the
 * same one to every adapter of that service, so `--help` never loads SDK code and a run holds one client per service.
 *
 * Credentials, like the AWS CLI: an explicit --profile wins; else credentials in the environment
 * (AWS_ACCESS_KEY_ID, as CI provides them); else the environment's aws_profile; else the default chain.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface ProviderOptions {
  region: string;
  /** From --profile: always used. */
  explicitProfile?: string;
  /** From environments.json: used unless credentials are in the process environment. */
  configProfile?: string;
  endpoint?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

/** The shared client configuration; every adapter passes it to its SDK client constructor. */
export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: 'adaptive' | 'standard';
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
  logger?: undefined;
}

/** The services helm-cloud calls; the key of each one's single client. */
export type AwsService = 'apigateway' | 'ce' | 'cloudwatch' | 'config' | 'dynamodb' | 'ecs' | 'elasticache' | 'lambda' | 'logs' | 'rds' | 's3' | 'securityhub' | 'sqs' | 'sts';

/** Where a service's client departs from the shared configuration. */
const SERVICE_SETTINGS: Partial<Record<AwsService, (p: AwsProvider) => Record<string, unknown>>> = {
  // Path-style addressing keeps custom endpoints (emulators, VPC endpoints) working for any bucket name.
  s3: (p) => ({ forcePathStyle: Boolean(p.endpoint) }),
  // Cost Explorer has one endpoint, in us-east-1, whatever the environment's region.
  ce: () => ({ region: 'us-east-1' }),
  // STS only answers the credential probe: expired credentials should fail fast, not retry.
  sts: () => ({ maxAttempts: 1 }),
};

/** An SDK client class, as `load` returns it (`(await import('@aws-sdk/client-x')).XClient`). */
export type ClientClass<C> = new (config: ClientConfig) => C;

export class AwsProvider {
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;
  private readonly opts: ProviderOptions;
  private readonly memo = new Map<string, unknown>();
  private credentials?: AwsCredentialIdentityProvider;

  constructor(opts: ProviderOptions) {
    this.opts = opts;
    this.region = opts.region;
    const envHasKeys = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
    this.profile = opts.explicitProfile ?? (envHasKeys ? undefined : opts.configProfile ?? process.env.AWS_PROFILE);
    this.endpoint = opts.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
  }

  /** Retries: adaptive (client-side rate limiting under throttling). HELM_CLOUD_MAX_ATTEMPTS lets tests fail fast. */
  get maxAttempts(): number {
    const env = Number(process.env.HELM_CLOUD_MAX_ATTEMPTS);
    return this.opts.maxAttempts ?? (Number.isInteger(env) && env > 0 ? env : 4);
  }

  get requestTimeoutMs(): number {
    const env = Number(process.env.HELM_CLOUD_REQUEST_TIMEOUT_MS);
    return this.opts.requestTimeoutMs ?? (Number.isFinite(env) && env > 0 ? env : 30_000);
  }

  async clientConfig(): Promise<ClientConfig> {
    if (!this.credentials && this.profile) {
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      this.credentials = fromNodeProviderChain({ profile: this.profile });
    }
    return {
      region: this.region,
      ...(this.endpoint ? { endpoint: this.endpoint } : {}),
      ...(this.credentials ? { credentials: this.credentials } : {}),
      maxAttempts: this.maxAttempts,
      retryMode: 'adaptive',
      // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting: a hung endpoint would hang the run.
      requestHandler: { requestTimeout: this.requestTimeoutMs, connectionTimeout: Math.min(5_000, this.requestTimeoutMs), throwOnRequestTimeout: true },
    };
  }

  /** The service's one SDK client for the provider's lifetime, created (and its package loaded) on first use. */
  client<C>(service: AwsService, load: () => Promise<ClientClass<C>>): Promise<C> {
    return this.once(`client:${service}`, async () => {
      const Client = await load();
      return new Client({ ...(await this.clientConfig()), ...SERVICE_SETTINGS[service]?.(this) });
    });
  }

  /** One instance per key for the provider's lifetime (adapters, clients). */
  async once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as Promise<T>;
  }

  describe(): { region: string; profile?: string; endpoint?: string } {
    return { region: this.region, profile: this.profile, endpoint: this.endpoint };
  }
}
