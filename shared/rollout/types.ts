/**
 * The contract between the pure rollout planners in `shared/rollout/` and the
 * reconcilers in `shared/controller/` that load state and apply plans.
 *
 * A planner reads one consistent snapshot (the object, its ReplicaSets or pods,
 * and an injected `now`) and returns what upstream's controller would have
 * written during one sync, as data. It never does I/O, never reads the clock
 * and never draws random numbers, so the same input always gives the same plan.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/deployment_controller.go
 */
import type { Deployment, ReplicaSet, Pod, DeploymentStatus, ReplicaSetStatus, PodTemplateSpec } from '../k8s/types.js';

/** EventSpec is an event to record against the object being reconciled. */
export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/**
 * DeploymentAction is one write of a deployment plan. Actions are applied in
 * order, each as a conditional write against the version read as input; when
 * one fails the whole reconcile is retried from fresh state.
 */
export type DeploymentAction =
  /**
   * Create a ReplicaSet: the full object incl. metadata.name, labels,
   * annotations, ownerReferences (controller and blockOwnerDeletion true,
   * apiVersion apps/v1, kind Deployment, name and uid of the deployment) and
   * spec; no uid or resourceVersion.
   */
  | { type: 'createReplicaSet'; replicaSet: ReplicaSet }
  /**
   * Set these fields on the ReplicaSet read as input (conditional on its
   * resourceVersion). `annotations`, `labels` and `ownerReferences`, when
   * given, are the COMPLETE new values.
   */
  | {
      type: 'updateReplicaSet';
      name: string;
      replicas?: number;
      annotations?: Record<string, string>;
      minReadySeconds?: number;
      ownerReferences?: ReplicaSet['metadata']['ownerReferences'];
      labels?: Record<string, string>;
    }
  | { type: 'deleteReplicaSet'; name: string }
  /**
   * The complete new annotation map of the Deployment (used to copy the
   * revision annotation; written like upstream's UpdateStatus, without
   * bumping the generation).
   */
  | { type: 'updateDeploymentAnnotations'; annotations: Record<string, string> }
  /**
   * A legacy rollback (rollback.ts): write the Deployment's annotations (the
   * request cleared) and, when it changes, its template, which bumps the
   * generation as the API server would.
   */
  | { type: 'rollbackDeployment'; annotations: Record<string, string>; template?: PodTemplateSpec };

export interface DeploymentPlanInput {
  /** The defaulted apps/v1 object as stored (has metadata.uid, generation, annotations). */
  deployment: Deployment;
  /**
   * Every ReplicaSet in the deployment's namespace. The planner decides
   * ownership: controllerRef uid == deployment uid; it adopts matching
   * orphans and releases owned ones that no longer match.
   */
  replicaSets: ReplicaSet[];
  /** Every pod owned by any of those ReplicaSets (Recreate's "old pods running" check). */
  pods: Pod[];
  /** Epoch milliseconds. */
  now: number;
}

export interface DeploymentPlan {
  /** Applied in order, each a conditional write; if one fails the whole reconcile is retried. */
  actions: DeploymentAction[];
  /** The new status to write, ONLY if it differs from deployment.status (undefined = unchanged). */
  status?: DeploymentStatus;
  /** e.g. { type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set kubia-5d8f9 from 0 to 1' } */
  events: EventSpec[];
  /**
   * 0 = look again right away (one step per sync: after a write, return and
   * requeue 0); > 0 = re-check after that many ms (progress deadline,
   * minReadySeconds); undefined = nothing to wait for.
   */
  requeueAfterMs?: number;
}

/**
 * ReplicaSetManageError reports that the previous attempt to apply a
 * ReplicaSet plan failed, so the planner can set the ReplicaFailure condition
 * the way upstream's `calculateStatus` does for a `manageReplicas` error.
 */
export interface ReplicaSetManageError {
  /** `FailedCreate` or `FailedDelete`. */
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

export interface ReplicaSetPlanInput {
  replicaSet: ReplicaSet;
  /** Pods whose controller ownerReference uid == RS uid. */
  pods: Pod[];
  /** Epoch milliseconds. */
  now: number;
  /** Optional: the error of the last failed apply; absent means the last apply succeeded. */
  manageError?: ReplicaSetManageError;
}

export interface ReplicaSetPlan {
  /**
   * Full pod objects to create: deterministic metadata.name, labels and
   * annotations from the template, a controller ownerReference to the RS,
   * spec from the template and status { phase: 'Pending' }.
   */
  create: Pod[];
  /** Pod names to delete, in Kubernetes' deletion preference order (k8s-semantics §1.13). */
  delete: string[];
  /** Only if changed: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions. */
  status?: ReplicaSetStatus;
  /** e.g. when a ready pod becomes available after minReadySeconds. */
  requeueAfterMs?: number;
  /** Optional: upstream's SuccessfulCreate / SuccessfulDelete events, in order. */
  events?: EventSpec[];
}
