import { describe, expect, it } from 'vitest';
import { BadRequestError, InvalidError, type FieldError } from '../errors.js';
import { findResourceByKind, resources } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import { admit, toVersion, validateStatusUpdate } from './admission.js';
import { schemaFor } from './registry.js';

type Obj = Record<string, any>;

const res = (kind: string) => findResourceByKind(kind)!;

function invalidErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidError) return e.fieldErrors;
    throw e;
  }
  throw new Error('expected InvalidError');
}

const template = () => ({ metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1' }] } });

const bodies: Record<string, () => Obj> = {
  ReplicaSet: () => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'kubia-abc' }, spec: { selector: { matchLabels: { app: 'kubia' } }, template: template() } }),
  Pod: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kubia-abc-x' }, spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1' }] } }),
  Namespace: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
  Event: () => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'kubia.1' },
    involvedObject: { kind: 'Deployment', namespace: 'default', name: 'kubia', uid: 'u1', apiVersion: 'apps/v1' },
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set kubia-abc from 0 to 1',
    source: { component: 'deployment-controller' },
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:00:00Z',
    count: 1,
    type: 'Normal',
  }),
  Secret: () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { user: 'YWRtaW4=' } }),
  Node: () => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] }, status: { capacity: { cpu: '4', pods: 110 } } }),
};

const admitKind = (kind: string, body: Obj, extra: Partial<Parameters<typeof admit>[0]> = {}) =>
  admit({ resource: res(kind), version: 'v1', body, namespace: res(kind).namespaced ? 'default' : undefined, fieldValidation: 'Strict', ...extra });

describe('every served resource has a schema', () => {
  it.each(resources.map((r) => ({ name: `${r.group || 'core'}/${r.kind}`, r })))('$name', ({ r }) => {
    // Act
    const ks = schemaFor(r);
    // Assess
    for (const v of r.versions) expect(ks.schemas[v]).toBeDefined();
  });

  it.each(Object.keys(bodies).map((kind) => ({ name: kind, kind })))('$name: a valid body is admitted in the storage version', ({ kind }) => {
    // Act
    const { object, warnings } = admitKind(kind, bodies[kind]());
    // Assess
    expect(warnings).toEqual([]);
    expect(object.kind).toBe(kind);
    expect(object.apiVersion).toBe(res(kind).group ? `${res(kind).group}/v1` : 'v1');
    expect(object.metadata.namespace).toBe(res(kind).namespaced ? 'default' : undefined);
    expect(toVersion(object, res(kind), 'v1')).toEqual(object);
  });
});

