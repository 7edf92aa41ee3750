/**
 * Recreate: scale every old ReplicaSet to 0, wait until no old pod runs, then
 * create (or scale up) the new ReplicaSet with all the replicas.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/recreate.go
 */
import type { Pod, ReplicaSet } from '../k8s/types.js';
import { getControllerOf } from './controller-ref.js';
import { sumStatusReplicas } from './replicas.js';

/**
 * oldPodsRunning returns true while any old pod may still run: the old
 * ReplicaSets report pods, or a pod of an owned ReplicaSet other than the new
 * one is neither Failed nor Succeeded. A terminating pod still reports
 * Running, so it blocks too.
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], pods: Pod[], ownedUids: ReadonlySet<string>): boolean {
  if (sumStatusReplicas(oldRSs) > 0) return true;
  for (const pod of pods) {
    const owner = getControllerOf(pod)?.uid;
    if (!owner || !ownedUids.has(owner)) continue;
    if (newRS && newRS.metadata.uid && owner === newRS.metadata.uid) continue;
    const phase = pod.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') continue;
    return true;
  }
  return false;
}
