/**
 * Pod readiness and availability, as the ReplicaSet and Deployment controllers
 * count them.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go (IsPodActive)
 */
import type { Condition, Pod } from '../k8s/types.js';
import { parseTime } from './time.js';

/** getPodReadyCondition returns the pod's Ready condition, or undefined. */
export function getPodReadyCondition(pod: Pod): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** isPodReady returns true when the pod's Ready condition has status True. */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/**
 * podReadyTime returns when a ready pod became ready (epoch ms), or undefined
 * for a pod that is not ready or has no transition time (a "zero" time).
 */
export function podReadyTime(pod: Pod): number | undefined {
  const c = getPodReadyCondition(pod);
  if (c?.status !== 'True') return undefined;
  return parseTime(c.lastTransitionTime);
}

/**
 * isPodAvailable returns true when the pod is ready and either
 * minReadySeconds is 0 or it has been ready for strictly longer than
 * minReadySeconds. A ready pod without a transition time is never available
 * when minReadySeconds > 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/**
 * availableInMs returns how long until a ready pod becomes available (> 0),
 * or undefined when it is not ready, already available, or never will be
 * without another change.
 */
export function availableInMs(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  if (!minReadySeconds || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) return undefined;
  const since = podReadyTime(pod);
  if (since === undefined) return undefined;
  // Available means since + minReady < now, so the first such instant is 1 ms after.
  return Math.max(1, since + minReadySeconds * 1000 - now + 1);
}

/**
 * isPodActive returns true for a pod that counts towards a ReplicaSet's
 * replicas: not Succeeded, not Failed and not being deleted.
 */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}
