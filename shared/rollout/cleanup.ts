/**
 * Revision history: delete the oldest old ReplicaSets beyond
 * revisionHistoryLimit.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/sync.go (cleanupDeployment)
 */
import type { Deployment, ReplicaSet } from '../k8s/types.js';
import { MaxInt32 } from './annotations.js';
import { specReplicas } from './replicas.js';
import { byRevision } from './revision.js';

/** hasRevisionHistoryLimit returns true unless revisionHistoryLimit is unset or MaxInt32 (keep everything). */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const limit = d.spec.revisionHistoryLimit;
  return limit !== undefined && limit !== null && limit !== MaxInt32;
}

/**
 * cleanupDeployment returns the names of old ReplicaSets to delete.
 *
 * Candidates are old ReplicaSets not being deleted; the `count - limit`
 * lowest revisions are examined, and each is deleted only if it is fully
 * scaled down and observed (spec 0, status 0, generation observed). A busy
 * one is skipped without picking another in its place.
 *
 * Example: revisions 1, 2, 3 all at 0 with limit 1 → delete revisions 1 and 2.
 */
export function cleanupDeployment(d: Deployment, oldRSs: Array<ReplicaSet | undefined>): string[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const candidates = oldRSs.filter((rs): rs is ReplicaSet => !!rs && !rs.metadata.deletionTimestamp);
  const diff = candidates.length - d.spec.revisionHistoryLimit!;
  if (diff <= 0) return [];
  candidates.sort(byRevision);
  const names: string[] = [];
  for (const rs of candidates.slice(0, diff)) {
    if (
      (rs.status?.replicas ?? 0) !== 0 ||
      specReplicas(rs) !== 0 ||
      (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) ||
      rs.metadata.deletionTimestamp
    ) {
      continue;
    }
    names.push(rs.metadata.name);
  }
  return names;
}
