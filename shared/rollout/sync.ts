/**
 * Decisions shared by every path of a sync: the status, scaling events and
 * proportional scaling.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/sync.go (scale, calculateStatus, isScalingEvent)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (GetReplicaSetProportion, FindActiveOrLatest, IsSaturated)
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from '../k8s/types.js';
import { DesiredReplicasAnnotation, MaxReplicasAnnotation } from './annotations.js';
import {
  DeploymentAvailable,
  MinimumReplicasAvailable,
  MinimumReplicasUnavailable,
  newDeploymentCondition,
  setDeploymentCondition,
} from './conditions.js';
import { isRollingUpdate, maxSurge, maxUnavailable, replicasOf } from './fenceposts.js';
import {
  byCreationTimestamp,
  bySizeNewer,
  bySizeOlder,
  filterActiveReplicaSets,
  specReplicas,
  sumAvailableReplicas,
  sumReadyReplicas,
  sumSpecReplicas,
  sumStatusReplicas,
} from './replicas.js';

/**
 * calculateStatus returns the deployment status the ReplicaSets (as read)
 * imply. Conditions are carried over from d.status, and Available is set
 * from available ≥ replicas - maxUnavailable. Note that unavailableReplicas
 * counts against spec.replicas of the ReplicaSets, not their pods.
 */
export function calculateStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = sumAvailableReplicas(allRSs);
  const total = sumSpecReplicas(allRSs);
  let status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sumStatusReplicas(allRSs),
    updatedReplicas: sumStatusReplicas([newRS]),
    readyReplicas: sumReadyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  status.conditions = [...(d.status?.conditions ?? [])];
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    status = setDeploymentCondition(
      status,
      newDeploymentCondition(DeploymentAvailable, 'True', MinimumReplicasAvailable, 'Deployment has minimum availability.', now),
    );
  } else {
    status = setDeploymentCondition(
      status,
      newDeploymentCondition(DeploymentAvailable, 'False', MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now),
    );
  }
  return status;
}

/** parseAnnotationInt reads an int32 annotation; undefined when missing or not an integer. */
function parseAnnotationInt(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** getDesiredReplicasAnnotation returns the desired-replicas annotation, or undefined. */
export function getDesiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return parseAnnotationInt(rs, DesiredReplicasAnnotation);
}

/**
 * isScalingEvent returns true when an active ReplicaSet carries a
 * desired-replicas annotation different from spec.replicas, i.e. the
 * deployment was resized since that ReplicaSet was last scaled by it.
 * ReplicaSets without the annotation are skipped.
 */
export function isScalingEvent(d: Deployment, allRSs: Array<ReplicaSet | undefined>): boolean {
  for (const rs of filterActiveReplicaSets(allRSs)) {
    const desired = getDesiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== replicasOf(d)) return true;
  }
  return false;
}

/**
 * findActiveOrLatest returns the only active ReplicaSet, or with none
 * active the new one (else the newest old one); undefined when several are
 * active.
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/**
 * isSaturated returns true when the ReplicaSet runs the whole deployment:
 * spec, desired-replicas annotation and available pods all equal replicas.
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const replicas = replicasOf(d);
  return specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/**
 * getReplicaSetFraction returns how many replicas the ReplicaSet gains (or
 * loses) if it keeps its share of the deployment after a resize:
 * round(spec × (replicas + maxSurge) / maxReplicasBefore) - spec, rounding
 * half away from zero. maxReplicasBefore is the max-replicas annotation,
 * falling back to d.status.replicas; 0 when neither is usable.
 *
 * Example: 10 → 20 with maxSurge 2: an RS of 6 annotated max 12 becomes
 * round(6 × 22 / 12) = 11, a fraction of +5.
 */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = replicasOf(d);
  if (replicas === 0) return -specReplicas(rs);
  const maxNow = replicas + maxSurge(d);
  let before = parseAnnotationInt(rs, MaxReplicasAnnotation);
  if (before === undefined || before === 0) {
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  const exact = (specReplicas(rs) * maxNow) / before;
  const rounded = Math.sign(exact) * Math.round(Math.abs(exact));
  return rounded - specReplicas(rs);
}

/**
 * getReplicaSetProportion returns the share of `toAdd` this ReplicaSet takes,
 * bounded by what is left (`toAdd - added`): at most that when scaling up,
 * at least that when scaling down.
 */
export function getReplicaSetProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * ScaleDecision asks to set a ReplicaSet to `to` replicas. With `always`, the
 * desired/max-replicas annotations are refreshed even when the size stays
 * (upstream's scaleReplicaSet); otherwise an unchanged size is a no-op
 * (scaleReplicaSetAndRecordEvent).
 */
export interface ScaleDecision {
  rs: ReplicaSet;
  to: number;
  always: boolean;
}

/**
 * scale decides how a resize of the deployment is spread over its
 * ReplicaSets (used for scaling events and while paused):
 * 1. one active ReplicaSet (or none: the newest) takes all the replicas;
 * 2. a saturated new ReplicaSet makes every old one go to 0;
 * 3. RollingUpdate only: the difference to replicas + maxSurge is shared in
 *    proportion to each ReplicaSet's size, largest first, and the first one
 *    absorbs the rounding leftover.
 *
 * Example ("proportional scaling: 5 -> 10", maxSurge 0): new 2 and old 3,
 * both annotated max 5. toAdd = 10 - 5 = 5; old: round(3 × 10 / 5) - 3 = +3;
 * new: min(round(2 × 10 / 5) - 2, 5 - 3) = +2 → old 6, new 4.
 */
export function scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ScaleDecision[] {
  const replicas = replicasOf(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) === replicas) return [];
    return [{ rs: activeOrLatest, to: replicas, always: false }];
  }
  if (isSaturated(d, newRS)) {
    return filterActiveReplicaSets(oldRSs).map((rs) => ({ rs, to: 0, always: false }));
  }
  if (!isRollingUpdate(d)) return [];
  const all = filterActiveReplicaSets([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - sumSpecReplicas(all);
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = getReplicaSetProportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return all.map((rs, i) => ({ rs, to: sizes[i], always: true }));
}
