/**
 * OpenAPI v3 documents (`/openapi/v3` and `/openapi/v3/<group-version>`),
 * generated from the zod schemas in the registry.
 *
 * kubectl (contract §1) fetches them before apply/create -f/replace/edit to
 * learn that the server takes `fieldValidation`: it needs a `patch`
 * operation that carries `x-kubernetes-group-version-kind` and a
 * `fieldValidation` query parameter. `kubectl explain` reads the component
 * schemas through their `x-kubernetes-group-version-kind`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { resources, servedGroupVersions, type ResourceInfo } from '../api/resources.js';
import { goTypeOf, pkg, str, struct, int32, unwrap } from './go-types.js';
import { ObjectMetaSchema, ListMetaSchema } from './object-meta.js';
import { schemaFor } from './registry.js';

type Json = Record<string, any>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const metaComponent = (name: string) => `${pkg.meta}.${name}`;

/** ScaleSchema is autoscaling/v1 Scale, served by the `scale` subresource. */
export const ScaleSchema = struct(
  'v1.Scale',
  {
    apiVersion: str(),
    kind: str(),
    metadata: ObjectMetaSchema,
    spec: struct('v1.ScaleSpec', { replicas: int32() }, 'io.k8s.api.autoscaling.v1'),
    status: struct('v1.ScaleStatus', { replicas: int32(), selector: str() }, 'io.k8s.api.autoscaling.v1'),
  },
  'io.k8s.api.autoscaling.v1',
);

/**
 * patchMeta lists the strategic-merge-patch metadata of list fields, per
 * component: the merge key and strategy client tools (kubectl apply, edit)
 * use to merge lists such as containers by `name`.
 */
const patchMeta: Record<string, Record<string, { key?: string; strategy: string; listType?: string }>> = {
  [`${pkg.core}.PodSpec`]: {
    containers: { key: 'name', strategy: 'merge', listType: 'map' },
    initContainers: { key: 'name', strategy: 'merge', listType: 'map' },
    ephemeralContainers: { key: 'name', strategy: 'merge', listType: 'map' },
    volumes: { key: 'name', strategy: 'merge,retainKeys', listType: 'map' },
    imagePullSecrets: { key: 'name', strategy: 'merge', listType: 'map' },
    hostAliases: { key: 'ip', strategy: 'merge', listType: 'map' },
    topologySpreadConstraints: { key: 'topologyKey', strategy: 'merge' },
    schedulingGates: { key: 'name', strategy: 'merge', listType: 'map' },
    resourceClaims: { key: 'name', strategy: 'merge,retainKeys', listType: 'map' },
  },
  [`${pkg.core}.Container`]: {
    ports: { key: 'containerPort', strategy: 'merge', listType: 'map' },
    env: { key: 'name', strategy: 'merge', listType: 'map' },
    volumeMounts: { key: 'mountPath', strategy: 'merge', listType: 'map' },
    volumeDevices: { key: 'devicePath', strategy: 'merge', listType: 'map' },
  },
  [`${pkg.core}.EphemeralContainer`]: {
    ports: { key: 'containerPort', strategy: 'merge', listType: 'map' },
    env: { key: 'name', strategy: 'merge', listType: 'map' },
    volumeMounts: { key: 'mountPath', strategy: 'merge', listType: 'map' },
    volumeDevices: { key: 'devicePath', strategy: 'merge', listType: 'map' },
  },
  [`${pkg.core}.PodStatus`]: { conditions: { key: 'type', strategy: 'merge', listType: 'map' }, podIPs: { key: 'ip', strategy: 'merge' } },
  [`${pkg.core}.NodeSpec`]: { podCIDRs: { strategy: 'merge', listType: 'set' } },
  [`${pkg.core}.NodeStatus`]: { conditions: { key: 'type', strategy: 'merge', listType: 'map' }, addresses: { key: 'type', strategy: 'merge', listType: 'map' } },
  [`${pkg.core}.NamespaceStatus`]: { conditions: { key: 'type', strategy: 'merge', listType: 'map' } },
  [`${pkg.core}.ServiceSpec`]: { ports: { key: 'port', strategy: 'merge', listType: 'map' } },
  [`${pkg.apps}.DeploymentStatus`]: { conditions: { key: 'type', strategy: 'merge', listType: 'map' } },
  [`${pkg.appsV1beta1}.DeploymentStatus`]: { conditions: { key: 'type', strategy: 'merge', listType: 'map' } },
  [`${pkg.apps}.ReplicaSetStatus`]: { conditions: { key: 'type', strategy: 'merge', listType: 'map' } },
  [`${pkg.meta}.ObjectMeta`]: { ownerReferences: { key: 'uid', strategy: 'merge', listType: 'map' }, finalizers: { strategy: 'merge', listType: 'set' } },
};

