/**
 * Deployment conditions: types, reasons and the SetCondition rules.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (reasons, NewDeploymentCondition, SetDeploymentCondition)
 */
import type { Condition, DeploymentStatus } from '../k8s/types.js';
import { formatTime } from './time.js';

/** DeploymentAvailable means at least replicas - maxUnavailable pods are available. */
export const DeploymentAvailable = 'Available';
/** DeploymentProgressing tracks whether the rollout makes progress within progressDeadlineSeconds. */
export const DeploymentProgressing = 'Progressing';
/** DeploymentReplicaFailure mirrors a ReplicaSet's failure to create or delete pods. */
export const DeploymentReplicaFailure = 'ReplicaFailure';
/** ReplicaSetReplicaFailure is the ReplicaSet condition set when pods could not be created or deleted. */
export const ReplicaSetReplicaFailure = 'ReplicaFailure';

// Reasons for the Progressing condition.

/** NewReplicaSetCreated (Progressing True): the new ReplicaSet was just created. */
export const NewReplicaSetCreated = 'NewReplicaSetCreated';
/** NewRSCreatedReason is upstream's name for {@link NewReplicaSetCreated}. */
export const NewRSCreatedReason = NewReplicaSetCreated;
/** FoundNewReplicaSet (Progressing True): an existing new ReplicaSet was found when no Progressing condition existed yet. */
export const FoundNewReplicaSet = 'FoundNewReplicaSet';
/** FoundNewRSReason is upstream's name for {@link FoundNewReplicaSet}. */
export const FoundNewRSReason = FoundNewReplicaSet;
/** ReplicaSetUpdated (Progressing True): the rollout made progress (more updated, ready or available pods, or fewer old ones). */
export const ReplicaSetUpdated = 'ReplicaSetUpdated';
/** ReplicaSetUpdatedReason is upstream's name for {@link ReplicaSetUpdated}. */
export const ReplicaSetUpdatedReason = ReplicaSetUpdated;
/** NewReplicaSetAvailable (Progressing True): the rollout is complete; no more progress is estimated. */
export const NewReplicaSetAvailable = 'NewReplicaSetAvailable';
/** NewRSAvailableReason is upstream's name for {@link NewReplicaSetAvailable}. */
export const NewRSAvailableReason = NewReplicaSetAvailable;
/** ProgressDeadlineExceeded (Progressing False): no progress for progressDeadlineSeconds. Nothing rolls back automatically. */
export const ProgressDeadlineExceeded = 'ProgressDeadlineExceeded';
/** TimedOutReason is upstream's name for {@link ProgressDeadlineExceeded}. */
export const TimedOutReason = ProgressDeadlineExceeded;
/** DeploymentPaused (Progressing Unknown): the deployment was paused; the deadline is not enforced. */
export const DeploymentPaused = 'DeploymentPaused';
/** PausedDeployReason is upstream's name for {@link DeploymentPaused}. */
export const PausedDeployReason = DeploymentPaused;
/** DeploymentResumed (Progressing Unknown): the deployment was resumed; the deadline restarts now. */
export const DeploymentResumed = 'DeploymentResumed';
/** ResumedDeployReason is upstream's name for {@link DeploymentResumed}. */
export const ResumedDeployReason = DeploymentResumed;
/** ReplicaSetCreateError (Progressing False): creating the new ReplicaSet failed. */
export const ReplicaSetCreateError = 'ReplicaSetCreateError';
/** FailedRSCreateReason is upstream's name for {@link ReplicaSetCreateError}. */
export const FailedRSCreateReason = ReplicaSetCreateError;

// Reasons for the Available condition.

/** MinimumReplicasAvailable (Available True): at least replicas - maxUnavailable pods are available. */
export const MinimumReplicasAvailable = 'MinimumReplicasAvailable';
/** MinimumReplicasUnavailable (Available False): fewer than replicas - maxUnavailable pods are available. */
export const MinimumReplicasUnavailable = 'MinimumReplicasUnavailable';

// Reasons of events.

/** RollbackRevisionNotFound (Warning event): the legacy rollback target revision does not exist. */
export const RollbackRevisionNotFound = 'DeploymentRollbackRevisionNotFound';
/** RollbackTemplateUnchanged (Warning event): the legacy rollback target has the current template. */
export const RollbackTemplateUnchanged = 'DeploymentRollbackTemplateUnchanged';
/** RollbackDone (Normal event): the legacy rollback succeeded. */
export const RollbackDone = 'DeploymentRollback';
/** ScalingReplicaSet (Normal event): a ReplicaSet owned by the deployment changed size. */
export const ScalingReplicaSetReason = 'ScalingReplicaSet';
/** SelectingAll (Warning event): the deployment's selector is empty. */
export const SelectingAllReason = 'SelectingAll';

/** newDeploymentCondition returns a condition whose update and transition times are `now`. */
export function newDeploymentCondition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: number,
): Condition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** getDeploymentCondition returns the condition of that type, or undefined. */
export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * setDeploymentCondition returns status with the condition applied:
 * - same type, status and reason: unchanged (lastUpdateTime is not refreshed);
 * - same status: the old lastTransitionTime is kept;
 * - otherwise the old condition is removed and the new one **appended**.
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: Condition): DeploymentStatus {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return status;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  const rest = (status.conditions ?? []).filter((c) => c.type !== condition.type);
  return { ...status, conditions: [...rest, next] };
}

/** removeDeploymentCondition returns status without conditions of that type. */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): DeploymentStatus {
  if (!status.conditions?.some((c) => c.type === type)) return status;
  return { ...status, conditions: status.conditions.filter((c) => c.type !== type) };
}

/** replicaSetToDeploymentCondition converts a ReplicaSet condition, stamping both times with its transition time. */
export function replicaSetToDeploymentCondition(c: Condition): Condition {
  return {
    type: c.type,
    status: c.status,
    lastUpdateTime: c.lastTransitionTime,
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  };
}
