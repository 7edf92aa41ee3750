/**
 * Endpoints (core/v1): schema, defaults (port protocol TCP) and validation
 * (ValidateEndpoints: addresses are IPs, ports in range with known protocols).
 * Rollway's endpoints controller writes them for Services with a selector.
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { arr, int32, pkg, str, struct } from './go-types.js';
import { ObjectMetaSchema, isDNS1123Label, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';
import { notSupported } from './pod.js';
import { PROTOCOLS, isIPv4 } from './service.js';

export const ObjectReferenceSchema = struct(
  'v1.ObjectReference',
  { kind: str(), namespace: str(), name: str(), uid: str(), apiVersion: str(), resourceVersion: str(), fieldPath: str() },
  pkg.core,
);

export const EndpointAddressSchema = struct('v1.EndpointAddress', { ip: str(), hostname: str(), nodeName: str(), targetRef: ObjectReferenceSchema }, pkg.core);
export const EndpointPortSchema = struct('v1.EndpointPort', { name: str(), port: int32(), protocol: str(), appProtocol: str() }, pkg.core);

export const EndpointSubsetSchema = struct(
  'v1.EndpointSubset',
  { addresses: arr(EndpointAddressSchema), notReadyAddresses: arr(EndpointAddressSchema), ports: arr(EndpointPortSchema) },
  pkg.core,
);

export const EndpointsSchema = struct('v1.Endpoints', { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, subsets: arr(EndpointSubsetSchema) }, pkg.core);
export type Endpoints = z.infer<typeof EndpointsSchema>;

type Obj = Record<string, any>;

/** defaultEndpoints sets each port's protocol to TCP when unset (SetDefaults_EndpointPort). */
export function defaultEndpoints(ep: Obj): void {
  for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
}

const validIP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function validateAddress(a: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!a.ip) errs.push({ type: 'FieldValueRequired', field: `${path}.ip`, detail: '' });
  else if (!isIPv4(a.ip) && !/^[0-9a-fA-F:]+$/.test(a.ip)) errs.push({ type: 'FieldValueInvalid', field: `${path}.ip`, value: a.ip, detail: validIP });
  if (a.hostname) for (const d of isDNS1123Label(a.hostname)) errs.push({ type: 'FieldValueInvalid', field: `${path}.hostname`, value: a.hostname, detail: d });
  return errs;
}

/** validateEndpoints mirrors ValidateEndpoints for the fields users and agents write. */
export function validateEndpoints(ep: Obj): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain);
  (ep.subsets ?? []).forEach((ss: Obj, i: number) => {
    const sp = `subsets[${i}]`;
    if (!(ss.addresses ?? []).length && !(ss.notReadyAddresses ?? []).length) {
      errs.push({ type: 'FieldValueRequired', field: sp, detail: 'must specify `addresses` or `notReadyAddresses`' });
    }
    (ss.addresses ?? []).forEach((a: Obj, j: number) => errs.push(...validateAddress(a, `${sp}.addresses[${j}]`)));
    (ss.notReadyAddresses ?? []).forEach((a: Obj, j: number) => errs.push(...validateAddress(a, `${sp}.notReadyAddresses[${j}]`)));
    const ports: Obj[] = ss.ports ?? [];
    ports.forEach((p, j) => {
      const pp = `${sp}.ports[${j}]`;
      if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `${pp}.name`, detail: '' });
      if (p.name) for (const d of isDNS1123Label(p.name)) errs.push({ type: 'FieldValueInvalid', field: `${pp}.name`, value: p.name, detail: d });
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errs.push({ type: 'FieldValueInvalid', field: `${pp}.port`, value: p.port ?? 0, detail: 'must be between 1 and 65535, inclusive' });
      if (!p.protocol) errs.push({ type: 'FieldValueRequired', field: `${pp}.protocol`, detail: '' });
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    });
  });
  return errs;
}
