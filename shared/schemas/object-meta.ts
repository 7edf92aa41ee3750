/**
 * ObjectMeta (metav1.ObjectMeta) with every real field, and its validation:
 * names, namespaces, labels and annotations as the API server checks them.
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { arr, bool, int64, opaque, pkg, str, strList, strMap, struct, time } from './go-types.js';

export const OwnerReferenceSchema = struct(
  'v1.OwnerReference',
  { apiVersion: str(), kind: str(), name: str(), uid: str(), controller: bool(), blockOwnerDeletion: bool() },
  pkg.meta,
);

export const ManagedFieldsEntrySchema = opaque('v1.ManagedFieldsEntry', {}, pkg.meta);

export const ObjectMetaSchema = struct(
  'v1.ObjectMeta',
  {
    name: str(),
    generateName: str(),
    namespace: str(),
    selfLink: str(),
    uid: str(),
    resourceVersion: str(),
    generation: int64(),
    creationTimestamp: time(),
    deletionTimestamp: time(),
    deletionGracePeriodSeconds: int64(),
    labels: strMap(),
    annotations: strMap(),
    ownerReferences: arr(OwnerReferenceSchema),
    finalizers: strList(),
    managedFields: arr(ManagedFieldsEntrySchema),
  },
  pkg.meta,
);
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/** ListMetaSchema is metav1.ListMeta, for list kinds in OpenAPI. */
export const ListMetaSchema = struct('v1.ListMeta', { selfLink: str(), resourceVersion: str(), continue: str(), remainingItemCount: int64() }, pkg.meta);

// ---- name validation (k8s.io/apimachinery/pkg/util/validation) ----

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^(${qualifiedNameFmt})?$`);

const maxLen = (n: number) => `must be no more than ${n} characters`;

/** isDNS1123Label returns upstream's messages for a DNS-1123 label (empty when valid). */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!dns1123LabelRe.test(v)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

/** isDNS1123Subdomain returns upstream's messages for a DNS-1123 subdomain (empty when valid). */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLen(253));
  if (!dns1123SubdomainRe.test(v)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs;
}

const qualifiedNameMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** isQualifiedName checks a label key or annotation key: `[prefix/]name`. */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [`a qualified name ${qualifiedNameMsg} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (name.length > 0 && !qualifiedNameRe.test(name)) errs.push(`name part ${qualifiedNameMsg}`);
  return errs;
}

/** isValidLabelValue checks a label value (≤ 63, may be empty). */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!labelValueRe.test(v)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

/** validateLabels checks every key and value of a label map; errors are reported on the map's path. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const d of isQualifiedName(k)) errs.push({ type: 'FieldValueInvalid', field: path, value: k, detail: d });
    for (const d of isValidLabelValue(v)) errs.push({ type: 'FieldValueInvalid', field: path, value: v, detail: d });
  }
  return errs;
}

/** TotalAnnotationSizeLimit is the limit on the summed size of annotation keys and values (256 KiB). */
export const TotalAnnotationSizeLimit = 256 * 1024;

/** validateAnnotations checks annotation keys (as lower-cased qualified names) and their total size. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const d of isQualifiedName(k.toLowerCase())) errs.push({ type: 'FieldValueInvalid', field: path, value: k, detail: d });
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TotalAnnotationSizeLimit) {
    errs.push({ type: 'FieldValueTooLong', field: path, detail: `must have at most ${TotalAnnotationSizeLimit} bytes` });
  }
  return errs;
}

/** NameValidator returns messages for a name; `prefix` is true for generateName (a trailing '-' is fine). */
export type NameValidator = (name: string, prefix: boolean) => string[];

const maskTrailingDash = (n: string) => (n.length > 1 && n.endsWith('-') ? n.slice(0, -2) + 'a' : n);

export const nameIsDNSSubdomain: NameValidator = (n, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(n) : n);
export const nameIsDNSLabel: NameValidator = (n, prefix) => isDNS1123Label(prefix ? maskTrailingDash(n) : n);

/**
 * validateObjectMeta mirrors ValidateObjectMeta: name or generateName is
 * required, the name must pass `validName`, the namespace is required for
 * namespaced kinds (and must be a DNS label), labels and annotations are checked.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, validName: NameValidator, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (m.generateName) {
    for (const d of validName(m.generateName, true)) errs.push({ type: 'FieldValueInvalid', field: `${path}.generateName`, value: m.generateName, detail: d });
  }
  if (!m.name) {
    if (!m.generateName) errs.push({ type: 'FieldValueRequired', field: `${path}.name`, detail: 'name or generateName is required' });
  } else {
    for (const d of validName(m.name, false)) errs.push({ type: 'FieldValueInvalid', field: `${path}.name`, value: m.name, detail: d });
  }
  if (namespaced) {
    if (!m.namespace) errs.push({ type: 'FieldValueRequired', field: `${path}.namespace`, detail: '' });
    else for (const d of isDNS1123Label(m.namespace)) errs.push({ type: 'FieldValueInvalid', field: `${path}.namespace`, value: m.namespace, detail: d });
  } else if (m.namespace) {
    errs.push({ type: 'FieldValueForbidden', field: `${path}.namespace`, detail: 'not allowed on this type' });
  }
  if (m.generation !== undefined && m.generation < 0) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.generation`, value: m.generation, detail: 'must be greater than or equal to 0' });
  }
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  (m.finalizers ?? []).forEach((f, i) => {
    for (const d of isQualifiedName(f)) errs.push({ type: 'FieldValueInvalid', field: `${path}.finalizers[${i}]`, value: f, detail: d });
  });
  return errs;
}
