/**
 * The schema registry: what admission and OpenAPI need to know per kind.
 * Adding a kind is a schema file plus one entry here (`kindSchemas`), keyed
 * by `<group>/<Kind>` ('' group for core, e.g. `/Pod`).
 */
import type { z } from 'zod';
import type { FieldError } from '../errors.js';
import type { ResourceInfo } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import {
  DeploymentSchema,
  DeploymentV1beta1Schema,
  defaultDeployment,
  deploymentFromStorage,
  deploymentToStorage,
  validateDeployment,
  validateDeploymentStatus,
} from './deployment.js';
import { ReplicaSetSchema, defaultReplicaSet, validateReplicaSet, validateReplicaSetStatus } from './replica-set.js';
import { PodSchema, defaultPod, validatePod } from './pod.js';
import { NamespaceSchema, defaultNamespace, validateNamespace } from './namespace.js';
import { EventSchema, validateEvent } from './event.js';
import { SecretSchema, base64Error, defaultSecret, validateSecret } from './secret.js';
import { NodeSchema, validateNode } from './node.js';
import { ServiceSchema, defaultService, validateService } from './service.js';
import { EndpointsSchema, defaultEndpoints, validateEndpoints } from './endpoints.js';
import { EndpointSliceSchema, defaultEndpointSlice, validateEndpointSlice } from './endpoint-slice.js';
import { ImageTriggerSchema, NotifierSchema, defaultImageTrigger, validateImageTrigger, validateNotifier } from './image-trigger.js';

type Obj = Record<string, any>;

/** KindSchema describes one kind to admission and OpenAPI. */
export interface KindSchema {
  kind: string;
  /** The object schema of each served version (decoding and OpenAPI). */
  schemas: Record<string, z.ZodType>;
  /** decodeError returns a decode-level (400) error beyond JSON types, e.g. bad base64 in Secret data. */
  decodeError?(obj: Obj): string | undefined;
  /** setDefaults mutates a decoded object in `version` (the version the client sent). */
  setDefaults?(obj: Obj, version: string): void;
  /**
   * validate checks a defaulted object still in the client's version.
   * `requestVersion` is the URL's version (rules such as selector immutability depend on it).
   */
  validate?(obj: Obj, old: KubeObject | undefined, requestVersion: string): FieldError[];
  /** toStorage converts from `version` to the storage version; default: set apiVersion. */
  toStorage?(obj: Obj, version: string): Obj;
  /** fromStorage converts a stored object to `version`; default: set apiVersion. */
  fromStorage?(obj: KubeObject, version: string): KubeObject;
  /** validateStatus checks a status write (`status` subresource). */
  validateStatus?(newObj: KubeObject, oldObj: KubeObject | undefined): FieldError[];
}

/** kindSchemas is the registry, keyed by `<group>/<Kind>`. */
export const kindSchemas: Record<string, KindSchema> = {
  'apps/Deployment': {
    kind: 'Deployment',
    schemas: { v1: DeploymentSchema, v1beta1: DeploymentV1beta1Schema },
    setDefaults: defaultDeployment,
    validate: (obj, old, requestVersion) => validateDeployment(obj, old, requestVersion),
    toStorage: deploymentToStorage,
    fromStorage: deploymentFromStorage,
    validateStatus: validateDeploymentStatus,
  },
  'apps/ReplicaSet': {
    kind: 'ReplicaSet',
    schemas: { v1: ReplicaSetSchema },
    setDefaults: defaultReplicaSet,
    validate: (obj, old) => validateReplicaSet(obj, old),
    validateStatus: validateReplicaSetStatus,
  },
  '/Pod': {
    kind: 'Pod',
    schemas: { v1: PodSchema },
    setDefaults: defaultPod,
    validate: (obj) => validatePod(obj),
  },
  '/Namespace': {
    kind: 'Namespace',
    schemas: { v1: NamespaceSchema },
    setDefaults: defaultNamespace,
    validate: (obj) => validateNamespace(obj),
  },
  '/Event': {
    kind: 'Event',
    schemas: { v1: EventSchema },
    validate: (obj) => validateEvent(obj),
  },
  '/Secret': {
    kind: 'Secret',
    schemas: { v1: SecretSchema },
    decodeError: (obj) => {
      for (const v of Object.values((obj.data ?? {}) as Record<string, string>)) {
        const e = base64Error(v);
        if (e) return e;
      }
      return undefined;
    },
    setDefaults: defaultSecret,
    validate: (obj, old) => validateSecret(obj, old),
  },
  '/Node': {
    kind: 'Node',
    schemas: { v1: NodeSchema },
    validate: (obj) => validateNode(obj),
  },
  '/Service': {
    kind: 'Service',
    schemas: { v1: ServiceSchema },
    setDefaults: defaultService,
    validate: (obj, old) => validateService(obj, old),
  },
  '/Endpoints': {
    kind: 'Endpoints',
    schemas: { v1: EndpointsSchema },
    setDefaults: defaultEndpoints,
    validate: (obj) => validateEndpoints(obj),
  },
  'discovery.k8s.io/EndpointSlice': {
    kind: 'EndpointSlice',
    schemas: { v1: EndpointSliceSchema },
    setDefaults: defaultEndpointSlice,
    validate: (obj, old) => validateEndpointSlice(obj, old),
  },
  'rollway.dev/ImageTrigger': { kind: 'ImageTrigger', schemas: { v1: ImageTriggerSchema }, setDefaults: defaultImageTrigger, validate: (obj) => validateImageTrigger(obj) },
  'rollway.dev/Notifier': { kind: 'Notifier', schemas: { v1: NotifierSchema }, validate: (obj) => validateNotifier(obj) },
};

/** schemaFor returns the registry entry of a served resource; it throws for a resource without one. */
export function schemaFor(resource: ResourceInfo): KindSchema {
  const ks = kindSchemas[`${resource.group}/${resource.kind}`];
  if (!ks) throw new Error(`no schema registered for ${resource.group}/${resource.kind}`);
  return ks;
}
