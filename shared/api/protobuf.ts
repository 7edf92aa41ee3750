/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies.
 *
 * kubectl ≥ 1.32 typed clients (`create deployment|namespace|secret|service|configmap`)
 * POST protobuf. The body is the magic `k8s\0` followed by a `runtime.Unknown`
 * envelope whose `raw` bytes are the object's own message. We decode it with a
 * schema of our own (below): only the fields kubectl can send for the kinds we
 * accept, with the field numbers of k8s.io/api `generated.proto`. Fields not
 * declared are skipped by the decoder.
 *
 * Go writes every non-pointer field, so an empty string, a zero, `false` or an
 * empty message on the wire means "unset": they are omitted from the result.
 * Pointer fields (marked `[(rollway.pointer) = true]`) are written only when
 * set, so their presence is kept even when the value is zero (`replicas: 0`).
 * Map values and list elements are always kept.
 */
import protobuf from 'protobufjs';
import { BadRequestError } from '../errors.js';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

const schema = `
syntax = "proto2";
package rollway;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}

message Quantity {
  optional string string = 1;
}

message OwnerReference {
  optional string apiVersion = 5;
  optional string kind = 1;
  optional string name = 3;
  optional string uid = 4;
  optional bool controller = 6 [(rollway.pointer) = true];
  optional bool blockOwnerDeletion = 7 [(rollway.pointer) = true];
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9 [(rollway.pointer) = true];
  optional int64 deletionGracePeriodSeconds = 10 [(rollway.pointer) = true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
}

message LabelSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3;
  optional string protocol = 4;
  optional string hostIP = 5;
}

message EnvVar {
  optional string name = 1;
  optional string value = 2;
}

message ResourceRequirements {
  map<string, Quantity> limits = 1;
  map<string, Quantity> requests = 2;
}

message VolumeMount {
  optional string name = 1;
  optional bool readOnly = 2;
  optional string mountPath = 3;
  optional string subPath = 4;
}

message Container {
  optional string name = 1;
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated VolumeMount volumeMounts = 9;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message LocalObjectReference {
  optional string name = 1;
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(rollway.pointer) = true];
}

message PodSpec {
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(rollway.pointer) = true];
  optional int64 activeDeadlineSeconds = 5 [(rollway.pointer) = true];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21 [(rollway.pointer) = true];
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(rollway.pointer) = true];
  optional bool enableServiceLinks = 30 [(rollway.pointer) = true];
}

message PodTemplateSpec {
  optional ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}

message RollingUpdateDeployment {
  optional IntOrString maxUnavailable = 1 [(rollway.pointer) = true];
  optional IntOrString maxSurge = 2 [(rollway.pointer) = true];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2 [(rollway.pointer) = true];
}

message DeploymentSpec {
  optional int32 replicas = 1 [(rollway.pointer) = true];
  optional LabelSelector selector = 2 [(rollway.pointer) = true];
  optional PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(rollway.pointer) = true];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(rollway.pointer) = true];
}

message Deployment {
  optional ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
}

message NamespaceSpec {
  repeated string finalizers = 1;
}

message Namespace {
  optional ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
}

message Secret {
  optional ObjectMeta metadata = 1;
  optional bool immutable = 5 [(rollway.pointer) = true];
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}

message ConfigMap {
  optional ObjectMeta metadata = 1;
  optional bool immutable = 4 [(rollway.pointer) = true];
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}

message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional string appProtocol = 6 [(rollway.pointer) = true];
  optional int32 port = 3;
  optional IntOrString targetPort = 4;
  optional int32 nodePort = 5;
}

message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  repeated string clusterIPs = 18;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional int32 healthCheckNodePort = 12;
  optional bool publishNotReadyAddresses = 13;
  repeated string ipFamilies = 19;
  optional string ipFamilyPolicy = 17 [(rollway.pointer) = true];
  optional bool allocateLoadBalancerNodePorts = 20 [(rollway.pointer) = true];
  optional string loadBalancerClass = 21 [(rollway.pointer) = true];
  optional string internalTrafficPolicy = 22 [(rollway.pointer) = true];
}

message Service {
  optional ObjectMeta metadata = 1;
  optional ServiceSpec spec = 2;
}
`;

/**
 * The parsed messages: the envelope, and the kinds accepted as protobuf by
 * `<apiVersion> <kind>`. Parsed on the first protobuf body, not at module
 * load: most requests are JSON, and the api function's cold start pays for
 * everything evaluated at import.
 */
