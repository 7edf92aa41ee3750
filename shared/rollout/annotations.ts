/**
 * Annotation and label keys the deployment controller reads and writes.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go
 */

/** RevisionAnnotation holds the revision number of a ReplicaSet, copied to its Deployment. */
export const RevisionAnnotation = 'deployment.kubernetes.io/revision';

/**
 * RevisionHistoryAnnotation keeps, comma separated, the revisions a ReplicaSet
 * held before it was reused by a rollback (oldest first).
 */
export const RevisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';

/**
 * DesiredReplicasAnnotation records `spec.replicas` of the Deployment when the
 * ReplicaSet was last scaled by it; a mismatch marks a scaling event.
 */
export const DesiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';

/**
 * MaxReplicasAnnotation records `replicas + maxSurge` of the Deployment when
 * the ReplicaSet was last scaled by it; proportional scaling divides by it.
 */
export const MaxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

/** ChangeCauseAnnotation is copied to ReplicaSets like any other annotation; `kubectl rollout history` shows it. */
export const ChangeCauseAnnotation = 'kubernetes.io/change-cause';

/** LastAppliedConfigAnnotation is kubectl apply's bookkeeping; never copied to ReplicaSets. */
export const LastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** DeprecatedRollbackToAnnotation is the legacy (extensions/v1beta1) rollback request. */
export const DeprecatedRollbackToAnnotation = 'deprecated.deployment.rollback.to';

/** PodDeletionCostAnnotation ranks pods for scale-down: lower cost is deleted first. */
export const PodDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** DefaultDeploymentUniqueLabelKey is the label that ties a ReplicaSet and its pods to one template. */
export const DefaultDeploymentUniqueLabelKey = 'pod-template-hash';

/**
 * MaxRevisionHistoryLengthInChars caps the revision-history annotation; the
 * oldest entries are dropped first.
 */
export const MaxRevisionHistoryLengthInChars = 2000;

/** Annotations of the Deployment that are never copied to its ReplicaSets. */
export const annotationsToSkip: ReadonlySet<string> = new Set([
  LastAppliedConfigAnnotation,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  DeprecatedRollbackToAnnotation,
]);

/** MaxInt32 is the "unlimited" value of revisionHistoryLimit and progressDeadlineSeconds. */
export const MaxInt32 = 2147483647;
