/**
 * Pod, PodSpec, PodTemplateSpec and Container (core/v1): schemas with the
 * full real field lists, defaulting (SetDefaults_PodSpec, _Container, _Pod,
 * probes, ports, volumes) and validation (the subset of ValidatePodSpec that
 * users hit: containers, names, images, ports, policies, volumes).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { arr, bool, int32, int64, opaque, pkg, resourceList, str, strList, strMap, struct, time } from './go-types.js';
import { IntOrStringSchema } from './int-or-string.js';
import { ObjectMetaSchema, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, validateAnnotations, validateLabels, validateObjectMeta } from './object-meta.js';

// ---- schemas ----

export const ContainerPortSchema = struct('v1.ContainerPort', { name: str(), hostPort: int32(), containerPort: int32(), protocol: str(), hostIP: str() }, pkg.core);

export const EnvVarSchema = struct('v1.EnvVar', { name: str(), value: str(), valueFrom: opaque('v1.EnvVarSource', {}, pkg.core) }, pkg.core);
export const EnvFromSourceSchema = struct(
  'v1.EnvFromSource',
  { prefix: str(), configMapRef: opaque('v1.ConfigMapEnvSource', {}, pkg.core), secretRef: opaque('v1.SecretEnvSource', {}, pkg.core) },
  pkg.core,
);

export const ResourceRequirementsSchema = struct(
  'v1.ResourceRequirements',
  { limits: resourceList(), requests: resourceList(), claims: arr(opaque('v1.ResourceClaim', { name: str(), request: str() }, pkg.core)) },
  pkg.core,
);

export const VolumeMountSchema = struct(
  'v1.VolumeMount',
  { name: str(), readOnly: bool(), recursiveReadOnly: str(), mountPath: str(), subPath: str(), mountPropagation: str(), subPathExpr: str() },
  pkg.core,
);
export const VolumeDeviceSchema = struct('v1.VolumeDevice', { name: str(), devicePath: str() }, pkg.core);

export const HTTPGetActionSchema = struct(
  'v1.HTTPGetAction',
  { path: str(), port: IntOrStringSchema, host: str(), scheme: str(), httpHeaders: arr(struct('v1.HTTPHeader', { name: str(), value: str() }, pkg.core)) },
  pkg.core,
);
const ExecActionSchema = struct('v1.ExecAction', { command: strList() }, pkg.core);
const TCPSocketActionSchema = struct('v1.TCPSocketAction', { port: IntOrStringSchema, host: str() }, pkg.core);
const GRPCActionSchema = struct('v1.GRPCAction', { port: int32(), service: str() }, pkg.core);

export const ProbeSchema = struct(
  'v1.Probe',
  {
    exec: ExecActionSchema,
    httpGet: HTTPGetActionSchema,
    tcpSocket: TCPSocketActionSchema,
    grpc: GRPCActionSchema,
    initialDelaySeconds: int32(),
    timeoutSeconds: int32(),
    periodSeconds: int32(),
    successThreshold: int32(),
    failureThreshold: int32(),
    terminationGracePeriodSeconds: int64(),
  },
  pkg.core,
);

const LifecycleHandlerSchema = struct(
  'v1.LifecycleHandler',
  { exec: ExecActionSchema, httpGet: HTTPGetActionSchema, tcpSocket: TCPSocketActionSchema, sleep: struct('v1.SleepAction', { seconds: int64() }, pkg.core) },
  pkg.core,
);
export const LifecycleSchema = struct('v1.Lifecycle', { postStart: LifecycleHandlerSchema, preStop: LifecycleHandlerSchema, stopSignal: str() }, pkg.core);

export const SecurityContextSchema = opaque('v1.SecurityContext', { privileged: bool(), runAsUser: int64(), runAsGroup: int64(), runAsNonRoot: bool(), readOnlyRootFilesystem: bool(), allowPrivilegeEscalation: bool() }, pkg.core);
export const PodSecurityContextSchema = opaque('v1.PodSecurityContext', { runAsUser: int64(), runAsGroup: int64(), runAsNonRoot: bool(), fsGroup: int64() }, pkg.core);

const containerFields = {
  name: str(),
  image: str(),
  command: strList(),
  args: strList(),
  workingDir: str(),
  ports: arr(ContainerPortSchema),
  envFrom: arr(EnvFromSourceSchema),
  env: arr(EnvVarSchema),
  resources: ResourceRequirementsSchema,
  resizePolicy: arr(struct('v1.ContainerResizePolicy', { resourceName: str(), restartPolicy: str() }, pkg.core)),
  restartPolicy: str(),
  volumeMounts: arr(VolumeMountSchema),
  volumeDevices: arr(VolumeDeviceSchema),
  livenessProbe: ProbeSchema,
  readinessProbe: ProbeSchema,
  startupProbe: ProbeSchema,
  lifecycle: LifecycleSchema,
  terminationMessagePath: str(),
  terminationMessagePolicy: str(),
  imagePullPolicy: str(),
  securityContext: SecurityContextSchema,
  stdin: bool(),
  stdinOnce: bool(),
  tty: bool(),
};

export const ContainerSchema = struct('v1.Container', containerFields, pkg.core);
export type Container = z.infer<typeof ContainerSchema>;
export const EphemeralContainerSchema = struct('v1.EphemeralContainer', { ...containerFields, targetContainerName: str() }, pkg.core);

/** VolumeSchema: a name plus exactly one source; sources are kept as given. */
export const VolumeSchema = opaque('v1.Volume', { name: str() }, pkg.core);

