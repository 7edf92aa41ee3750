import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.js';
import { applyStrategicMergePatch, createThreeWayMergePatch } from './strategic-merge-patch.js';

/** The book's Deployment as the server stores it (trimmed to what the cases touch). */
function kubia(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: 3,
      minReadySeconds: 10,
      selector: { matchLabels: { app: 'kubia' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'kubia' } },
        spec: {
          containers: [
            {
              name: 'nodejs',
              image: 'luksa/kubia:v1',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
  };
}

/** kubia() with `edit` applied to a copy. */
function kubiaWith(edit: (d: any) => void): Record<string, unknown> {
  const d = kubia();
  edit(d);
  return d;
}

interface Case {
  name: string;
  kind: string;
  original: unknown;
  patch: unknown;
  expected: unknown;
}

const kubectlCases: Case[] = [
  {
    name: 'set image with $setElementOrder/containers changes only the image',
    kind: 'Deployment',
    original: kubia(),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nodejs' }], containers: [{ image: 'luksa/kubia:v2', name: 'nodejs' }] } } } },
    expected: kubiaWith((d) => { d.spec.template.spec.containers[0].image = 'luksa/kubia:v2'; }),
  },
  {
    name: 'set image --record adds the change-cause annotation',
    kind: 'Deployment',
    original: kubia(),
    patch: {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'kubectl set image deployment kubia nodejs=luksa/kubia:v3 --record=true' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nodejs' }], containers: [{ image: 'luksa/kubia:v3', name: 'nodejs' }] } } },
    },
    expected: kubiaWith((d) => {
      d.metadata.annotations['kubernetes.io/change-cause'] = 'kubectl set image deployment kubia nodejs=luksa/kubia:v3 --record=true';
      d.spec.template.spec.containers[0].image = 'luksa/kubia:v3';
    }),
  },
  {
    name: 'apply update sets the last-applied annotation, removes minReadySeconds with null and updates the image',
    kind: 'Deployment',
    original: kubia(),
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1"}\n' } },
      spec: { minReadySeconds: null, template: { spec: { '$setElementOrder/containers': [{ name: 'nodejs' }], containers: [{ image: 'luksa/kubia:v2', name: 'nodejs' }] } } },
    },
    expected: kubiaWith((d) => {
      d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"apiVersion":"apps/v1"}\n';
      delete d.spec.minReadySeconds;
      d.spec.template.spec.containers[0].image = 'luksa/kubia:v2';
    }),
  },
  {
    name: 'strategy change with $retainKeys ["type"] drops rollingUpdate',
    kind: 'Deployment',
    original: kubia(),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: kubiaWith((d) => { d.spec.strategy = { type: 'Recreate' }; }),
  },
  {
    name: 'rollout pause sets spec.paused',
    kind: 'Deployment',
    original: kubia(),
    patch: { spec: { paused: true } },
    expected: kubiaWith((d) => { d.spec.paused = true; }),
  },
  {
    name: 'rollout resume deletes spec.paused with null',
    kind: 'Deployment',
    original: kubiaWith((d) => { d.spec.paused = true; }),
    patch: { spec: { paused: null } },
    expected: kubia(),
  },
  {
    name: 'rollout restart adds a template annotation to a template without annotations',
    kind: 'Deployment',
    original: kubia(),
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-26T08:45:56Z' } } } } },
    expected: kubiaWith((d) => { d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-11-26T08:45:56Z' }; }),
  },
  {
    name: "the book's kubectl patch changes only the image and keeps the other container fields",
    kind: 'Deployment',
    original: kubia(),
    patch: { spec: { template: { spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v2' }] } } } },
    expected: kubiaWith((d) => { d.spec.template.spec.containers[0].image = 'luksa/kubia:v2'; }),
  },
  {
    name: 'edit patch changes replicas and the image together',
    kind: 'Deployment',
    original: kubia(),
    patch: { spec: { replicas: 2, template: { spec: { '$setElementOrder/containers': [{ name: 'nodejs' }], containers: [{ image: 'luksa/kubia:v5', name: 'nodejs' }] } } } },
    expected: kubiaWith((d) => { d.spec.replicas = 2; d.spec.template.spec.containers[0].image = 'luksa/kubia:v5'; }),
  },
  {
    name: 'an empty patch changes nothing',
    kind: 'Deployment',
    original: kubia(),
    patch: {},
    expected: kubia(),
  },
];

const podTemplate = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });

const mapCases: Case[] = [
  { name: 'null deletes a key', kind: 'Secret', original: { a: 1, b: 2 }, patch: { a: null }, expected: { b: 2 } },
  { name: 'null for a missing key is dropped', kind: 'Secret', original: { a: 1 }, patch: { b: null }, expected: { a: 1 } },
  { name: 'maps merge recursively', kind: 'Secret', original: { m: { a: 1, n: { x: 1 } } }, patch: { m: { b: 2, n: { y: 2 } } }, expected: { m: { a: 1, b: 2, n: { x: 1, y: 2 } } } },
  { name: 'nulls inside a new map are dropped', kind: 'Secret', original: {}, patch: { m: { a: 1, b: null } }, expected: { m: { a: 1 } } },
  { name: 'a scalar replaces a map', kind: 'Secret', original: { m: { a: 1 } }, patch: { m: 'x' }, expected: { m: 'x' } },
  { name: 'a map replaces a scalar', kind: 'Secret', original: { m: 'x' }, patch: { m: { a: 1, b: null } }, expected: { m: { a: 1 } } },
  { name: '$patch: replace replaces a map', kind: 'Secret', original: { data: { a: 'YQ==', b: 'Yg==' } }, patch: { data: { $patch: 'replace', c: 'Yw==' } }, expected: { data: { c: 'Yw==' } } },
  { name: '$patch: delete empties a map', kind: 'Secret', original: { data: { a: 'YQ==' }, type: 'Opaque' }, patch: { data: { $patch: 'delete' } }, expected: { data: {}, type: 'Opaque' } },
  { name: '$patch: merge is the default for maps', kind: 'Secret', original: { data: { a: 'YQ==' } }, patch: { data: { $patch: 'merge', b: 'Yg==' } }, expected: { data: { a: 'YQ==', b: 'Yg==' } } },
  { name: '$patch: replace at the root replaces the object', kind: 'Secret', original: { a: 1, b: 2 }, patch: { $patch: 'replace', c: 3 }, expected: { c: 3 } },
  { name: 'a directive inside a map new to the original does not leak', kind: 'Secret', original: {}, patch: { m: { $patch: 'replace', a: 1 } }, expected: { m: { a: 1 } } },
  { name: '$retainKeys keeps listed keys, patch keys included', kind: 'Deployment', original: { spec: { strategy: { type: 'Recreate' } } }, patch: { spec: { strategy: { $retainKeys: ['type', 'rollingUpdate'], type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } }, expected: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } } },
  { name: 'a non-object original is treated as empty', kind: 'Secret', original: null, patch: { a: 1 }, expected: { a: 1 } },
];

const listCases: Case[] = [
  {
    name: 'containers merge by name: a new container is appended',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', image: 'a:1' }] }),
    patch: podTemplate({ containers: [{ name: 'b', image: 'b:1' }] }),
    expected: podTemplate({ containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] }),
  },
  {
    name: 'a null inside a container deletes that field only',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', image: 'a:1', command: ['sh'] }] }),
    patch: podTemplate({ containers: [{ name: 'a', command: null }] }),
    expected: podTemplate({ containers: [{ name: 'a', image: 'a:1' }] }),
  },
  {
    name: '$patch: delete removes a container by name',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] }),
    patch: podTemplate({ containers: [{ name: 'a', $patch: 'delete' }] }),
    expected: podTemplate({ containers: [{ name: 'b', image: 'b:1' }] }),
  },
  {
    name: '$patch: replace inside a list replaces the list with the other elements',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', image: 'a:1', args: ['x'] }, { name: 'b', image: 'b:1' }] }),
    patch: podTemplate({ containers: [{ name: 'a', image: 'a:2' }, { $patch: 'replace' }] }),
    expected: podTemplate({ containers: [{ name: 'a', image: 'a:2' }] }),
  },
  {
    name: '$setElementOrder reorders: listed first, others after in their order',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] }),
    patch: podTemplate({ '$setElementOrder/containers': [{ name: 'c' }, { name: 'e' }, { name: 'a' }], containers: [{ name: 'e', image: 'e:1' }] }),
    expected: podTemplate({ containers: [{ name: 'c' }, { name: 'e', image: 'e:1' }, { name: 'a' }, { name: 'b' }, { name: 'd' }] }),
  },
  {
    name: '$setElementOrder without the list reorders the original list',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a' }, { name: 'b' }] }),
    patch: podTemplate({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] }),
    expected: podTemplate({ containers: [{ name: 'b' }, { name: 'a' }] }),
  },
  {
    name: 'container ports merge by containerPort',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }] }] }),
    patch: podTemplate({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
    expected: podTemplate({ containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }] }] }),
  },
  {
    name: 'env merges by name',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }] }),
    patch: podTemplate({ containers: [{ name: 'a', env: [{ name: 'Y', value: '3' }] }] }),
    expected: podTemplate({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '3' }] }] }),
  },
  {
    name: 'envFrom is atomic',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', envFrom: [{ configMapRef: { name: 'x' } }] }] }),
    patch: podTemplate({ containers: [{ name: 'a', envFrom: [{ secretRef: { name: 'y' } }] }] }),
    expected: podTemplate({ containers: [{ name: 'a', envFrom: [{ secretRef: { name: 'y' } }] }] }),
  },
  {
    name: 'volumeMounts merge by mountPath',
    kind: 'Deployment',
    original: podTemplate({ containers: [{ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/data' }] }] }),
    patch: podTemplate({ containers: [{ name: 'a', volumeMounts: [{ mountPath: '/data', readOnly: true }, { name: 'w', mountPath: '/w' }] }] }),
    expected: podTemplate({ containers: [{ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/data', readOnly: true }, { name: 'w', mountPath: '/w' }] }] }),
  },
  {
    name: 'volumeDevices merge by devicePath',
    kind: 'Pod',
    original: { spec: { containers: [{ name: 'a', volumeDevices: [{ name: 'd', devicePath: '/dev/x' }] }] } },
    patch: { spec: { containers: [{ name: 'a', volumeDevices: [{ name: 'e', devicePath: '/dev/x' }] }] } },
    expected: { spec: { containers: [{ name: 'a', volumeDevices: [{ name: 'e', devicePath: '/dev/x' }] }] } },
  },
  {
    name: 'initContainers merge by name',
    kind: 'Deployment',
    original: podTemplate({ initContainers: [{ name: 'i', image: 'i:1' }] }),
    patch: podTemplate({ initContainers: [{ name: 'i', image: 'i:2' }] }),
    expected: podTemplate({ initContainers: [{ name: 'i', image: 'i:2' }] }),
  },
  {
    name: 'Pod volumes merge by name and honour $retainKeys when switching the source',
    kind: 'Pod',
    original: { spec: { volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] } },
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } },
    expected: { spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] } },
  },
  {
    name: 'imagePullSecrets merge by name',
    kind: 'ReplicaSet',
    original: podTemplate({ imagePullSecrets: [{ name: 'a' }] }),
    patch: podTemplate({ imagePullSecrets: [{ name: 'b' }] }),
    expected: podTemplate({ imagePullSecrets: [{ name: 'a' }, { name: 'b' }] }),
  },
  {
    name: 'hostAliases merge by ip',
    kind: 'Pod',
    original: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] } },
    patch: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }, { ip: '10.0.0.2', hostnames: ['c'] }] } },
    expected: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }, { ip: '10.0.0.2', hostnames: ['c'] }] } },
  },
  {
    name: 'tolerations are atomic',
    kind: 'Pod',
    original: { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } },
    patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
    expected: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
  },
  {
    name: 'primitive lists such as args are replaced',
    kind: 'Pod',
    original: { spec: { containers: [{ name: 'a', args: ['x', 'y'] }] } },
    patch: { spec: { containers: [{ name: 'a', args: ['z'] }] } },
    expected: { spec: { containers: [{ name: 'a', args: ['z'] }] } },
  },
  {
    name: 'finalizers merge as a set',
    kind: 'Deployment',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'] } },
    expected: { metadata: { finalizers: ['a', 'b', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList removes finalizers',
    kind: 'Namespace',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'c'], finalizers: ['d'] } },
    expected: { metadata: { finalizers: ['b', 'd'] } },
  },
  {
    name: '$setElementOrder reorders a set of primitives',
    kind: 'Secret',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } },
    expected: { metadata: { finalizers: ['c', 'b', 'a'] } },
  },
  {
    name: 'ownerReferences merge by uid',
    kind: 'ReplicaSet',
    original: { metadata: { ownerReferences: [{ uid: 'u1', kind: 'Deployment', name: 'd', controller: true }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }, { uid: 'u2', kind: 'X', name: 'x' }] } },
    expected: { metadata: { ownerReferences: [{ uid: 'u1', kind: 'Deployment', name: 'd', controller: true, blockOwnerDeletion: true }, { uid: 'u2', kind: 'X', name: 'x' }] } },
  },
  {
    name: 'status.conditions merge by type',
    kind: 'Deployment',
    original: { status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True' }] } },
    patch: { status: { conditions: [{ type: 'Available', status: 'True' }] } },
    expected: { status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] } },
  },
  {
    name: 'Service spec.ports merge by port',
    kind: 'Service',
    original: { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443, targetPort: 8443 }] } },
    expected: { spec: { ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }, { port: 443, targetPort: 8443 }] } },
  },
  {
    name: 'Node addresses merge by type',
    kind: 'Node',
    original: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } },
    patch: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } },
    expected: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }] } },
  },
  {
    name: 'Endpoints subsets are atomic',
    kind: 'Endpoints',
    original: { subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] },
    patch: { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] },
    expected: { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] },
  },
  {
    name: 'a keyed list new to the original processes its directives',
    kind: 'Pod',
    original: { spec: {} },
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'a', command: null }, { name: 'b' }, { name: 'c', $patch: 'delete' }] } },
    expected: { spec: { containers: [{ name: 'b' }, { name: 'a', image: 'a' }] } },
  },
  {
    name: 'unknown kinds replace lists (JSON merge patch)',
    kind: 'Widget',
    original: { spec: { containers: [{ name: 'a', image: 'a:1' }], labels: { x: '1' } }, metadata: { finalizers: ['a'] } },
    patch: { spec: { containers: [{ name: 'a', image: 'a:2' }], labels: { y: '2' } }, metadata: { finalizers: ['b'] } },
    expected: { spec: { containers: [{ name: 'a', image: 'a:2' }], labels: { x: '1', y: '2' } }, metadata: { finalizers: ['b'] } },
  },
  {
    name: 'unknown kinds ignore $setElementOrder for replaced lists',
    kind: 'Widget',
    original: { items: [{ name: 'a' }] },
    patch: { '$setElementOrder/items': [{ name: 'b' }], items: [{ name: 'b', gone: null }] },
    expected: { items: [{ name: 'b' }] },
  },
];