/** retainKeys fields: a strategy change drops the other union member (kubectl sends `$retainKeys`). */
const retainKeys: Record<string, string[]> = {
  [`${pkg.apps}.DeploymentSpec`]: ['strategy'],
  [`${pkg.appsV1beta1}.DeploymentSpec`]: ['strategy'],
};

/** collectComponents finds every published struct reachable from a schema. */
function collectComponents(root: z.ZodType, out: Map<string, z.ZodType>): void {
  const visit = (s: z.ZodType): void => {
    const u = unwrap(s);
    const info = goTypeOf(u);
    if (info?.component) {
      if (out.has(info.component)) return;
      out.set(info.component, u);
    }
    const def = (u as any)._zod.def;
    if (def.type === 'object') {
      for (const v of Object.values(def.shape)) visit(v as z.ZodType);
      if (def.catchall) visit(def.catchall);
    } else if (def.type === 'array') visit(def.element);
    else if (def.type === 'record') visit(def.valueType);
    else if (def.type === 'union') for (const o of def.options) visit(o);
  };
  visit(root);
}

/** leafOverride maps Go scalar types to Kubernetes' OpenAPI forms. */
function leafOverride(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
  const t = goTypeOf(ctx.zodSchema as z.ZodType)?.type;
  const js = ctx.jsonSchema;
  const replace = (v: Json) => {
    for (const k of Object.keys(js)) delete js[k];
    Object.assign(js, v);
  };
  switch (t) {
    case 'int32':
    case 'int64':
      replace({ type: 'integer', format: t });
      break;
    case 'intstr.IntOrString':
      replace({ type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true });
      break;
    case 'resource.Quantity':
      replace({ oneOf: [{ type: 'string' }, { type: 'number' }] });
      break;
    case 'v1.Time':
      replace({ type: 'string', format: 'date-time' });
      break;
    default:
      if (js.additionalProperties === false) delete js.additionalProperties;
      if (js.type === 'object' && js.additionalProperties && Object.keys(js.additionalProperties).length === 0 && js.properties) {
        // A loose struct: keep it open, as Kubernetes' own schemas are.
        delete js.additionalProperties;
      }
  }
}

/** componentSchemas renders the given structs as OpenAPI 3.0 component schemas with $refs between them. */
function componentSchemas(components: Map<string, z.ZodType>): Record<string, Json> {
  const reg = z.registry<{ id: string }>();
  for (const [id, s] of components) reg.add(s, { id });
  const out = z.toJSONSchema(reg, {
    target: 'openapi-3.0',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
    override: leafOverride,
  }) as { schemas: Record<string, Json> };
  const schemas: Record<string, Json> = {};
  for (const [id, js] of Object.entries(out.schemas)) {
    delete js.$schema;
    delete js.$id;
    for (const [field, m] of Object.entries(patchMeta[id] ?? {})) {
      const p = js.properties?.[field];
      if (!p) continue;
      if (m.key) p['x-kubernetes-patch-merge-key'] = m.key;
      p['x-kubernetes-patch-strategy'] = m.strategy;
      if (m.listType) p['x-kubernetes-list-type'] = m.listType;
      if (m.listType === 'map' && m.key) p['x-kubernetes-list-map-keys'] = [m.key];
    }
    for (const field of retainKeys[id] ?? []) {
      const p = js.properties?.[field];
      if (!p) continue;
      // OpenAPI 3.0 ignores siblings of $ref, so a bare $ref is wrapped in allOf, as Kubernetes does.
      const wrapped = p.$ref ? { allOf: [p] } : p;
      wrapped['x-kubernetes-patch-strategy'] = 'retainKeys';
      js.properties[field] = wrapped;
    }
    schemas[id] = js;
  }
  return schemas;
}

const pascal = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const groupWord = (group: string) => (group ? group.split('.').map(pascal).join('') : 'Core');

/** kindComponent is a resource's component name, e.g. `io.k8s.api.apps.v1.Deployment`. */
export function kindComponent(resource: ResourceInfo, version: string): string {
  const schema = schemaFor(resource).schemas[version];
  return goTypeOf(schema)?.component ?? `io.k8s.api.${resource.group || 'core'}.${version}.${resource.kind}`;
}

const queryParam = (name: string, type = 'string', description = '') => ({ name, in: 'query', description, schema: { type }, uniqueItems: true });

const writeParams = [
  queryParam('dryRun', 'string', 'When present, indicates that modifications should not be persisted.'),
  queryParam('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  queryParam(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (default), Strict.',
  ),
];