export const TolerationSchema = struct('v1.Toleration', { key: str(), operator: str(), value: str(), effect: str(), tolerationSeconds: int64() }, pkg.core);

export const PodSpecSchema = struct(
  'v1.PodSpec',
  {
    volumes: arr(VolumeSchema),
    initContainers: arr(ContainerSchema),
    containers: arr(ContainerSchema),
    ephemeralContainers: arr(EphemeralContainerSchema),
    restartPolicy: str(),
    terminationGracePeriodSeconds: int64(),
    activeDeadlineSeconds: int64(),
    dnsPolicy: str(),
    nodeSelector: strMap(),
    serviceAccountName: str(),
    serviceAccount: str(),
    automountServiceAccountToken: bool(),
    nodeName: str(),
    hostNetwork: bool(),
    hostPID: bool(),
    hostIPC: bool(),
    shareProcessNamespace: bool(),
    securityContext: PodSecurityContextSchema,
    imagePullSecrets: arr(struct('v1.LocalObjectReference', { name: str() }, pkg.core)),
    hostname: str(),
    subdomain: str(),
    affinity: opaque('v1.Affinity', {}, pkg.core),
    schedulerName: str(),
    tolerations: arr(TolerationSchema),
    hostAliases: arr(struct('v1.HostAlias', { ip: str(), hostnames: strList() }, pkg.core)),
    priorityClassName: str(),
    priority: int32(),
    dnsConfig: opaque('v1.PodDNSConfig', {}, pkg.core),
    readinessGates: arr(struct('v1.PodReadinessGate', { conditionType: str() }, pkg.core)),
    runtimeClassName: str(),
    enableServiceLinks: bool(),
    preemptionPolicy: str(),
    overhead: resourceList(),
    topologySpreadConstraints: arr(opaque('v1.TopologySpreadConstraint', {}, pkg.core)),
    setHostnameAsFQDN: bool(),
    os: struct('v1.PodOS', { name: str() }, pkg.core),
    hostUsers: bool(),
    schedulingGates: arr(struct('v1.PodSchedulingGate', { name: str() }, pkg.core)),
    resourceClaims: arr(opaque('v1.PodResourceClaim', { name: str() }, pkg.core)),
    resources: ResourceRequirementsSchema,
  },
  pkg.core,
);
export type PodSpec = z.infer<typeof PodSpecSchema>;

export const PodTemplateSpecSchema = struct('v1.PodTemplateSpec', { metadata: ObjectMetaSchema, spec: PodSpecSchema }, pkg.core);
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;

export const PodConditionSchema = struct(
  'v1.PodCondition',
  { type: str(), observedGeneration: int64(), status: str(), lastProbeTime: time(), lastTransitionTime: time(), reason: str(), message: str() },
  pkg.core,
);

