/** S3 adapter (narrow, lazy). Read methods for health. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface S3Api {
  /** Names of every bucket the caller owns: one paginated ListBuckets instead of a HeadBucket per bucket. */
  listBuckets(): Promise<string[]>;
}

export function s3Api(provider: AwsProvider, hooks: AdapterHooks = {}): S3Api {
  const client = () => provider.client<S3Client>('s3', async () => (await import('@aws-sdk/client-s3')).S3Client);
  return {
    async listBuckets() {
      const c = await client();
      const { paginateListBuckets } = await import('@aws-sdk/client-s3');
      const names: string[] = [];
      // No page size: without MaxBuckets S3 answers every bucket in one response.
      for await (const out of paginateListBuckets({ client: c, withCommand: (cmd) => (hooks.onCall?.('s3:ListBuckets'), cmd) }, {})) {
        for (const b of out.Buckets ?? []) if (b.Name) names.push(b.Name);
      }
      return names;
    },
  };
}
