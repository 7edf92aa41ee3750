/**
 * The legacy rollback: apps/v1beta1 `spec.rollbackTo` (and extensions/v1beta1),
 * stored on the apps/v1 object as the `deprecated.deployment.rollback.to`
 * annotation. The controller copies the chosen revision's template onto the
 * Deployment and clears the request; the rollout that follows is an ordinary
 * one, reusing that revision's ReplicaSet. `kubectl rollout undo` does not
 * use this: it patches the template itself.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rollback.go
 */
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../k8s/types.js';
import { DeprecatedRollbackToAnnotation, annotationsToSkip } from './annotations.js';
import { RollbackDone, RollbackRevisionNotFound, RollbackTemplateUnchanged } from './conditions.js';
import { lastRevision, parseRevision, revisionOf } from './revision.js';
import { templatesEqualIgnoringHash, withoutHashLabel } from './template.js';
import type { EventSpec } from './types.js';

/** rollbackTarget returns the requested revision (0 = the one before the current), or undefined when none is asked for. */
export function rollbackTarget(d: Deployment): number | undefined {
  const value = d.metadata.annotations?.[DeprecatedRollbackToAnnotation];
  if (value === undefined) return undefined;
  // Upstream treats an unparsable value as no request at all.
  return parseRevision(value);
}

export interface LegacyRollback {
  /** The template to write onto the Deployment; absent when it stays as it is. */
  template?: PodTemplateSpec;
  /** The Deployment's complete annotations after the rollback, the request cleared. */
  annotations: Record<string, string>;
  event: EventSpec;
}

/**
 * planLegacyRollback decides a rollback to `revision` among the owned
 * ReplicaSets. The request is always cleared, whether it succeeds, finds no
 * such revision, or finds the template already in place.
 */
export function planLegacyRollback(d: Deployment, annotations: Record<string, string>, allRSs: ReplicaSet[], revision: number): LegacyRollback {
  const cleared = { ...annotations };
  delete cleared[DeprecatedRollbackToAnnotation];
  const target = revision === 0 ? lastRevision(allRSs) : revision;
  if (target === 0) {
    return { annotations: cleared, event: { type: 'Warning', reason: RollbackRevisionNotFound, message: 'Unable to find last revision.' } };
  }
  const rs = allRSs.find((r) => revisionOf(r) === target);
  if (!rs) {
    return { annotations: cleared, event: { type: 'Warning', reason: RollbackRevisionNotFound, message: 'Unable to find the revision to rollback to.' } };
  }
  if (templatesEqualIgnoringHash(d.spec.template, rs.spec.template)) {
    return { annotations: cleared, event: { type: 'Warning', reason: RollbackTemplateUnchanged, message: `The rollback revision contains the same template as current deployment "${d.metadata.name}"` } };
  }
  // The Deployment keeps only its own bookkeeping annotations and takes the
  // revision's others (change-cause among them), as upstream's SetDeploymentAnnotationsTo.
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(cleared)) if (annotationsToSkip.has(k)) next[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!annotationsToSkip.has(k)) next[k] = v;
  delete next[DeprecatedRollbackToAnnotation];
  return {
    template: withoutHashLabel(rs.spec.template)!,
    annotations: next,
    event: { type: 'Normal', reason: RollbackDone, message: `Rolled back deployment "${d.metadata.name}" to revision ${target}` },
  };
}
