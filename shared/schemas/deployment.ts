/**
 * Deployment (apps/v1, served also as apps/v1beta1): schemas, per-version
 * defaulting, validation (k8s-semantics §4.1) and v1beta1 ⇄ v1 conversion.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/validation/validation.go ValidateDeployment
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/v1/defaults.go SetDefaults_Deployment
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../k8s/types.js';
import { arr, bool, int32, int64, pkg, str, struct, time } from './go-types.js';
import { IntOrStringSchema, intOrPercentValue, isValidPercent, percentMessage, type IntOrString } from './int-or-string.js';
import { LabelSelectorSchema, selectorConvertible, selectorIsEmpty, selectorMatches, validateLabelSelector, type LabelSelector } from './label-selector.js';
import { ObjectMetaSchema, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';
import { PodTemplateSpecSchema, defaultPodTemplateSpec, notSupported, validatePodTemplateSpec } from './pod.js';

export const RollingUpdateDeploymentSchema = struct('v1.RollingUpdateDeployment', { maxUnavailable: IntOrStringSchema, maxSurge: IntOrStringSchema }, pkg.apps);
export const DeploymentStrategySchema = struct('v1.DeploymentStrategy', { type: str(), rollingUpdate: RollingUpdateDeploymentSchema }, pkg.apps);

export const DeploymentConditionSchema = struct(
  'v1.DeploymentCondition',
  { type: str(), status: str(), lastUpdateTime: time(), lastTransitionTime: time(), reason: str(), message: str() },
  pkg.apps,
);

export const DeploymentStatusSchema = struct(
  'v1.DeploymentStatus',
  {
    observedGeneration: int64(),
    replicas: int32(),
    updatedReplicas: int32(),
    readyReplicas: int32(),
    availableReplicas: int32(),
    unavailableReplicas: int32(),
    terminatingReplicas: int32(),
    conditions: arr(DeploymentConditionSchema),
    collisionCount: int32(),
  },
  pkg.apps,
);
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

const deploymentSpecFields = {
  replicas: int32(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
  strategy: DeploymentStrategySchema,
  minReadySeconds: int32(),
  revisionHistoryLimit: int32(),
  paused: bool(),
  progressDeadlineSeconds: int32(),
};

export const DeploymentSpecSchema = struct('v1.DeploymentSpec', deploymentSpecFields, pkg.apps);
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

export const DeploymentSchema = struct(
  'v1.Deployment',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: DeploymentSpecSchema, status: DeploymentStatusSchema },
  pkg.apps,
);
export type Deployment = z.infer<typeof DeploymentSchema>;

// apps/v1beta1: the same shape plus the legacy spec.rollbackTo.
export const RollbackConfigSchema = struct('v1beta1.RollbackConfig', { revision: int64() }, pkg.appsV1beta1);
const RollingUpdateDeploymentV1beta1Schema = struct('v1beta1.RollingUpdateDeployment', { maxUnavailable: IntOrStringSchema, maxSurge: IntOrStringSchema }, pkg.appsV1beta1);
const DeploymentStrategyV1beta1Schema = struct('v1beta1.DeploymentStrategy', { type: str(), rollingUpdate: RollingUpdateDeploymentV1beta1Schema }, pkg.appsV1beta1);
const DeploymentConditionV1beta1Schema = struct('v1beta1.DeploymentCondition', DeploymentConditionSchema.shape, pkg.appsV1beta1);
const DeploymentStatusV1beta1Schema = struct('v1beta1.DeploymentStatus', { ...DeploymentStatusSchema.shape, conditions: arr(DeploymentConditionV1beta1Schema) }, pkg.appsV1beta1);
export const DeploymentSpecV1beta1Schema = struct(
  'v1beta1.DeploymentSpec',
  { ...deploymentSpecFields, strategy: DeploymentStrategyV1beta1Schema, rollbackTo: RollbackConfigSchema },
  pkg.appsV1beta1,
);
export const DeploymentV1beta1Schema = struct(
  'v1beta1.Deployment',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: DeploymentSpecV1beta1Schema, status: DeploymentStatusV1beta1Schema },
  pkg.appsV1beta1,
);
export type DeploymentV1beta1 = z.infer<typeof DeploymentV1beta1Schema>;

/** RollbackToAnnotation carries apps/v1beta1 spec.rollbackTo.revision in the stored apps/v1 object. */
export const RollbackToAnnotation = 'deprecated.deployment.rollback.to';

type Obj = Record<string, any>;

// ---- defaulting ----

