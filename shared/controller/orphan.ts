import type { KubeObject } from '../k8s/types.js';
import { type ResourceInfo, findResourceByKind } from '../api/resources.js';
import type { ObjectStore } from '../store/object-store.js';
import { ConflictError, NotFoundError } from '../errors.js';

/** How often a release or the final owner write is retried against fresh state when it races a controller. */
const RACE_RETRIES = 5;

/**
 * finishOrphaning completes an Orphan deletion, as the garbage collector's
 * orphan finalizer does: every dependent loses its ownerReference to the
 * owner, then the owner loses the `orphan` finalizer and is deleted when no
 * other finalizer remains. The owner was marked (deletionTimestamp, finalizer,
 * tombstone) before this runs, so its controller no longer adopts, and a
 * crash part-way leaves the tombstone for the garbage collector to finish.
 * Idempotent: it may run from the API request and from the collector at once.
 */
export async function finishOrphaning(store: ObjectStore, tenant: string, ownerResource: ResourceInfo, ownerNamespace: string | undefined, ownerName: string, ownerUid: string): Promise<{ object: KubeObject; deleted: boolean } | undefined> {
  for (const dep of await store.listByController(tenant, ownerUid)) {
    const depResource = findResourceByKind(dep.kind);
    if (!depResource) continue;
    await retryOnConflict(async () => {
      const fresh = await store.get(tenant, depResource, dep.metadata.namespace, dep.metadata.name);
      if (!fresh || !(fresh.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid)) return;
      const refs = fresh.metadata.ownerReferences!.filter((r) => r.uid !== ownerUid);
      await store.update(tenant, depResource, { ...fresh, metadata: { ...fresh.metadata, ownerReferences: refs.length ? refs : undefined } }, fresh);
    });
  }
  let result: { object: KubeObject; deleted: boolean } | undefined;
  await retryOnConflict(async () => {
    const owner = await store.get(tenant, ownerResource, ownerNamespace, ownerName);
    if (!owner || owner.metadata.uid !== ownerUid) return;
    const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== 'orphan');
    result = finalizers.length
      ? { object: await store.update(tenant, ownerResource, { ...owner, metadata: { ...owner.metadata, finalizers } }, owner), deleted: false }
      : { object: await store.delete(tenant, ownerResource, { ...owner, metadata: { ...owner.metadata, finalizers: undefined } }), deleted: true };
  });
  return result;
}

async function retryOnConflict(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof NotFoundError) return;
      if (err instanceof ConflictError && attempt < RACE_RETRIES) continue;
      throw err;
    }
  }
}
