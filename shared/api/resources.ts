/**
 * The registry of every resource Rollway serves. Routing, discovery, OpenAPI,
 * storage keys and tables all read it, so a kind is added in one place.
 */

export interface ResourceInfo {
  /** API group; '' for the core group. */
  group: string;
  /** Versions served, preferred (storage) first. Objects are stored in the first. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources with their own routes. */
  subresources: Array<'status' | 'scale'>;
  /** Verbs advertised in discovery. */
  verbs: string[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resources: ResourceInfo[] = [
  { group: 'apps', versions: ['v1', 'v1beta1'], plural: 'deployments', singular: 'deployment', kind: 'Deployment', listKind: 'DeploymentList', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], verbs: allVerbs },
  { group: 'apps', versions: ['v1'], plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', listKind: 'ReplicaSetList', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], verbs: allVerbs },
  { group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', listKind: 'PodList', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status'], verbs: allVerbs },
  { group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', listKind: 'NamespaceList', namespaced: false, shortNames: ['ns'], categories: [], subresources: ['status'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { group: '', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', listKind: 'EventList', namespaced: true, shortNames: ['ev'], categories: [], subresources: [], verbs: allVerbs },
  { group: '', versions: ['v1'], plural: 'secrets', singular: 'secret', kind: 'Secret', listKind: 'SecretList', namespaced: true, shortNames: [], categories: [], subresources: [], verbs: allVerbs },
  { group: '', versions: ['v1'], plural: 'nodes', singular: 'node', kind: 'Node', listKind: 'NodeList', namespaced: false, shortNames: ['no'], categories: [], subresources: ['status'], verbs: allVerbs },
  { group: '', versions: ['v1'], plural: 'services', singular: 'service', kind: 'Service', listKind: 'ServiceList', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'], verbs: allVerbs },
  { group: '', versions: ['v1'], plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', listKind: 'EndpointsList', namespaced: true, shortNames: ['ep'], categories: [], subresources: [], verbs: allVerbs },
  { group: 'discovery.k8s.io', versions: ['v1'], plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', listKind: 'EndpointSliceList', namespaced: true, shortNames: [], categories: [], subresources: [], verbs: allVerbs },
  { group: 'rollway.dev', versions: ['v1'], plural: 'imagetriggers', singular: 'imagetrigger', kind: 'ImageTrigger', listKind: 'ImageTriggerList', namespaced: true, shortNames: ['itr'], categories: [], subresources: [], verbs: allVerbs },
  { group: 'rollway.dev', versions: ['v1'], plural: 'notifiers', singular: 'notifier', kind: 'Notifier', listKind: 'NotifierList', namespaced: true, shortNames: [], categories: [], subresources: [], verbs: allVerbs },
];

/** apiVersion string of a group/version pair ("v1" for core, "apps/v1" otherwise). */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.plural === plural && r.versions.includes(version));
}

export function findResourceByKind(kind: string): ResourceInfo | undefined {
  return resources.find((r) => r.kind === kind);
}

/** Every group/version pair that is served, in discovery order. */
export function servedGroupVersions(): Array<{ group: string; version: string }> {
  const out: Array<{ group: string; version: string }> = [];
  for (const r of resources) {
    for (const v of r.versions) {
      if (!out.some((gv) => gv.group === r.group && gv.version === v)) out.push({ group: r.group, version: v });
    }
  }
  return out;
}