/**
 * defaultDeployment applies the defaults of the version the client used
 * (§4.2). apps/v1beta1 additionally fills the selector and the object labels
 * from the template labels, and keeps 2 revisions instead of 10.
 */
export function defaultDeployment(d: Obj, version: string): void {
  d.spec ??= {};
  const spec = d.spec;
  d.metadata ??= {};
  if (version === 'v1beta1') {
    const tl = spec.template?.metadata?.labels;
    if (tl && Object.keys(tl).length > 0) {
      spec.selector ??= { matchLabels: { ...tl } };
      if (!d.metadata.labels || Object.keys(d.metadata.labels).length === 0) d.metadata.labels = { ...tl };
    }
  }
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= version === 'v1beta1' ? 2 : 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

// ---- conversion ----

/** deploymentToStorage converts a request-version Deployment to apps/v1 (rollbackTo → annotation). */
export function deploymentToStorage(d: Obj, version: string): Obj {
  const out = structuredClone(d);
  out.apiVersion = 'apps/v1';
  if (version === 'v1beta1') {
    const rb = out.spec?.rollbackTo;
    if (out.spec) delete out.spec.rollbackTo;
    if (rb) {
      out.metadata ??= {};
      out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [RollbackToAnnotation]: String(rb.revision ?? 0) };
    } else if (out.metadata?.annotations?.[RollbackToAnnotation] !== undefined) {
      // Upstream's internal → v1 conversion drops the annotation when rollbackTo is nil.
      delete out.metadata.annotations[RollbackToAnnotation];
    }
  }
  return out;
}

/** deploymentFromStorage converts a stored apps/v1 Deployment to `version` (annotation → rollbackTo for v1beta1). */
export function deploymentFromStorage(d: KubeObject, version: string): KubeObject {
  const out = structuredClone(d) as Obj;
  out.apiVersion = `apps/${version}`;
  if (version === 'v1beta1') {
    const ann = out.metadata?.annotations?.[RollbackToAnnotation];
    if (ann !== undefined) {
      const rev = Number.parseInt(ann, 10);
      if (Number.isFinite(rev)) {
        out.spec ??= {};
        out.spec.rollbackTo = { revision: rev };
      }
      delete out.metadata.annotations[RollbackToAnnotation];
      if (Object.keys(out.metadata.annotations).length === 0) delete out.metadata.annotations;
    }
  }
  return out as KubeObject;
}

// ---- validation ----

const nonNegative = (field: string, v: number | undefined): FieldError[] =>
  v !== undefined && v < 0 ? [{ type: 'FieldValueInvalid', field, value: v, detail: 'must be greater than or equal to 0' }] : [];

function validatePositiveIntOrPercent(v: IntOrString | undefined, field: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return isValidPercent(v) ? [] : [{ type: 'FieldValueInvalid', field, value: v, detail: percentMessage }];
  return nonNegative(field, v);
}

/** validateRollingUpdate mirrors ValidateRollingUpdateDeployment (maxUnavailable before maxSurge). */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`));
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.maxUnavailable`, value: ru.maxUnavailable ?? 0, detail: 'may not be 0 when `maxSurge` is 0' });
  }
  if (typeof ru.maxUnavailable === 'string' && isValidPercent(ru.maxUnavailable) && intOrPercentValue(ru.maxUnavailable) > 100) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.maxUnavailable`, value: ru.maxUnavailable, detail: 'must not be greater than 100%' });
  }
  return errs;
}

function validateStrategy(strategy: Obj | undefined, path: string): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate !== undefined
        ? [{ type: 'FieldValueForbidden', field: `${path}.rollingUpdate`, detail: "may not be specified when strategy `type` is 'Recreate'" }]
        : [];
    case 'RollingUpdate':
      return s.rollingUpdate === undefined
        ? [{ type: 'FieldValueRequired', field: `${path}.rollingUpdate`, detail: 'this should be defaulted and never be nil' }]
        : validateRollingUpdate(s.rollingUpdate, `${path}.rollingUpdate`);
    default:
      return [notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

/**
 * validateTemplateForReplicaSet mirrors ValidatePodTemplateSpecForReplicaSet:
 * a non-empty selector must match the template labels (a nil selector matches
 * nothing), the template must be a valid pod template with restartPolicy
 * Always and no activeDeadlineSeconds.
 */
export function validateTemplateForReplicaSet(template: Obj | undefined, selector: LabelSelector | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!template) return [{ type: 'FieldValueRequired', field: path, detail: '' }];
  const labels = template.metadata?.labels;
  if ((selector === undefined || !selectorIsEmpty(selector)) && !selectorMatches(selector, labels)) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.metadata.labels`, value: labels ?? {}, detail: '`selector` does not match template `labels`' });
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const rp = template.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, rp ?? '', ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push({ type: 'FieldValueForbidden', field: `${path}.spec.activeDeadlineSeconds`, detail: 'activeDeadlineSeconds in ReplicaSet is not Supported' });
  }
  return errs;
}

