/**
 * planReplicaSet: one sync of the ReplicaSet controller, as a plan.
 *
 * Pods are created or deleted until the active ones match spec.replicas (at
 * most 500 per sync, upstream's burstReplicas), and the status is counted
 * from the pods.
 *
 * Upstream names pods with a random suffix and relies on "expectations" to
 * avoid double creates from a stale cache. We name pods deterministically
 * instead: slot i of a ReplicaSet is `<rs>-<suffix(uid, i)>`, and a sync
 * fills the lowest slots no current pod (even a terminating one) holds. Two
 * reconciles that see the same state produce the same names, so the store's
 * conditional create turns the duplicate into a no-op.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set.go (syncReplicaSet, manageReplicas)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set_utils.go (calculateStatus)
 */
import type { Condition, Pod, ReplicaSet, ReplicaSetStatus } from '../k8s/types.js';
import { ReplicaSetReplicaFailure } from './conditions.js';
import { selectorMatches } from './controller-ref.js';
import { fnv1a32, safeAlphabet } from './hash.js';
import { availableInMs, isPodActive, isPodAvailable, isPodReady } from './pod-availability.js';
import { getPodsToDelete } from './pod-deletion-order.js';
import { canonicalJson } from './template.js';
import { formatTime } from './time.js';
import type { EventSpec, ReplicaSetPlan, ReplicaSetPlanInput } from './types.js';

/** BurstReplicas caps the pods created or deleted by one sync. */
export const BurstReplicas = 500;

/**
 * podNameSuffix returns the 5-character suffix of slot `slot` of the
 * ReplicaSet with that uid: FNV-1a of `<uid>:<slot>`, written in base 27
 * over the safe alphabet.
 */
export function podNameSuffix(rsUid: string, slot: number): string {
  let h = fnv1a32(new TextEncoder().encode(`${rsUid}:${slot}`));
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += safeAlphabet[h % safeAlphabet.length];
    h = Math.floor(h / safeAlphabet.length);
  }
  return out;
}

/** podNameForSlot returns the deterministic name of slot `slot` of a ReplicaSet. */
export function podNameForSlot(rs: ReplicaSet, slot: number): string {
  return `${rs.metadata.name}-${podNameSuffix(rs.metadata.uid ?? rs.metadata.name, slot)}`;
}

/** freePodNames returns the names of the `count` lowest slots not held by any of `taken`. */
export function freePodNames(rs: ReplicaSet, taken: Iterable<string>, count: number): string[] {
  const used = new Set(taken);
  const names: string[] = [];
  for (let slot = 0; names.length < count; slot++) {
    const name = podNameForSlot(rs, slot);
    if (used.has(name)) continue;
    used.add(name);
    names.push(name);
  }
  return names;
}

/** podFromTemplate builds the pod a ReplicaSet creates under `name`. */
export function podFromTemplate(rs: ReplicaSet, name: string): Pod {
  const t = rs.spec.template;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(rs.metadata.namespace !== undefined ? { namespace: rs.metadata.namespace } : {}),
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: structuredClone(t.spec),
    status: { phase: 'Pending' },
  };
  const finalizers = t.metadata?.finalizers;
  if (Array.isArray(finalizers) && finalizers.length > 0) pod.metadata.finalizers = [...(finalizers as string[])];
  return pod;
}

/**
 * calculateReplicaSetStatus counts the active pods: replicas, fully labeled
 * (every template label present), ready and available; sets or clears the
 * ReplicaFailure condition from the last apply's error; and stamps
 * observedGeneration.
 */
export function calculateReplicaSetStatus(input: ReplicaSetPlanInput, activePods: Pod[]): ReplicaSetStatus {
  const rs = input.replicaSet;
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  const minReady = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (selectorMatches({ matchLabels: templateLabels }, pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, input.now)) available++;
    }
  }
  let conditions: Condition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === ReplicaSetReplicaFailure);
  if (input.manageError && !failure) {
    conditions.push({
      type: ReplicaSetReplicaFailure,
      status: 'True',
      lastTransitionTime: formatTime(input.now),
      reason: input.manageError.reason,
      message: input.manageError.message,
    });
  } else if (!input.manageError && failure) {
    conditions = conditions.filter((c) => c.type !== ReplicaSetReplicaFailure);
  }
  const status: ReplicaSetStatus = {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

function sameStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const norm = (s: ReplicaSetStatus | undefined) => ({
    replicas: s?.replicas ?? 0,
    fullyLabeledReplicas: s?.fullyLabeledReplicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    observedGeneration: s?.observedGeneration ?? 0,
    conditions: s?.conditions ?? [],
  });
  return canonicalJson(norm(a)) === canonicalJson(norm(b));
}

/**
 * planReplicaSet returns the pods to create and delete, the status (if
 * changed) and when to look again.
 */
export function planReplicaSet(input: ReplicaSetPlanInput): ReplicaSetPlan {
  const rs = input.replicaSet;
  const uid = rs.metadata.uid;
  const pods = input.pods.filter((p) => !uid || p.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid));
  const active = pods.filter(isPodActive);
  const plan: ReplicaSetPlan = { create: [], delete: [] };
  const events: EventSpec[] = [];

  if (!rs.metadata.deletionTimestamp) {
    const desired = rs.spec.replicas ?? 0;
    const diff = active.length - desired;
    if (diff < 0) {
      const count = Math.min(-diff, BurstReplicas);
      for (const name of freePodNames(rs, pods.map((p) => p.metadata.name), count)) {
        plan.create.push(podFromTemplate(rs, name));
        events.push({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${name}` });
      }
    } else if (diff > 0) {
      const count = Math.min(diff, BurstReplicas);
      for (const pod of getPodsToDelete(active, active, count, input.now)) {
        plan.delete.push(pod.metadata.name);
        events.push({ type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}` });
      }
    }
  }

  const status = calculateReplicaSetStatus(input, active);
  if (!sameStatus(rs.status, status)) plan.status = status;
  if (events.length > 0) plan.events = events;

  if (plan.create.length > 0 || plan.delete.length > 0) {
    plan.requeueAfterMs = 0;
  } else {
    let next: number | undefined;
    for (const pod of active) {
      const ms = availableInMs(pod, rs.spec.minReadySeconds ?? 0, input.now);
      if (ms !== undefined && (next === undefined || ms < next)) next = ms;
    }
    if (next !== undefined) plan.requeueAfterMs = next;
  }
  return plan;
}
