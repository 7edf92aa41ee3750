import { Consumer } from 'sqs-consumer';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from '../../shared/controller/sqs-types.js';
import { log, errorFields } from '../../shared/logger.js';

/** toSqsEvent turns received messages into the event a Lambda SQS event source delivers. */
export function toSqsEvent(messages: Message[], queueArn: string, region: string): SQSEvent {
  return {
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
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

export interface PollerOptions {
  name: string;
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** The Lambda handler: an SQS event in, partial batch failures out. */
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
}

/**
 * startSqsPoller plays the Lambda SQS event source locally: it long-polls a
 * queue, hands each batch to the handler as a real SQS event, deletes the
 * records that did not fail and leaves the failed ones to come back after the
 * visibility timeout. Returns the function that stops it.
 */
export function startSqsPoller(o: PollerOptions): () => void {
  let stopping = false;
  const consumer = Consumer.create({
    queueUrl: o.queueUrl,
    sqs: o.sqs,
    batchSize: 10,
    waitTimeSeconds: 1,
    pollingWaitTimeMs: 0,
    attributeNames: ['All'],
    shouldDeleteMessages: true,
    handleMessageBatch: async (messages) => {
      const result = await o.handler(toSqsEvent(messages, o.queueArn, o.region));
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      return messages.filter((m) => !failed.has(m.MessageId!));
    },
  });
  // Requests cut short by stop() are expected; anything else is worth a line.
  consumer.on('error', (err) => stopping || log.warn(`${o.name} error`, errorFields(err)));
  consumer.on('processing_error', (err) => stopping || log.warn(`${o.name} processing error`, errorFields(err)));
  consumer.start();
  return () => {
    stopping = true;
    consumer.stop({ abort: true });
  };
}
