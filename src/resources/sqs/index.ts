/**
 * SQS queue: usable when it exists. Age of the oldest message from ApproximateAgeOfOldestMessage (AWS/SQS,
 * QueueName); an empty queue has no old message even when the metric is silent (idle queues stop publishing).
 * Dead-letter depth is read live from the DLQ named by the redrive policy or the registry's dead_letter_queue.
 */
import { sqsApi } from '../../aws/sqs.js';
import { classifyAwsError } from '../../aws/errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { defineHealth, type StateRead } from '../types.js';

export const sqs = defineHealth({
  metrics: [{ id: 'oldest_age', metricName: 'ApproximateAgeOfOldestMessage', stat: 'Maximum', sparse: false }],
  slos: [
    {
      key: 'oldest_message_age_seconds',
      label: 'age of oldest message',
      unit: 's',
      direction: 'max',
      scale: 'level',
      metrics: ['oldest_age'],
      observe: (o) => {
        const age = o.metric('oldest_age');
        if (age !== undefined) return age;
        const depth = o.fact('messages');
        if (depth === 0) return 0;
        return { unknown: depth === undefined ? 'no ApproximateAgeOfOldestMessage datapoints and queue depth not read' : `no ApproximateAgeOfOldestMessage datapoints while ${depth} messages wait` };
      },
    },
    {
      key: 'dead_letter_messages_max',
      label: 'dead-letter messages',
      unit: 'messages',
      direction: 'max',
      scale: 'level',
      metrics: [],
      observe: (o) => {
        if (o.fact('dlqConfigured') === 0) return { notApplicable: 'no dead-letter queue configured' };
        return o.fact('dlqMessages') ?? { unknown: o.fact('dlqReadFailed') ? 'dead-letter queue depth not read: its GetQueueAttributes call failed (see state.deadLetterRead)' : 'dead-letter queue depth not read' };
      },
    },
  ],
  notEvaluated: { availability_percent: 'SQS publishes no request failure metric; availability is judged from the queue existing' },
  async readState(resources, ctx) {
    const api = sqsApi(ctx.aws, { onCall: ctx.onCall });
    const out = new Map<string, StateRead>();
    // No batch read exists for queue attributes: one GetQueueUrl + GetQueueAttributes per queue, bounded.
    await mapLimit(resources, ctx.concurrency, async (r) => {
      try {
        const q = await api.getQueue(r.name);
        if (!q) return;
        const dlqName = r.dead_letter_queue ?? q.deadLetterQueue;
        const facts: Record<string, number> = { messages: q.visible + q.inFlight + q.delayed, dlqConfigured: dlqName ? 1 : 0 };
        const state: Record<string, unknown> = { visible: q.visible, inFlight: q.inFlight, deadLetterQueue: dlqName ?? null };
        if (dlqName) {
          // The queue's own state is already read: a failed dead-letter read leaves only its SLO unknown.
          let dlq: Awaited<ReturnType<typeof api.getQueue>>;
          try {
            dlq = await api.getQueue(dlqName);
          } catch (e) {
            const f = classifyAwsError(e, 'sqs', 'GetQueueAttributes');
            state.deadLetterRead = `${f.code}: ${f.message}`.slice(0, 200);
            return out.set(r.name, { verdict: 'HEALTHY', state, facts: { ...facts, dlqReadFailed: 1 } });
          }
          if (!dlq) return out.set(r.name, { verdict: 'UNHEALTHY', reason: `dead-letter queue ${dlqName} does not exist`, state, facts });
          facts.dlqMessages = dlq.visible + dlq.inFlight + dlq.delayed;
          state.deadLetterMessages = facts.dlqMessages;
        }
        out.set(r.name, { verdict: 'HEALTHY', state, facts });
      } catch (e) {
        const f = classifyAwsError(e, 'sqs', 'GetQueueAttributes');
        out.set(r.name, ctx.fail(f));
      }
    });
    return out;
  },
});
