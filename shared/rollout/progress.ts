/**
 * Progress estimation: complete, progressing, timed out, and when to look
 * again for a stuck rollout.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/progress.go (syncRolloutStatus, requeueStuckDeployment)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (DeploymentComplete, DeploymentProgressing, DeploymentTimedOut)
 */
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from '../k8s/types.js';
import { MaxInt32 } from './annotations.js';
import {
  DeploymentProgressing,
  DeploymentReplicaFailure,
  NewReplicaSetAvailable,
  ProgressDeadlineExceeded,
  ReplicaSetReplicaFailure,
  ReplicaSetUpdated,
  getDeploymentCondition,
  newDeploymentCondition,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
} from './conditions.js';
import { replicasOf } from './fenceposts.js';
import { parseTime } from './time.js';

/** hasProgressDeadline returns true unless progressDeadlineSeconds is unset or MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const pds = d.spec.progressDeadlineSeconds;
  return pds !== undefined && pds !== null && pds !== MaxInt32;
}

/**
 * deploymentComplete returns true when every replica is updated and
 * available, no old pod is left, and the status observed the latest spec.
 */
export function deploymentComplete(d: Deployment, status: DeploymentStatus | undefined): boolean {
  const replicas = replicasOf(d);
  return (
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.replicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas &&
    (status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/**
 * deploymentProgressing returns true when newStatus shows progress over the
 * stored status: more updated, ready or available pods, or fewer old pods.
 *
 * Example: stored 10 replicas / 4 updated, new 8 / 4: old pods went 6 → 4, so it progressed.
 */
export function deploymentProgressing(d: Deployment, newStatus: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
  return (
    (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/**
 * deploymentTimedOut returns true when the Progressing condition of
 * newStatus is older than the deadline: lastUpdateTime + deadline strictly
 * before now. Never with no deadline, no condition, or once complete;
 * always once ProgressDeadlineExceeded.
 */
export function deploymentTimedOut(d: Deployment, newStatus: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getDeploymentCondition(newStatus, DeploymentProgressing);
  if (!cond) return false;
  if (cond.reason === NewReplicaSetAvailable) return false;
  if (cond.reason === ProgressDeadlineExceeded) return true;
  const from = parseTime(cond.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds! * 1000 < now;
}

/**
 * getReplicaFailures returns the ReplicaFailure conditions of the new
 * ReplicaSet, or else of any ReplicaSet, as deployment conditions.
 */
export function getReplicaFailures(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): Condition[] {
  const of = (rs: ReplicaSet | undefined) =>
    (rs?.status?.conditions ?? []).filter((c) => c.type === ReplicaSetReplicaFailure).map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  if (fromNew.length > 0) return fromNew;
  return allRSs.flatMap(of);
}

/**
 * rolloutStatus applies the Progressing estimate and the ReplicaFailure
 * mirror to newStatus (calculateStatus's result) and returns it; the caller
 * writes it only if it differs from the stored status.
 *
 * With no deadline the Progressing condition is dropped. A rollout already
 * marked NewReplicaSetAvailable with no old pods left is not re-estimated.
 * Otherwise the first that holds: complete → NewReplicaSetAvailable;
 * progressing → ReplicaSetUpdated (always refreshing lastUpdateTime, keeping
 * lastTransitionTime when it was True); timed out → ProgressDeadlineExceeded.
 */
export function rolloutStatus(
  d: Deployment,
  newStatus: DeploymentStatus,
  allRSs: Array<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
  now: number,
): DeploymentStatus {
  let status = newStatus;
  if (!hasProgressDeadline(d)) status = removeDeploymentCondition(status, DeploymentProgressing);
  const current = getDeploymentCondition(d.status, DeploymentProgressing);
  const isCompleteDeployment =
    (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      const c = newDeploymentCondition(DeploymentProgressing, 'True', NewReplicaSetAvailable, `${subject} has successfully progressed.`, now);
      status = setDeploymentCondition(status, c);
    } else if (deploymentProgressing(d, status)) {
      const c = newDeploymentCondition(DeploymentProgressing, 'True', ReplicaSetUpdated, `${subject} is progressing.`, now);
      // Unlike setDeploymentCondition, progress always refreshes lastUpdateTime,
      // even with the same reason; only lastTransitionTime survives a True → True.
      const existing = getDeploymentCondition(status, DeploymentProgressing);
      if (existing) {
        if (existing.status === 'True') c.lastTransitionTime = existing.lastTransitionTime;
        status = removeDeploymentCondition(status, DeploymentProgressing);
      }
      status = setDeploymentCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      const c = newDeploymentCondition(DeploymentProgressing, 'False', ProgressDeadlineExceeded, `${subject} has timed out progressing.`, now);
      status = setDeploymentCondition(status, c);
    }
  }
  const failures = getReplicaFailures(allRSs, newRS);
  if (failures.length > 0) status = setDeploymentCondition(status, failures[0]);
  else status = removeDeploymentCondition(status, DeploymentReplicaFailure);
  return status;
}

/**
 * requeueStuckDeployment returns when to look at a rollout again so that a
 * stalled one is marked ProgressDeadlineExceeded on time: undefined when
 * there is nothing to wait for (no deadline, no Progressing condition,
 * complete, marked NewReplicaSetAvailable, or already marked
 * ProgressDeadlineExceeded), otherwise the time left plus 1 s of slack.
 *
 * Upstream requeues "now" (rate-limited) when less than a second is left;
 * our queue has no rate limiter, so a 0 would spin. We wait until 1 s past
 * the deadline instead, which is the first moment the strict "before now"
 * test can pass anyway. Upstream also keeps requeueing a rollout still
 * marked NewReplicaSetAvailable after a scale-up, although that reason can
 * never time out; we don't.
 *
 * Example: lastUpdateTime 18:49:00, deadline 60 s, now 18:49:30 → 30 s left → requeue after 31 s.
 */
export function requeueStuckDeployment(d: Deployment, newStatus: DeploymentStatus, now: number): number | undefined {
  const cond = getDeploymentCondition(newStatus, DeploymentProgressing);
  if (!hasProgressDeadline(d) || !cond) return undefined;
  if (deploymentComplete(d, newStatus)) return undefined;
  if (cond.reason === ProgressDeadlineExceeded || cond.reason === NewReplicaSetAvailable) return undefined;
  const from = parseTime(cond.lastUpdateTime) ?? 0;
  const after = from + d.spec.progressDeadlineSeconds! * 1000 - now;
  return Math.max(0, after) + 1000;
}
