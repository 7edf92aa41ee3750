import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../runtime.js';
import { UNSETTLED_SHARDS, parseObjectPk } from '../store/keys.js';
import { resources } from '../api/resources.js';
import { type ReconcileMessage, reconcileMessage } from '../queue/messages.js';

/**
 * resyncUnsettled re-sends a reconcile for every object in the sparse
 * unsettled index (gsi2) and every pending garbage-collection tombstone. It
 * is the safety net for a crash between a DynamoDB write and its SQS send:
 * such an object stays unsettled, so the next sweep finds it.
 */
export async function resyncUnsettled(rt: Runtime): Promise<{ enqueued: number }> {
  const messages: ReconcileMessage[] = [];
  for (let shard = 0; shard < UNSETTLED_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await rt.ddb.send(
        new QueryCommand({
          TableName: rt.config.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': `unsettled#${shard}` },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) {
        const msg = messageFor(item.pk as string, item.sk as string);
        if (msg) messages.push(msg);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  // Forced: the sweep exists for wake-ups that were lost, markers of lost messages included.
  await rt.queue.send(messages, 0, { force: true });
  return { enqueued: messages.length };
}

function messageFor(pk: string, sk: string): ReconcileMessage | undefined {
  const gc = /^t#([^#]+)#gc$/.exec(pk);
  if (gc) return reconcileMessage(gc[1], 'GarbageCollect', undefined, sk);
  const parsed = parseObjectPk(pk);
  if (!parsed) return undefined;
  const [group, plural] = parsed.resource.split('/');
  const res = resources.find((r) => (r.group || 'core') === group && r.plural === plural);
  if (!res) return undefined;
  const i = sk.indexOf('#');
  const ns = sk.slice(0, i);
  return reconcileMessage(parsed.tenant, res.kind, ns === '_' ? undefined : ns, sk.slice(i + 1));
}