export const ContainerStatusSchema = opaque(
  'v1.ContainerStatus',
  { name: str(), ready: bool(), restartCount: int32(), image: str(), imageID: str(), containerID: str(), started: bool() },
  pkg.core,
);

export const PodStatusSchema = opaque(
  'v1.PodStatus',
  {
    observedGeneration: int64(),
    phase: str(),
    conditions: arr(PodConditionSchema),
    message: str(),
    reason: str(),
    nominatedNodeName: str(),
    hostIP: str(),
    hostIPs: arr(struct('v1.HostIP', { ip: str() }, pkg.core)),
    podIP: str(),
    podIPs: arr(struct('v1.PodIP', { ip: str() }, pkg.core)),
    startTime: time(),
    initContainerStatuses: arr(ContainerStatusSchema),
    containerStatuses: arr(ContainerStatusSchema),
    ephemeralContainerStatuses: arr(ContainerStatusSchema),
    qosClass: str(),
  },
  pkg.core,
);

export const PodSchema = struct('v1.Pod', { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: PodSpecSchema, status: PodStatusSchema }, pkg.core);
export type Pod = z.infer<typeof PodSchema>;

// ---- defaulting ----

/** imagePullPolicyFor returns Always for `:latest` or an untagged, undigested image, else IfNotPresent. */
export function imagePullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const hasDigest = at >= 0;
  const named = hasDigest ? image.slice(0, at) : image;
  const lastSlash = named.lastIndexOf('/');
  const last = named.slice(lastSlash + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : hasDigest ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

type Obj = Record<string, any>;

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
}

function defaultHandler(h: Obj | undefined): void {
  if (h?.httpGet) h.httpGet.scheme ??= 'HTTP';
}

/** defaultContainer applies SetDefaults_Container plus the nested port/env/probe defaults. */
export function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imagePullPolicyFor(c.image ?? '');
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

/** defaultVolume gives a volume with no source an emptyDir and file modes their 0644 default. */
function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= 420;
  if (v.projected) v.projected.defaultMode ??= 420;
  if (v.hostPath) v.hostPath.type ??= '';
}

/**
 * defaultPodSpec applies SetDefaults_PodSpec (restartPolicy Always,
 * terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst, securityContext
 * {}, schedulerName default-scheduler) and container defaults. With
 * hostNetwork, container ports get hostPort = containerPort.
 */
export function defaultPodSpec(spec: Obj): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    defaultContainer(c);
    if (spec.hostNetwork) for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  }
  for (const c of spec.ephemeralContainers ?? []) {
    c.terminationMessagePath ||= '/dev/termination-log';
    c.terminationMessagePolicy ||= 'File';
    if (!c.imagePullPolicy) c.imagePullPolicy = imagePullPolicyFor(c.image ?? '');
  }
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** defaultPodTemplateSpec defaults a template's spec (the template needs a spec object to default). */
export function defaultPodTemplateSpec(t: Obj | undefined): void {
  if (!t) return;
  t.spec ??= {};
  defaultPodSpec(t.spec);
}

/**
 * defaultPod applies SetDefaults_Pod on top of the PodSpec defaults:
 * enableServiceLinks true, and container requests copied from limits when unset.
 */
export function defaultPod(pod: Obj): void {
  pod.spec ??= {};
  defaultPodSpec(pod.spec);
  pod.spec.enableServiceLinks ??= true;
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (limits && Object.keys(limits).length > 0) {
      c.resources.requests ??= {};
      for (const [k, v] of Object.entries(limits)) if (c.resources.requests[k] === undefined) c.resources.requests[k] = v;
    }
  }
}

// ---- validation ----

const quote = (vs: string[]) => vs.map((v) => `"${v}"`).join(', ');
/** notSupported renders upstream's NotSupported detail: `supported values: "A", "B"`. */
export function notSupported(field: string, value: unknown, valid: string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, value, detail: `supported values: ${quote(valid)}` };
}

const nonNegative = (field: string, v: number | undefined): FieldError[] =>
  v !== undefined && v < 0 ? [{ type: 'FieldValueInvalid', field, value: v, detail: 'must be greater than or equal to 0' }] : [];

const portRange = 'must be between 1 and 65535, inclusive';
const ianaSvcNameRe = /^[-a-z0-9]+$/;

