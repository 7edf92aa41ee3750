import { Consumer } from 'sqs-consumer';
import type { Runtime } from '../../shared/runtime.js';
import type { SQSEvent } from '../../shared/controller/sqs-types.js';
import { handleNotifyBatch } from '../../shared/notifications/deliver.js';
import { log, errorFields } from '../../shared/logger.js';

/**
 * startNotifierWorker polls the notifications queue and hands batches to the
 * notifier Lambda's handler, as the controller workers do for theirs. One
 * poller, so the events of a rollout are delivered in the order they were
 * enqueued. Returns the function that stops it.
 */
export function startNotifierWorker(rt: Runtime): () => void {
  if (!rt.config.notifyQueueUrl) return () => undefined;
  const consumer = Consumer.create({
    queueUrl: rt.config.notifyQueueUrl,
    sqs: rt.sqs,
    batchSize: 10,
    waitTimeSeconds: 1,
    pollingWaitTimeMs: 0,
    attributeNames: ['All'],
    shouldDeleteMessages: true,
    handleMessageBatch: async (messages) => {
      const event: SQSEvent = {
        Records: messages.map((m) => ({
          messageId: m.MessageId!,
          receiptHandle: m.ReceiptHandle!,
          body: m.Body ?? '',
          attributes: {
            ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
            SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
            SenderId: m.Attributes?.SenderId ?? 'local',
            ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs' as const,
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:rollway-notifications',
          awsRegion: rt.config.region,
        })),
      };
      const result = await handleNotifyBatch(rt, event);
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      return messages.filter((m) => !failed.has(m.MessageId!));
    },
  });
  consumer.on('error', (err) => log.warn('notifier worker error', errorFields(err)));
  consumer.on('processing_error', (err) => log.warn('notifier worker processing error', errorFields(err)));
  consumer.start();
  return () => consumer.stop({ abort: true });
}
