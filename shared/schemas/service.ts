/**
 * Service (core/v1): schema, defaults (SetDefaults_Service plus the family
 * fields the allocator fills) and validation (the parts of ValidateService
 * and ValidateServiceUpdate users hit: type, ports, selector, cluster IPs,
 * traffic policies, ExternalName). Cluster IPs and node ports themselves are
 * allocated by `shared/api/service-allocation.ts` (it needs the store).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../k8s/types.js';
import { arr, bool, int32, opaque, pkg, str, strList, strMap, struct, time } from './go-types.js';
import { IntOrStringSchema } from './int-or-string.js';
import { ObjectMetaSchema, isDNS1123Label, isDNS1123Subdomain, validateLabels, validateObjectMeta, type NameValidator } from './object-meta.js';
import { notSupported } from './pod.js';

export const ServicePortSchema = struct(
  'v1.ServicePort',
  { name: str(), protocol: str(), appProtocol: str(), port: int32(), targetPort: IntOrStringSchema, nodePort: int32() },
  pkg.core,
);

const SessionAffinityConfigSchema = struct(
  'v1.SessionAffinityConfig',
  { clientIP: struct('v1.ClientIPConfig', { timeoutSeconds: int32() }, pkg.core) },
  pkg.core,
);

export const ServiceSpecSchema = struct(
  'v1.ServiceSpec',
  {
    ports: arr(ServicePortSchema),
    selector: strMap(),
    clusterIP: str(),
    clusterIPs: strList(),
    type: str(),
    externalIPs: strList(),
    sessionAffinity: str(),
    loadBalancerIP: str(),
    loadBalancerSourceRanges: strList(),
    externalName: str(),
    externalTrafficPolicy: str(),
    healthCheckNodePort: int32(),
    publishNotReadyAddresses: bool(),
    sessionAffinityConfig: SessionAffinityConfigSchema,
    ipFamilies: strList(),
    ipFamilyPolicy: str(),
    allocateLoadBalancerNodePorts: bool(),
    loadBalancerClass: str(),
    internalTrafficPolicy: str(),
    trafficDistribution: str(),
  },
  pkg.core,
);

const ConditionSchema = struct(
  'v1.Condition',
  { type: str(), status: str(), observedGeneration: int32(), lastTransitionTime: time(), reason: str(), message: str() },
  pkg.meta,
);

export const ServiceStatusSchema = opaque(
  'v1.ServiceStatus',
  {
    loadBalancer: opaque('v1.LoadBalancerStatus', { ingress: arr(opaque('v1.LoadBalancerIngress', { ip: str(), hostname: str(), ipMode: str() }, pkg.core)) }, pkg.core),
    conditions: arr(ConditionSchema),
  },
  pkg.core,
);

export const ServiceSchema = struct(
  'v1.Service',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: ServiceSpecSchema, status: ServiceStatusSchema },
  pkg.core,
);
export type Service = z.infer<typeof ServiceSchema>;

type Obj = Record<string, any>;

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
/** Default ClientIP session affinity timeout (3 hours), as upstream. */
export const DEFAULT_CLIENT_IP_TIMEOUT = 10800;

/** isHeadless reports a `clusterIP: None` Service. */
export function isHeadless(spec: Obj | undefined): boolean {
  return spec?.clusterIP === 'None';
}

/**
 * defaultService applies SetDefaults_Service: type ClusterIP, sessionAffinity
 * None, port protocol TCP, targetPort = port, traffic policies Cluster, and
 * the IPv4 single-stack families the allocator would record.
 */
export function defaultService(svc: Obj): void {
  svc.spec ??= {};
  const s = svc.spec;
  s.type ||= 'ClusterIP';
  s.sessionAffinity ||= 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= DEFAULT_CLIENT_IP_TIMEOUT;
  }
  for (const p of s.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ||= 'Cluster';
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
  if (s.type !== 'ExternalName') {
    s.internalTrafficPolicy ||= 'Cluster';
    // clusterIP and clusterIPs mirror each other (normalizeClusterIPs).
    if (s.clusterIP && !(s.clusterIPs ?? []).length) s.clusterIPs = [s.clusterIP];
    if (!s.clusterIP && (s.clusterIPs ?? []).length) s.clusterIP = s.clusterIPs[0];
    s.ipFamilyPolicy ||= 'SingleStack';
    if (!(s.ipFamilies ?? []).length) s.ipFamilies = ['IPv4'];
  }
}

const dns1035LabelRe = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** isDNS1035Label returns upstream's messages for a DNS-1035 label, the rule for Service names. */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1035LabelRe.test(v)) {
    errs.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

const nameIsDNS1035Label: NameValidator = (n, prefix) => isDNS1035Label(prefix && n.length > 1 && n.endsWith('-') ? n.slice(0, -1) + 'a' : n);

const ianaSvcNameRe = /^[-a-z0-9]+$/;

