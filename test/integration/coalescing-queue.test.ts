import { beforeAll, describe, expect, it, inject } from 'vitest';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RollwayConfig } from '../../shared/config.js';
import { createDocumentClient } from '../../shared/store/client.js';
import { createSqsClient, SqsReconcileQueue } from '../../shared/queue/reconcile-queue.js';
import { CoalescingReconcileQueue, MARKER_HOLD_MS } from '../../shared/queue/coalescing-queue.js';
import { parseReconcileMessage, reconcileMessage, type ReconcileMessage } from '../../shared/queue/messages.js';
import { queuedMarkerKey } from '../../shared/store/keys.js';

// The queue against the real SQS emulator and DynamoDB Local of the test stack,
// on a queue of its own so the stack's controllers do not take the messages.
describe('coalescing reconcile queue', () => {
  const config: RollwayConfig = { tableName: 'rollway', controllerQueueUrl: '', region: 'us-east-1', dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint'), runtime: 'local' };
  const ddb = createDocumentClient(config);
  let sqs: SQSClient;
  let queueUrl: string;
  let clock = Date.now();
  let queue: CoalescingReconcileQueue;
  const tenant = `coalesce-${process.pid}-${Date.now().toString(36)}`;

  async function drain(): Promise<ReconcileMessage[]> {
    const got: ReconcileMessage[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!out.Messages?.length) return got;
      for (const m of out.Messages) {
        got.push(parseReconcileMessage(m.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
  }

  beforeAll(async () => {
    sqs = createSqsClient(config);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `coalesce-${process.pid}-${Date.now()}` }))).QueueUrl!;
    queue = new CoalescingReconcileQueue(new SqsReconcileQueue(sqs, queueUrl), ddb, 'rollway', () => clock);
  });

  it('sends one message for an object however often it is asked while one is queued', async () => {
    const rs = reconcileMessage(tenant, 'ReplicaSet', 'default', 'web-1');
    const pod = reconcileMessage(tenant, 'Pod', 'default', 'web-1-a');
    await Promise.all(Array.from({ length: 20 }, () => queue.send([rs, pod])));
    const got = await drain();
    expect(got.map((m) => `${m.kind}/${m.name}`).sort()).toEqual(['Pod/web-1-a', 'ReplicaSet/web-1']);
    expect(got.every((m) => m.marked)).toBe(true);
  });

  it('sends again once the queued message is picked up', async () => {
    const m = reconcileMessage(tenant, 'Deployment', 'default', 'web');
    await queue.send([m]);
    const [first] = await drain();
    await queue.send([m]);
    expect(await drain()).toEqual([]);
    await queue.received(first);
    expect((await ddb.send(new GetCommand({ TableName: 'rollway', Key: queuedMarkerKey(tenant, 'Deployment', 'default', 'web'), ConsistentRead: true }))).Item).toBeUndefined();
    await queue.send([m]);
    expect(await drain()).toHaveLength(1);
  });

  it('never holds back delayed re-checks, and sends them unmarked', async () => {
    const m = reconcileMessage(tenant, 'Deployment', 'default', 'timed');
    await queue.send([m]);
    await queue.send([{ ...m, marked: true }], 1);
    await new Promise((r) => setTimeout(r, 1500));
    const got = await drain();
    expect(got).toHaveLength(2);
    expect(got.filter((g) => g.marked)).toHaveLength(1);
  });

  it('sends again after the hold when a marked message was lost', async () => {
    const m = reconcileMessage(tenant, 'ReplicaSet', 'default', 'lost');
    await queue.send([m]);
    await drain(); // taken by a consumer that died before clearing the marker
    await queue.send([m]);
    expect(await drain()).toEqual([]);
    clock += MARKER_HOLD_MS + 1;
    await queue.send([m]);
    expect(await drain()).toHaveLength(1);
  });

  it('takes its markers back when the send fails, so the next write is not held back', async () => {
    const broken = new CoalescingReconcileQueue(new SqsReconcileQueue(sqs, `${queueUrl}-missing`), ddb, 'rollway', () => clock);
    const m = reconcileMessage(tenant, 'ReplicaSet', 'default', 'unsent');
    await expect(broken.send([m])).rejects.toThrow();
    await queue.send([m]);
    expect(await drain()).toHaveLength(1);
  });
});
