/**
 * The public surface of the pure rollout planners (package boundary barrel).
 * Import from here or from the concern's own file.
 */
export * from './types.js';
export * from './annotations.js';
export * from './conditions.js';
export * from './fenceposts.js';
export * from './replicas.js';
export * from './hash.js';
export * from './template.js';
export * from './revision.js';
export * from './progress.js';
export * from './sync.js';
export * from './rolling.js';
export * from './recreate.js';
export * from './cleanup.js';
export * from './controller-ref.js';
export * from './pod-availability.js';
export * from './pod-deletion-order.js';
export * from './time.js';
export { planDeployment } from './deployment.js';
export { scalingEventMessage, newReplicaSetName, normalizeStatus } from './deployment-sync.js';
export * from './replica-set.js';
