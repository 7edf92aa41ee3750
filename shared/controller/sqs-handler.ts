import type { SQSBatchResponse, SQSEvent, SQSRecord } from './sqs-types.js';
import type { Runtime } from '../runtime.js';
import { parseReconcileMessage, messageKey, type ReconcileMessage } from '../queue/messages.js';
import { reconcile } from './reconcile.js';
import { log, errorFields } from '../logger.js';
import { MAX_DELAY_SECONDS } from '../queue/reconcile-queue.js';
import { AlreadyExistsError, ConflictError } from '../errors.js';

/**
 * Reconciles running in this process, by object: like a Kubernetes work queue,
 * one object is never reconciled twice at once here. A reconcile's own writes
 * queue the object again; without this the next batch would start a second
 * reconcile beside the first, both acting on one state and one losing the race.
 * (Separate Lambda environments cannot see each other; conditional writes keep
 * them correct, this keeps them from wasting work in the common case.)
 */
const running = new Map<string, Promise<void>>();

async function exclusively<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = running.get(key);
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = (before ?? Promise.resolve()).then(() => mine);
  running.set(key, tail);
  try {
    await before;
    return await fn();
  } finally {
    done();
    if (running.get(key) === tail) running.delete(key);
  }
}

/**
 * handleControllerBatch processes an SQS batch of reconcile messages and
 * reports partial batch failures: a record whose reconcile threw is listed in
 * batchItemFailures and comes back after the visibility timeout; a malformed
 * record is logged and dropped (retrying cannot fix it). Records for the same
 * object run one after another; different objects run concurrently.
 */
export async function handleControllerBatch(rt: Runtime, event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const byKey = new Map<string, Array<{ record: SQSRecord; msg: ReconcileMessage }>>();
  for (const record of event.Records) {
    let msg: ReconcileMessage;
    try {
      msg = parseReconcileMessage(record.body);
    } catch (err) {
      log.error('dropping malformed reconcile message', { messageId: record.messageId, ...errorFields(err) });
      continue;
    }
    const key = messageKey(msg);
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push({ record, msg });
  }
  await Promise.all(
    [...byKey.entries()].map(([key, group]) => exclusively(key, async () => {
      // Reconciles are level-triggered: one run per object per batch sees the latest state.
      const { msg } = group[0];
      try {
        // Clear the queued marker before reading anything, so a write from here on queues afresh.
        const marked = group.find((g) => g.msg.marked);
        if (marked) await rt.queue.received?.(marked.msg);
        const result = await reconcile(rt, msg);
        if (result.requeueAfterMs !== undefined) {
          await rt.queue.send([msg], Math.min(result.requeueAfterMs, MAX_DELAY_SECONDS * 1000));
        }
      } catch (err) {
        if (err instanceof ConflictError || err instanceof AlreadyExistsError) {
          // A lost optimistic-concurrency race is expected between controllers: look
          // again at once with fresh state rather than after the visibility timeout.
          log.debug('reconcile lost a race; requeued', { tenant: msg.tenant, object: `${msg.kind}/${msg.namespace ?? ''}/${msg.name}`, error: err.message });
          try {
            await rt.queue.send([msg]);
            return;
          } catch {
            /* fall through: the record is retried by SQS */
          }
        }
        log.warn('reconcile failed; will retry', { tenant: msg.tenant, object: `${msg.kind}/${msg.namespace ?? ''}/${msg.name}`, ...errorFields(err) });
        for (const { record } of group) failures.push({ itemIdentifier: record.messageId });
      }
    })),
  );
  return { batchItemFailures: failures };
}
