/**
 * Delivery records: exactly-once handling of webhook deliveries. Each
 * delivery is recorded with a conditional put (attribute_not_exists) keyed by
 * tenant, trigger and the delivery id (or the body's SHA-256 where a source
 * has none); an image digest that was rolled out is recorded the same way.
 * Records expire after DELIVERY_TTL_SECONDS.
 *
 * | item            | pk                    | sk                                   |
 * |-----------------|-----------------------|--------------------------------------|
 * | delivery        | t#<tenant>#webhooks   | <namespace>/<trigger>#d#<key>        |
 * | rolled digest   | t#<tenant>#webhooks   | <namespace>/<trigger>#digest#<sha256:…> |
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../runtime.js';

export const DELIVERY_TTL_SECONDS = 24 * 3600;

export function deliveryKey(tenant: string, namespace: string, trigger: string, kind: 'd' | 'digest', key: string): { pk: string; sk: string } {
  return { pk: `t#${tenant}#webhooks`, sk: `${namespace}/${trigger}#${kind}#${key}` };
}

/** claim records a key once; false when it was already recorded (a duplicate). */
export async function claim(rt: Runtime, key: { pk: string; sk: string }, attrs: Record<string, unknown> = {}): Promise<boolean> {
  try {
    await rt.ddb.send(
      new PutCommand({
        TableName: rt.config.tableName,
        Item: { ...key, entity: 'WebhookDelivery', v: 1, ...attrs, ttlEpochSeconds: Math.floor(rt.now() / 1000) + DELIVERY_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/** release forgets a claim, so a delivery that failed on our side can be redelivered. */
export async function release(rt: Runtime, key: { pk: string; sk: string }): Promise<void> {
  await rt.ddb.send(new DeleteCommand({ TableName: rt.config.tableName, Key: key }));
}