/** isValidPortName mirrors IsValidPortName (IANA_SVC_NAME), used for named targetPorts. */
export function isValidPortName(n: string): string[] {
  const errs: string[] = [];
  if (n.length > 15) errs.push('must be no more than 15 characters');
  if (!ianaSvcNameRe.test(n)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (n.includes('--')) errs.push('must not contain consecutive hyphens');
  if (!/[a-z]/.test(n)) errs.push('must contain at least one letter (a-z)');
  if (n.startsWith('-') || n.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const ipv4Re = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** isIPv4 reports a dotted-quad IPv4 address (no leading zeros, as Go's netip parses). */
export function isIPv4(v: string): boolean {
  return ipv4Re.test(v);
}

const portRange = 'must be between 1 and 65535, inclusive';
const validIP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function validatePorts(s: Obj, errs: FieldError[]): void {
  const ports: Obj[] = s.ports ?? [];
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `${pp}.name`, detail: '' });
    if (p.name) {
      for (const d of isDNS1123Label(p.name)) errs.push({ type: 'FieldValueInvalid', field: `${pp}.name`, value: p.name, detail: d });
      if (names.has(p.name)) errs.push({ type: 'FieldValueDuplicate', field: `${pp}.name`, value: p.name, detail: '' });
      names.add(p.name);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errs.push({ type: 'FieldValueInvalid', field: `${pp}.port`, value: p.port ?? 0, detail: portRange });
    if (!p.protocol) errs.push({ type: 'FieldValueRequired', field: `${pp}.protocol`, detail: '' });
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'number') {
      if (p.targetPort < 1 || p.targetPort > 65535) errs.push({ type: 'FieldValueInvalid', field: `${pp}.targetPort`, value: p.targetPort, detail: portRange });
    } else if (typeof p.targetPort === 'string') {
      for (const d of isValidPortName(p.targetPort)) errs.push({ type: 'FieldValueInvalid', field: `${pp}.targetPort`, value: p.targetPort, detail: d });
    }
    if (p.nodePort) {
      if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') {
        errs.push({ type: 'FieldValueForbidden', field: `${pp}.nodePort`, detail: `may not be used when \`type\` is '${s.type}'` });
      } else if (p.nodePort < 1 || p.nodePort > 65535) {
        errs.push({ type: 'FieldValueInvalid', field: `${pp}.nodePort`, value: p.nodePort, detail: portRange });
      }
    }
    const key = `${p.port}/${p.protocol}`;
    if (keys.has(key)) errs.push({ type: 'FieldValueDuplicate', field: pp, value: `{port: ${p.port}, protocol: ${p.protocol}}`, detail: '' });
    keys.add(key);
  });
}

/**
 * validateService mirrors ValidateService (and ValidateServiceUpdate when
 * `old` is given) for a defaulted Service. An update that leaves
 * `spec.clusterIP` empty keeps the allocated one (filled in by the allocator),
 * as upstream's patchAllocatedValues does.
 */
