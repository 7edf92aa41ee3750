import type { Deployment, KubeObject, Pod, ReplicaSet } from '../k8s/types.js';
import { resources } from '../api/resources.js';
import type { Runtime } from '../runtime.js';
import { planDeployment } from '../rollout/deployment.js';
import { recordEvents } from './events.js';
import { emitRolloutNotifications } from '../notifications/emit.js';
import { AlreadyExistsError, NotFoundError } from '../errors.js';
import { log } from '../logger.js';
import type { ReconcileResult } from './reconcile.js';

const deployments = resources.find((r) => r.plural === 'deployments')!;
const replicaSets = resources.find((r) => r.plural === 'replicasets')!;
const pods = resources.find((r) => r.plural === 'pods')!;

/**
 * reconcileDeployment loads a Deployment with every ReplicaSet of its
 * namespace (one Query) and, for Recreate, their pods; runs the pure planner;
 * and applies the plan with conditional writes. A lost race throws, and the
 * message is retried against fresh state.
 */
export async function reconcileDeployment(rt: Runtime, tenant: string, namespace: string, name: string): Promise<ReconcileResult> {
  const deployment = (await rt.store.get(tenant, deployments, namespace, name)) as Deployment | undefined;
  if (!deployment) return {};
  const rsList = (await rt.store.list(tenant, replicaSets, { namespace })).items as ReplicaSet[];
  // The pods each owned ReplicaSet really has. A ReplicaSet's status can lag its pods
  // (its controller has not counted the latest creations yet), and the surge bound is
  // about pods: the planner sees status.replicas raised to the pods that exist. The
  // ReplicaSets written back are the ones read, not these planning copies.
  // Only Recreate (are old pods still running?) and minReadySeconds (when does the
  // next pod become available?) look at the pods themselves; otherwise a count will do.
  const recreate = deployment.spec.strategy?.type === 'Recreate';
  const needPods = recreate || (deployment.spec.minReadySeconds ?? 0) > 0;
  const podList: Pod[] = [];
  const owned = rsList.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid));
  const counted = new Map<string, number>();
  await Promise.all(
    owned
      .filter((rs) => recreate || (rs.spec.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0)
      .map(async (rs) => {
        if (!needPods) {
          counted.set(rs.metadata.name, await rt.store.countByController(tenant, rs.metadata.uid!, pods));
          return;
        }
        const rsPods = (await rt.store.listByController(tenant, rs.metadata.uid!, pods)) as Pod[];
        podList.push(...rsPods);
        counted.set(rs.metadata.name, rsPods.filter((p) => !p.metadata.deletionTimestamp).length);
      }),
  );
  const planningCopies = rsList.map((rs) => {
    const n = counted.get(rs.metadata.name);
    return n !== undefined && n > (rs.status?.replicas ?? 0) ? { ...rs, status: { ...rs.status, replicas: n } } : rs;
  });
  const now = rt.now();
  const plan = planDeployment({ deployment, replicaSets: planningCopies, pods: podList, now });
  const byName = new Map(rsList.map((rs) => [rs.metadata.name, rs]));
  let current: KubeObject = deployment;
  // Every ReplicaSet write is also conditional on the Deployment still being the version
  // planned from: a reconcile working from an older spec (a duplicate or late message
  // racing a newer one) cannot scale a ReplicaSet the newer plan did not count.
  const guard = () => ({ resource: deployments, namespace, name, resourceVersion: current.metadata.resourceVersion! });

  try {
    for (const action of plan.actions) {
      switch (action.type) {
        case 'createReplicaSet': {
          try {
            const created = await rt.store.create(tenant, replicaSets, { ...action.replicaSet, metadata: { ...action.replicaSet.metadata, namespace } }, guard());
            byName.set(created.metadata.name, created as ReplicaSet);
          } catch (err) {
            // Another reconcile created it first (deterministic name): look again with fresh state.
            if (err instanceof AlreadyExistsError) {
              if (current !== deployment) await emitRolloutNotifications(rt, tenant, deployment, current, plan);
              return { requeueAfterMs: 0 };
            }
            throw err;
          }
          break;
        }
        case 'updateReplicaSet': {
          const old = byName.get(action.name);
          if (!old) throw new NotFoundError('replicasets', 'apps', action.name);
          const next: ReplicaSet = {
            ...old,
            metadata: {
              ...old.metadata,
              ...(action.annotations ? { annotations: action.annotations } : {}),
              ...(action.labels ? { labels: action.labels } : {}),
              ...(action.ownerReferences !== undefined ? { ownerReferences: action.ownerReferences } : {}),
            },
            spec: {
              ...old.spec,
              ...(action.replicas !== undefined ? { replicas: action.replicas } : {}),
              ...(action.minReadySeconds !== undefined ? { minReadySeconds: action.minReadySeconds } : {}),
            },
          };
          const specChanged = next.spec.replicas !== old.spec.replicas || next.spec.minReadySeconds !== old.spec.minReadySeconds;
          if (specChanged) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
          byName.set(action.name, (await rt.store.update(tenant, replicaSets, next, old, guard())) as ReplicaSet);
          break;
        }
        case 'deleteReplicaSet': {
          const old = byName.get(action.name);
          if (!old) break;
          try {
            await rt.objects.delete({ tenant, resource: replicaSets, version: 'v1', namespace }, action.name, { propagationPolicy: 'Background' }, { dryRun: false });
          } catch (err) {
            if (!(err instanceof NotFoundError)) throw err;
          }
          byName.delete(action.name);
          break;
        }
        case 'updateDeploymentAnnotations': {
          current = await rt.store.update(tenant, deployments, { ...current, metadata: { ...current.metadata, annotations: action.annotations } }, current);
          break;
        }
        case 'rollbackDeployment': {
          const next: Deployment = { ...(current as Deployment), metadata: { ...current.metadata, annotations: action.annotations } };
          if (action.template) {
            next.spec = { ...(current as Deployment).spec, template: action.template };
            next.metadata.generation = (current.metadata.generation ?? 1) + 1;
          }
          current = await rt.store.update(tenant, deployments, next, current);
          break;
        }
      }
    }
    if (plan.status) {
      current = await rt.store.update(tenant, deployments, { ...current, status: plan.status }, current);
    }
  } catch (err) {
    // The Deployment may already carry this reconcile's revision (written before a later
    // write lost a race): its rollout events are due now, or the retry, reading the new
    // revision as the old one, would never send them.
    if (current !== deployment) await emitRolloutNotifications(rt, tenant, deployment, current, plan);
    throw err;
  }
  if (plan.events.length) await recordEvents(rt.store, tenant, current, plan.events, 'deployment-controller', now);
  await emitRolloutNotifications(rt, tenant, deployment, current, plan);
  if (plan.actions.length || plan.status) {
    log.info('deployment reconciled', {
      tenant,
      object: `deployments/${namespace}/${name}`,
      actions: plan.actions.map((a) => a.type),
      replicas: plan.status?.replicas,
      updated: plan.status?.updatedReplicas,
      available: plan.status?.availableReplicas,
    });
  }
  return { requeueAfterMs: plan.requeueAfterMs };
}
