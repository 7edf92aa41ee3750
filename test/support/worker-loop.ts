import { toSqsEvent as toLambdaSqsEvent } from '../../infra/local/sqs-poller.js';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Runtime } from '../../shared/runtime.js';
import { handleControllerBatch } from '../../shared/controller/sqs-handler.js';
import type { SQSEvent, SQSRecord } from '../../shared/controller/sqs-types.js';

/**
 * A controller worker for tests: polls the controller queue with a clean SQS
 * client and hands each batch to handleControllerBatch with the given runtime
 * (whose clients may inject faults), as the Lambda event source mapping does.
 * It can deliver records twice, late and out of order.
 */
export interface WorkerLoopOptions {
  rt: Runtime;
  /** Client for receive/delete (not faulted: SQS's own delivery is modelled by the options below). */
  sqs: SQSClient;
  queueUrl: string;
  /** Loops polling in parallel. */
  concurrency?: number;
  /** Share of batches delivered a second time, later. */
  duplicateRate?: number;
  /** Shuffle the records of each batch. */
  reorder?: boolean;
  random?: () => number;
  /** Visibility timeout given back to failed records (seconds). */
  retryAfterSeconds?: number;
  onBatch?: (phase: 'begin' | 'end', records: number) => void;
}

export interface WorkerLoop {
  stop(): Promise<void>;
  stats: { batches: number; records: number; failures: number; duplicates: number; crashes: number };
}

/** toSqsEvent builds the Lambda SQS event for a batch, as the local stack's pollers do. */
export function toSqsEvent(messages: Message[]): SQSEvent {
  return toLambdaSqsEvent(messages, 'arn:aws:sqs:us-east-1:000000000000:rollway-controller', 'us-east-1');
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function startWorkerLoop(opts: WorkerLoopOptions): WorkerLoop {
  const rnd = opts.random ?? Math.random;
  let stopped = false;
  const stats = { batches: 0, records: 0, failures: 0, duplicates: 0, crashes: 0 };
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    p.finally(() => pending.delete(p));
  };
  const deliverLate = (records: SQSRecord[]) => {
    stats.duplicates++;
    const p = new Promise((r) => setTimeout(r, Math.floor(rnd() * 2000))).then(() => (stopped ? undefined : handleControllerBatch(opts.rt, { Records: shuffle(records, rnd) }).catch(() => undefined)));
    track(p);
  };
  const loop = async () => {
    while (!stopped) {
      let messages: Message[] = [];
      try {
        const out = await opts.sqs.send(new ReceiveMessageCommand({ QueueUrl: opts.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, AttributeNames: ['All'] }));
        messages = out.Messages ?? [];
      } catch {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (!messages.length || stopped) continue;
      const event = toSqsEvent(messages);
      if (opts.reorder) event.Records = shuffle(event.Records, rnd);
      stats.batches++;
      stats.records += messages.length;
      opts.onBatch?.('begin', messages.length);
      let failed: Set<string>;
      try {
        const res = await handleControllerBatch(opts.rt, event);
        failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        stats.crashes++;
        failed = new Set(messages.map((m) => m.MessageId!));
      }
      opts.onBatch?.('end', messages.length);
      stats.failures += failed.size;
      if (opts.duplicateRate && rnd() < opts.duplicateRate) deliverLate(event.Records);
      const done = messages.filter((m) => !failed.has(m.MessageId!));
      const retry = messages.filter((m) => failed.has(m.MessageId!));
      try {
        if (done.length) await opts.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: opts.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
        if (retry.length) {
          await opts.sqs.send(
            new ChangeMessageVisibilityBatchCommand({ QueueUrl: opts.queueUrl, Entries: retry.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: opts.retryAfterSeconds ?? 1 })) }),
          );
        }
      } catch {
        /* the records come back after the queue's visibility timeout */
      }
    }
  };
  const loops = Array.from({ length: opts.concurrency ?? 2 }, () => loop());
  return {
    stats,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      await Promise.all([...pending]);
    },
  };
}
