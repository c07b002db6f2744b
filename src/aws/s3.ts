/** S3 adapter (narrow, lazy). Read methods for health. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface S3Api {
  /** Names of every bucket the caller owns: one paginated ListBuckets instead of a HeadBucket per bucket. */
  listBuckets(): Promise<string[]>;
}

export function s3Api(provider: AwsProvider, hooks: AdapterHooks = {}): S3Api {
  const client = () =>
    provider.once('s3', async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      // Path-style addressing keeps custom endpoints (emulators, VPC endpoints) working for any bucket name.
      return new S3Client({ ...(await provider.clientConfig()), forcePathStyle: Boolean(provider.endpoint) });
    }) as Promise<S3Client>;
  return {
    async listBuckets() {
      const c = await client();
      const { ListBucketsCommand } = await import('@aws-sdk/client-s3');
      const names: string[] = [];
      let token: string | undefined;
      do {
        hooks.onCall?.('s3:ListBuckets');
        const out = await c.send(new ListBucketsCommand({ ContinuationToken: token, MaxBuckets: token === undefined ? undefined : 1000 }));
        for (const b of out.Buckets ?? []) if (b.Name) names.push(b.Name);
        token = out.ContinuationToken;
      } while (token);
      return names;
    },
  };
}
