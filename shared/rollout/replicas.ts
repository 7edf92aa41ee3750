/**
 * Replica arithmetic over ReplicaSets: the target size of the new ReplicaSet,
 * the sums the status and the strategies use, and the orders upstream sorts by.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (NewRSNewReplicas, GetReplicaCountForReplicaSets, ...)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go (ReplicaSetsByCreationTimestamp, ReplicaSetsBySizeOlder/Newer)
 */
import type { Deployment, ReplicaSet } from '../k8s/types.js';
import { replicasOf, scaledValue } from './fenceposts.js';
import { parseTime } from './time.js';

/** specReplicas returns spec.replicas of a ReplicaSet (a missing value counts as 0). */
export function specReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

/** isActive returns true for a ReplicaSet with spec.replicas > 0. */
export function isActive(rs: ReplicaSet | undefined): rs is ReplicaSet {
  return specReplicas(rs) > 0;
}

/** filterActiveReplicaSets keeps the ReplicaSets with spec.replicas > 0, dropping undefined entries. */
export function filterActiveReplicaSets(rss: Array<ReplicaSet | undefined>): ReplicaSet[] {
  return rss.filter(isActive);
}

const defined = (rss: Array<ReplicaSet | undefined>): ReplicaSet[] => rss.filter((rs): rs is ReplicaSet => !!rs);

/** sumSpecReplicas returns Σ spec.replicas. */
export function sumSpecReplicas(rss: Array<ReplicaSet | undefined>): number {
  return defined(rss).reduce((n, rs) => n + specReplicas(rs), 0);
}

/** sumStatusReplicas returns Σ status.replicas (the pods that exist). */
export function sumStatusReplicas(rss: Array<ReplicaSet | undefined>): number {
  return defined(rss).reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
}

/**
 * sumPodsClaimed returns Σ max(spec.replicas, status.replicas): the pods each
 * ReplicaSet wants or still has. Upstream sums spec alone, so for a moment after
 * an old ReplicaSet is scaled down its pods (still being deleted) and the new
 * ReplicaSet's pods can together exceed replicas + maxSurge. Rollway promises
 * the bound on pods, so scale-up waits until the old pods are really gone.
 *
 * Example: 10 replicas, surge 3; old RS scaled 10 → 8 but still reporting 10
 * pods, new RS at 3: upstream would allow 13 − 11 = 2 more; here 13 − 13 = 0
 * until the old RS reports 8.
 */
export function sumPodsClaimed(rss: Array<ReplicaSet | undefined>): number {
  return defined(rss).reduce((n, rs) => n + Math.max(specReplicas(rs), rs.status?.replicas ?? 0), 0);
}

/** sumReadyReplicas returns Σ status.readyReplicas. */
export function sumReadyReplicas(rss: Array<ReplicaSet | undefined>): number {
  return defined(rss).reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
}

/** sumAvailableReplicas returns Σ status.availableReplicas. */
export function sumAvailableReplicas(rss: Array<ReplicaSet | undefined>): number {
  return defined(rss).reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
}

/**
 * newRSNewReplicas returns the spec.replicas the new ReplicaSet should have
 * now. Recreate: all the replicas at once. RollingUpdate: grow by what the
 * surge leaves room for, never beyond replicas.
 *
 * Example: 10 replicas, maxSurge 2, old RS at 5, new RS at 0: the total may
 * reach 12, 5 exist, so the new RS goes to 0 + min(12 - 5, 10 - 0) = 7.
 *
 * @throws Error `deployment type <T> isn't supported` for an unknown strategy.
 */
export function newRSNewReplicas(d: Deployment, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  switch (d.spec.strategy?.type) {
    case 'RollingUpdate': {
      // Upstream scales the raw maxSurge here, not the fencepost value.
      const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, replicas, true);
      if (surge.error !== undefined) throw new Error(surge.error);
      const current = sumPodsClaimed(allRSs);
      const maxTotal = replicas + surge.value;
      if (current >= maxTotal) return specReplicas(newRS);
      const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRS));
      return specReplicas(newRS) + scaleUp;
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${String(d.spec.strategy?.type)} isn't supported`);
  }
}

/** creationTime returns metadata.creationTimestamp in epoch ms, 0 when missing. */
export function creationTime(obj: { metadata: { creationTimestamp?: string } }): number {
  return parseTime(obj.metadata.creationTimestamp) ?? 0;
}

/** byCreationTimestamp orders oldest first; equal timestamps by name ascending. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = creationTime(a) - creationTime(b);
  if (d !== 0) return d;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** bySizeNewer orders largest first; equal sizes newer first (equal timestamps: name descending). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(b, a);
}

/** bySizeOlder orders largest first; equal sizes older first (equal timestamps: name ascending). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}
