import type { KubeObject } from '../k8s/types.js';
import type { ResourceInfo } from '../api/resources.js';
import type { WatchEventType } from '../store/object-store.js';
import { type ReconcileMessage, reconcileMessage } from '../queue/messages.js';

/** Kinds that have a controller of their own. */
const CONTROLLED_KINDS = new Set(['Deployment', 'ReplicaSet', 'Pod', 'ImageTrigger']);

/**
 * reconcileTargets lists the objects to look at after a write: the object
 * itself when a controller owns its kind, and its controller owner (a pod's
 * ReplicaSet, a ReplicaSet's Deployment), whose status depends on it.
 */
export function reconcileTargets(tenant: string, resource: ResourceInfo, type: WatchEventType, obj: KubeObject): ReconcileMessage[] {
  const out: ReconcileMessage[] = [];
  const ns = obj.metadata.namespace;
  if (CONTROLLED_KINDS.has(resource.kind) && type !== 'DELETED') out.push(reconcileMessage(tenant, resource.kind, ns, obj.metadata.name));
  const owner = obj.metadata.ownerReferences?.find((r) => r.controller);
  if (owner && CONTROLLED_KINDS.has(owner.kind)) out.push(reconcileMessage(tenant, owner.kind, ns, owner.name));
  // Endpoints: a Service write or deletion reconciles that Service; a write or deletion of a pod
  // with an IP reconciles the Services of its namespace (message PodServices, name = namespace).
  if (resource.kind === 'Service') out.push(reconcileMessage(tenant, 'Service', ns, obj.metadata.name));
  if (resource.kind === 'Pod' && ns && obj.status?.podIP) out.push(reconcileMessage(tenant, 'PodServices', ns, ns));
  // A new or relabelled ReplicaSet may be adopted by a Deployment in its namespace;
  // Deployments re-read every ReplicaSet of the namespace, so the owner suffices.
  return out;
}
