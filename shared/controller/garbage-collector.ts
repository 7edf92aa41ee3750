import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../runtime.js';
import { findResourceByKind, resources } from '../api/resources.js';
import { tombstoneKey } from '../store/keys.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { ReconcileResult } from './reconcile.js';
import { log } from '../logger.js';
import { finishOrphaning } from './orphan.js';

/**
 * collectGarbage deletes the dependents of a deleted owner, found through the
 * owner index (gsi1), each with Background propagation so the deletion
 * cascades (Deployment → ReplicaSets → Pods). For a Foreground deletion the
 * owner, kept with a deletionTimestamp, is removed once no dependent is left.
 * The owner's tombstone is removed last: until then the resync sweep keeps
 * sending this message.
 */
export async function collectGarbage(rt: Runtime, tenant: string, ownerUid: string): Promise<ReconcileResult> {
  const key = tombstoneKey(tenant, ownerUid);
  const tomb = (await rt.store.client.send(new GetCommand({ TableName: rt.store.tableName, Key: key, ConsistentRead: true }))).Item;
  if (tomb?.mode === 'Orphan') {
    // An Orphan deletion the API request did not finish (its process died): release
    // the dependents and remove the owner, never delete the dependents.
    const res = findResourceByKind(tomb.ownerKind);
    if (res) await finishOrphaning(rt.store, tenant, res, tomb.ownerNamespace || undefined, tomb.ownerName, ownerUid);
    await rt.store.client.send(new DeleteCommand({ TableName: rt.store.tableName, Key: key }));
    return {};
  }
  if (tomb?.ownerKind === 'Namespace') await emptyNamespace(rt, tenant, tomb.ownerName as string);
  const dependents = await rt.store.listByController(tenant, ownerUid);
  for (const dep of dependents) {
    const res = findResourceByKind(dep.kind);
    if (!res) continue;
    const owners = dep.metadata.ownerReferences ?? [];
    if (!owners.some((o) => o.uid === ownerUid)) continue;
    // A dependent changing under us (its controller writing status) is retried at once.
    for (let attempt = 0; ; attempt++) {
      try {
        await rt.objects.delete({ tenant, resource: res, version: res.versions[0], namespace: dep.metadata.namespace }, dep.metadata.name, { propagationPolicy: 'Background' }, { dryRun: false });
        break;
      } catch (err) {
        if (err instanceof NotFoundError) break;
        if (err instanceof ConflictError && attempt < 5) continue;
        throw err;
      }
    }
  }
  if (tomb?.mode === 'Foreground') {
    const res = findResourceByKind(tomb.ownerKind);
    const owner = res ? await rt.store.get(tenant, res, tomb.ownerNamespace || undefined, tomb.ownerName) : undefined;
    if (owner && res && owner.metadata.uid === ownerUid) {
      const remaining = await rt.store.listByController(tenant, ownerUid);
      if (remaining.length) return { requeueAfterMs: 1000 };
      const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== 'foregroundDeletion');
      if (finalizers.length) {
        await rt.store.update(tenant, res, { ...owner, metadata: { ...owner.metadata, finalizers } }, owner);
      } else {
        await rt.store.delete(tenant, res, owner);
      }
    }
  }
  if (tomb) await rt.store.client.send(new DeleteCommand({ TableName: rt.store.tableName, Key: key }));
  if (dependents.length) log.info('garbage collected', { tenant, owner: ownerUid, dependents: dependents.length });
  return {};
}

/**
 * emptyNamespace deletes every object in a deleted namespace, kind by kind,
 * as the namespace controller does; owners first so their dependents are
 * collected through their own tombstones.
 */
async function emptyNamespace(rt: Runtime, tenant: string, namespace: string): Promise<void> {
  const order = ['Deployment', 'ReplicaSet'];
  const kinds = [...resources.filter((r) => r.namespaced)].sort((a, b) => {
    const ia = order.indexOf(a.kind);
    const ib = order.indexOf(b.kind);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
  });
  for (const res of kinds) {
    const { items } = await rt.store.list(tenant, res, { namespace });
    for (const obj of items) {
      for (let attempt = 0; ; attempt++) {
        try {
          await rt.objects.delete({ tenant, resource: res, version: res.versions[0], namespace }, obj.metadata.name, { propagationPolicy: 'Background' }, { dryRun: false });
          break;
        } catch (err) {
          if (err instanceof NotFoundError) break;
          if (err instanceof ConflictError && attempt < 5) continue;
          throw err;
        }
      }
    }
  }
}
