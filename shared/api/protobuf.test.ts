import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.js';
import { decodeKubernetesProtobuf } from './protobuf.js';

const fixtures = new URL('../../test/fixtures/protobuf/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));

/** What decoding each captured kubectl 1.32 body must give. */
const captured: Array<{ name: string; expected: Record<string, unknown> }> = [
  {
    name: 'deployment-z-replicas-port-command',
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'z', labels: { app: 'z' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'z' } },
        template: {
          metadata: { labels: { app: 'z' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', command: ['sh', '-c', 'sleep 1'], ports: [{ containerPort: 8080 }] }] },
        },
      },
    },
  },
  {
    name: 'deployment-y-kubia',
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'y', labels: { app: 'y' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'y' } },
        template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia:v1' }] } },
      },
    },
  },
  {
    name: 'deployment-multi-images',
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'multi', labels: { app: 'multi' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'multi' } },
        template: {
          metadata: { labels: { app: 'multi' } },
          spec: { containers: [{ name: 'busybox', image: 'busybox', ports: [{ containerPort: 80 }] }, { name: 'nginx', image: 'nginx:1.25' }] },
        },
      },
    },
  },
  { name: 'namespace-foo', expected: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } } },
  { name: 'secret-generic-s', expected: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==' } } },
  {
    name: 'secret-generic-s2-binary-type',
    expected: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' }, data: { blob: Buffer.from('bin\x00\x01\xff', 'latin1').toString('base64'), x: 'eQ==' }, type: 'my/type' },
  },
  { name: 'configmap-cm', expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } } },
  {
    name: 'service-clusterip-svc',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', labels: { app: 'svc' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc' }, type: 'ClusterIP' },
    },
  },
  {
    name: 'service-clusterip-headless',
    expected: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless', labels: { app: 'headless' } }, spec: { selector: { app: 'headless' }, clusterIP: 'None', type: 'ClusterIP' } },
  },
  {
    name: 'service-nodeport-np',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'np', labels: { app: 'np' } },
      spec: { ports: [{ name: '5678-8080', protocol: 'TCP', port: 5678, targetPort: 8080, nodePort: 30080 }], selector: { app: 'np' }, type: 'NodePort' },
    },
  },
  {
    name: 'service-externalname-en',
    expected: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'en', labels: { app: 'en' } }, spec: { selector: { app: 'en' }, type: 'ExternalName', externalName: 'example.com' } },
  },
  {
    name: 'service-loadbalancer-lb',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb', labels: { app: 'lb' } },
      spec: { ports: [{ name: '5678-http', protocol: 'TCP', port: 5678, targetPort: 'http' }], selector: { app: 'lb' }, type: 'LoadBalancer' },
    },
  },
];

/** withoutUnset drops what Go's JSON encoder writes for unset fields: nulls, empty objects, status. */
function withoutUnset(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUnset);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(v)) {
    if (k === 'status' || child === null) continue;
    const c = withoutUnset(child);
    if (typeof c === 'object' && c !== null && !Array.isArray(c) && Object.keys(c).length === 0) continue;
    out[k] = c;
  }
  return out;
}

// A tiny protobuf writer for hand-built bodies. Like Go, callers write zero
// values of non-pointer fields explicitly. A value is a string (length-delimited),
// a number or boolean (varint), bytes, or a nested message as a field list.
type Value = string | number | boolean | Uint8Array | Fields;
type Fields = Array<[number, Value]>;

function encode(fields: Fields): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [n, v] of fields) {
    if (typeof v === 'string') w.uint32((n << 3) | 2).string(v);
    else if (typeof v === 'number') w.uint32(n << 3).int64(v);
    else if (typeof v === 'boolean') w.uint32(n << 3).bool(v);
    else if (v instanceof Uint8Array) w.uint32((n << 3) | 2).bytes(v);
    else w.uint32((n << 3) | 2).bytes(encode(v));
  }
  return w.finish();
}

/** body wraps an object message in the `k8s\0` + runtime.Unknown envelope. */
function body(apiVersion: string, kind: string, object: Fields, envelope: Fields = [[3, ''], [4, '']]): Uint8Array {
  const unknown = encode([[1, [[1, apiVersion], [2, kind]]], [2, encode(object)], ...envelope]);
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}