/** isValidPortName mirrors IsValidPortName (IANA_SVC_NAME). */
function isValidPortName(n: string): string[] {
  const errs: string[] = [];
  if (n.length > 15) errs.push('must be no more than 15 characters');
  if (!ianaSvcNameRe.test(n)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (n.includes('--')) errs.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(n)) errs.push('must contain at least one letter (a-z)');
  if (n.startsWith('-') || n.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const envVarNameRe = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function validateProbe(p: Obj | undefined, path: string): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h] !== undefined);
  if (handlers.length === 0) errs.push({ type: 'FieldValueRequired', field: path, detail: 'must specify a handler type' });
  else if (handlers.length > 1) errs.push({ type: 'FieldValueForbidden', field: `${path}.${handlers[1]}`, detail: 'may not specify more than 1 handler type' });
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) errs.push(...nonNegative(`${path}.${f}`, p[f]));
  return errs;
}

function validateContainer(c: Obj, path: string, volumeNames: Set<string>, seen: Set<string>, isInit: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push({ type: 'FieldValueRequired', field: `${path}.name`, detail: '' });
  else {
    for (const d of isDNS1123Label(c.name)) errs.push({ type: 'FieldValueInvalid', field: `${path}.name`, value: c.name, detail: d });
    if (seen.has(c.name)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.name`, value: c.name, detail: '' });
    seen.add(c.name);
  }
  if (!c.image) errs.push({ type: 'FieldValueRequired', field: `${path}.image`, detail: '' });
  else if (c.image !== c.image.trim()) errs.push({ type: 'FieldValueInvalid', field: `${path}.image`, value: c.image, detail: 'must not have leading or trailing whitespace' });
  if (c.terminationMessagePolicy && !['File', 'FallbackToLogsOnError'].includes(c.terminationMessagePolicy)) {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
  }
  if (c.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
  }
  if (c.restartPolicy !== undefined) {
    if (!isInit) errs.push({ type: 'FieldValueForbidden', field: `${path}.restartPolicy`, detail: 'may not be set for non-init containers' });
    else if (c.restartPolicy !== 'Always') errs.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
  }
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p: Obj, i: number) => {
    const pp = `${path}.ports[${i}]`;
    if (p.name) {
      for (const d of isValidPortName(p.name)) errs.push({ type: 'FieldValueInvalid', field: `${pp}.name`, value: p.name, detail: d });
      if (portNames.has(p.name)) errs.push({ type: 'FieldValueDuplicate', field: `${pp}.name`, value: p.name, detail: '' });
      portNames.add(p.name);
    }
    if (!p.containerPort) errs.push({ type: 'FieldValueRequired', field: `${pp}.containerPort`, detail: '' });
    else if (p.containerPort < 1 || p.containerPort > 65535) errs.push({ type: 'FieldValueInvalid', field: `${pp}.containerPort`, value: p.containerPort, detail: portRange });
    if (p.hostPort && (p.hostPort < 1 || p.hostPort > 65535)) errs.push({ type: 'FieldValueInvalid', field: `${pp}.hostPort`, value: p.hostPort, detail: portRange });
    if (!p.protocol) errs.push({ type: 'FieldValueRequired', field: `${pp}.protocol`, detail: '' });
    else if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(notSupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  (c.env ?? []).forEach((e: Obj, i: number) => {
    const ep = `${path}.env[${i}]`;
    if (!e.name) errs.push({ type: 'FieldValueRequired', field: `${ep}.name`, detail: '' });
    else if (!envVarNameRe.test(e.name)) {
      errs.push({ type: 'FieldValueInvalid', field: `${ep}.name`, value: e.name, detail: "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')" });
    }
    if (e.value && e.valueFrom) errs.push({ type: 'FieldValueInvalid', field: `${ep}.valueFrom`, value: '', detail: 'may not be specified when `value` is not empty' });
  });
  (c.volumeMounts ?? []).forEach((m: Obj, i: number) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m.name) errs.push({ type: 'FieldValueRequired', field: `${mp}.name`, detail: '' });
    else if (!volumeNames.has(m.name)) errs.push({ type: 'FieldValueInvalid', field: `${mp}.name`, value: m.name, detail: 'not found in pod volumes' });
    if (!m.mountPath) errs.push({ type: 'FieldValueRequired', field: `${mp}.mountPath`, detail: '' });
  });
  if (!isInit) {
    errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`));
    errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`));
    errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`));
  }
  return errs;
}