describe('applyStrategicMergePatch', () => {
  it.each(kubectlCases)('kubectl: $name', ({ original, patch, kind, expected }) => {
    expect(applyStrategicMergePatch(original, patch, kind)).toEqual(expected);
  });

  it.each(mapCases)('maps: $name', ({ original, patch, kind, expected }) => {
    expect(applyStrategicMergePatch(original, patch, kind)).toEqual(expected);
  });

  it.each(listCases)('lists: $name', ({ original, patch, kind, expected }) => {
    expect(applyStrategicMergePatch(original, patch, kind)).toEqual(expected);
  });

  it('does not modify its arguments and shares no objects with them', () => {
    const original = kubia();
    const patch = { spec: { template: { spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v2', env: [{ name: 'A', value: '1' }] }] } } } };
    const originalCopy = structuredClone(original);
    const patchCopy = structuredClone(patch);
    const result = applyStrategicMergePatch(original, patch, 'Deployment') as any;
    expect(original).toEqual(originalCopy);
    expect(patch).toEqual(patchCopy);
    result.spec.template.spec.containers[0].env[0].value = 'changed';
    result.spec.selector.matchLabels.app = 'changed';
    expect(patch).toEqual(patchCopy);
    expect(original).toEqual(originalCopy);
  });

  it('leaves no directive keys anywhere in the output', () => {
    const result = applyStrategicMergePatch(
      kubia(),
      {
        $patch: 'merge',
        metadata: { '$deleteFromPrimitiveList/finalizers': ['x'], labels: { $patch: 'replace', app: 'kubia' } },
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate' },
          template: { spec: { '$setElementOrder/containers': [{ name: 'nodejs' }], containers: [{ name: 'nodejs', env: [{ name: 'A', value: '1' }, { $patch: 'merge' }] }], volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], emptyDir: { $patch: 'replace' } }] } },
        },
      },
      'Deployment',
    );
    expect(JSON.stringify(result)).not.toMatch(/"\$/);
  });

  const malformed: Array<{ name: string; kind: string; patch: unknown; message: RegExp }> = [
    { name: 'a non-object patch (array)', kind: 'Deployment', patch: [{ op: 'replace' }], message: /must be a JSON object/ },
    { name: 'a non-object patch (string)', kind: 'Deployment', patch: 'spec', message: /must be a JSON object/ },
    { name: 'a null patch', kind: 'Deployment', patch: null, message: /must be a JSON object/ },
    { name: 'an unknown $patch value on a map', kind: 'Deployment', patch: { spec: { $patch: 'frobnicate' } }, message: /at spec: unknown \$patch directive "frobnicate"/ },
    { name: 'an unknown $patch value in a list', kind: 'Deployment', patch: podTemplate({ containers: [{ name: 'a', $patch: 'nope' }] }), message: /unknown \$patch directive "nope"/ },
    { name: 'a container without its merge key', kind: 'Deployment', patch: podTemplate({ containers: [{ image: 'x' }] }), message: /spec\.template\.spec\.containers: list element has no merge key "name"/ },
    { name: 'a $patch: delete element without its merge key', kind: 'Pod', patch: { spec: { containers: [{ $patch: 'delete' }] } }, message: /no merge key "name"/ },
    { name: 'a scalar in a keyed list', kind: 'Pod', patch: { spec: { containers: ['nodejs'] } }, message: /list elements must be objects/ },
    { name: 'a port without containerPort', kind: 'Pod', patch: { spec: { containers: [{ name: 'a', ports: [{ name: 'http' }] }] } }, message: /spec\.containers\[\*\]\.ports: list element has no merge key "containerPort"/ },
    { name: '$retainKeys that is not a list', kind: 'Deployment', patch: { spec: { strategy: { $retainKeys: 'type' } } }, message: /\$retainKeys must be a list/ },
    { name: 'a patch key missing from $retainKeys', kind: 'Deployment', patch: { spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: {} } } }, message: /"rollingUpdate" is set by the patch but missing from \$retainKeys/ },
    { name: '$setElementOrder that is not a list', kind: 'Pod', patch: { spec: { '$setElementOrder/containers': { name: 'a' } } }, message: /must be a list/ },
    { name: '$setElementOrder elements without the merge key', kind: 'Pod', patch: { spec: { '$setElementOrder/containers': ['a'] } }, message: /must carry the merge key "name"/ },
    { name: '$deleteFromPrimitiveList that is not a list', kind: 'Pod', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, message: /must be a list of primitives/ },
    { name: 'an unknown directive key', kind: 'Pod', patch: { spec: { $frob: 1 } }, message: /unknown directive "\$frob"/ },
    { name: 'an object in a set-merged list', kind: 'Pod', patch: { metadata: { finalizers: [{ a: 1 }] } }, message: /list elements must be primitives/ },
  ];

  it.each(malformed)('rejects $name with BadRequestError', ({ kind, patch, message }) => {
    let caught: unknown;
    try {
      applyStrategicMergePatch(kubia(), patch, kind);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).code).toBe(400);
    expect((caught as BadRequestError).message).toMatch(message);
  });
});

