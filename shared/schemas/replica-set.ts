/**
 * ReplicaSet (apps/v1): schema, defaulting (replicas 1, template defaults)
 * and validation (ValidateReplicaSet: selector, template, status counts).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../k8s/types.js';
import { arr, int32, int64, pkg, str, struct, time } from './go-types.js';
import { LabelSelectorSchema } from './label-selector.js';
import { ObjectMetaSchema, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';
import { PodTemplateSpecSchema, defaultPodTemplateSpec } from './pod.js';
import { selectorsEqual, statusCountErrors, validateSelectorField, validateTemplateForReplicaSet } from './deployment.js';
import { selectorConvertible } from './label-selector.js';

export const ReplicaSetConditionSchema = struct('v1.ReplicaSetCondition', { type: str(), status: str(), lastTransitionTime: time(), reason: str(), message: str() }, pkg.apps);

export const ReplicaSetStatusSchema = struct(
  'v1.ReplicaSetStatus',
  {
    replicas: int32(),
    fullyLabeledReplicas: int32(),
    readyReplicas: int32(),
    availableReplicas: int32(),
    terminatingReplicas: int32(),
    observedGeneration: int64(),
    conditions: arr(ReplicaSetConditionSchema),
  },
  pkg.apps,
);
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatusSchema>;

export const ReplicaSetSpecSchema = struct('v1.ReplicaSetSpec', { replicas: int32(), minReadySeconds: int32(), selector: LabelSelectorSchema, template: PodTemplateSpecSchema }, pkg.apps);
export type ReplicaSetSpec = z.infer<typeof ReplicaSetSpecSchema>;

export const ReplicaSetSchema = struct(
  'v1.ReplicaSet',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: ReplicaSetSpecSchema, status: ReplicaSetStatusSchema },
  pkg.apps,
);
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;

type Obj = Record<string, any>;

/** defaultReplicaSet applies SetDefaults_ReplicaSet (replicas 1) and the pod template defaults. */
export function defaultReplicaSet(rs: Obj): void {
  rs.spec ??= {};
  rs.spec.replicas ??= 1;
  rs.spec.template ??= {};
  defaultPodTemplateSpec(rs.spec.template);
}

const nonNegative = (field: string, v: number | undefined): FieldError[] =>
  v !== undefined && v < 0 ? [{ type: 'FieldValueInvalid', field, value: v, detail: 'must be greater than or equal to 0' }] : [];

/** validateReplicaSet mirrors ValidateReplicaSet(+Update): the selector is immutable on update in apps/v1. */
export function validateReplicaSet(rs: Obj, old: KubeObject | undefined): FieldError[] {
  const s: Obj = rs.spec ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain));
  errs.push(...nonNegative('spec.replicas', s.replicas));
  errs.push(...nonNegative('spec.minReadySeconds', s.minReadySeconds));
  errs.push(...validateSelectorField(s.selector, 'spec.selector', 'replicaset'));
  if (!selectorConvertible(s.selector)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: s.selector, detail: 'invalid label selector' });
  } else {
    errs.push(...validateTemplateForReplicaSet(s.template, s.selector, 'spec.template'));
  }
  if (old && !selectorsEqual(s.selector, old.spec?.selector)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: s.selector ?? null, detail: 'field is immutable' });
  }
  return errs;
}

/** validateReplicaSetStatus mirrors ValidateReplicaSetStatus. */
export function validateReplicaSetStatus(newObj: KubeObject): FieldError[] {
  return statusCountErrors(
    newObj.status ?? {},
    ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'observedGeneration'],
    ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  );
}
