/** SQS queue: everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/sqs.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const sqsType = defineType({
  type: 'sqs',
  service: 'sqs',
  readOperation: 'GetQueueAttributes',
  namespace: 'AWS/SQS',
  dimensions: (r) => [{ name: 'QueueName', value: r.name }],
  sloKeys: ['oldest_message_age_seconds', 'dead_letter_messages_max', 'availability_percent'],
  investigate: [
    { metricName: 'ApproximateAgeOfOldestMessage', stat: 'Maximum', kind: 'backlog', minAbsolute: 10 },
    { metricName: 'ApproximateNumberOfMessagesVisible', stat: 'Maximum', kind: 'backlog', minAbsolute: 5 },
    { metricName: 'NumberOfMessagesSent', stat: 'Sum', kind: 'traffic', minAbsolute: 5 },
  ],
  logs: () => ({ none: 'sqs has no log group of its own; metrics only', byNature: true }),
  words: { scope: ['sqs', 'queue', 'queues', 'dlq'], request: ['queue', 'sqs'] },
  findingTypes: ['AwsSqsQueue', 'AWS::SQS::Queue'],
  iamPrefix: 'sqs',
  deleteCommand: (r) => `aws sqs delete-queue --queue-url <url> --region ${sh(r.region)}`,
  load: async () => (await import('./index.js')).sqs,
});
