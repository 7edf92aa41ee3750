import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queuedMarkerKey } from '../store/keys.js';
import { log, errorFields } from '../logger.js';
import type { ReconcileQueue } from './reconcile-queue.js';
import type { ReconcileMessage } from './messages.js';

/**
 * How long a marker holds back further messages for its object. It only has to
 * outlive the time a message waits in the queue; if its message is lost (the
 * sender died after the marker was written), sends resume after this, and the
 * resync sweep has the object meanwhile.
 */
export const MARKER_HOLD_MS = 60_000;

/**
 * CoalescingReconcileQueue gives SQS the "dirty set" of a Kubernetes work
 * queue: while a reconcile of an object is queued and not yet picked up,
 * further requests for it are dropped, because the reconcile still to come
 * reads the latest state anyway. A thousand pod writes in a burst then cost
 * one ReplicaSet reconcile, not a thousand.
 *
 * The marker is a conditional put per object. The consumer deletes it before
 * the reconcile reads anything (`received`), so a write after that point
 * sends a fresh message: no change is left unseen. Delayed sends (timed
 * re-checks) are not coalesced: an earlier message would not do their job.
 */
export class CoalescingReconcileQueue implements ReconcileQueue {
  constructor(
    private readonly inner: ReconcileQueue,
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * send enqueues the messages no marker holds back. `force` (the resync sweep)
   * sends regardless and renews the markers: a marker whose message was lost
   * must not hold its object back until it expires.
   */
  async send(messages: ReconcileMessage[], delayMs = 0, opts: { force?: boolean } = {}): Promise<void> {
    if (delayMs > 0) return this.inner.send(messages.map(unmarked), delayMs);
    const decided = await Promise.all(messages.map((m) => this.mark(m, opts.force ?? false)));
    const toSend = decided.filter((m): m is ReconcileMessage => m !== undefined);
    if (!toSend.length) return;
    try {
      await this.inner.send(toSend);
    } catch (err) {
      // Nothing was queued: take the markers back so the next write can try again.
      await Promise.allSettled(toSend.filter((m) => m.marked).map((m) => this.received(m)));
      throw err;
    }
  }

  async received(message: ReconcileMessage): Promise<void> {
    if (!message.marked) return;
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: queuedMarkerKey(message.tenant, message.kind, message.namespace, message.name) }));
  }

  /** mark returns the message to send, or undefined when one is already queued. */
  private async mark(m: ReconcileMessage, force: boolean): Promise<ReconcileMessage | undefined> {
    const now = this.now();
    const item = { ...queuedMarkerKey(m.tenant, m.kind, m.namespace, m.name), entity: 'QueuedMarker', until: now + MARKER_HOLD_MS, ttlEpochSeconds: Math.ceil((now + MARKER_HOLD_MS) / 1000) + 3600 };
    try {
      await this.client.send(
        new PutCommand(
          force
            ? { TableName: this.tableName, Item: item }
            : { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk) OR #until < :now', ExpressionAttributeNames: { '#until': 'until' }, ExpressionAttributeValues: { ':now': now } },
        ),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return undefined;
      // The marker is an optimization: send anyway. Marked, because the put may have
      // landed (a timeout after the write): the consumer's delete is harmless if not.
      log.warn('queued marker not confirmed; sending anyway', { tenant: m.tenant, object: `${m.kind}/${m.namespace ?? ''}/${m.name}`, ...errorFields(err) });
    }
    return { ...m, marked: true };
  }
}

function unmarked(m: ReconcileMessage): ReconcileMessage {
  if (!m.marked) return m;
  const { marked: _marked, ...plain } = m;
  return plain;
}
