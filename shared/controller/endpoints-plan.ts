/**
 * What the endpoints controller writes for a Service, computed from the
 * Service and the pods it selects. Pure: no I/O, no clock.
 *
 * Endpoints (core/v1) follow upstream's endpoints controller: ready pods in
 * `addresses`, others in `notReadyAddresses` (all in `addresses` with
 * publishNotReadyAddresses), terminating pods left out, subsets grouped by
 * identical port sets. EndpointSlices (discovery.k8s.io/v1) follow the
 * EndpointSlice controller: terminating pods kept with their conditions,
 * one slice per distinct port set (at most 100 endpoints each), labelled
 * `kubernetes.io/service-name` and owned by the Service.
 */
import { createHash } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../k8s/types.js';

type Obj = Record<string, any>;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Endpoints per slice, as upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** podReady: the pod's Ready condition is True. */
export function podReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** shouldPodBeInEndpoints mirrors upstream: an IP, not finished, and (unless asked) not terminating. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  switch (pod.spec?.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/** selects reports whether a Service's selector (a plain map) selects a pod; an empty selector selects nothing here. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  if (!entries.length) return false;
  return entries.every(([k, v]) => labels?.[k] === v);
}

/** managesEndpoints: the controller keeps endpoints for Services with a selector, except ExternalName. */
export function managesEndpoints(svc: KubeObject): boolean {
  return svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0;
}

/** resolveTargetPort finds the pod port a service port sends to: a number as is, a name through the containers' ports. */
export function resolveTargetPort(svcPort: Obj, pod: KubeObject): number | undefined {
  const t = svcPort.targetPort ?? svcPort.port;
  if (typeof t === 'number') return t;
  if (typeof t === 'string' && /^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === t && (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP')) return p.containerPort;
    }
  }
  return undefined;
}

/** podPorts are the endpoint ports of one pod (service ports it cannot serve are left out). */
export function podPorts(svc: KubeObject, pod: KubeObject): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue;
    out.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

const portsKey = (ports: EndpointPort[]) => JSON.stringify(ports.map((p) => [p.name ?? '', p.port, p.protocol, p.appProtocol ?? '']));

function targetRef(pod: KubeObject): Obj {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

function hostnameFor(svc: KubeObject, pod: KubeObject): string | undefined {
  return pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
}

const byIp = (a: Obj, b: Obj) => compareIp(a.ip ?? a.addresses?.[0], b.ip ?? b.addresses?.[0]) || String(a.targetRef?.uid ?? '').localeCompare(String(b.targetRef?.uid ?? ''));

/** compareIp orders dotted quads numerically (other strings lexically). */
export function compareIp(a: string, b: string): number {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && [...pa, ...pb].every((n) => Number.isInteger(n))) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
    return 0;
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** serviceLabels are the labels endpoints objects inherit from their Service. */
function inheritedLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  delete labels[SERVICE_NAME_LABEL];
  delete labels[MANAGED_BY_LABEL];
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

/**
 * desiredEndpoints is the Endpoints object for a Service with a selector,
 * given the pods of its namespace (they are filtered by the selector here).
 */
export function desiredEndpoints(svc: KubeObject, pods: KubeObject[]): KubeObject {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; addresses: Obj[]; notReady: Obj[] }>();
  const headlessNoPorts = !(svc.spec?.ports ?? []).length && svc.spec?.clusterIP === 'None';
  for (const pod of pods) {
    if (!selects(svc.spec?.selector, pod.metadata.labels)) continue;
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports = podPorts(svc, pod);
    if (!ports.length && !headlessNoPorts) continue;
    const key = portsKey(ports);
    if (!groups.has(key)) groups.set(key, { ports, addresses: [], notReady: [] });
    const g = groups.get(key)!;
    const hostname = hostnameFor(svc, pod);
    const addr = { ip: pod.status!.podIP, ...(hostname ? { hostname } : {}), ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: targetRef(pod) };
    if (publishNotReady || podReady(pod)) g.addresses.push(addr);
    else g.notReady.push(addr);
  }
  const subsets = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({
      ...(g.addresses.length ? { addresses: g.addresses.sort(byIp) } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
  const labels = inheritedLabels(svc);
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, ...(Object.keys(labels).length ? { labels } : {}) },
    ...(subsets.length ? { subsets } : {}),
  };
}

/** sliceName is `<service>-<5 characters>`, stable for a Service's uid, port set and chunk. */
export function sliceName(svc: KubeObject, key: string, chunk: number): string {
  const h = createHash('sha256').update(`${svc.metadata.uid}|${key}|${chunk}`).digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const suffix = Array.from(h.subarray(0, 5), (b) => alphabet[b % alphabet.length]).join('');
  return `${svc.metadata.name.slice(0, 63 - 6)}-${suffix}`;
}

function ownerRef(svc: KubeObject): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/**
 * desiredEndpointSlices are the EndpointSlices for a Service with a selector:
 * one per distinct port set (chunks of 100 endpoints), or a single empty
 * placeholder when no pod is selected, as upstream keeps.
 */
export function desiredEndpointSlices(svc: KubeObject, pods: KubeObject[]): KubeObject[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Obj[] }>();
  for (const pod of pods) {
    if (!selects(svc.spec?.selector, pod.metadata.labels)) continue;
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = podPorts(svc, pod);
    const key = portsKey(ports);
    if (!groups.has(key)) groups.set(key, { ports, endpoints: [] });
    const ready = podReady(pod);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const hostname = hostnameFor(svc, pod);
    groups.get(key)!.endpoints.push({
      addresses: [pod.status!.podIP],
      conditions: { ready: publishNotReady || (ready && !terminating), serving: ready, terminating },
      ...(hostname ? { hostname } : {}),
      targetRef: targetRef(pod),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    });
  }
  const labels = { ...inheritedLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata.name, [MANAGED_BY_LABEL]: MANAGED_BY };
  const slice = (name: string, ports: EndpointPort[], endpoints: Obj[]): KubeObject => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [ownerRef(svc)] },
    addressType: 'IPv4',
    endpoints,
    ports: ports.map((p) => ({ ...p, name: p.name ?? '' })),
  });
  if (!groups.size) return [slice(sliceName(svc, '', 0), [], [])];
  const out: KubeObject[] = [];
  for (const [key, g] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const eps = g.endpoints.sort(byIp);
    for (let i = 0; i * MAX_ENDPOINTS_PER_SLICE < eps.length; i++) {
      out.push(slice(sliceName(svc, key, i), g.ports, eps.slice(i * MAX_ENDPOINTS_PER_SLICE, (i + 1) * MAX_ENDPOINTS_PER_SLICE)));
    }
  }
  return out;
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** endpointsDiffer: the fields the controller owns differ (labels, subsets). */
export function endpointsDiffer(current: KubeObject, desired: KubeObject): boolean {
  return canon(current.metadata.labels ?? {}) !== canon(desired.metadata.labels ?? {}) || canon(current.subsets ?? []) !== canon(desired.subsets ?? []);
}

/** sliceDiffers: the fields the controller owns differ (labels, owner, address type, endpoints, ports). */
export function sliceDiffers(current: KubeObject, desired: KubeObject): boolean {
  const pick = (s: KubeObject) => ({ labels: s.metadata.labels ?? {}, owners: s.metadata.ownerReferences ?? [], addressType: s.addressType, endpoints: s.endpoints ?? [], ports: s.ports ?? [] });
  return canon(pick(current)) !== canon(pick(desired));
}