/** validateSelectorField checks spec.selector: required, valid, non-empty (`what` names the kind in the message). */
export function validateSelectorField(selector: LabelSelector | undefined, path: string, what: string): FieldError[] {
  if (selector === undefined) return [{ type: 'FieldValueRequired', field: path, detail: '' }];
  const errs = validateLabelSelector(selector, path);
  if (selectorIsEmpty(selector)) errs.push({ type: 'FieldValueInvalid', field: path, value: selector, detail: `empty selector is invalid for ${what}` });
  return errs;
}

/** validateDeploymentSpec mirrors ValidateDeploymentSpec, in upstream's order. */
export function validateDeploymentSpec(spec: Obj | undefined): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  errs.push(...nonNegative('spec.replicas', s.replicas));
  errs.push(...validateSelectorField(s.selector, 'spec.selector', 'deployment'));
  if (!selectorConvertible(s.selector)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: s.selector, detail: 'invalid label selector' });
  } else {
    errs.push(...validateTemplateForReplicaSet(s.template, s.selector, 'spec.template'));
  }
  errs.push(...validateStrategy(s.strategy, 'spec.strategy'));
  errs.push(...nonNegative('spec.minReadySeconds', s.minReadySeconds));
  errs.push(...nonNegative('spec.revisionHistoryLimit', s.revisionHistoryLimit));
  if (s.rollbackTo) errs.push(...nonNegative('spec.rollback.version', s.rollbackTo.revision ?? 0));
  if (s.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', s.progressDeadlineSeconds));
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.progressDeadlineSeconds', value: s.progressDeadlineSeconds, detail: 'must be greater than minReadySeconds' });
    }
  }
  return errs;
}

/** selectorsEqual compares selectors semantically (nil and empty maps/lists are equal). */
export function selectorsEqual(a: LabelSelector | undefined, b: LabelSelector | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const norm = (s: LabelSelector) =>
    JSON.stringify({
      l: Object.entries(s.matchLabels ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
      e: (s.matchExpressions ?? []).map((r) => [r.key ?? '', r.operator ?? '', r.values ?? []]),
    });
  return norm(a) === norm(b);
}

/**
 * validateDeployment validates a defaulted Deployment in the request version.
 * On update (`old` set) the selector is immutable, except through the legacy
 * apps/v1beta1 (and extensions/v1beta1) endpoints.
 */
export function validateDeployment(d: Obj, old: KubeObject | undefined, version: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain));
  errs.push(...validateDeploymentSpec(d.spec));
  if (old && version !== 'v1beta1' && !selectorsEqual(d.spec?.selector, old.spec?.selector)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: d.spec?.selector ?? null, detail: 'field is immutable' });
  }
  return errs;
}

/** statusCountErrors checks non-negative counts and the "cannot be greater than status.replicas" rules shared by Deployment and ReplicaSet. */
export function statusCountErrors(st: Obj, counts: string[], boundedByReplicas: string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of counts) errs.push(...nonNegative(`status.${f}`, st[f]));
  const replicas = st.replicas ?? 0;
  for (const f of boundedByReplicas) {
    if ((st[f] ?? 0) > replicas) errs.push({ type: 'FieldValueInvalid', field: `status.${f}`, value: st[f], detail: 'cannot be greater than status.replicas' });
  }
  if ((st.availableReplicas ?? 0) > (st.readyReplicas ?? 0)) {
    errs.push({ type: 'FieldValueInvalid', field: 'status.availableReplicas', value: st.availableReplicas, detail: 'cannot be greater than readyReplicas' });
  }
  return errs;
}

/** validateDeploymentStatus mirrors ValidateDeploymentStatus + ValidateDeploymentStatusUpdate. */
export function validateDeploymentStatus(newObj: KubeObject, oldObj: KubeObject | undefined): FieldError[] {
  const st: Obj = newObj.status ?? {};
  const errs = statusCountErrors(
    st,
    ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'terminatingReplicas', 'collisionCount'],
    ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
  );
  const oldCC = oldObj?.status?.collisionCount;
  if (st.collisionCount !== undefined && oldCC !== undefined && st.collisionCount < oldCC) {
    errs.push({ type: 'FieldValueInvalid', field: 'status.collisionCount', value: st.collisionCount, detail: 'cannot be decremented' });
  }
  return errs;
}
