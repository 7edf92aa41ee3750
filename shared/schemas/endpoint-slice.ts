/**
 * EndpointSlice (discovery.k8s.io/v1): schema, defaults (port protocol TCP,
 * port name "") and validation (ValidateEndpointSlice: addressType,
 * 1–100 addresses per endpoint, port ranges, addressType immutable).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../k8s/types.js';
import { arr, bool, int32, pkg, str, strList, strMap, struct } from './go-types.js';
import { ObjectMetaSchema, isDNS1123Label, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';
import { notSupported } from './pod.js';
import { PROTOCOLS, isIPv4 } from './service.js';
import { ObjectReferenceSchema } from './endpoints.js';

const discovery = 'io.k8s.api.discovery.v1';

export const EndpointConditionsSchema = struct('v1.EndpointConditions', { ready: bool(), serving: bool(), terminating: bool() }, discovery);
export const EndpointHintsSchema = struct('v1.EndpointHints', { forZones: arr(struct('v1.ForZone', { name: str() }, discovery)), forNodes: arr(struct('v1.ForNode', { name: str() }, discovery)) }, discovery);

export const EndpointSchema = struct(
  'v1.Endpoint',
  {
    addresses: strList(),
    conditions: EndpointConditionsSchema,
    hostname: str(),
    targetRef: ObjectReferenceSchema,
    deprecatedTopology: strMap(),
    nodeName: str(),
    zone: str(),
    hints: EndpointHintsSchema,
  },
  discovery,
);

export const EndpointSlicePortSchema = struct('v1.EndpointPort', { name: str(), protocol: str(), port: int32(), appProtocol: str() }, discovery);

export const EndpointSliceSchema = struct(
  'v1.EndpointSlice',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, addressType: str(), endpoints: arr(EndpointSchema), ports: arr(EndpointSlicePortSchema) },
  discovery,
);
export type EndpointSlice = z.infer<typeof EndpointSliceSchema>;

type Obj = Record<string, any>;

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
export const MAX_ENDPOINT_ADDRESSES = 100;
export const MAX_SLICE_ENDPOINTS = 1000;

/** defaultEndpointSlice sets each port's protocol to TCP and name to "" when unset. */
export function defaultEndpointSlice(es: Obj): void {
  for (const p of es.ports ?? []) {
    p.protocol ||= 'TCP';
    p.name ??= '';
  }
}

function validateAddress(addr: string, type: string, path: string): FieldError[] {
  if (type === 'IPv4' && !isIPv4(addr)) return [{ type: 'FieldValueInvalid', field: path, value: addr, detail: 'must be a valid IPv4 address' }];
  if (type === 'IPv6' && !/^[0-9a-fA-F:]+$/.test(addr)) return [{ type: 'FieldValueInvalid', field: path, value: addr, detail: 'must be a valid IPv6 address' }];
  if (type === 'FQDN' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(addr)) {
    return [{ type: 'FieldValueInvalid', field: path, value: addr, detail: 'must be a valid FQDN' }];
  }
  return [];
}

/** validateEndpointSlice mirrors ValidateEndpointSlice(+Update). */
export function validateEndpointSlice(es: Obj, old: KubeObject | undefined): FieldError[] {
  const errs = validateObjectMeta(es.metadata, true, nameIsDNSSubdomain);
  if (!es.addressType) errs.push({ type: 'FieldValueRequired', field: 'addressType', detail: '' });
  else if (!ADDRESS_TYPES.includes(es.addressType)) errs.push(notSupported('addressType', es.addressType, ADDRESS_TYPES));
  const endpoints: Obj[] = es.endpoints ?? [];
  if (endpoints.length > MAX_SLICE_ENDPOINTS) errs.push({ type: 'FieldValueTooLong', field: 'endpoints', detail: `must have at most ${MAX_SLICE_ENDPOINTS} items` });
  endpoints.forEach((e, i) => {
    const p = `endpoints[${i}]`;
    const addrs: string[] = e.addresses ?? [];
    if (!addrs.length) errs.push({ type: 'FieldValueRequired', field: `${p}.addresses`, detail: 'must contain at least 1 address' });
    else if (addrs.length > MAX_ENDPOINT_ADDRESSES) errs.push({ type: 'FieldValueTooLong', field: `${p}.addresses`, detail: `must have at most ${MAX_ENDPOINT_ADDRESSES} items` });
    addrs.forEach((a, j) => errs.push(...validateAddress(a, es.addressType, `${p}.addresses[${j}]`)));
    if (e.hostname) for (const d of isDNS1123Label(e.hostname)) errs.push({ type: 'FieldValueInvalid', field: `${p}.hostname`, value: e.hostname, detail: d });
  });
  const names = new Set<string>();
  (es.ports ?? []).forEach((port: Obj, i: number) => {
    const p = `ports[${i}]`;
    const name = port.name ?? '';
    if (name) for (const d of isDNS1123Label(name)) errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, value: name, detail: d });
    if (names.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.name`, value: name, detail: '' });
    names.add(name);
    if (port.port !== undefined && (port.port < 0 || port.port > 65535)) errs.push({ type: 'FieldValueInvalid', field: `${p}.port`, value: port.port, detail: 'must be between 0 and 65535, inclusive' });
    if (!port.protocol) errs.push({ type: 'FieldValueRequired', field: `${p}.protocol`, detail: '' });
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  if (old && old.addressType && old.addressType !== es.addressType) {
    errs.push({ type: 'FieldValueInvalid', field: 'addressType', value: es.addressType, detail: 'field is immutable' });
  }
  return errs;
}
