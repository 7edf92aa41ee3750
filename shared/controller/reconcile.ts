import type { Runtime } from '../runtime.js';
import type { ReconcileMessage } from '../queue/messages.js';
import { reconcileDeployment } from './deployment-reconciler.js';
import { reconcileReplicaSet } from './replica-set-reconciler.js';
import { reconcilePod } from '../nodes/pod-reconciler.js';
import { collectGarbage } from './garbage-collector.js';
import { reconcilePodServices, reconcileService } from './endpoints-reconciler.js';
import { reconcileImageTrigger } from '../webhooks/trigger-reconciler.js';

/**
 * ReconcileResult is what one reconcile asks for next: `requeueAfterMs` 0
 * looks again at once (one step per sync), a positive value re-checks later
 * (deadlines, start delays), undefined waits for the next change. A thrown
 * error means "retry": the message returns to the queue.
 */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

/** reconcile dispatches one message to the controller for its kind. */
export async function reconcile(rt: Runtime, msg: ReconcileMessage): Promise<ReconcileResult> {
  switch (msg.kind) {
    case 'Deployment':
      return reconcileDeployment(rt, msg.tenant, msg.namespace ?? 'default', msg.name);
    case 'ReplicaSet':
      return reconcileReplicaSet(rt, msg.tenant, msg.namespace ?? 'default', msg.name);
    case 'Pod':
      return reconcilePod(rt, msg.tenant, msg.namespace ?? 'default', msg.name);
    case 'ImageTrigger':
      return reconcileImageTrigger(rt, msg.tenant, msg.namespace ?? 'default', msg.name);
    case 'Service':
      return reconcileService(rt, msg.tenant, msg.namespace ?? 'default', msg.name);
    case 'PodServices':
      return reconcilePodServices(rt, msg.tenant, msg.name);
    case 'GarbageCollect':
      return collectGarbage(rt, msg.tenant, msg.name);
    default:
      // An unknown kind (a newer producer, or a kind with no controller): nothing to do.
      return {};
  }
}