/**
 * validatePodSpec checks the parts of ValidatePodSpec users hit; `path` is
 * the spec's own path (`spec` for a Pod, `spec.template.spec` in a template).
 */
export function validatePodSpec(spec: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec ?? {};
  const volumeNames = new Set<string>();
  (s.volumes ?? []).forEach((v: Obj, i: number) => {
    const vp = `${path}.volumes[${i}]`;
    if (!v.name) errs.push({ type: 'FieldValueRequired', field: `${vp}.name`, detail: '' });
    else {
      for (const d of isDNS1123Label(v.name)) errs.push({ type: 'FieldValueInvalid', field: `${vp}.name`, value: v.name, detail: d });
      if (volumeNames.has(v.name)) errs.push({ type: 'FieldValueDuplicate', field: `${vp}.name`, value: v.name, detail: '' });
      volumeNames.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length > 1) errs.push({ type: 'FieldValueForbidden', field: `${vp}.${sources[1]}`, detail: `may not specify more than 1 volume type` });
  });
  const seen = new Set<string>();
  const containers: Obj[] = s.containers ?? [];
  if (containers.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.containers`, detail: '' });
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, volumeNames, seen, false)));
  (s.initContainers ?? []).forEach((c: Obj, i: number) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, volumeNames, seen, true)));
  const restartPolicies = ['Always', 'OnFailure', 'Never'];
  if (!s.restartPolicy) errs.push({ type: 'FieldValueRequired', field: `${path}.restartPolicy`, detail: '' });
  else if (!restartPolicies.includes(s.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, restartPolicies));
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (s.dnsPolicy && !dnsPolicies.includes(s.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, s.dnsPolicy, dnsPolicies));
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > 2147483647)) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.activeDeadlineSeconds`, value: s.activeDeadlineSeconds, detail: 'must be between 1 and 2147483647, inclusive' });
  }
  if (s.serviceAccountName) {
    for (const d of isDNS1123Subdomain(s.serviceAccountName)) errs.push({ type: 'FieldValueInvalid', field: `${path}.serviceAccountName`, value: s.serviceAccountName, detail: d });
  }
  if (s.nodeName) {
    for (const d of isDNS1123Subdomain(s.nodeName)) errs.push({ type: 'FieldValueInvalid', field: `${path}.nodeName`, value: s.nodeName, detail: d });
  }
  if (s.hostname) for (const d of isDNS1123Label(s.hostname)) errs.push({ type: 'FieldValueInvalid', field: `${path}.hostname`, value: s.hostname, detail: d });
  if (s.subdomain) for (const d of isDNS1123Label(s.subdomain)) errs.push({ type: 'FieldValueInvalid', field: `${path}.subdomain`, value: s.subdomain, detail: d });
  (s.tolerations ?? []).forEach((t: Obj, i: number) => {
    const tp = `${path}.tolerations[${i}]`;
    if (t.key) for (const d of isQualifiedName(t.key)) errs.push({ type: 'FieldValueInvalid', field: `${tp}.key`, value: t.key, detail: d });
    if (t.operator && !['Equal', 'Exists'].includes(t.operator)) errs.push(notSupported(`${tp}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) errs.push(notSupported(`${tp}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
  });
  return errs;
}

/** validatePodTemplateSpec checks a template's labels, annotations and spec at `path` (e.g. `spec.template`). */
export function validatePodTemplateSpec(t: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabels(t?.metadata?.labels, `${path}.metadata.labels`));
  errs.push(...validateAnnotations(t?.metadata?.annotations, `${path}.metadata.annotations`));
  errs.push(...validatePodSpec(t?.spec, `${path}.spec`));
  return errs;
}

/** validatePod mirrors ValidatePodCreate: metadata (DNS subdomain name) and the spec. */
export function validatePod(pod: Obj): FieldError[] {
  return [...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec, 'spec')];
}
