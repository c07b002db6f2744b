/** SQS adapter (narrow, lazy). Read methods for health. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AdapterHooks } from './lambda.js';
import type { AwsProvider } from './provider.js';

export interface QueueInfo {
  name: string;
  url: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** Name of the dead-letter queue from the redrive policy, if any. */
  deadLetterQueue?: string;
}

export interface SqsApi {
  /** One queue's depth and redrive policy; undefined when the queue does not exist. */
  getQueue(name: string): Promise<QueueInfo | undefined>;
}

const NOT_FOUND = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'NonExistentQueue']);

export function sqsApi(provider: AwsProvider, hooks: AdapterHooks = {}): SqsApi {
  const client = () => provider.client<SQSClient>('sqs', async () => (await import('@aws-sdk/client-sqs')).SQSClient);
  return {
    async getQueue(name) {
      const c = await client();
      const { GetQueueUrlCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
      let url: string | undefined;
      try {
        hooks.onCall?.('sqs:GetQueueUrl');
        url = (await c.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
        if (!url) return undefined;
        hooks.onCall?.('sqs:GetQueueAttributes');
        const a = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
        let dlq: string | undefined;
        try {
          const arn = (JSON.parse(a.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string }).deadLetterTargetArn;
          dlq = arn?.split(':').pop();
        } catch {
          // A redrive policy we cannot read names no DLQ; the registry may still name one.
        }
        return {
          name,
          url,
          visible: Number(a.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
          delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
          deadLetterQueue: dlq,
        };
      } catch (e) {
        const err = e as { name?: string; Code?: string };
        if (NOT_FOUND.has(err.name ?? '') || NOT_FOUND.has(err.Code ?? '')) return undefined;
        throw e;
      }
    },
  };
}
