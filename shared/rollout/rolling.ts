/**
 * RollingUpdate: grow the new ReplicaSet within maxSurge, shrink the old ones
 * within maxUnavailable, one step per sync.
 *
 * The functions here only decide; `deployment-sync.ts` turns the decisions
 * into writes and events. Upstream decides and writes in the same loops
 * (cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate); here
 * the loops return scale steps instead.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rolling.go
 */
import type { Deployment, ReplicaSet } from '../k8s/types.js';
import { maxUnavailable, replicasOf } from './fenceposts.js';
import { byCreationTimestamp, newRSNewReplicas, specReplicas, sumAvailableReplicas, sumSpecReplicas } from './replicas.js';

/** ScaleStep sets ReplicaSet `name` from `from` to `to` replicas. */
export interface ScaleStep {
  name: string;
  from: number;
  to: number;
}

/**
 * reconcileNewReplicaSet returns the new spec.replicas of the new ReplicaSet,
 * or undefined when it should stay: at replicas it stays; above replicas it
 * shrinks to replicas; below, it grows as far as newRSNewReplicas allows.
 */
export function reconcileNewReplicaSet(d: Deployment, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet): number | undefined {
  const replicas = replicasOf(d);
  const current = specReplicas(newRS);
  if (current === replicas) return undefined;
  const target = current > replicas ? replicas : newRSNewReplicas(d, allRSs, newRS);
  return target === current ? undefined : target;
}

/** OldScaleResult is the outcome of a scale-down pass over old ReplicaSets. */
export interface OldScaleResult {
  /** Steps in the order they are taken (a ReplicaSet can appear twice: cleanup, then scale-down). */
  steps: ScaleStep[];
  /** Replicas removed in total. */
  scaledDown: number;
  /** Upstream's "invalid request to scale down" error; steps before it still happen. */
  error?: string;
}

const withReplicas = (rs: ReplicaSet, replicas: number): ReplicaSet => ({ ...rs, spec: { ...rs.spec, replicas } });

/**
 * cleanupUnhealthyReplicas removes, oldest ReplicaSet first, replicas that
 * are not available (spec - available), up to maxCleanupCount in total.
 * Returns the steps and the ReplicaSets with their new spec.
 *
 * Example: old RS of 10 with 8 available and a budget of 1 → 9 (1 removed);
 * with a budget of 3 → 8 (2 removed, all the unhealthy ones).
 */
export function cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], maxCleanupCount: number): OldScaleResult & { oldRSs: ReplicaSet[] } {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  const steps: ScaleStep[] = [];
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = sorted[i];
    const spec = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (spec === 0 || spec === available) continue;
    const count = Math.min(maxCleanupCount - total, spec - available);
    const to = spec - count;
    if (to > spec) {
      return { steps, scaledDown: total, oldRSs: sorted, error: `when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace ?? ''}/${rs.metadata.name} ${spec} -> ${to}` };
    }
    steps.push({ name: rs.metadata.name, from: spec, to });
    total += count;
    sorted[i] = withReplicas(rs, to);
  }
  return { steps, scaledDown: total, oldRSs: sorted };
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate removes available old replicas,
 * oldest ReplicaSet first, as long as at least replicas - maxUnavailable
 * pods stay available (counted from status.availableReplicas of all
 * ReplicaSets).
 */
export function scaleDownOldReplicaSetsForRollingUpdate(d: Deployment, allRSs: Array<ReplicaSet | undefined>, oldRSs: ReplicaSet[]): OldScaleResult {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = sumAvailableReplicas(allRSs);
  if (available <= minAvailable) return { steps: [], scaledDown: 0 };
  const budget = available - minAvailable;
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= budget) break;
    const spec = specReplicas(rs);
    if (spec === 0) continue;
    const count = Math.min(spec, budget - total);
    const to = spec - count;
    if (to > spec) {
      return { steps, scaledDown: total, error: `when scaling down old replica sets, got invalid request to scale down ${rs.metadata.namespace ?? ''}/${rs.metadata.name} ${spec} -> ${to}` };
    }
    steps.push({ name: rs.metadata.name, from: spec, to });
    total += count;
  }
  return { steps, scaledDown: total };
}

/**
 * reconcileOldReplicaSets decides how far the active old ReplicaSets shrink
 * this step: first their unhealthy replicas, then available ones.
 *
 * The budget keeps replicas - maxUnavailable pods and does not count on new
 * pods that are not available yet. Worked example: 10 replicas,
 * maxUnavailable 2, maxSurge 3; old RS 10, new RS 3 (none available yet):
 *   maxScaledDown = 13 (all) - 8 (min available) - 3 (new unavailable) = 2.
 * Once the new RS is at 5 with none available (old still 8):
 *   13 - 8 - 5 = 0, so old pods wait for new ones to become available.
 *
 * Errors of the passes are swallowed as "nothing scaled", like upstream.
 */
export function reconcileOldReplicaSets(
  d: Deployment,
  allRSs: Array<ReplicaSet | undefined>,
  activeOldRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
): OldScaleResult & { scaled: boolean } {
  const oldPods = sumSpecReplicas(activeOldRSs);
  if (oldPods === 0) return { steps: [], scaledDown: 0, scaled: false };
  const allPods = sumSpecReplicas(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { steps: [], scaledDown: 0, scaled: false };

  const cleanup = cleanupUnhealthyReplicas(activeOldRSs, maxScaledDown);
  if (cleanup.error) return { steps: cleanup.steps, scaledDown: cleanup.scaledDown, error: cleanup.error, scaled: false };

  const down = scaleDownOldReplicaSetsForRollingUpdate(d, [...cleanup.oldRSs, newRS], cleanup.oldRSs);
  const steps = [...cleanup.steps, ...down.steps];
  if (down.error) return { steps, scaledDown: cleanup.scaledDown + down.scaledDown, error: down.error, scaled: false };
  const scaledDown = cleanup.scaledDown + down.scaledDown;
  return { steps, scaledDown, scaled: scaledDown > 0 };
}
