import { describe, expect, it } from 'vitest';
import {
  aggregatedDiscovery,
  legacyApiGroupList,
  legacyApiVersions,
  legacyResourceList,
  negotiateDiscovery,
  parseAccept,
  versionInfo,
} from './discovery.js';

const kubectlAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const v2Type = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const v2beta1Type = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

type AnyObj = any;

function findResource(doc: AnyObj, group: string, version: string, resource: string): AnyObj {
  const g = doc.items.find((i: AnyObj) => i.metadata.name === group);
  const v = g?.versions.find((x: AnyObj) => x.version === version);
  return v?.resources.find((r: AnyObj) => r.resource === resource);
}

describe('negotiateDiscovery', () => {
  it.each([
    { name: 'kubectl 1.32 Accept picks v2', accept: kubectlAccept, want: { aggregated: true, version: 'v2', contentType: v2Type } },
    { name: 'undefined Accept is legacy', accept: undefined, want: { aggregated: false } },
    { name: 'empty Accept is legacy', accept: '', want: { aggregated: false } },
    { name: 'plain json is legacy', accept: 'application/json', want: { aggregated: false } },
    { name: 'json first wins over later aggregated', accept: `application/json,${v2Type}`, want: { aggregated: false } },
    { name: '*/* is legacy', accept: '*/*', want: { aggregated: false } },
    {
      name: 'only v2beta1 offered',
      accept: `${v2beta1Type},application/json`,
      want: { aggregated: true, version: 'v2beta1', contentType: v2beta1Type },
    },
    {
      name: 'parameters in any order with spaces',
      accept: 'application/json; as=APIGroupDiscoveryList ; v=v2; g=apidiscovery.k8s.io, application/json',
      want: { aggregated: true, version: 'v2', contentType: v2Type },
    },
    {
      name: 'q values reorder preferences',
      accept: `${v2Type};q=0.5,${v2beta1Type};q=0.9`,
      want: { aggregated: true, version: 'v2beta1', contentType: v2beta1Type },
    },
    { name: 'q=0 excludes a range', accept: `${v2Type};q=0,application/json`, want: { aggregated: false } },
    {
      name: 'protobuf aggregated is skipped (JSON only)',
      accept: 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      want: { aggregated: false },
    },
    {
      name: 'unknown discovery version falls through to the next range',
      accept: `application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,${v2Type}`,
      want: { aggregated: true, version: 'v2', contentType: v2Type },
    },
  ])('$name', ({ accept, want }) => {
    expect(negotiateDiscovery(accept)).toEqual(want);
  });

  it('parses quoted parameters and lower-cases names', () => {
    expect(parseAccept('Application/JSON; AS="Table"; q=0.3')).toEqual([
      { type: 'application', subtype: 'json', params: { as: 'Table' }, q: 0.3 },
    ]);
  });
});

