/**
 * Server-side printing of Services, Endpoints and EndpointSlices for
 * `kubectl get`, with the columns and cell logic of kube-apiserver's
 * printers (printService, printEndpoints, printEndpointSlice). Registered
 * into tables.ts by one line; this file imports only types from it, so the
 * two never depend on each other at load time. Pure: "now" comes from the caller.
 */
import type { KubeObject } from '../k8s/types.js';
import type { TableColumnDefinition, TableRow } from './tables.js';
import { age } from './tables-rollway.js';

type Obj = KubeObject & Record<string, any>;
type Rec = Record<string, any>;
type Printer = (obj: Obj, now: number) => { cells: unknown[]; conditions?: TableRow['conditions'] };

const col = (name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition => ({ name, type, format, description, priority });

const desc = {
  name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  age: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};
const nameCol = () => col('Name', 'string', desc.name, 0, 'name');
const ageCol = () => col('Age', 'string', desc.age);

export const networkColumns: Record<string, () => TableColumnDefinition[]> = {
  Service: () => [
    nameCol(),
    col('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageCol(),
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  Endpoints: () => [nameCol(), col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageCol()],
  EndpointSlice: () => [
    nameCol(),
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageCol(),
  ],
};

/** formatLabels is labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/** makePortString renders `80/TCP` or `80:30080/TCP` per port, comma-joined. */
export function makePortString(ports: Rec[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
}

function loadBalancerIngress(svc: Rec): string {
  return (svc.status?.loadBalancer?.ingress ?? []).flatMap((i: Rec) => (i.ip ? [i.ip] : i.hostname ? [i.hostname] : [])).join(',');
}

/** externalIP is upstream's getServiceExternalIP (wide form: never truncated). */
export function externalIP(svc: Rec): string {
  const s = svc.spec ?? {};
  const external: string[] = s.externalIPs ?? [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc);
      if (external.length) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function printService(svc: Obj, now: number): { cells: unknown[] } {
  const s = svc.spec ?? {};
  const ips: string[] = s.clusterIPs ?? [];
  return {
    cells: [svc.metadata.name, s.type ?? '', ips.length ? ips[0] : '<none>', externalIP(svc), makePortString(s.ports) || '<none>', age(svc.metadata.creationTimestamp, now), formatLabels(s.selector)],
  };
}

/** formatEndpoints is upstream's: the first three `ip:port` (or bare ips without ports), then `+ N more...`. */
export function formatEndpoints(ep: Rec): string {
  const subsets: Rec[] = ep.subsets ?? [];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: Rec[] = ss.addresses ?? [];
    const ports: Rec[] = ss.ports ?? [];
    if (!ports.length) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(String(a.ip).includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
      }
    }
  }
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || '<none>';
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || '<unset>';
}

/** formatSlicePorts is upstream's formatDiscoveryPorts. */
export function formatSlicePorts(ports: Rec[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < 3) list.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*');
    else more = true;
    count++;
  }
  return listWithMore(list, more, count, 3);
}

/** formatSliceEndpoints is upstream's formatDiscoveryEndpoints. */
export function formatSliceEndpoints(endpoints: Rec[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < 3) list.push(a);
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, 3);
}

export const networkPrinters: Record<string, Printer> = {
  Service: printService,
  Endpoints: (ep, now) => ({ cells: [ep.metadata.name, formatEndpoints(ep), age(ep.metadata.creationTimestamp, now)] }),
  EndpointSlice: (es, now) => ({ cells: [es.metadata.name, es.addressType ?? '', formatSlicePorts(es.ports), formatSliceEndpoints(es.endpoints), age(es.metadata.creationTimestamp, now)] }),
};
