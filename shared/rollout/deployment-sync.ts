/**
 * DeploymentSync plays one upstream sync of a Deployment against a snapshot
 * and records, instead of performing, the writes it would make.
 *
 * Upstream writes as it goes and sometimes reuses a written object later in
 * the same sync (the new ReplicaSet after its annotations were synced, the
 * old ones after cleanupUnhealthyReplicas). Here every ReplicaSet collects
 * its changes into one pending update, so a plan holds at most one
 * conditional write per object; the status is built from the objects as
 * read, exactly like upstream's (which lags its own writes by one sync).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/sync.go (getAllReplicaSetsAndSyncRevision, getNewReplicaSet, scaleReplicaSet)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rolling.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/recreate.go
 */
import type { Deployment, DeploymentStatus, OwnerReference, Pod, ReplicaSet } from '../k8s/types.js';
import { DefaultDeploymentUniqueLabelKey, DeprecatedRollbackToAnnotation, RevisionAnnotation } from './annotations.js';
import { cleanupDeployment } from './cleanup.js';
import {
  DeploymentPaused,
  DeploymentProgressing,
  DeploymentResumed,
  FoundNewReplicaSet,
  NewReplicaSetCreated,
  ProgressDeadlineExceeded,
  ScalingReplicaSetReason,
  getDeploymentCondition,
  newDeploymentCondition,
  setDeploymentCondition,
} from './conditions.js';
import { claimReplicaSets, deploymentControllerRef, getControllerOf } from './controller-ref.js';
import { maxSurge, replicasOf } from './fenceposts.js';
import { computePodTemplateHash } from './hash.js';
import { availableInMs, isPodActive } from './pod-availability.js';
import { deploymentComplete, hasProgressDeadline, requeueStuckDeployment, rolloutStatus } from './progress.js';
import { oldPodsRunning } from './recreate.js';
import { byCreationTimestamp, filterActiveReplicaSets, newRSNewReplicas, specReplicas } from './replicas.js';
import { maxRevision, newReplicaSetAnnotations, replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './revision.js';
import { reconcileNewReplicaSet, reconcileOldReplicaSets, type ScaleStep } from './rolling.js';
import { calculateStatus, isScalingEvent, scale } from './sync.js';
import { canonicalJson, templatesEqualIgnoringHash } from './template.js';
import type { DeploymentAction, DeploymentPlan, DeploymentPlanInput, EventSpec } from './types.js';
import { type LegacyRollback, planLegacyRollback } from './rollback.js';

/** scalingEventMessage is the ScalingReplicaSet event text: `Scaled up replica set <rs> from <old> to <new>`. */
export function scalingEventMessage(rsName: string, from: number, to: number): string {
  return `Scaled ${from < to ? 'up' : 'down'} replica set ${rsName} from ${from} to ${to}`;
}

/**
 * newReplicaSetName returns `<deployment>-<hash>`, shortening the deployment
 * part so the result stays a valid 253-character object name.
 */
export function newReplicaSetName(deploymentName: string, hash: string): string {
  const bound = 253 - 1 - hash.length;
  const prefix = bound > 0 && deploymentName.length > bound ? deploymentName.slice(0, bound) : deploymentName;
  return `${prefix}-${hash}`;
}

interface PendingUpdate {
  replicas?: number;
  annotations?: Record<string, string>;
  minReadySeconds?: number;
  ownerReferences?: OwnerReference[];
}

type Write =
  | { kind: 'update'; name: string }
  | { kind: 'create'; name: string }
  | { kind: 'delete'; name: string }
  | { kind: 'deploymentAnnotations' }
  | { kind: 'rollback' };

/** AllReplicaSets is the new ReplicaSet (if any) and every other owned one. */
interface AllReplicaSets {
  newRS?: ReplicaSet;
  oldRSs: ReplicaSet[];
}

/** Thrown internally to end the sync early, like upstream's error returns that requeue. */
class Halt {
  constructor(readonly reason: string) {}
}

/** DeploymentSync holds the working state of one planned sync. */
export class DeploymentSync {
  readonly d: Deployment;
  readonly now: number;
  /** Working status: the stored one plus what this sync set so far (upstream mutates d.Status in place). */
  status: DeploymentStatus;
  /** Working annotations of the deployment. */
  annotations: Record<string, string>;
  readonly events: EventSpec[] = [];
  /** Owned ReplicaSets as this sync sees them (as read, plus synced revision annotations). */
  owned: ReplicaSet[] = [];
  /** Set by the path that ran the progress estimate: when to look again for a stuck rollout. */
  stuckRequeueMs?: number;
  private halted = false;
  private readonly input: Map<string, ReplicaSet>;
  private readonly pods: Pod[];
  private readonly writes: Write[] = [];
  private readonly updates = new Map<string, PendingUpdate>();
  private readonly creates = new Map<string, ReplicaSet>();
  private deploymentAnnotationsTouched = false;
  private legacyRollback?: LegacyRollback;

  constructor(input: DeploymentPlanInput) {
    this.d = input.deployment;
    this.now = input.now;
    this.status = structuredClone(input.deployment.status ?? {});
    this.annotations = { ...(input.deployment.metadata.annotations ?? {}) };
    this.input = new Map(input.replicaSets.map((rs) => [rs.metadata.name, rs]));
    this.pods = input.pods;
  }

  /** deployment returns the deployment with the working status and annotations. */
  get deployment(): Deployment {
    return { ...this.d, metadata: { ...this.d.metadata, annotations: this.annotations }, status: this.status };
  }

  // ---------------------------------------------------------------- writes

  private touch(write: Exclude<Write, { kind: 'rollback' }>): void {
    if (write.kind === 'deploymentAnnotations') {
      if (!this.deploymentAnnotationsTouched) this.writes.push(write);
      this.deploymentAnnotationsTouched = true;
      return;
    }
    if (!this.writes.some((w) => w.kind === write.kind && 'name' in w && w.name === write.name)) this.writes.push(write);
  }

  /** updateReplicaSet merges fields into the pending write of a ReplicaSet (or into its pending create). */
  updateReplicaSet(name: string, fields: PendingUpdate): void {
    const created = this.creates.get(name);
    if (created) {
      if (fields.replicas !== undefined) created.spec.replicas = fields.replicas;
      if (fields.annotations) created.metadata.annotations = { ...fields.annotations };
      if (fields.minReadySeconds !== undefined) created.spec.minReadySeconds = fields.minReadySeconds;
      return;
    }
    this.updates.set(name, { ...this.updates.get(name), ...fields });
    this.touch({ kind: 'update', name });
  }

  /** currentAnnotations returns the annotations a ReplicaSet has once the pending writes land. */
  currentAnnotations(rs: ReplicaSet): Record<string, string> {
    return this.creates.get(rs.metadata.name)?.metadata.annotations ?? this.updates.get(rs.metadata.name)?.annotations ?? rs.metadata.annotations ?? {};
  }

  /**
   * scaleReplicaSet sets a ReplicaSet from `from` to `to` replicas and stamps
   * the desired/max-replicas annotations. Without `always`, an unchanged size
   * is a no-op; with it the annotations are refreshed anyway. Returns true
   * when the size changed (annotation-only writes are not "scaling").
   */
  scaleReplicaSet(rs: ReplicaSet, from: number, to: number, always = false): boolean {
    if (!always && from === to) return false;
    const replicas = replicasOf(this.d);
    const max = replicas + maxSurge(this.d);
    const current = this.currentAnnotations(rs);
    const sizeNeedsUpdate = from !== to;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(current, replicas, max)) return false;
    const annotations = { ...current };
    setReplicasAnnotations(annotations, replicas, max);
    this.updateReplicaSet(rs.metadata.name, { replicas: to, annotations });
    if (!sizeNeedsUpdate) return false;
    this.events.push({ type: 'Normal', reason: ScalingReplicaSetReason, message: scalingEventMessage(rs.metadata.name, from, to) });
    return true;
  }

  private applySteps(steps: ScaleStep[]): void {
    for (const step of steps) {
      const rs = this.owned.find((r) => r.metadata.name === step.name);
      if (rs) this.scaleReplicaSet(rs, step.from, step.to);
    }
  }

  private deleteReplicaSet(name: string): void {
    this.updates.delete(name);
    const i = this.writes.findIndex((w) => w.kind === 'update' && w.name === name);
    if (i >= 0) this.writes.splice(i, 1);
    this.touch({ kind: 'delete', name });
  }

  private setDeploymentRevision(revision: string): void {
    if (this.annotations[RevisionAnnotation] === revision) return;
    this.annotations = { ...this.annotations, [RevisionAnnotation]: revision };
    this.touch({ kind: 'deploymentAnnotations' });
  }

  // ------------------------------------------------------------- ownership

  /** claim applies adoption and release, and records the owned ReplicaSets. */
  claim(all: ReplicaSet[]): void {
    const claim = claimReplicaSets(this.d, all);
    for (const { rs, ownerReferences } of [...claim.adopt, ...claim.release]) {
      this.updates.set(rs.metadata.name, { ...this.updates.get(rs.metadata.name), ownerReferences });
      this.touch({ kind: 'update', name: rs.metadata.name });
    }
    this.owned = claim.owned;
  }

  // ----------------------------------------------------- new and old RSs

  /**
   * getAllReplicaSetsAndSyncRevision finds the new ReplicaSet (the oldest
   * owned one whose template matches), syncs its revision and annotations,
   * copies its revision to the deployment, and creates it when asked and
   * missing. Halts the sync on a hash collision.
   */
  getAllReplicaSetsAndSyncRevision(createIfNotExisted: boolean): AllReplicaSets {
    const sorted = [...this.owned].sort(byCreationTimestamp);
    const existing = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, this.d.spec.template));
    const oldRSs = sorted.filter((rs) => rs !== existing);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) return { newRS: this.syncExistingNewReplicaSet(existing, newRevision), oldRSs };
    if (!createIfNotExisted) return { oldRSs };
    return { newRS: this.createNewReplicaSet(oldRSs, newRevision), oldRSs };
  }

  private syncExistingNewReplicaSet(existing: ReplicaSet, newRevision: number): ReplicaSet {
    const { annotations, changed } = newReplicaSetAnnotations(this.d, existing.metadata.annotations, newRevision, true);
    const minReadySeconds = this.d.spec.minReadySeconds ?? 0;
    const minReadyNeedsUpdate = (existing.spec.minReadySeconds ?? 0) !== minReadySeconds;
    if (changed || minReadyNeedsUpdate) {
      // Upstream writes the ReplicaSet and returns the written object, leaving
      // the deployment's revision for the next call.
      const updated: ReplicaSet = {
        ...existing,
        metadata: { ...existing.metadata, annotations },
        spec: { ...existing.spec, minReadySeconds },
      };
      this.updateReplicaSet(existing.metadata.name, { annotations, minReadySeconds });
      this.owned = this.owned.map((rs) => (rs === existing ? updated : rs));
      return updated;
    }
    this.setDeploymentRevision(existing.metadata.annotations?.[RevisionAnnotation] ?? '');
    if (hasProgressDeadline(this.d) && !getDeploymentCondition(this.status, DeploymentProgressing)) {
      const msg = `Found new replica set "${existing.metadata.name}"`;
      this.status = setDeploymentCondition(this.status, newDeploymentCondition(DeploymentProgressing, 'True', FoundNewReplicaSet, msg, this.now));
    }
    return existing;
  }

  private createNewReplicaSet(oldRSs: ReplicaSet[], newRevision: number): ReplicaSet {
    const d = this.d;
    const hash = computePodTemplateHash(d.spec.template, this.status.collisionCount);
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), [DefaultDeploymentUniqueLabelKey]: hash };
    const template = structuredClone(d.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...labels } };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [DefaultDeploymentUniqueLabelKey]: hash };
    const name = newReplicaSetName(d.metadata.name, hash);
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        ...(d.metadata.namespace !== undefined ? { namespace: d.metadata.namespace } : {}),
        labels,
        ownerReferences: [deploymentControllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.metadata.annotations = newReplicaSetAnnotations(d, {}, newRevision, false).annotations;

    const clash = this.input.get(name);
    let created: ReplicaSet;
    if (clash) {
      const ref = getControllerOf(clash);
      if (!(ref && ref.uid === d.metadata.uid && templatesEqualIgnoringHash(d.spec.template, clash.spec?.template))) {
        // A different ReplicaSet already has this name: bump collisionCount so
        // the next sync hashes to another name.
        this.status = { ...this.status, collisionCount: (this.status.collisionCount ?? 0) + 1 };
        throw new Halt('hash collision');
      }
      // Ours already (e.g. a concurrent sync created it): no event, no condition.
      this.setDeploymentRevision(String(newRevision));
      return this.owned.find((r) => r.metadata.name === name) ?? clash;
    }
    created = rs;
    this.creates.set(name, rs);
    this.touch({ kind: 'create', name });
    this.owned = [...this.owned, rs];
    if (specReplicas(rs) > 0) {
      this.events.push({ type: 'Normal', reason: ScalingReplicaSetReason, message: scalingEventMessage(name, 0, specReplicas(rs)) });
    }
    this.setDeploymentRevision(String(newRevision));
    if (hasProgressDeadline(d)) {
      const msg = `Created new replica set "${name}"`;
      this.status = setDeploymentCondition(this.status, newDeploymentCondition(DeploymentProgressing, 'True', NewReplicaSetCreated, msg, this.now));
    }
    return created;
  }

  // ----------------------------------------------------------------- paths

  /**
   * checkPausedConditions marks a paused deployment Progressing Unknown
   * DeploymentPaused, and a resumed one DeploymentResumed (which restarts the
   * deadline). Only with a deadline, and never over ProgressDeadlineExceeded.
   */
  checkPausedConditions(): void {
    if (!hasProgressDeadline(this.d)) return;
    const cond = getDeploymentCondition(this.status, DeploymentProgressing);
    if (cond?.reason === ProgressDeadlineExceeded) return;
    const pausedMarked = cond?.reason === DeploymentPaused;
    if (this.d.spec.paused && !pausedMarked) {
      this.status = setDeploymentCondition(this.status, newDeploymentCondition(DeploymentProgressing, 'Unknown', DeploymentPaused, 'Deployment is paused', this.now));
    } else if (!this.d.spec.paused && pausedMarked) {
      this.status = setDeploymentCondition(this.status, newDeploymentCondition(DeploymentProgressing, 'Unknown', DeploymentResumed, 'Deployment is resumed', this.now));
    }
  }

  /** syncStatusOnly computes the status and changes nothing else (a deployment being deleted). */
  syncStatusOnly(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** isScalingEvent reports whether an active ReplicaSet was last scaled for another replica count. */
  /**
   * rollback performs a legacy `rollbackTo` request (see rollback.ts). Like
   * upstream it first syncs (and if need be creates) the new ReplicaSet, then
   * writes the chosen template onto the Deployment; the rollout follows from
   * that write, not from this sync.
   */
  rollback(revision: number): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(true);
    const allRSs = newRS ? [...oldRSs, newRS] : oldRSs;
    this.legacyRollback = planLegacyRollback(this.d, this.annotations, allRSs, revision);
    this.annotations = this.legacyRollback.annotations;
    this.events.push(this.legacyRollback.event);
    this.writes.push({ kind: 'rollback' });
  }

  isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    return isScalingEvent(this.d, [...oldRSs, newRS]);
  }

  /** sync resizes proportionally (scaling event or paused), cleans up when paused, and syncs the status. */
  sync(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    for (const decision of scale(this.d, newRS, oldRSs)) {
      this.scaleReplicaSet(decision.rs, specReplicas(decision.rs), decision.to, decision.always);
    }
    // Cleanup runs only when paused and no (legacy) rollback is pending.
    if (this.d.spec.paused && this.annotations[DeprecatedRollbackToAnnotation] === undefined) {
      for (const name of cleanupDeployment(this.d, oldRSs)) this.deleteReplicaSet(name);
    }
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** rolloutRolling takes one step of a rolling update. */
  rolloutRolling(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(true);
    const allRSs = [...oldRSs, newRS];
    if (!newRS) throw new Error('rolling update without a new replica set');

    const target = reconcileNewReplicaSet(this.d, allRSs, newRS);
    if (target !== undefined && this.scaleReplicaSet(newRS, specReplicas(newRS), target)) {
      return this.syncRolloutStatus(allRSs, newRS);
    }

    const old = reconcileOldReplicaSets(this.d, allRSs, filterActiveReplicaSets(oldRSs), newRS);
    this.applySteps(old.steps);
    if (old.scaled) return this.syncRolloutStatus(allRSs, newRS);

    if (deploymentComplete(this.d, this.status)) {
      for (const name of cleanupDeployment(this.d, oldRSs)) this.deleteReplicaSet(name);
    }
    this.syncRolloutStatus(allRSs, newRS);
  }

  /** rolloutRecreate takes one step of a Recreate rollout. */
  rolloutRecreate(): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    let allRSs = [...oldRSs, newRS];

    let scaledDown = false;
    for (const rs of filterActiveReplicaSets(oldRSs)) {
      if (this.scaleReplicaSet(rs, specReplicas(rs), 0)) scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(allRSs, newRS);

    const ownedUids = new Set(this.owned.map((rs) => rs.metadata.uid).filter((u): u is string => !!u));
    if (oldPodsRunning(newRS, oldRSs, this.pods, ownedUids)) return this.syncRolloutStatus(allRSs, newRS);

    if (!newRS) {
      ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(true));
      allRSs = [...oldRSs, newRS];
    }
    if (newRS) this.scaleReplicaSet(newRS, specReplicas(newRS), replicasOf(this.d));

    if (deploymentComplete(this.d, this.status)) {
      for (const name of cleanupDeployment(this.d, oldRSs)) this.deleteReplicaSet(name);
    }
    this.syncRolloutStatus(allRSs, newRS);
  }

  /** syncDeploymentStatus replaces the working status with the computed one (no progress estimate). */
  syncDeploymentStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): void {
    this.status = calculateStatus(allRSs, newRS, this.deployment, this.now);
  }

  /** syncRolloutStatus computes the status with the progress estimate and notes when to re-check a stuck rollout. */
  syncRolloutStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): void {
    const d = this.deployment;
    const status = rolloutStatus(d, calculateStatus(allRSs, newRS, d, this.now), allRSs, newRS, this.now);
    this.stuckRequeueMs = requeueStuckDeployment(d, status, this.now);
    this.status = status;
  }

  // ------------------------------------------------------------------ plan

  /** run executes `body`, treating a Halt as an early end that asks to look again right away. */
  run(body: () => void): void {
    try {
      body();
    } catch (e) {
      if (!(e instanceof Halt)) throw e;
      this.halted = true;
    }
  }

  /** minReadyRequeueMs returns when the next ready pod of an owned ReplicaSet becomes available. */
  private minReadyRequeueMs(): number | undefined {
    const minReady = this.d.spec.minReadySeconds ?? 0;
    if (!minReady) return undefined;
    const uids = new Set(this.owned.map((rs) => rs.metadata.uid).filter((u): u is string => !!u));
    let next: number | undefined;
    for (const pod of this.pods) {
      const owner = getControllerOf(pod)?.uid;
      if (!owner || !uids.has(owner) || !isPodActive(pod)) continue;
      const ms = availableInMs(pod, minReady, this.now);
      if (ms !== undefined && (next === undefined || ms < next)) next = ms;
    }
    return next;
  }

  /** plan materializes the recorded writes, the status (if changed) and the requeue. */
  plan(): DeploymentPlan {
    const actions: DeploymentAction[] = [];
    for (const w of this.writes) {
      if (w.kind === 'create') {
        actions.push({ type: 'createReplicaSet', replicaSet: this.creates.get(w.name)! });
      } else if (w.kind === 'delete') {
        actions.push({ type: 'deleteReplicaSet', name: w.name });
      } else if (w.kind === 'rollback') {
        const rb = this.legacyRollback!;
        actions.push({ type: 'rollbackDeployment', annotations: { ...rb.annotations }, ...(rb.template ? { template: rb.template } : {}) });
      } else if (w.kind === 'deploymentAnnotations') {
        // A rollback writes the annotations itself, after this.
        if (this.legacyRollback) continue;
        if (!sameJson(this.annotations, this.d.metadata.annotations ?? {})) {
          actions.push({ type: 'updateDeploymentAnnotations', annotations: { ...this.annotations } });
        }
      } else {
        const action = this.updateAction(w.name);
        if (action) actions.push(action);
      }
    }
    const status = normalizeStatus(this.status);
    const statusChanged = !sameJson(status, normalizeStatus(this.d.status ?? {}));
    const plan: DeploymentPlan = { actions, events: this.events };
    if (statusChanged) plan.status = status;
    if (this.halted || actions.length > 0 || statusChanged) {
      plan.requeueAfterMs = 0;
    } else {
      const waits = [this.stuckRequeueMs, this.minReadyRequeueMs()].filter((n): n is number => n !== undefined);
      if (waits.length > 0) plan.requeueAfterMs = Math.min(...waits);
    }
    return plan;
  }

  private updateAction(name: string): DeploymentAction | undefined {
    const pending = this.updates.get(name);
    const rs = this.input.get(name);
    if (!pending || !rs) return undefined;
    const action: Extract<DeploymentAction, { type: 'updateReplicaSet' }> = { type: 'updateReplicaSet', name };
    let changed = false;
    if (pending.replicas !== undefined && pending.replicas !== specReplicas(rs)) {
      action.replicas = pending.replicas;
      changed = true;
    }
    if (pending.annotations && !sameJson(pending.annotations, rs.metadata.annotations ?? {})) {
      action.annotations = { ...pending.annotations };
      changed = true;
    }
    if (pending.minReadySeconds !== undefined && pending.minReadySeconds !== (rs.spec.minReadySeconds ?? 0)) {
      action.minReadySeconds = pending.minReadySeconds;
      changed = true;
    }
    if (pending.ownerReferences && !sameJson(pending.ownerReferences, rs.metadata.ownerReferences ?? [])) {
      action.ownerReferences = pending.ownerReferences;
      changed = true;
    }
    return changed ? action : undefined;
  }
}

/** sameJson compares two JSON values semantically (key order, null/missing/empty alike). */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * normalizeStatus keeps the fields this planner manages, dropping zero
 * counts and empty conditions like Go's `omitempty` on the wire
 * (collisionCount, a pointer, is kept even at 0). Upstream builds the status
 * afresh in the same way, so fields it does not know are not carried over.
 */
export function normalizeStatus(status: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  const counts = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;
  for (const key of counts) {
    const v = status[key];
    if (v) out[key] = v;
  }
  if (status.conditions && status.conditions.length > 0) {
    out.conditions = status.conditions.map((c) => {
      const copy = { ...c };
      for (const k of Object.keys(copy) as Array<keyof typeof copy>) if (copy[k] === undefined) delete copy[k];
      return copy;
    });
  }
  if (status.collisionCount !== undefined && status.collisionCount !== null) out.collisionCount = status.collisionCount;
  return out;
}