describe('defaulting', () => {
  it.each([
    { name: 'ReplicaSet replicas 1 and template defaults', kind: 'ReplicaSet', get: (o: Obj) => [o.spec.replicas, o.spec.template.spec.restartPolicy, o.spec.template.spec.containers[0].terminationMessagePolicy], want: [1, 'Always', 'File'] },
    { name: 'Pod spec defaults and enableServiceLinks', kind: 'Pod', get: (o: Obj) => [o.spec.dnsPolicy, o.spec.schedulerName, o.spec.enableServiceLinks, o.spec.terminationGracePeriodSeconds], want: ['ClusterFirst', 'default-scheduler', true, 30] },
    {
      name: 'Namespace finalizers, phase and name label',
      kind: 'Namespace',
      get: (o: Obj) => [o.spec.finalizers, o.status.phase, o.metadata.labels],
      want: [['kubernetes'], 'Active', { 'kubernetes.io/metadata.name': 'team-a' }],
    },
    { name: 'Secret type Opaque', kind: 'Secret', get: (o: Obj) => [o.type], want: ['Opaque'] },
  ])('$name', ({ kind, get, want }) => {
    // Act
    const { object } = admitKind(kind, bodies[kind]());
    // Assess
    expect(get(object)).toEqual(want);
  });

  it('Pod copies limits into unset requests', () => {
    // Prepare
    const body = bodies.Pod();
    body.spec.containers[0].resources = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } };
    // Act
    const { object } = admitKind('Pod', body);
    // Assess
    expect(object.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  it('Secret merges stringData into data as base64 and drops it', () => {
    // Prepare
    const body = { ...bodies.Secret(), stringData: { user: 'root', pass: 'p@ss' } };
    // Act
    const { object } = admitKind('Secret', body);
    // Assess
    expect(object.data).toEqual({ user: Buffer.from('root').toString('base64'), pass: Buffer.from('p@ss').toString('base64') });
    expect(object).not.toHaveProperty('stringData');
  });
});

describe('validation', () => {
  it.each([
    { name: 'ReplicaSet negative replicas', kind: 'ReplicaSet', mutate: (b: Obj) => (b.spec.replicas = -1), field: 'spec.replicas', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'ReplicaSet nil selector', kind: 'ReplicaSet', mutate: (b: Obj) => delete b.spec.selector, field: 'spec.selector', type: 'FieldValueRequired', detail: '' },
    { name: 'ReplicaSet selector mismatch', kind: 'ReplicaSet', mutate: (b: Obj) => (b.spec.selector.matchLabels.app = 'x'), field: 'spec.template.metadata.labels', type: 'FieldValueInvalid', detail: '`selector` does not match template `labels`' },
    { name: 'ReplicaSet restartPolicy OnFailure', kind: 'ReplicaSet', mutate: (b: Obj) => (b.spec.template.spec.restartPolicy = 'OnFailure'), field: 'spec.template.spec.restartPolicy', type: 'FieldValueNotSupported', detail: 'supported values: "Always"' },
    { name: 'Pod bad restartPolicy', kind: 'Pod', mutate: (b: Obj) => (b.spec.restartPolicy = 'Sometimes'), field: 'spec.restartPolicy', type: 'FieldValueNotSupported', detail: 'supported values: "Always", "OnFailure", "Never"' },
    { name: 'Pod missing image', kind: 'Pod', mutate: (b: Obj) => delete b.spec.containers[0].image, field: 'spec.containers[0].image', type: 'FieldValueRequired', detail: '' },
    { name: 'Pod port 0', kind: 'Pod', mutate: (b: Obj) => (b.spec.containers[0].ports = [{ containerPort: 0 }]), field: 'spec.containers[0].ports[0].containerPort', type: 'FieldValueRequired', detail: '' },
    { name: 'Pod bad protocol', kind: 'Pod', mutate: (b: Obj) => (b.spec.containers[0].ports = [{ containerPort: 80, protocol: 'ICMP' }]), field: 'spec.containers[0].ports[0].protocol', type: 'FieldValueNotSupported', detail: 'supported values: "SCTP", "TCP", "UDP"' },
    { name: 'Pod duplicate volume', kind: 'Pod', mutate: (b: Obj) => (b.spec.volumes = [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }]), field: 'spec.volumes[1].name', type: 'FieldValueDuplicate', detail: '' },
    { name: 'Pod init and app container share a name', kind: 'Pod', mutate: (b: Obj) => (b.spec.initContainers = [{ name: 'nodejs', image: 'x' }]), field: 'spec.initContainers[0].name', type: 'FieldValueDuplicate', detail: '' },
    { name: 'Pod name missing', kind: 'Pod', mutate: (b: Obj) => delete b.metadata.name, field: 'metadata.name', type: 'FieldValueRequired', detail: 'name or generateName is required' },
    { name: 'Namespace name with a dot', kind: 'Namespace', mutate: (b: Obj) => (b.metadata.name = 'team.a'), field: 'metadata.name', type: 'FieldValueInvalid', detail: expect.stringContaining('RFC 1123 label') },
    { name: 'Event namespace mismatch', kind: 'Event', mutate: (b: Obj) => (b.involvedObject.namespace = 'other'), field: 'involvedObject.namespace', type: 'FieldValueInvalid', detail: 'does not match event.namespace' },
    { name: 'Secret bad key', kind: 'Secret', mutate: (b: Obj) => (b.data = { 'a/b': 'eA==' }), field: 'data[a/b]', type: 'FieldValueInvalid', detail: expect.stringContaining('a valid config key') },
    { name: 'Secret tls without keys', kind: 'Secret', mutate: (b: Obj) => (b.type = 'kubernetes.io/tls'), field: 'data[tls.crt]', type: 'FieldValueRequired', detail: '' },
    { name: 'Node bad taint effect', kind: 'Node', mutate: (b: Obj) => (b.spec.taints[0].effect = 'Never'), field: 'spec.taints[0].effect', type: 'FieldValueNotSupported', detail: 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"' },
  ])('$name', ({ kind, mutate, field, type, detail }) => {
    // Prepare
    const body = bodies[kind]();
    mutate(body);
    // Act
    const errs = invalidErrors(() => admitKind(kind, body));
    // Assess
    expect(errs).toContainEqual(expect.objectContaining({ field, type, detail }));
  });

  it('ReplicaSet selector is immutable on update', () => {
    // Prepare
    const old = admitKind('ReplicaSet', bodies.ReplicaSet()).object;
    const body = bodies.ReplicaSet();
    body.spec.selector.matchLabels.tier = 'web';
    body.spec.template.metadata.labels.tier = 'web';
    // Act
    const errs = invalidErrors(() => admitKind('ReplicaSet', body, { old, name: 'kubia-abc' }));
    // Assess
    expect(errs).toContainEqual(expect.objectContaining({ field: 'spec.selector', detail: 'field is immutable' }));
  });

  it('Secret type is immutable on update', () => {
    // Prepare
    const old = admitKind('Secret', bodies.Secret()).object;
    const body = { ...bodies.Secret(), type: 'kubernetes.io/basic-auth', data: { username: 'eA==' } };
    // Act
    const errs = invalidErrors(() => admitKind('Secret', body, { old, name: 'creds' }));
    // Assess
    expect(errs).toContainEqual({ type: 'FieldValueInvalid', field: 'type', value: 'kubernetes.io/basic-auth', detail: 'field is immutable' });
  });

  it('Secret data that is not base64 is a 400', () => {
    // Prepare
    const body = { ...bodies.Secret(), data: { user: 'not base64!' } };
    // Act + Assess
    expect(() => admitKind('Secret', body)).toThrow(BadRequestError);
    expect(() => admitKind('Secret', body)).toThrow('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
  });

  it('cluster-scoped kinds drop a namespace from the body', () => {
    // Prepare
    const body = { ...bodies.Node(), metadata: { name: 'node-1', namespace: 'default' } };
    // Act
    const { object } = admit({ resource: res('Node'), version: 'v1', body });
    // Assess
    expect(object.metadata).not.toHaveProperty('namespace');
  });

  it.each([
    { name: 'counts within replicas', status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 }, fields: [] },
    { name: 'ready above replicas', status: { replicas: 1, readyReplicas: 2, availableReplicas: 0 }, fields: ['status.readyReplicas'] },
    { name: 'available above ready', status: { replicas: 2, readyReplicas: 1, availableReplicas: 2 }, fields: ['status.availableReplicas'] },
    { name: 'negative fullyLabeledReplicas', status: { replicas: 1, fullyLabeledReplicas: -1 }, fields: ['status.fullyLabeledReplicas'] },
  ])('ReplicaSet status: $name', ({ status, fields }) => {
    // Prepare
    const obj = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, status } as KubeObject;
    // Act
    let got: string[] = [];
    try {
      validateStatusUpdate(res('ReplicaSet'), obj, undefined);
    } catch (e) {
      got = (e as InvalidError).fieldErrors.map((f) => f.field);
    }
    // Assess
    expect(got).toEqual(fields);
  });
});

describe('round trip of server-written fields', () => {
  it('keeps metadata and status fields the server wrote', () => {
    // Prepare
    const body = bodies.Pod();
    body.metadata = {
      ...body.metadata,
      uid: 'u',
      resourceVersion: '12',
      generation: 1,
      creationTimestamp: '2024-01-01T00:00:00Z',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kubia-abc', uid: 'u2', controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {} }],
    };
    body.status = { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'nodejs', ready: true, restartCount: 0, state: { running: {} } }] };
    // Act
    const { object, warnings } = admitKind('Pod', body);
    // Assess
    expect(warnings).toEqual([]);
    expect(object.metadata).toMatchObject(body.metadata);
    expect(object.status).toEqual(body.status);
  });
});