export function validateService(svc: Obj, old: KubeObject | undefined): FieldError[] {
  if (old) dropTypeDependentFields(svc.spec ?? {}, old.spec ?? {});
  const errs = validateObjectMeta(svc.metadata, true, nameIsDNS1035Label);
  const s: Obj = svc.spec ?? {};
  if (!SERVICE_TYPES.includes(s.type)) errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
  const externalName = s.type === 'ExternalName';
  const headless = isHeadless(s);
  if (!(s.ports ?? []).length && !externalName && !headless) errs.push({ type: 'FieldValueRequired', field: 'spec.ports', detail: '' });
  validatePorts(s, errs);
  errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!['None', 'ClientIP'].includes(s.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
  const timeout = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (s.sessionAffinity === 'ClientIP' && (timeout === undefined || timeout <= 0 || timeout > 86400)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', value: timeout ?? 0, detail: 'must be greater than 0 and less than 86400' });
  }
  if (s.sessionAffinity === 'None' && s.sessionAffinityConfig) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.sessionAffinityConfig', value: s.sessionAffinityConfig, detail: "must not be set when session affinity is None" });
  }
  const ips: string[] = s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : []);
  if (externalName) {
    if (!s.externalName) errs.push({ type: 'FieldValueRequired', field: 'spec.externalName', detail: '' });
    else for (const d of isDNS1123Subdomain(s.externalName.replace(/\.$/, ''))) errs.push({ type: 'FieldValueInvalid', field: 'spec.externalName', value: s.externalName, detail: d });
    if (ips.length) errs.push({ type: 'FieldValueForbidden', field: 'spec.clusterIPs', detail: 'may not be set for ExternalName services' });
    if ((s.ipFamilies ?? []).length) errs.push({ type: 'FieldValueForbidden', field: 'spec.ipFamilies', detail: 'may not be set for ExternalName services' });
    if (s.ipFamilyPolicy) errs.push({ type: 'FieldValueForbidden', field: 'spec.ipFamilyPolicy', detail: 'may not be set for ExternalName services' });
  } else {
    if (s.clusterIPs && s.clusterIP && s.clusterIPs[0] !== s.clusterIP) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: s.clusterIPs, detail: 'first value must match `clusterIP`' });
    }
    if (ips.length > 1) errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: ips, detail: 'may only hold up to 1 value on a single-stack cluster' });
    ips.forEach((ip, i) => {
      if (ip === 'None') {
        if (i > 0 || ips.length > 1) errs.push({ type: 'FieldValueInvalid', field: `spec.clusterIPs[${i}]`, value: ip, detail: "'None' must be the first and only value" });
        else if (s.type === 'NodePort' || s.type === 'LoadBalancer') errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', value: ip, detail: `may not be set to 'None' for ${s.type} services` });
      } else if (!isIPv4(ip)) {
        errs.push({ type: 'FieldValueInvalid', field: `spec.clusterIPs[${i}]`, value: ip, detail: ip.includes(':') ? 'IPv6 is not configured on this cluster' : validIP });
      }
    });
    (s.ipFamilies ?? []).forEach((f: string, i: number) => {
      if (f === 'IPv6') errs.push({ type: 'FieldValueInvalid', field: `spec.ipFamilies[${i}]`, value: f, detail: 'not configured on this cluster' });
      else if (f !== 'IPv4') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    });
    if ((s.ipFamilies ?? []).length > 1) errs.push({ type: 'FieldValueInvalid', field: 'spec.ipFamilies', value: s.ipFamilies, detail: 'may only hold up to 1 value on a single-stack cluster' });
    if (!['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(s.ipFamilyPolicy)) {
      errs.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
    } else if (s.ipFamilyPolicy === 'RequireDualStack') {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.ipFamilyPolicy', value: s.ipFamilyPolicy, detail: 'this cluster is not configured for dual-stack services' });
    }
    if (!['Cluster', 'Local'].includes(s.internalTrafficPolicy)) errs.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (s.externalTrafficPolicy) {
    if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.externalTrafficPolicy', value: s.externalTrafficPolicy, detail: 'may only be set for externally-accessible services' });
    } else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) {
      errs.push(notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']));
    }
  }
  (s.externalIPs ?? []).forEach((ip: string, i: number) => {
    if (!isIPv4(ip) && !ip.includes(':')) errs.push({ type: 'FieldValueInvalid', field: `spec.externalIPs[${i}]`, value: ip, detail: validIP });
  });
  if (s.type !== 'LoadBalancer') {
    if (s.loadBalancerClass) errs.push({ type: 'FieldValueForbidden', field: 'spec.loadBalancerClass', detail: 'may only be used when `type` is \'LoadBalancer\'' });
    if ((s.loadBalancerSourceRanges ?? []).length) errs.push({ type: 'FieldValueForbidden', field: 'spec.loadBalancerSourceRanges', detail: 'may only be used when `type` is \'LoadBalancer\'' });
  }
  if (old) errs.push(...validateServiceUpdate(s, old.spec ?? {}));
  return errs;
}

/**
 * dropTypeDependentFields mirrors upstream's: on a type change, fields the new
 * type does not allow are cleared when the client left them as they were
 * (cluster IPs and families going to ExternalName, node ports and the
 * external traffic policy going to ClusterIP), so `kubectl patch` of the type
 * alone succeeds.
 */
export function dropTypeDependentFields(s: Obj, o: Obj): void {
  if (s.type === o.type) return;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (s.type === 'ExternalName') {
    if (same(s.clusterIP, o.clusterIP)) delete s.clusterIP;
    if (same(s.clusterIPs, o.clusterIPs)) delete s.clusterIPs;
    if (same(s.ipFamilies, o.ipFamilies)) delete s.ipFamilies;
    if (same(s.ipFamilyPolicy, o.ipFamilyPolicy)) delete s.ipFamilyPolicy;
    if (same(s.internalTrafficPolicy, o.internalTrafficPolicy)) delete s.internalTrafficPolicy;
  }
  if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') {
    for (const p of s.ports ?? []) {
      const before = (o.ports ?? []).find((q: Obj) => q.port === p.port && (q.protocol ?? 'TCP') === p.protocol);
      if (p.nodePort && before && before.nodePort === p.nodePort) delete p.nodePort;
    }
    if (same(s.externalTrafficPolicy, o.externalTrafficPolicy)) delete s.externalTrafficPolicy;
    if (same(s.healthCheckNodePort, o.healthCheckNodePort)) delete s.healthCheckNodePort;
  }
}

/** validateServiceUpdate: cluster IPs may not change once set (except to or from ExternalName). */
function validateServiceUpdate(s: Obj, o: Obj): FieldError[] {
  if (s.type === 'ExternalName' || o.type === 'ExternalName') return [];
  const oldIP = o.clusterIP ?? '';
  const newIP = s.clusterIP ?? '';
  if (newIP && oldIP && newIP !== oldIP) return [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', value: newIP, detail: 'may not change once set' }];
  return [];
}
