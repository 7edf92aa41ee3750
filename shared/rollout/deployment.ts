/**
 * planDeployment: one sync of the deployment controller, as a plan.
 *
 * The dispatcher is upstream's priority list:
 *  1. empty selector → Warning SelectingAll, observedGeneration only;
 *  2. claim ReplicaSets (adopt matching orphans, release owned non-matches);
 *  3. being deleted → status only;
 *  4. paused conditions (Progressing Unknown DeploymentPaused/Resumed);
 *  5. paused → sync (proportional scale, cleanup, status);
 *  6. a legacy rollback request (apps/v1beta1 `spec.rollbackTo`) → rollback;
 *  7. scaling event → sync (no cleanup);
 *  8. the strategy: RollingUpdate or Recreate, one step.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/deployment_controller.go (syncDeployment)
 */
import { SelectingAllReason } from './conditions.js';
import { isEmptySelector } from './controller-ref.js';
import { DeploymentSync, normalizeStatus } from './deployment-sync.js';
import type { DeploymentPlan, DeploymentPlanInput } from './types.js';
import { rollbackTarget } from './rollback.js';

/**
 * planDeployment returns the writes, status, events and requeue of one sync
 * of `input.deployment`.
 *
 * @throws Error for a strategy type other than RollingUpdate or Recreate
 *   (validation prevents it), like upstream's `unexpected deployment strategy type`.
 */
export function planDeployment(input: DeploymentPlanInput): DeploymentPlan {
  const d = input.deployment;

  if (isEmptySelector(d.spec.selector)) {
    const plan: DeploymentPlan = {
      actions: [],
      events: [{ type: 'Warning', reason: SelectingAllReason, message: 'This deployment is selecting all pods. A non-empty selector is required.' }],
    };
    const generation = d.metadata.generation ?? 0;
    if ((d.status?.observedGeneration ?? 0) < generation) {
      plan.status = normalizeStatus({ ...(d.status ?? {}), observedGeneration: generation });
      plan.requeueAfterMs = 0;
    }
    return plan;
  }

  const strategy = d.spec.strategy?.type;
  if (strategy !== 'RollingUpdate' && strategy !== 'Recreate' && !d.metadata.deletionTimestamp && !d.spec.paused) {
    // Upstream only notices at the switch; failing early keeps the plan all-or-nothing.
    throw new Error(`unexpected deployment strategy type: ${String(strategy)}`);
  }

  const s = new DeploymentSync(input);
  s.run(() => {
    s.claim(input.replicaSets);
    if (d.metadata.deletionTimestamp) return s.syncStatusOnly();
    s.checkPausedConditions();
    if (d.spec.paused) return s.sync();
    // Not re-entrant: nothing else happens until the request is cleared.
    const rollbackTo = rollbackTarget(d);
    if (rollbackTo !== undefined) return s.rollback(rollbackTo);
    if (s.isScalingEvent()) return s.sync();
    if (strategy === 'Recreate') return s.rolloutRecreate();
    return s.rolloutRolling();
  });
  return s.plan();
}
