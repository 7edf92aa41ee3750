import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** VISIBILITY_FACTOR: AWS recommends a visibility timeout of at least 6× the consumer's timeout. */
export const VISIBILITY_FACTOR = 6;

export interface QueueWithDlqProps
  extends Omit<QueueProps, 'deadLetterQueue' | 'encryption' | 'encryptionMasterKey' | 'visibilityTimeout'> {
  /**
   * Receives before a message moves to the DLQ: the retry budget (style rule 18). Controller
   * messages are level-triggered, so 5 failed looks at one object mean a bug, not bad luck.
   */
  readonly maxReceiveCount: number;
  /** Timeout of the consuming function; the visibility timeout is VISIBILITY_FACTOR × this. */
  readonly consumerTimeout: Duration;
  /** How long the DLQ keeps messages for inspection and redrive. Default 14 days (the maximum). */
  readonly dlqRetentionPeriod?: Duration;
}

export interface AddConsumerOptions {
  /** Default 10 (the largest batch that needs no batching window). */
  readonly batchSize?: number;
  /** Cap on concurrent invocations this queue drives (2..1000). */
  readonly maxConcurrency: number;
  /** Default none: reconciles are latency-sensitive. */
  readonly maxBatchingWindow?: Duration;
}

/**
 * QueueWithDlq is a work queue and its dead-letter queue: SQS-managed SSE and TLS-only access on
 * both, visibility timeout VISIBILITY_FACTOR × the consumer's timeout so a message is never
 * redelivered while a slow batch still holds it (which would also burn its receive budget).
 */
export class QueueWithDlq extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const { maxReceiveCount, consumerTimeout, dlqRetentionPeriod, ...queueProps } = props;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be an integer in [1, 1000], got ${maxReceiveCount}`);
    }
    this.maxReceiveCount = maxReceiveCount;
    this.visibilityTimeout = Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_FACTOR);
    if (this.visibilityTimeout.toSeconds() > 43_200) {
      throw new Error(`visibility timeout ${this.visibilityTimeout.toSeconds()} s exceeds SQS's 12 h maximum`);
    }

    this.deadLetterQueue = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: dlqRetentionPeriod ?? Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of its work queue; a DLQ of a DLQ only moves ' +
        'the problem. Its depth is alarmed (ApproximateNumberOfMessagesVisible >= 1) instead.',
    });

    this.queue = new Queue(this, 'Queue', {
      // Work queues hold only pointers to state kept in DynamoDB; losing one with the stack is
      // harmless because the resync sweep re-enqueues every unfinished rollout.
      removalPolicy: RemovalPolicy.DESTROY,
      ...queueProps,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }

  /**
   * addConsumer subscribes `fn` with partial batch responses (a failed record is retried alone,
   * the rest of the batch is deleted) and a concurrency cap. Throws when the function's timeout
   * breaks the visibility rule, so a later timeout bump cannot silently cause duplicate work.
   */
  addConsumer(fn: LambdaFunction, options: AddConsumerOptions): SqsEventSource {
    const timeout = fn.timeout?.toSeconds() ?? 3;
    if (timeout * VISIBILITY_FACTOR > this.visibilityTimeout.toSeconds()) {
      throw new Error(
        `${fn.node.path}: timeout ${timeout} s needs a visibility timeout of at least ` +
          `${timeout * VISIBILITY_FACTOR} s, queue has ${this.visibilityTimeout.toSeconds()} s`,
      );
    }
    const source = new SqsEventSource(this.queue, {
      batchSize: options.batchSize ?? 10,
      maxBatchingWindow: options.maxBatchingWindow,
      reportBatchItemFailures: true,
      maxConcurrency: options.maxConcurrency,
    });
    fn.addEventSource(source);
    return source;
  }
}
