import type { Runtime } from '../../shared/runtime.js';
import { handleNotifyBatch } from '../../shared/notifications/deliver.js';
import { startSqsPoller } from './sqs-poller.js';

/**
 * startNotifierWorker polls the notifications queue and hands batches to the
 * notifier Lambda's handler, as the controller workers do for theirs. One
 * poller, so the events of a rollout are delivered in the order they were
 * enqueued. Returns the function that stops it.
 */
export function startNotifierWorker(rt: Runtime): () => void {
  if (!rt.config.notifyQueueUrl) return () => undefined;
  return startSqsPoller({
    name: 'notifier worker',
    sqs: rt.sqs,
    queueUrl: rt.config.notifyQueueUrl,
    queueArn: 'arn:aws:sqs:us-east-1:000000000000:rollway-notifications',
    region: rt.config.region,
    handler: (event) => handleNotifyBatch(rt, event),
  });
}
