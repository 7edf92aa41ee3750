/**
 * Rollout events, detected from one reconcile of a Deployment: the object as
 * read before (`before`) and as written after (`after`, annotations and
 * status). Pure. The rules, each an edge so one reconcile emits an event once:
 *
 * - RolloutStarted: the revision annotation changed and a new ReplicaSet was
 *   created for it (also the first revision of a new Deployment).
 * - RolledBack: the revision annotation changed and an existing ReplicaSet
 *   was reused (its template equals the new one: `kubectl rollout undo`, or
 *   setting an earlier image again); replaces RolloutStarted.
 * - RolloutProgressing: the Progressing condition's reason became
 *   ReplicaSetUpdated. Upstream keeps that reason for the whole rollout, so
 *   this is at most once per revision unless the rollout stalls and resumes.
 * - RolloutComplete: the reason became NewReplicaSetAvailable (after a
 *   rollout or a scale-out; not after resuming an unchanged deployment).
 * - ProgressDeadlineExceeded: the reason became ProgressDeadlineExceeded.
 * - Paused / Resumed: the reason became DeploymentPaused / DeploymentResumed,
 *   or left DeploymentPaused for another (resume and sync in one reconcile).
 */
import type { Deployment, KubeObject } from '../k8s/types.js';
import type { NotifierEvent } from '../schemas/image-trigger.js';

export const RevisionAnnotation = 'deployment.kubernetes.io/revision';

export interface RolloutEvent {
  type: NotifierEvent;
  revision: string;
  reason: string;
  message: string;
}

/** The parts of a deployment plan detection reads (actions taken in this reconcile). */
export interface PlanSummary {
  actions: ReadonlyArray<{ type: string }>;
}

type Condition = { type: string; status: string; reason?: string; message?: string };

const revisionOf = (d: KubeObject | undefined) => d?.metadata?.annotations?.[RevisionAnnotation] ?? '';
const progressing = (d: KubeObject | undefined): Condition | undefined => (d?.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'Progressing');

const reasonEvents: Record<string, NotifierEvent> = {
  ReplicaSetUpdated: 'RolloutProgressing',
  NewReplicaSetAvailable: 'RolloutComplete',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  DeploymentPaused: 'Paused',
  DeploymentResumed: 'Resumed',
};

export function detectRolloutEvents(before: Deployment | KubeObject, after: Deployment | KubeObject, plan: PlanSummary): RolloutEvent[] {
  const out: RolloutEvent[] = [];
  const revision = revisionOf(after);
  const name = after.metadata.name;
  if (revision && revision !== revisionOf(before)) {
    const created = plan.actions.some((a) => a.type === 'createReplicaSet');
    if (created || !revisionOf(before)) out.push({ type: 'RolloutStarted', revision, reason: 'NewRevision', message: `deployment ${name} started rolling out revision ${revision}` });
    else out.push({ type: 'RolledBack', revision, reason: 'DeploymentRollback', message: `deployment ${name} rolled back to the template of revision ${revision}` });
  }
  const was = progressing(before);
  const now = progressing(after);
  if (now?.reason && now.reason !== was?.reason) {
    const fromPause = was?.reason === 'DeploymentPaused' || was?.reason === 'DeploymentResumed';
    // A resume and the sync after it can land in one reconcile: Paused → (Resumed →) whatever the sync says.
    if (was?.reason === 'DeploymentPaused' && now.reason !== 'DeploymentResumed') out.push({ type: 'Resumed', revision, reason: 'DeploymentResumed', message: `deployment ${name} resumed` });
    const type = reasonEvents[now.reason];
    const revisionChanged = revision !== revisionOf(before);
    // Resuming an unchanged deployment completes nothing: no RolloutComplete then.
    if (type && !(type === 'RolloutComplete' && fromPause && !revisionChanged)) out.push({ type, revision, reason: now.reason, message: now.message ?? '' });
  }
  return out;
}
