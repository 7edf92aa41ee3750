/**
 * admission: the edge between a request body and a stored object. `admit`
 * decodes (strict, Go semantics), checks kind/apiVersion and the URL's
 * name/namespace, defaults in the client's version, validates, converts to
 * the storage version and bounds the size. Pure: no I/O, no clock.
 *
 * Not done here (the API layer's job): server metadata (uid,
 * resourceVersion, creationTimestamp, generation), name generation from
 * generateName, and status reset/keep strategies on create/update.
 */
import { BadRequestError, InvalidError, type FieldError } from '../errors.js';
import { apiVersionOf, type ResourceInfo } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import { decode } from './decode.js';
import { schemaFor } from './registry.js';

export interface AdmitInput {
  resource: ResourceInfo;
  /** Request version from the URL, e.g. 'v1beta1'. */
  version: string;
  /** Parsed JSON body. */
  body: unknown;
  /** Stored object, for updates. */
  old?: KubeObject;
  /** Namespace from the URL, for namespaced kinds. */
  namespace?: string;
  /** Name from the URL, for PUT/PATCH. */
  name?: string;
  /** Unknown-field handling; the server default is Warn, as upstream's. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface AdmitResult {
  /** Converted to the storage version (first in resource.versions), defaulted, validated. */
  object: KubeObject;
  /** Warnings for the `Warning: 299` header (unknown fields under Warn). */
  warnings: string[];
}

/**
 * MaxObjectBytes bounds an object's JSON size (256 KiB), under DynamoDB's
 * 400 KB item limit with room for keys and attributes. Choice: a larger
 * object is a 422 Invalid with a TooLong cause on `metadata`, the form
 * Kubernetes uses for its own size limits (e.g. `data: Too long: must have
 * at most 1048576 bytes` for Secrets), so kubectl prints it against the
 * object's name instead of a bare 413.
 */
export const MaxObjectBytes = 256 * 1024;

type Obj = Record<string, any>;

const isPlainObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** storageVersion is the version objects of a resource are stored in. */
export function storageVersion(resource: ResourceInfo): string {
  return resource.versions[0];
}