const entry = (k: string, v: Value): [number, Value] => [1, [[1, k], [2, v]]];
const zeroTime: Fields = [];
/** ObjectMeta with Go's zero values for the unset non-pointer fields. */
const meta = (extra: Fields = []): Fields => [[1, ''], [2, ''], [3, ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, zeroTime], ...extra];

describe('decodeKubernetesProtobuf', () => {
  it.each(captured)('decodes the captured kubectl 1.32 body $name', ({ name, expected }) => {
    expect(decodeKubernetesProtobuf(fixture(`${name}.bin`))).toEqual(expected);
  });

  it.each(captured)('agrees with the JSON kubectl 1.31 sends for $name', ({ name }) => {
    const json = JSON.parse(readFileSync(new URL(`${name}.kubectl-1.31.json`, fixtures), 'utf8'));
    expect(decodeKubernetesProtobuf(fixture(`${name}.bin`))).toEqual(withoutUnset(json));
  });

  it('decodes every Deployment field kubectl can emit, keeping set pointers at zero', () => {
    const intOrString = (type: number, intVal: number, strVal: string): Fields => [[1, type], [2, intVal], [3, strVal]];
    const container: Fields = [
      [1, 'web'], [2, 'nginx:1.25'], [3, 'nginx'], [3, '-g'], [4, 'daemon off;'], [5, ''],
      [6, [[1, 'http'], [2, 0], [3, 80], [4, 'TCP'], [5, '']]],
      [7, [[1, 'MODE'], [2, 'prod']]],
      [7, [[1, 'EMPTY'], [2, '']]],
      [8, [entry('cpu', [[1, '500m']]), [2, [[1, 'memory'], [2, [[1, '64Mi']]]]]]],
      [9, [[1, 'data'], [2, true], [3, '/data'], [4, '']]],
      [13, '/dev/termination-log'], [14, 'IfNotPresent'], [16, false], [17, false], [18, false], [20, 'File'],
    ];
    const deployment: Fields = [
      [1, meta([
        [1, 'web'], [2, 'web-'], [3, 'prod'], [8, [[1, 1700000000], [2, 0]]],
        [11, [[1, 'app'], [2, 'web']]],
        [12, [[1, 'note'], [2, '']]],
        [13, [[1, 'ReplicaSet'], [3, 'web-1'], [4, 'uid-1'], [5, 'apps/v1'], [6, true], [7, false]]],
        [14, 'example.com/guard'],
      ])],
      [2, [
        [1, 0],
        [2, [[1, [[1, 'app'], [2, 'web']]], [2, [[1, 'tier'], [2, 'In'], [3, 'a'], [3, 'b']]]]],
        [3, [
          [1, meta([[11, [[1, 'app'], [2, 'web']]]])],
          [2, [[2, container], [3, 'Always'], [4, 30], [6, 'ClusterFirst'], [8, ''], [11, false], [19, 'default-scheduler'], [24, '']]],
        ]],
        [4, [[1, 'RollingUpdate'], [2, [[1, intOrString(0, 0, '')], [2, intOrString(1, 0, '25%')]]]]],
        [5, 0], [6, 10], [7, false], [9, 600],
      ]],
      [3, [[1, 0], [2, 0]]],
    ];
    expect(decodeKubernetesProtobuf(body('apps/v1', 'Deployment', deployment))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        generateName: 'web-',
        namespace: 'prod',
        creationTimestamp: '2023-11-14T22:13:20Z',
        labels: { app: 'web' },
        annotations: { note: '' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'uid-1', controller: true, blockOwnerDeletion: false }],
        finalizers: ['example.com/guard'],
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web',
              image: 'nginx:1.25',
              command: ['nginx', '-g'],
              args: ['daemon off;'],
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'MODE', value: 'prod' }, { name: 'EMPTY' }],
              resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
              volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            }],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            schedulerName: 'default-scheduler',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    });
  });

  it('omits unset pointers and keeps a set pointer to an empty message', () => {
    const deployment: Fields = [[1, meta([[1, 'd']])], [2, [[3, [[1, meta()], [2, []]]], [4, [[1, 'RollingUpdate'], [2, []]]], [5, 0], [7, true]]]];
    expect(decodeKubernetesProtobuf(body('apps/v1', 'Deployment', deployment))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { strategy: { type: 'RollingUpdate', rollingUpdate: {} }, paused: true },
    });
  });

  it('decodes Secret data as base64, stringData, type and a false immutable', () => {
    const secret: Fields = [[1, meta([[1, 's'], [3, 'default']])], [5, false], [2, entry('empty', new Uint8Array())[1]], [2, [[1, 'k'], [2, new TextEncoder().encode('v')]]], [4, [[1, 'plain'], [2, 'text']]], [3, 'Opaque']];
    expect(decodeKubernetesProtobuf(body('v1', 'Secret', secret))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      immutable: false,
      data: { empty: '', k: 'dg==' },
      stringData: { plain: 'text' },
      type: 'Opaque',
    });
  });

  it('decodes Namespace spec.finalizers and ConfigMap binaryData', () => {
    expect(decodeKubernetesProtobuf(body('v1', 'Namespace', [[1, meta([[1, 'ns']])], [2, [[1, 'kubernetes']]], [3, [[1, '']]]]))).toEqual({
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, spec: { finalizers: ['kubernetes'] },
    });
    expect(decodeKubernetesProtobuf(body('v1', 'ConfigMap', [[1, meta([[1, 'cm']])], [3, [[1, 'bin'], [2, new Uint8Array([0, 255])]]]]))).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, binaryData: { bin: 'AP8=' },
    });
  });

  it('decodes Service pointer fields and clusterIPs', () => {
    const service: Fields = [
      [1, meta([[1, 'svc']])],
      [2, [
        [1, [[1, ''], [2, 'TCP'], [3, 443], [4, [[1, 0], [2, 8443], [3, '']]], [5, 0], [6, 'https']]],
        [3, '10.0.0.10'], [18, '10.0.0.10'], [4, 'LoadBalancer'], [7, 'None'], [17, 'SingleStack'], [20, false], [22, 'Cluster'],
      ]],
    ];
    expect(decodeKubernetesProtobuf(body('v1', 'Service', service))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc' },
      spec: {
        ports: [{ protocol: 'TCP', appProtocol: 'https', port: 443, targetPort: 8443 }],
        clusterIP: '10.0.0.10',
        clusterIPs: ['10.0.0.10'],
        type: 'LoadBalancer',
        sessionAffinity: 'None',
        ipFamilyPolicy: 'SingleStack',
        allocateLoadBalancerNodePorts: false,
        internalTrafficPolicy: 'Cluster',
      },
    });
  });

  it('skips fields the schema does not declare', () => {
    const deployment: Fields = [[1, meta([[1, 'd'], [99, 'future']])], [2, [[1, 3], [42, [[1, 'x']]]]], [3, [[1, 7]]]];
    expect(decodeKubernetesProtobuf(body('apps/v1', 'Deployment', deployment))).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3 } });
  });

  const rejected: Array<{ name: string; body: Uint8Array; message: RegExp }> = [
    { name: 'a body without the magic', body: new TextEncoder().encode('{"kind":"Deployment"}'), message: /magic/ },
    { name: 'an empty body', body: new Uint8Array(), message: /magic/ },
    { name: 'an unsupported kind, named', body: body('v1', 'Pod', [[1, meta([[1, 'p']])]]), message: /not supported for kind "Pod" \(apiVersion "v1"\)/ },
    { name: 'a known kind in an unsupported version', body: body('apps/v1beta1', 'Deployment', []), message: /kind "Deployment" \(apiVersion "apps\/v1beta1"\)/ },
    { name: 'an encoded envelope', body: body('v1', 'Secret', [], [[3, 'gzip'], [4, '']]), message: /content encoding "gzip"/ },
    { name: 'a truncated body', body: fixture('deployment-y-kubia.bin').subarray(0, 60), message: /not a valid/ },
  ];

  it.each(rejected)('rejects $name with BadRequestError', ({ body: b, message }) => {
    let caught: unknown;
    try {
      decodeKubernetesProtobuf(b);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).message).toMatch(message);
  });
});
