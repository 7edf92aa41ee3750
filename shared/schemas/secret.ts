/**
 * Secret (core/v1): schema, defaults (type Opaque; stringData merged into
 * data as base64 and removed, as upstream's v1 → internal conversion does)
 * and validation (keys, size, per-type required keys, immutability).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../k8s/types.js';
import { bool, pkg, str, strMap, struct } from './go-types.js';
import { ObjectMetaSchema, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';

export const SecretSchema = struct(
  'v1.Secret',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, immutable: bool(), data: strMap(), stringData: strMap(), type: str() },
  pkg.core,
);
export type Secret = z.infer<typeof SecretSchema>;

/** MaxSecretSize is the limit on the summed size of a Secret's data (1 MiB). */
export const MaxSecretSize = 1024 * 1024;

type Obj = Record<string, any>;

const base64Re = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * base64Error returns Go's decode error for a data value that is not
 * standard padded base64 (`illegal base64 data at input byte N`), or undefined.
 */
export function base64Error(v: string): string | undefined {
  const bad = v.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  const eq = v.indexOf('=');
  if (!base64Re.test(v) || v.length % 4 !== 0 || (eq >= 0 && eq < v.length - 2)) {
    return `illegal base64 data at input byte ${eq >= 0 ? eq : Math.floor(v.length / 4) * 4}`;
  }
  return undefined;
}

/** defaultSecret sets type Opaque and folds stringData into data (stringData wins). */
export function defaultSecret(s: Obj): void {
  s.type ||= 'Opaque';
  if (s.stringData) {
    s.data = { ...(s.data ?? {}) };
    for (const [k, v] of Object.entries(s.stringData as Record<string, string>)) s.data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete s.stringData;
  }
}

const configKeyRe = /^[-._a-zA-Z0-9]+$/;
const configKeyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** validateSecret mirrors ValidateSecret(+Update). */
export function validateSecret(s: Obj, old: KubeObject | undefined): FieldError[] {
  const errs = validateObjectMeta(s.metadata, true, nameIsDNSSubdomain);
  const data: Record<string, string> = s.data ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    if (!configKeyRe.test(k)) errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: configKeyMsg });
    if (k === '.' || k === '..') errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: `must not be '${k}'` });
    else if (k.startsWith('..')) errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: "must not start with '..'" });
    total += Buffer.from(v, 'base64').length;
  }
  if (total > MaxSecretSize) errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `must have at most ${MaxSecretSize} bytes` });
  for (const key of requiredKeys[s.type] ?? []) {
    if (data[key] === undefined) errs.push({ type: 'FieldValueRequired', field: `data[${key}]`, detail: '' });
  }
  if (s.type === 'kubernetes.io/basic-auth' && data.username === undefined && data.password === undefined) {
    errs.push({ type: 'FieldValueRequired', field: 'data[username]', detail: '' }, { type: 'FieldValueRequired', field: 'data[password]', detail: '' });
  }
  if (old) {
    if ((old.type ?? 'Opaque') !== s.type) errs.push({ type: 'FieldValueInvalid', field: 'type', value: s.type, detail: 'field is immutable' });
    if (old.immutable === true) {
      if (s.immutable !== true) errs.push({ type: 'FieldValueForbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
      if (JSON.stringify(sortKeys(old.data ?? {})) !== JSON.stringify(sortKeys(data))) {
        errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
      }
    }
  }
  return errs;
}

const sortKeys = (m: unknown) => Object.entries(m as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
