/**
 * Which pods a ReplicaSet deletes first when it scales down.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go (ActivePodsWithRanks.Less)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set.go (getPodsToDelete, getPodsRankedByRelatedPodsOnSameNode)
 */
import type { Pod } from '../k8s/types.js';
import { PodDeletionCostAnnotation } from './annotations.js';
import { isPodActive, isPodReady, podReadyTime } from './pod-availability.js';
import { parseTime } from './time.js';

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** phaseOrdinal ranks phases for deletion: Pending, then Unknown, then Running (others with Pending). */
function phaseOrdinal(pod: Pod): number {
  return phaseOrder[pod.status?.phase ?? ''] ?? 0;
}

/** deletionCost reads controller.kubernetes.io/pod-deletion-cost; 0 when missing or not an int32. */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[PodDeletionCostAnnotation];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** maxRestarts returns the highest restartCount among the pod's containers. */
function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/**
 * logRank buckets an age (now - t, in ns) by floor(log2); -1 for times not
 * in the past. Pods whose ages fall in the same power-of-two bucket count as
 * equally old, so scale-down does not always hit the very newest pod.
 */
function logRank(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/**
 * compareTimes orders for deletion by a timestamp where newer goes first and
 * a zero (missing) time goes before any other; with LogarithmicScaleDown the
 * comparison is on log2 buckets, and a tie goes to the smaller UID. Returns
 * undefined when the times are equal (the next rule decides).
 */
function compareTimes(ta: number | undefined, tb: number | undefined, a: Pod, b: Pod, now: number): number | undefined {
  if (ta === tb) return undefined;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : (a.metadata.uid ?? '') > (b.metadata.uid ?? '') ? 1 : 0;
  return diff;
}

/**
 * comparePodsForDeletion returns < 0 when `a` should be deleted before `b`:
 *  1. unassigned before assigned;
 *  2. Pending, then Unknown, then Running;
 *  3. not ready before ready;
 *  4. lower pod-deletion-cost first;
 *  5. more active sibling pods on the same node first (higher rank);
 *  6. both ready: more recently ready first;
 *  7. higher maximum restartCount first;
 *  8. newer creationTimestamp first.
 */
export function comparePodsForDeletion(a: Pod, b: Pod, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = phaseOrdinal(a);
  const pb = phaseOrdinal(b);
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const r = compareTimes(podReadyTime(a), podReadyTime(b), a, b, now);
    if (r !== undefined && r !== 0) return r;
  }
  const restarts = maxRestarts(b) - maxRestarts(a);
  if (restarts !== 0) return restarts;
  const c = compareTimes(parseTime(a.metadata.creationTimestamp), parseTime(b.metadata.creationTimestamp), a, b, now);
  if (c !== undefined && c !== 0) return c;
  return 0;
}

/**
 * sortPodsForDeletion returns the pods in deletion preference order (first
 * = deleted first). `related` are the pods counted for node co-location
 * (default: `pods`); only active ones count. Remaining ties are broken by
 * name so the order is total and deterministic.
 */
export function sortPodsForDeletion(pods: Pod[], now: number, related: Pod[] = pods): Pod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod) => onNode.get(p.spec?.nodeName ?? '') ?? 0;
  return [...pods].sort((a, b) => {
    const c = comparePodsForDeletion(a, b, rank(a), rank(b), now);
    if (c !== 0) return c;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
}

/**
 * getPodsToDelete returns the `diff` pods to delete: all of them when diff
 * covers every pod, else the first `diff` in deletion order.
 */
export function getPodsToDelete(pods: Pod[], related: Pod[], diff: number, now: number): Pod[] {
  if (diff >= pods.length) return [...pods];
  return sortPodsForDeletion(pods, now, related).slice(0, diff);
}