/** checkTypeMeta returns the body's version after checking kind and apiVersion against the resource (400 otherwise). */
function checkTypeMeta(resource: ResourceInfo, version: string, body: Obj): string {
  const raw = JSON.stringify(body);
  if (typeof body.kind !== 'string' || body.kind === '') throw new BadRequestError(`Object 'Kind' is missing in '${raw}'`);
  if (typeof body.apiVersion !== 'string' || body.apiVersion === '') throw new BadRequestError(`Object 'apiVersion' is missing in '${raw}'`);
  const expected = apiVersionOf(resource.group, version);
  // Any served version of the resource decodes (and is converted), as upstream's codec does.
  const bodyVersion = resource.versions.find((v) => apiVersionOf(resource.group, v) === body.apiVersion);
  if (!bodyVersion) {
    throw new BadRequestError(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (body.kind !== resource.kind) {
    throw new BadRequestError(`the kind in the data (${body.kind}) does not match the expected kind (${resource.kind})`);
  }
  return bodyVersion;
}

/** checkURL reconciles metadata.name/namespace with the URL, as the API server's handlers do. */
function checkURL(resource: ResourceInfo, obj: Obj, input: AdmitInput): void {
  obj.metadata ??= {};
  const meta = obj.metadata;
  if (resource.namespaced) {
    if (input.namespace !== undefined && input.namespace !== '') {
      if (!meta.namespace) meta.namespace = input.namespace;
      else if (meta.namespace !== input.namespace) {
        throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
      }
    }
  } else {
    delete meta.namespace;
  }
  if (input.name !== undefined && (meta.name ?? '') !== input.name) {
    throw new BadRequestError(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${input.name})`);
  }
}

/**
 * admit turns a request body into the object to store. Throws BadRequestError
 * (400: undecodable body, wrong kind/apiVersion, URL mismatch, unknown fields
 * under Strict) or InvalidError (422: validation).
 */
export function admit(input: AdmitInput): AdmitResult {
  const { resource, body } = input;
  const ks = schemaFor(resource);
  if (!isPlainObject(body)) {
    throw new BadRequestError(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const bodyVersion = checkTypeMeta(resource, input.version, body);
  const schema = ks.schemas[bodyVersion];
  const cannot = `${resource.kind} in version "${bodyVersion}" cannot be handled as a ${resource.kind}`;
  const decoded = decode(schema, body);
  if (decoded.typeError) {
    throw new BadRequestError(`${cannot}: ${decoded.typeError.message}`, {
      group: resource.group,
      kind: resource.kind,
      causes: [{ reason: 'FieldValueTypeInvalid', message: decoded.typeError.message, field: decoded.typeError.field }],
    });
  }
  const decodeError = ks.decodeError?.(decoded.object as Obj);
  if (decodeError) throw new BadRequestError(`${cannot}: ${decodeError}`, { group: resource.group, kind: resource.kind });
  const warnings: string[] = [];
  const fieldValidation = input.fieldValidation ?? 'Warn';
  if (decoded.unknownFields.length > 0) {
    const msgs = decoded.unknownFields.map((f) => `unknown field "${f}"`);
    if (fieldValidation === 'Strict') {
      throw new BadRequestError(`${cannot}: strict decoding error: ${msgs.join(', ')}`, {
        group: resource.group,
        kind: resource.kind,
        causes: decoded.unknownFields.map((f) => ({ reason: 'FieldValueInvalid', message: `unknown field "${f}"`, field: f })),
      });
    }
    if (fieldValidation === 'Warn') warnings.push(...msgs);
  }
  const obj = decoded.object as Obj;
  checkURL(resource, obj, input);
  ks.setDefaults?.(obj, bodyVersion);
  const errs = ks.validate?.(obj, input.old, input.version) ?? [];
  const name = obj.metadata?.name || obj.metadata?.generateName || '';
  if (errs.length > 0) throw new InvalidError(resource.kind, resource.group, name, errs);
  const stored = toStorage(obj, resource, bodyVersion);
  const size = Buffer.byteLength(JSON.stringify(stored));
  if (size > MaxObjectBytes) {
    throw new InvalidError(resource.kind, resource.group, name, [{ type: 'FieldValueTooLong', field: 'metadata', detail: `must have at most ${MaxObjectBytes} bytes` }]);
  }
  return { object: stored, warnings };
}

function toStorage(obj: Obj, resource: ResourceInfo, version: string): KubeObject {
  const ks = schemaFor(resource);
  const sv = storageVersion(resource);
  const out = ks.toStorage && version !== sv ? ks.toStorage(obj, version) : { ...obj };
  // apiVersion and kind lead, as the API server writes them.
  const { apiVersion: _a, kind: _k, ...rest } = out;
  return { apiVersion: apiVersionOf(resource.group, sv), kind: resource.kind, ...rest } as KubeObject;
}

/** toVersion converts a stored object to a served `version` (apps/v1 → apps/v1beta1 for Deployments). */
export function toVersion(obj: KubeObject, resource: ResourceInfo, version: string): KubeObject {
  if (!resource.versions.includes(version)) {
    throw new BadRequestError(`version ${JSON.stringify(version)} is not served for ${resource.plural}${resource.group ? '.' + resource.group : ''}`);
  }
  const ks = schemaFor(resource);
  const target = apiVersionOf(resource.group, version);
  if (obj.apiVersion === target) return obj;
  const out = ks.fromStorage ? ks.fromStorage(obj, version) : ({ ...obj } as KubeObject);
  const { apiVersion: _a, kind: _k, ...rest } = out;
  return { apiVersion: target, kind: resource.kind, ...rest } as KubeObject;
}

/**
 * validateStatusUpdate applies a kind's status rules (§4.1: Deployment
 * status counts, collisionCount; ReplicaSet counts) to a status write.
 * Throws InvalidError.
 */
export function validateStatusUpdate(resource: ResourceInfo, newObj: KubeObject, oldObj: KubeObject | undefined): void {
  const ks = schemaFor(resource);
  const errs: FieldError[] = ks.validateStatus?.(newObj, oldObj) ?? [];
  if (errs.length > 0) throw new InvalidError(resource.kind, resource.group, newObj.metadata?.name ?? '', errs);
}
