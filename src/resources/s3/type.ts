/** S3 bucket: everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/s3.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const s3Type = defineType({
  type: 's3',
  service: 's3',
  readOperation: 'ListBuckets',
  namespace: 'AWS/S3',
  dimensions: (r) => [
    { name: 'BucketName', value: r.name },
    { name: 'FilterId', value: 'EntireBucket' },
  ],
  sloKeys: ['error_rate_percent', 'client_error_rate_percent', 'availability_percent'],
  investigate: [
    { metricName: '5xxErrors', stat: 'Sum', kind: 'errors', minAbsolute: 1 },
    { metricName: 'AllRequests', stat: 'Sum', kind: 'traffic', minAbsolute: 5 },
  ],
  logs: () => ({ none: 's3 has no log group of its own; metrics only', byNature: true }),
  words: { scope: ['s3', 'bucket', 'buckets'], request: ['bucket', 's3'] },
  findingTypes: ['AwsS3Bucket', 'AWS::S3::Bucket'],
  iamPrefix: 's3',
  deleteCommand: (r) => `aws s3 rb s3://${r.name} --region ${sh(r.region)}   # after emptying and backing up`,
  load: async () => (await import('./index.js')).s3,
});
