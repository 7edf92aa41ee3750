import type { KubeObject } from '../k8s/types.js';
import type { ResourceInfo } from '../api/resources.js';
import { needsToken } from '../webhooks/trigger-reconciler.js';

/**
 * isUnsettled says whether a controller still has work on an object. Such
 * objects sit in the sparse resync index, so a reconcile message lost to a
 * crash between the DynamoDB write and the SQS send is re-sent by the sweep.
 */
export function isUnsettled(resource: ResourceInfo, obj: KubeObject): boolean {
  const s = obj.status ?? {};
  const gen = obj.metadata.generation ?? 0;
  switch (resource.kind) {
    case 'Deployment': {
      const want = obj.spec?.replicas ?? 1;
      if ((s.observedGeneration ?? 0) < gen) return true;
      return (s.replicas ?? 0) !== want || (s.updatedReplicas ?? 0) !== want || (s.availableReplicas ?? 0) !== want;
    }
    case 'ReplicaSet': {
      const want = obj.spec?.replicas ?? 1;
      if ((s.observedGeneration ?? 0) < gen) return true;
      return (s.replicas ?? 0) !== want || (s.availableReplicas ?? 0) !== want;
    }
    case 'Pod':
      if (obj.metadata.deletionTimestamp) return true;
      return !obj.spec?.nodeName || s.phase === 'Pending' || s.phase === undefined;
    case 'ImageTrigger':
      return needsToken(obj);
    case 'Service':
      // Whether a Service's endpoints are current depends on its pods, not on the Service
      // itself; Services with a selector stay in the sweep so a lost message costs at most
      // one resync period (the endpoints reconcile writes only when something changed).
      return Boolean(obj.spec?.selector && Object.keys(obj.spec.selector).length);
    default:
      return false;
  }
}
