import type { Pod, ReplicaSet } from '../k8s/types.js';
import { resources } from '../api/resources.js';
import type { Runtime } from '../runtime.js';
import { planReplicaSet } from '../rollout/replica-set.js';
import { slowStartBatches } from '../rollout/slow-start.js';
import { recordEvents } from './events.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../errors.js';
import { log } from '../logger.js';
import type { ReconcileResult } from './reconcile.js';
import { ownerGone, deleteIgnoringNotFound } from './owner.js';

const replicaSets = resources.find((r) => r.plural === 'replicasets')!;
const pods = resources.find((r) => r.plural === 'pods')!;

/**
 * reconcileReplicaSet creates and deletes pods to match spec.replicas and
 * writes the status counts. Pod names are deterministic per slot, so two
 * reconciles racing over the same state collide on the conditional create
 * instead of creating twice.
 */
export async function reconcileReplicaSet(rt: Runtime, tenant: string, namespace: string, name: string): Promise<ReconcileResult> {
  const rs = (await rt.store.get(tenant, replicaSets, namespace, name)) as ReplicaSet | undefined;
  if (!rs) return {};
  if (await ownerGone(rt, tenant, rs)) {
    // Created by a reconcile that raced its owner's deletion: collect it as the GC would have.
    await deleteIgnoringNotFound(rt, tenant, replicaSets, rs);
    return {};
  }
  const podList = (await rt.store.listByController(tenant, rs.metadata.uid!, pods)) as Pod[];
  const now = rt.now();
  const plan = planReplicaSet({ replicaSet: rs, pods: podList, now });
  if (rs.metadata.deletionTimestamp) plan.create = [];
  let raced = false;
  const created: string[] = [];
  const deleted: string[] = [];
  // Creations go in slow-start batches (1, 2, 4, ...), as upstream does: a quota or
  // admission failure costs one write, not hundreds; a batch with a failure ends the run.
  // Each creation is also conditional on the ReplicaSet still being the version planned
  // from: a Deployment reconcile that scaled it down meanwhile has already counted the
  // freed pods toward another ReplicaSet, and creating them anyway would pass the surge.
  const guard = { resource: replicaSets, namespace, name, resourceVersion: rs.metadata.resourceVersion! };
  for (const batch of slowStartBatches(plan.create)) {
    const results = await Promise.allSettled(batch.map((pod) => rt.store.create(tenant, pods, { ...pod, metadata: { ...pod.metadata, namespace } }, guard)));
    let failure: unknown;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') created.push(batch[i].metadata.name);
      else if (r.reason instanceof AlreadyExistsError) raced = true;
      else failure ??= r.reason;
    });
    if (failure) throw failure;
    if (raced) break;
  }
  // Deletions run in parallel: each is conditional on the pod version read.
  const byName = new Map(podList.map((p) => [p.metadata.name, p]));
  const doomed = plan.delete.map((n) => byName.get(n)).filter((p): p is Pod => !!p);
  const deletions = await Promise.allSettled(doomed.map((pod) => rt.store.delete(tenant, pods, pod)));
  let deleteFailure: unknown;
  deletions.forEach((r, i) => {
    if (r.status === 'fulfilled') deleted.push(doomed[i].metadata.name);
    else if (r.reason instanceof ConflictError) raced = true;
    else if (!(r.reason instanceof NotFoundError)) deleteFailure ??= r.reason;
  });
  if (deleteFailure) throw deleteFailure;
  // Events first: they describe writes already made, and must not be lost when the
  // status write below loses a race and the reconcile is retried.
  const events = [
    ...created.map((n) => ({ type: 'Normal' as const, reason: 'SuccessfulCreate', message: `Created pod: ${n}` })),
    ...deleted.map((n) => ({ type: 'Normal' as const, reason: 'SuccessfulDelete', message: `Deleted pod: ${n}` })),
  ];
  if (events.length) await recordEvents(rt.store, tenant, rs, events, 'replicaset-controller', now);
  if (plan.status && !raced) {
    await rt.store.update(tenant, replicaSets, { ...rs, status: plan.status }, rs);
  }
  if (plan.create.length || plan.delete.length || plan.status) {
    log.info('replicaset reconciled', { tenant, object: `replicasets/${namespace}/${name}`, created: created.length, deleted: plan.delete.length, replicas: plan.status?.replicas, ready: plan.status?.readyReplicas });
  }
  if (raced) return { requeueAfterMs: 0 };
  return { requeueAfterMs: plan.requeueAfterMs };
}