const listParams = [
  queryParam('allowWatchBookmarks', 'boolean'),
  queryParam('continue'),
  queryParam('fieldSelector'),
  queryParam('labelSelector'),
  queryParam('limit', 'integer'),
  queryParam('resourceVersion'),
  queryParam('resourceVersionMatch'),
  queryParam('sendInitialEvents', 'boolean'),
  queryParam('timeoutSeconds', 'integer'),
  queryParam('watch', 'boolean'),
];

const jsonContent = (schema: Json) => ({ 'application/json': { schema }, 'application/yaml': { schema }, 'application/vnd.kubernetes.protobuf': { schema } });
const ok = (schema: Json, codes: string[] = ['200']) => Object.fromEntries([...codes.map((c) => [c, { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', content: jsonContent(schema) }]), ['401', { description: 'Unauthorized' }]]);

const patchBody = {
  required: true,
  content: Object.fromEntries(
    ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((t) => [t, { schema: ref(metaComponent('Patch')) }]),
  ),
};

/** resourcePaths renders the collection, item and subresource paths of one resource in one version. */
function resourcePaths(r: ResourceInfo, version: string): Record<string, Json> {
  const root = r.group ? `/apis/${r.group}/${version}` : `/api/${version}`;
  const gvk = { group: r.group, version, kind: r.kind };
  const kindRef = ref(kindComponent(r, version));
  const listRef = ref(`${kindComponent(r, version).replace(/\.[^.]+$/, '')}.${r.listKind}`);
  const ns = r.namespaced ? 'Namespaced' : '';
  const op = (verb: string, what: string) => `${verb}${groupWord(r.group)}${pascal(version)}${what}`;
  const tags = [`${groupWord(r.group).toLowerCase()}_${version}`];
  const base = r.namespaced ? `${root}/namespaces/{namespace}/${r.plural}` : `${root}/${r.plural}`;
  const nsParam = { name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: { type: 'string' }, uniqueItems: true };
  const nameParam = { name: 'name', in: 'path', required: true, description: `name of the ${r.kind}`, schema: { type: 'string' }, uniqueItems: true };
  const pretty = queryParam('pretty', 'string', "If 'true', then the output is pretty printed.");
  const ext = (action: string, g: Json = gvk) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': g });
  const has = (v: string) => r.verbs.includes(v);
  const paths: Record<string, Json> = {};

  const collection: Json = { parameters: [...(r.namespaced ? [nsParam] : []), pretty] };
  if (has('list')) collection.get = { tags, operationId: op('list', `${ns}${r.kind}`), description: `list or watch objects of kind ${r.kind}`, parameters: listParams, responses: ok(listRef), ...ext('list') };
  if (has('create')) {
    collection.post = {
      tags,
      operationId: op('create', `${ns}${r.kind}`),
      description: `create a ${r.kind}`,
      parameters: writeParams,
      requestBody: { required: true, content: jsonContent(kindRef) },
      responses: ok(kindRef, ['200', '201', '202']),
      ...ext('post'),
    };
  }
  if (has('deletecollection')) {
    collection.delete = { tags, operationId: op('deletecollection', `${ns}${r.kind}`), description: `delete collection of ${r.kind}`, parameters: [...listParams, queryParam('dryRun')], responses: ok(ref(metaComponent('Status'))), ...ext('deletecollection') };
  }
  paths[base] = collection;

  const itemParams = [nameParam, ...(r.namespaced ? [nsParam] : []), pretty];
  const item: Json = { parameters: itemParams };
  if (has('get')) item.get = { tags, operationId: op('read', `${ns}${r.kind}`), description: `read the specified ${r.kind}`, responses: ok(kindRef), ...ext('get') };
  if (has('update')) {
    item.put = { tags, operationId: op('replace', `${ns}${r.kind}`), description: `replace the specified ${r.kind}`, parameters: writeParams, requestBody: { required: true, content: jsonContent(kindRef) }, responses: ok(kindRef, ['200', '201']), ...ext('put') };
  }
  if (has('delete')) {
    item.delete = {
      tags,
      operationId: op('delete', `${ns}${r.kind}`),
      description: `delete a ${r.kind}`,
      parameters: [queryParam('dryRun'), queryParam('gracePeriodSeconds', 'integer'), queryParam('propagationPolicy')],
      requestBody: { content: { 'application/json': { schema: ref(metaComponent('DeleteOptions')) } } },
      responses: ok(ref(metaComponent('Status')), ['200', '202']),
      ...ext('delete'),
    };
  }
  if (has('patch')) {
    item.patch = {
      tags,
      operationId: op('patch', `${ns}${r.kind}`),
      description: `partially update the specified ${r.kind}`,
      parameters: [...writeParams, queryParam('force', 'boolean', 'Force is going to "force" Apply requests.')],
      requestBody: patchBody,
      responses: ok(kindRef, ['200', '201']),
      ...ext('patch'),
    };
  }
  paths[`${base}/{name}`] = item;

  for (const sub of r.subresources) {
    const isScale = sub === 'scale';
    const subRef = isScale ? ref('io.k8s.api.autoscaling.v1.Scale') : kindRef;
    const subGvk = isScale ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : gvk;
    const what = `${ns}${r.kind}${pascal(sub)}`;
    paths[`${base}/{name}/${sub}`] = {
      parameters: itemParams,
      get: { tags, operationId: op('read', what), description: `read ${sub} of the specified ${r.kind}`, responses: ok(subRef), ...ext('get', subGvk) },
      put: { tags, operationId: op('replace', what), description: `replace ${sub} of the specified ${r.kind}`, parameters: writeParams, requestBody: { required: true, content: jsonContent(subRef) }, responses: ok(subRef, ['200', '201']), ...ext('put', subGvk) },
      patch: {
        tags,
        operationId: op('patch', what),
        description: `partially update ${sub} of the specified ${r.kind}`,
        parameters: [...writeParams, queryParam('force', 'boolean')],
        requestBody: patchBody,
        responses: ok(subRef, ['200', '201']),
        ...ext('patch', subGvk),
      },
    };
  }
  if (r.namespaced && has('list')) {
    paths[`${root}/${r.plural}`] = {
      parameters: [pretty],
      get: { tags, operationId: op('list', `${r.kind}ForAllNamespaces`), description: `list or watch objects of kind ${r.kind}`, parameters: listParams, responses: ok(listRef), ...ext('list') },
    };
  }
  return paths;
}

/** Hand-written apimachinery components every document references. */
const metaComponents: Record<string, Json> = {
  [metaComponent('Patch')]: { type: 'object', description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.' },
  [metaComponent('DeleteOptions')]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      dryRun: { type: 'array', items: { type: 'string' } },
      gracePeriodSeconds: { type: 'integer', format: 'int64' },
      orphanDependents: { type: 'boolean' },
      preconditions: { type: 'object', properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } } },
      propagationPolicy: { type: 'string' },
    },
  },
  [metaComponent('Status')]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: ref(metaComponent('ListMeta')),
      status: { type: 'string' },
      message: { type: 'string' },
      reason: { type: 'string' },
      details: { type: 'object' },
      code: { type: 'integer', format: 'int32' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
};

/** groupVersionPath renders a group/version as the key of the v3 index: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** buildDocument generates the document of one group/version. */
function buildDocument(group: string, version: string): Json {
  const served = resources.filter((r) => r.group === group && r.versions.includes(version));
  const components = new Map<string, z.ZodType>();
  collectComponents(ListMetaSchema, components);
  for (const r of served) collectComponents(schemaFor(r).schemas[version], components);
  if (served.some((r) => r.subresources.includes('scale'))) collectComponents(ScaleSchema, components);
  const schemas: Record<string, Json> = { ...componentSchemas(components), ...metaComponents };
  for (const r of served) {
    const id = kindComponent(r, version);
    const gvk = [{ group: r.group, kind: r.kind, version }];
    schemas[id]['x-kubernetes-group-version-kind'] = gvk;
    const listId = `${id.replace(/\.[^.]+$/, '')}.${r.listKind}`;
    schemas[listId] = {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        items: { type: 'array', items: ref(id) },
        kind: { type: 'string' },
        metadata: ref(metaComponent('ListMeta')),
      },
      'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.listKind, version }],
    };
  }
  const scale = schemas['io.k8s.api.autoscaling.v1.Scale'];
  if (scale) scale['x-kubernetes-group-version-kind'] = [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }];
  const paths: Record<string, Json> = {};
  for (const r of served) Object.assign(paths, resourcePaths(r, version));
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: sorted } };
}

const documents = new Map<string, { doc: Json; hash: string }>();

function cached(group: string, version: string): { doc: Json; hash: string } {
  const key = groupVersionPath(group, version);
  let hit = documents.get(key);
  if (!hit) {
    const doc = buildDocument(group, version);
    hit = { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase() };
    documents.set(key, hit);
  }
  return hit;
}

/** openApiV3Index returns the `/openapi/v3` discovery document: one entry per served group/version, with a content hash. */
export function openApiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of servedGroupVersions()) {
    const key = groupVersionPath(group, version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${cached(group, version).hash}` };
  }
  return { paths };
}

/** openApiV3Document returns the document of `groupVersionPath` (`api/v1`, `apis/apps/v1`, …), or undefined if not served. */
export function openApiV3Document(path: string): Json | undefined {
  const gv = servedGroupVersions().find(({ group, version }) => groupVersionPath(group, version) === path.replace(/^\/+|\/+$/g, ''));
  return gv ? cached(gv.group, gv.version).doc : undefined;
}