describe('aggregatedDiscovery', () => {
  it.each([{ name: 'v2', version: 'v2' as const }, { name: 'v2beta1', version: 'v2beta1' as const }])(
    'apiVersion for $name',
    ({ version }) => {
      const doc = aggregatedDiscovery('/apis', version) as AnyObj;
      expect(doc.kind).toBe('APIGroupDiscoveryList');
      expect(doc.apiVersion).toBe(`apidiscovery.k8s.io/${version}`);
      expect(doc.metadata).toEqual({});
    },
  );

  it('/api holds only the core group named ""', () => {
    const doc = aggregatedDiscovery('/api', 'v2') as AnyObj;
    expect(doc.items.map((i: AnyObj) => i.metadata.name)).toEqual(['']);
    expect(doc.items[0].versions.map((v: AnyObj) => v.version)).toEqual(['v1']);
    expect(doc.items[0].versions[0].freshness).toBe('Current');
  });

  it('/apis holds apps with the preferred version first', () => {
    const doc = aggregatedDiscovery('/apis', 'v2') as AnyObj;
    expect(doc.items.map((i: AnyObj) => i.metadata.name)).toEqual(expect.arrayContaining(['apps', 'rollway.dev']));
    expect(doc.items[0].metadata.name).toBe('apps');
    expect(doc.items[0].versions.map((v: AnyObj) => v.version)).toEqual(['v1', 'v1beta1']);
    for (const v of doc.items[0].versions) expect(v.freshness).toBe('Current');
  });

  it.each([
    { name: 'deployments', path: '/apis', group: 'apps', resource: 'deployments', kind: 'Deployment', short: ['deploy'], cats: ['all'], scope: 'Namespaced' },
    { name: 'replicasets', path: '/apis', group: 'apps', resource: 'replicasets', kind: 'ReplicaSet', short: ['rs'], cats: ['all'], scope: 'Namespaced' },
    { name: 'pods', path: '/api', group: '', resource: 'pods', kind: 'Pod', short: ['po'], cats: ['all'], scope: 'Namespaced' },
    { name: 'namespaces', path: '/api', group: '', resource: 'namespaces', kind: 'Namespace', short: ['ns'], cats: undefined, scope: 'Cluster' },
    { name: 'events', path: '/api', group: '', resource: 'events', kind: 'Event', short: ['ev'], cats: undefined, scope: 'Namespaced' },
    { name: 'nodes', path: '/api', group: '', resource: 'nodes', kind: 'Node', short: ['no'], cats: undefined, scope: 'Cluster' },
    { name: 'secrets', path: '/api', group: '', resource: 'secrets', kind: 'Secret', short: undefined, cats: undefined, scope: 'Namespaced' },
  ])('resource $name', ({ path, group, resource, kind, short, cats, scope }) => {
    const r = findResource(aggregatedDiscovery(path as '/api' | '/apis', 'v2'), group, 'v1', resource);
    expect(r).toBeDefined();
    expect(r.responseKind).toEqual({ group, version: 'v1', kind });
    expect(r.scope).toBe(scope);
    expect(r.singularResource).toBe(kind.toLowerCase());
    expect(r.shortNames).toEqual(short);
    expect(r.categories).toEqual(cats);
    expect(r.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'patch']));
  });

  it('deployments carry scale (autoscaling/v1 Scale) and status subresources', () => {
    const r = findResource(aggregatedDiscovery('/apis', 'v2'), 'apps', 'v1', 'deployments');
    expect(r.subresources).toEqual([
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('subresource responseKind follows the served version', () => {
    const r = findResource(aggregatedDiscovery('/apis', 'v2'), 'apps', 'v1beta1', 'deployments');
    expect(r.responseKind).toEqual({ group: 'apps', version: 'v1beta1', kind: 'Deployment' });
    expect(r.subresources.find((s: AnyObj) => s.subresource === 'status').responseKind.version).toBe('v1beta1');
    expect(findResource(aggregatedDiscovery('/apis', 'v2'), 'apps', 'v1beta1', 'replicasets')).toBeUndefined();
  });

  it('events have no subresources field; pods have only status', () => {
    const doc = aggregatedDiscovery('/api', 'v2');
    expect(findResource(doc, '', 'v1', 'events').subresources).toBeUndefined();
    expect(findResource(doc, '', 'v1', 'pods').subresources.map((s: AnyObj) => s.subresource)).toEqual(['status']);
  });

  it('short names and category "all" are discoverable across both documents', () => {
    const all = [aggregatedDiscovery('/api', 'v2'), aggregatedDiscovery('/apis', 'v2')] as AnyObj[];
    const rs = all.flatMap((d) => d.items.flatMap((g: AnyObj) => g.versions.flatMap((v: AnyObj) => v.resources)));
    const shorts = new Set(rs.flatMap((r: AnyObj) => r.shortNames ?? []));
    for (const s of ['deploy', 'rs', 'po', 'ns', 'ev']) expect(shorts.has(s)).toBe(true);
    const inAll = new Set(rs.filter((r: AnyObj) => r.categories?.includes('all')).map((r: AnyObj) => r.resource));
    expect([...inAll].sort()).toEqual(['deployments', 'pods', 'replicasets', 'services']);
  });

  it('is JSON-serialisable and stable', () => {
    expect(JSON.parse(JSON.stringify(aggregatedDiscovery('/apis', 'v2')))).toEqual(aggregatedDiscovery('/apis', 'v2'));
  });
});

describe('legacy discovery', () => {
  it('APIVersions', () => {
    expect(legacyApiVersions('10.0.0.1:443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:443' }],
    });
  });

  it('APIGroupList', () => {
    const list = legacyApiGroupList() as AnyObj;
    expect(list).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
    expect(list.groups[0]).toEqual({
      name: 'apps',
      versions: [
        { groupVersion: 'apps/v1', version: 'v1' },
        { groupVersion: 'apps/v1beta1', version: 'v1beta1' },
      ],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    expect(list.groups.map((g: AnyObj) => g.name)).toContain('rollway.dev');
  });

  it('apps/v1 APIResourceList has deployments with status and scale entries', () => {
    const list = legacyResourceList('apps', 'v1') as AnyObj;
    expect(list.kind).toBe('APIResourceList');
    expect(list.apiVersion).toBe('v1');
    expect(list.groupVersion).toBe('apps/v1');
    expect(list.resources.map((r: AnyObj) => r.name)).toEqual([
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
    ]);
    const byName = Object.fromEntries(list.resources.map((r: AnyObj) => [r.name, r]));
    expect(byName.deployments).toEqual({
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
    });
    expect(byName['deployments/scale']).toEqual({
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    expect(byName['deployments/status']).toEqual({
      name: 'deployments/status',
      singularName: '',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    });
  });

  it('core v1 APIResourceList', () => {
    const list = legacyResourceList('', 'v1') as AnyObj;
    expect(list.groupVersion).toBe('v1');
    const ns = list.resources.find((r: AnyObj) => r.name === 'namespaces');
    expect(ns).toMatchObject({ namespaced: false, kind: 'Namespace', shortNames: ['ns'] });
    expect(ns.categories).toBeUndefined();
    expect(list.resources.map((r: AnyObj) => r.name)).toContain('pods/status');
  });

  it.each([
    { name: 'unknown group', group: 'batch', version: 'v1' },
    { name: 'unknown version', group: 'apps', version: 'v2' },
    { name: 'core v2', group: '', version: 'v2' },
  ])('$name → undefined', ({ group, version }) => {
    expect(legacyResourceList(group, version)).toBeUndefined();
  });
});

describe('versionInfo', () => {
  it('looks like a 1.32 server', () => {
    expect(versionInfo()).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.0',
      gitTreeState: 'clean',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
    const v = versionInfo() as AnyObj;
    for (const k of ['gitCommit', 'buildDate', 'goVersion']) expect(typeof v[k]).toBe('string');
  });
});