let parsed: { unknownType: protobuf.Type; kinds: Map<string, protobuf.Type> } | undefined;
function messages(): { unknownType: protobuf.Type; kinds: Map<string, protobuf.Type> } {
  if (parsed) return parsed;
  const root = protobuf.parse(schema, { keepCase: true }).root;
  parsed = {
    unknownType: root.lookupType('rollway.Unknown'),
    kinds: new Map<string, protobuf.Type>([
      ['apps/v1 Deployment', root.lookupType('rollway.Deployment')],
      ['v1 Namespace', root.lookupType('rollway.Namespace')],
      ['v1 Secret', root.lookupType('rollway.Secret')],
      ['v1 Service', root.lookupType('rollway.Service')],
      ['v1 ConfigMap', root.lookupType('rollway.ConfigMap')],
    ]),
  };
  return parsed;
}

/** The Kubernetes protobuf media type, as kubectl sends it. */
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/**
 * decodeKubernetesProtobuf turns a `application/vnd.kubernetes.protobuf`
 * request body into the object kubectl would have sent as JSON: `apiVersion`,
 * `kind`, then the object's fields under their JSON names. A body that is not
 * Kubernetes protobuf, or holds a kind not listed above, throws BadRequestError.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new BadRequestError('the protobuf body does not start with the Kubernetes magic bytes "k8s\\x00"');
  }
  const { unknownType, kinds } = messages();
  const envelope = decode(unknownType, body.subarray(MAGIC.length), 'runtime.Unknown envelope') as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
    contentEncoding?: string;
    contentType?: string;
  };
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (envelope.contentEncoding) {
    throw new BadRequestError(`protobuf content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
  }
  if (envelope.contentType && envelope.contentType !== KUBERNETES_PROTOBUF) {
    throw new BadRequestError(`protobuf envelope content type ${JSON.stringify(envelope.contentType)} is not supported`);
  }
  const type = kinds.get(`${apiVersion} ${kind}`);
  if (!type) {
    const accepted = [...kinds.keys()].map((k) => `${k.split(' ')[1]} (${k.split(' ')[0]})`).join(', ');
    throw new BadRequestError(
      `protobuf request bodies are not supported for kind ${JSON.stringify(kind)} (apiVersion ${JSON.stringify(apiVersion)}); send application/json instead (protobuf is accepted for ${accepted})`,
    );
  }
  const object = decode(type, envelope.raw ?? new Uint8Array(), kind);
  return { apiVersion, kind, ...messageToJson(type, object) };
}

function decode(type: protobuf.Type, bytes: Uint8Array, what: string): protobuf.Message {
  try {
    return type.decode(bytes);
  } catch (err) {
    throw new BadRequestError(`the protobuf body is not a valid ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function isPointer(field: protobuf.Field): boolean {
  return field.options?.['(rollway.pointer)'] === true;
}

/** messageToJson converts a decoded message to JSON-shaped data, leaving out unset fields. */
function messageToJson(type: protobuf.Type, message: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!hasOwn(message, field.name)) continue;
    const value = (message as Record<string, unknown>)[field.name];
    field.resolve();
    let json: unknown;
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      json = Object.fromEntries(entries.map(([k, v]) => [k, elementToJson(field, v)]));
    } else if (field.repeated) {
      const items = value as unknown[];
      if (items.length === 0) continue;
      json = items.map((v) => elementToJson(field, v));
    } else {
      json = fieldToJson(field, value);
    }
    if (json !== undefined) out[field.name] = json;
  }
  return out;
}

/** elementToJson converts a map value or list element: zero values are kept. */
function elementToJson(field: protobuf.Field, value: unknown): unknown {
  const json = valueToJson(field, value);
  if (json !== undefined) return json;
  return field.resolvedType instanceof protobuf.Type ? {} : value;
}

/** fieldToJson converts a singular field, or returns undefined if it is unset. */
function fieldToJson(field: protobuf.Field, value: unknown): unknown {
  const pointer = isPointer(field);
  const json = valueToJson(field, value);
  if (json === undefined) {
    // A set pointer to an empty message is kept as {}; a zero Time never is.
    const type = field.resolvedType;
    return pointer && type instanceof protobuf.Type && type.name !== 'Time' ? {} : undefined;
  }
  if (!pointer && (json === '' || json === 0 || json === false)) return undefined;
  if (!pointer && isEmptyObject(json)) return undefined;
  return json;
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** valueToJson converts one value of `field`'s type; undefined means a zero message. */
function valueToJson(field: protobuf.Field, value: unknown): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) {
    const m = value as Record<string, unknown>;
    switch (type.name) {
      case 'Time': {
        const seconds = toNumber(m.seconds);
        const nanos = toNumber(m.nanos);
        if (seconds === 0 && nanos === 0) return undefined;
        return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      case 'IntOrString':
        return toNumber(m.type) === 1 ? ((m.strVal as string | undefined) ?? '') : toNumber(m.intVal);
      case 'Quantity':
        return (m.string as string | undefined) ?? '';
      default: {
        const json = messageToJson(type, m);
        return Object.keys(json).length === 0 ? undefined : json;
      }
    }
  }
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (field.type === 'int64' || field.type === 'uint64' || field.type === 'sint64') return toNumber(value);
  return value;
}

function toNumber(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  return Number(String(v));
}
