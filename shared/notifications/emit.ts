/**
 * emitRolloutNotifications: called once per Deployment reconcile after the
 * status write. Detects rollout events (detect.ts), records each as a
 * Kubernetes Event on the Deployment, and enqueues one notifications-queue
 * message per matching Notifier. Never throws: notification trouble must not
 * fail or slow a reconcile beyond a logged warning.
 *
 * An event is detected from the writes of one reconcile; if the process dies
 * between the status write and the enqueue, that event is lost (at most once
 * detection, at least once delivery).
 */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { resources } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import type { Runtime } from '../runtime.js';
import { recordEvents } from '../controller/events.js';
import { rfc3339 } from '../store/object-store.js';
import { selectorMatches } from '../k8s/selectors.js';
import { log, errorFields } from '../logger.js';
import { detectRolloutEvents, type PlanSummary, type RolloutEvent } from './detect.js';
import type { NotifyMessage } from './messages.js';

const notifiers = resources.find((r) => r.plural === 'notifiers')!;

/** notificationId is stable for one event of one status write, so receivers can deduplicate retries. */
export function notificationId(d: KubeObject, e: RolloutEvent): string {
  return createHash('sha256').update(`${d.metadata.uid}|${e.revision}|${e.type}|${d.metadata.resourceVersion}`).digest('hex').slice(0, 32);
}

export function imagesOf(d: KubeObject): string {
  return ((d.spec?.template?.spec?.containers ?? []) as Array<{ image?: string }>).map((c) => c.image ?? '').join(',');
}

export async function emitRolloutNotifications(rt: Runtime, tenant: string, before: KubeObject, after: KubeObject, plan: PlanSummary): Promise<void> {
  try {
    const events = detectRolloutEvents(before, after, plan);
    if (!events.length) return;
    const now = rt.now();
    await recordEvents(
      rt.store,
      tenant,
      after,
      events.map((e) => ({ type: e.type === 'ProgressDeadlineExceeded' ? 'Warning' : 'Normal', reason: e.type, message: e.message })),
      'rollway-notifications',
      now,
    );
    if (!rt.config.notifyQueueUrl) return;
    const namespace = after.metadata.namespace ?? 'default';
    const targets = (await rt.store.list(tenant, notifiers, { namespace })).items.filter(
      (n) => !n.metadata.deletionTimestamp && (!n.spec?.deploymentSelector || selectorMatches(n.spec.deploymentSelector, after.metadata.labels)),
    );
    const messages: NotifyMessage[] = [];
    for (const e of events) {
      for (const n of targets) {
        if (!((n.spec?.events ?? []) as string[]).includes(e.type)) continue;
        messages.push({
          v: 1,
          tenant,
          namespace,
          notifier: n.metadata.name,
          attempt: 1,
          event: { type: e.type, tenant, namespace, deployment: after.metadata.name, revision: e.revision, image: imagesOf(after), reason: e.reason, message: e.message, time: rfc3339(now), id: notificationId(after, e) },
        });
      }
    }
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const out = await rt.sqs.send(new SendMessageBatchCommand({ QueueUrl: rt.config.notifyQueueUrl, Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })) }));
      if (out.Failed?.length) log.warn('notifications not enqueued', { tenant, object: `deployments/${namespace}/${after.metadata.name}`, failed: out.Failed.length });
    }
    if (messages.length) log.info('rollout notifications enqueued', { tenant, object: `deployments/${namespace}/${after.metadata.name}`, events: events.map((e) => e.type), messages: messages.length });
  } catch (err) {
    log.warn('rollout notifications failed', { tenant, object: `deployments/${after.metadata.namespace}/${after.metadata.name}`, ...errorFields(err) });
  }
}
