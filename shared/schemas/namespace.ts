/**
 * Namespace (core/v1): schema, defaults (spec.finalizers ['kubernetes'],
 * status.phase Active, the `kubernetes.io/metadata.name` label) and
 * validation (the name is a DNS-1123 label).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { arr, pkg, str, strList, struct, time } from './go-types.js';
import { ObjectMetaSchema, isQualifiedName, nameIsDNSLabel, validateObjectMeta } from './object-meta.js';
import { notSupported } from './pod.js';

export const NamespaceConditionSchema = struct('v1.NamespaceCondition', { type: str(), status: str(), lastTransitionTime: time(), reason: str(), message: str() }, pkg.core);
export const NamespaceSpecSchema = struct('v1.NamespaceSpec', { finalizers: strList() }, pkg.core);
export const NamespaceStatusSchema = struct('v1.NamespaceStatus', { phase: str(), conditions: arr(NamespaceConditionSchema) }, pkg.core);
export const NamespaceSchema = struct(
  'v1.Namespace',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: NamespaceSpecSchema, status: NamespaceStatusSchema },
  pkg.core,
);
export type Namespace = z.infer<typeof NamespaceSchema>;

/** NamespaceNameLabel is set on every namespace to its own name. */
export const NamespaceNameLabel = 'kubernetes.io/metadata.name';

type Obj = Record<string, any>;

/**
 * defaultNamespace applies SetDefaults_Namespace/_NamespaceStatus and the
 * create-time finalizer: `kubernetes` in spec.finalizers, phase Active.
 */
export function defaultNamespace(ns: Obj): void {
  ns.metadata ??= {};
  if (ns.metadata.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NamespaceNameLabel]: ns.metadata.name };
  ns.spec ??= {};
  const finalizers: string[] = ns.spec.finalizers ?? [];
  if (!finalizers.includes('kubernetes')) ns.spec.finalizers = [...finalizers, 'kubernetes'];
  ns.status ??= {};
  ns.status.phase ||= 'Active';
}

/** validateNamespace mirrors ValidateNamespace: DNS-label name, qualified finalizer names, known phase. */
export function validateNamespace(ns: Obj): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, false, nameIsDNSLabel);
  (ns.spec?.finalizers ?? []).forEach((f: string, i: number) => {
    for (const d of isQualifiedName(f)) errs.push({ type: 'FieldValueInvalid', field: `spec.finalizers[${i}]`, value: f, detail: d });
  });
  const phase = ns.status?.phase;
  if (phase && !['Active', 'Terminating'].includes(phase)) errs.push(notSupported('status.phase', phase, ['Active', 'Terminating']));
  return errs;
}
