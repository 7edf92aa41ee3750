import type { KubeObject } from '../k8s/types.js';
import { type ResourceInfo, findResourceByKind } from '../api/resources.js';
import type { Runtime } from '../runtime.js';
import { NotFoundError, ConflictError } from '../errors.js';

/**
 * ownerGone reports whether an object's controller owner no longer exists
 * (absent, or replaced by a newer object with the same name). The garbage
 * collector deletes dependents it finds when the owner is deleted; this
 * covers a dependent created by a reconcile that raced that deletion.
 */
export async function ownerGone(rt: Runtime, tenant: string, obj: KubeObject): Promise<boolean> {
  const ref = obj.metadata.ownerReferences?.find((o) => o.controller);
  if (!ref) return false;
  const res = findResourceByKind(ref.kind);
  if (!res) return false;
  const owner = await rt.store.get(tenant, res, res.namespaced ? obj.metadata.namespace : undefined, ref.name);
  return !owner || owner.metadata.uid !== ref.uid;
}

/**
 * deleteIgnoringNotFound deletes an object with Background propagation, on
 * the condition that it is still the version the caller looked at: an object
 * that changed meanwhile (orphaned, adopted) is left for its next reconcile.
 */
export async function deleteIgnoringNotFound(rt: Runtime, tenant: string, resource: ResourceInfo, obj: KubeObject): Promise<void> {
  try {
    await rt.objects.delete({ tenant, resource, version: resource.versions[0], namespace: obj.metadata.namespace }, obj.metadata.name, { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } }, { dryRun: false });
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof ConflictError) return;
    throw err;
  }
}