/** The book's manifest, as last applied. */
function manifest(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kubia', labels: { app: 'kubia' } },
    spec: {
      replicas: 3,
      minReadySeconds: 10,
      selector: { matchLabels: { app: 'kubia' } },
      template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1' }] } },
    },
  };
}

function manifestWith(edit: (d: any) => void): any {
  const d = manifest();
  edit(d);
  return d;
}

/** The live object: the manifest plus server defaults, server-set metadata and status. */
function live(): any {
  return kubiaWith((d) => {
    d.metadata.uid = 'uid-1';
    d.metadata.resourceVersion = '7';
    d.metadata.finalizers = ['example.com/guard'];
    d.status = { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] };
  });
}

describe('createThreeWayMergePatch', () => {
  const cases: Array<{ name: string; original: unknown; modified: unknown; current: unknown; expected: string }> = [
    {
      name: 'an unchanged manifest gives an empty patch',
      original: manifest(),
      modified: manifest(),
      current: live(),
      expected: '{}',
    },
    {
      name: 'an image change gives the set-image patch, with $setElementOrder',
      original: manifest(),
      modified: manifestWith((d) => { d.spec.template.spec.containers[0].image = 'luksa/kubia:v2'; }),
      current: live(),
      expected: '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nodejs"}],"containers":[{"image":"luksa/kubia:v2","name":"nodejs"}]}}}}',
    },
    {
      name: 'a field removed from the manifest is sent as null',
      original: manifest(),
      modified: manifestWith((d) => { delete d.spec.minReadySeconds; }),
      current: live(),
      expected: '{"spec":{"minReadySeconds":null}}',
    },
    {
      name: 'a strategy change carries $retainKeys so rollingUpdate is dropped',
      original: manifest(),
      modified: manifestWith((d) => { d.spec.strategy = { type: 'Recreate' }; }),
      current: live(),
      expected: '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}',
    },
    {
      name: 'a removed container is deleted by merge key and the order set',
      original: manifestWith((d) => { d.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' }); }),
      modified: manifest(),
      current: kubiaWith((d) => { d.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' }); }),
      expected: '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nodejs"}],"containers":[{"$patch":"delete","name":"sidecar"}]}}}}',
    },
    {
      name: 'a removed finalizer uses $deleteFromPrimitiveList',
      original: manifestWith((d) => { d.metadata.finalizers = ['a', 'b']; }),
      modified: manifestWith((d) => { d.metadata.finalizers = ['a']; }),
      current: manifestWith((d) => { d.metadata.finalizers = ['a', 'b']; }),
      expected: '{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a"]}}',
    },
    {
      name: 'a label removed from the manifest is nulled; server-set fields are kept',
      original: manifestWith((d) => { d.metadata.labels.tier = 'web'; }),
      modified: manifestWith((d) => { d.metadata.annotations = { note: 'x' }; }),
      current: kubiaWith((d) => { d.metadata.labels.tier = 'web'; }),
      expected: '{"metadata":{"annotations":{"note":"x"},"labels":{"tier":null}}}',
    },
  ];

  it.each(cases)('$name', ({ original, modified, current, expected }) => {
    const patch = createThreeWayMergePatch(original, modified, current, 'Deployment');
    expect(JSON.stringify(patch)).toBe(expected);
  });

  it('matches the patch real kubectl 1.32 `apply` sent, byte for byte', () => {
    // Captured from /usr/bin/kubectl (1.32) against a probe server serving `current`.
    const sorted = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as any)[k])])) : v;
    const lastApplied = (m: any) => JSON.stringify(sorted({ ...m, metadata: { ...m.metadata, namespace: 'default', annotations: {} } })) + '\n';
    const applied: any = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kubia', labels: { app: 'kubia', tier: 'web' } },
      spec: {
        replicas: 3, minReadySeconds: 10, selector: { matchLabels: { app: 'kubia' } },
        template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'side', image: 'busybox' }] } },
      },
    };
    const current: any = structuredClone(applied);
    current.metadata = { ...current.metadata, namespace: 'default', uid: 'u1', resourceVersion: '5', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(applied), 'deployment.kubernetes.io/revision': '1' }, finalizers: ['x/y'] };
    current.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    current.spec.template.spec.containers[0] = { ...current.spec.template.spec.containers[0], imagePullPolicy: 'IfNotPresent', resources: {} };
    current.spec.template.spec.restartPolicy = 'Always';
    current.status = { replicas: 3 };
    const manifest: any = structuredClone(applied);
    delete manifest.spec.minReadySeconds;
    delete manifest.metadata.labels.tier;
    manifest.spec.strategy = { type: 'Recreate' };
    manifest.spec.template.spec.containers = [
      { name: 'side', image: 'busybox:1.36' },
      { name: 'nodejs', image: 'luksa/kubia:v2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 8080 }] },
    ];
    const original = JSON.parse(current.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const modified = { ...manifest, metadata: { ...manifest.metadata, namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(manifest) } } };
    const kubectlPatch = String.raw`{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"labels\":{\"app\":\"kubia\"},\"name\":\"kubia\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"kubia\"}},\"strategy\":{\"type\":\"Recreate\"},\"template\":{\"metadata\":{\"labels\":{\"app\":\"kubia\"}},\"spec\":{\"containers\":[{\"image\":\"busybox:1.36\",\"name\":\"side\"},{\"env\":[{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"}],\"image\":\"luksa/kubia:v2\",\"name\":\"nodejs\",\"ports\":[{\"containerPort\":8080}]}]}}}}\n"},"labels":{"tier":null}},"spec":{"minReadySeconds":null,"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"nodejs"}],"containers":[{"image":"busybox:1.36","name":"side"},{"$setElementOrder/env":[{"name":"B"},{"name":"C"}],"env":[{"name":"B","value":"3"},{"name":"C","value":"4"},{"$patch":"delete","name":"A"}],"image":"luksa/kubia:v2","name":"nodejs","ports":[{"containerPort":8080}]}]}}}}`;
    expect(JSON.stringify(createThreeWayMergePatch(original, modified, current, 'Deployment'))).toBe(kubectlPatch);
  });

  it.each(cases)('applying the patch for "$name" makes the live object hold the manifest and keep server fields', ({ original, modified, current }) => {
    const result = applyStrategicMergePatch(current, createThreeWayMergePatch(original, modified, current, 'Deployment'), 'Deployment');
    expectHolds(result, modified, original, '');
    expect((result as any).status).toEqual((current as any).status);
  });

});

/** expectHolds checks that every field of `manifest` is in `result`, and every field dropped since `last` is gone. */
function expectHolds(result: unknown, manifest: unknown, last: unknown, path: string): void {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(manifest) && Array.isArray(result) && manifest.length === result.length) {
    manifest.forEach((v, i) => expectHolds(result[i], v, Array.isArray(last) ? last[i] : undefined, `${path}[${i}]`));
    return;
  }
  if (!isObj(manifest) || !isObj(result)) {
    expect(result, path).toEqual(manifest);
    return;
  }
  for (const [k, v] of Object.entries(manifest)) expectHolds(result[k], v, isObj(last) ? last[k] : undefined, `${path}.${k}`);
  if (isObj(last)) for (const k of Object.keys(last)) if (!(k in manifest)) expect(result, `${path}.${k} must be gone`).not.toHaveProperty([k]);
}
