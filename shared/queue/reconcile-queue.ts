import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { RollwayConfig } from '../config.js';
import { type ReconcileMessage, messageKey } from './messages.js';

/** SQS caps DelaySeconds at 15 minutes; longer waits are chained by the controller. */
export const MAX_DELAY_SECONDS = 900;

export function createSqsClient(config: RollwayConfig): SQSClient {
  return new SQSClient({
    region: config.region,
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 6,
  });
}

export interface ReconcileQueue {
  /** send enqueues reconcile messages, deduplicated, optionally delayed; `force` skips any coalescing. */
  send(messages: ReconcileMessage[], delayMs?: number, opts?: { force?: boolean }): Promise<void>;
  /** received is told, before the reconcile reads anything, that a message is being handled. */
  received?(message: ReconcileMessage): Promise<void>;
}

/** SqsReconcileQueue sends reconcile messages in batches of ten. */
export class SqsReconcileQueue implements ReconcileQueue {
  sent = 0;
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: ReconcileMessage[], delayMs = 0): Promise<void> {
    const unique = new Map<string, ReconcileMessage>();
    for (const m of messages) unique.set(messageKey(m), m);
    const all = [...unique.values()];
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
    for (let i = 0; i < all.length; i += 10) {
      const batch = all.slice(i, i + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m), DelaySeconds: delaySeconds })),
        }),
      );
      if (out.Failed && out.Failed.length > 0) {
        throw new Error(`SQS refused ${out.Failed.length} reconcile messages: ${out.Failed.map((f) => f.Code).join(', ')}`);
      }
      this.sent += batch.length;
    }
  }
}
