/**
 * Revisions: numbering ReplicaSets, reusing one on rollback, and the
 * annotations a new ReplicaSet inherits from its Deployment.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (Revision, MaxRevision, SetNewReplicaSetAnnotations, SetDeploymentRevision)
 */
import type { Deployment, ReplicaSet } from '../k8s/types.js';
import {
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  MaxRevisionHistoryLengthInChars,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  annotationsToSkip,
} from './annotations.js';
import { maxSurge, replicasOf } from './fenceposts.js';
import { byCreationTimestamp } from './replicas.js';

/** parseRevision parses a revision like Go's strconv.ParseInt; undefined when unparseable. */
export function parseRevision(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * revisionOf returns the revision of an object: 0 without the annotation,
 * undefined when the annotation is not an integer.
 */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[RevisionAnnotation];
  if (v === undefined) return 0;
  return parseRevision(v);
}

/** maxRevision returns the highest revision among the ReplicaSets (0 if none), skipping unparseable ones. */
export function maxRevision(rss: Array<ReplicaSet | undefined>): number {
  let max = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** lastRevision returns the second-highest revision (the one before the current), 0 if none. */
export function lastRevision(rss: Array<ReplicaSet | undefined>): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) {
      second = v;
    }
  }
  return second;
}

/** byRevision orders by revision ascending; equal or unparseable revisions fall back to creation time, then name. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

/**
 * copyDeploymentAnnotations copies the deployment's annotations, except the
 * skip list, into `annotations` (mutated). It only adds or overwrites, never
 * deletes. Returns true if anything changed.
 */
export function copyDeploymentAnnotations(d: Deployment, annotations: Record<string, string>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (annotationsToSkip.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * appendRevisionHistory returns the revision-history value after appending
 * `oldRevision`, dropping the oldest entries until it fits `limit` chars, or
 * undefined when even the new entry alone cannot fit.
 *
 * Example: limit 5, "11,12" + "13" → "12,13".
 */
export function appendRevisionHistory(history: string | undefined, oldRevision: string, limit: number): string | undefined {
  if (!history) return oldRevision;
  const entries = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limit && start < entries.length) {
    total -= entries[start].length + 1;
    start++;
  }
  if (total > limit) return undefined;
  return [...entries.slice(start), oldRevision].join(',');
}

/** replicasAnnotationsNeedUpdate returns true when desired/max-replicas differ from the given values. */
export function replicasAnnotationsNeedUpdate(annotations: Record<string, string> | undefined, desired: number, max: number): boolean {
  return annotations?.[DesiredReplicasAnnotation] !== String(desired) || annotations?.[MaxReplicasAnnotation] !== String(max);
}

/** setReplicasAnnotations stamps desired/max-replicas into `annotations` (mutated); true if anything changed. */
export function setReplicasAnnotations(annotations: Record<string, string>, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(annotations, desired, max)) return false;
  annotations[DesiredReplicasAnnotation] = String(desired);
  annotations[MaxReplicasAnnotation] = String(max);
  return true;
}

/**
 * newReplicaSetAnnotations computes the annotations of the new ReplicaSet for
 * revision `newRevision` (= max old revision + 1), starting from `current`
 * (the existing RS's annotations, or {} for one about to be created).
 *
 * The revision is only ever raised. Raising the revision of an RS that already
 * had one means a rollback reuses it, so the old number is appended to
 * revision-history. An RS about to be created (`exists` false) also gets the
 * desired/max-replicas annotations.
 *
 * Returns the new map and whether it differs from `current`.
 */
export function newReplicaSetAnnotations(
  d: Deployment,
  current: Record<string, string> | undefined,
  newRevision: number,
  exists: boolean,
  historyLimitInChars: number = MaxRevisionHistoryLengthInChars,
): { annotations: Record<string, string>; changed: boolean } {
  const annotations: Record<string, string> = { ...(current ?? {}) };
  let changed = copyDeploymentAnnotations(d, annotations);
  const oldRevision = annotations[RevisionAnnotation];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    const parsed = parseRevision(oldRevision);
    // Upstream gives up on an RS whose revision is not a number (keeping the copied annotations).
    if (parsed === undefined) return { annotations, changed: false };
    oldRevisionInt = parsed;
  }
  if (oldRevisionInt < newRevision) {
    annotations[RevisionAnnotation] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const history = appendRevisionHistory(annotations[RevisionHistoryAnnotation], oldRevision, historyLimitInChars);
      if (history !== undefined) annotations[RevisionHistoryAnnotation] = history;
    }
  }
  if (!exists && setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return { annotations, changed };
}
