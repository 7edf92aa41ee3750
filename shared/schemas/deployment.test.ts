import { describe, expect, it } from 'vitest';
import { BadRequestError, InvalidError, type FieldError } from '../errors.js';
import { findResourceByKind } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import { admit, toVersion, validateStatusUpdate } from './admission.js';

const deployments = findResourceByKind('Deployment')!;

type Obj = Record<string, any>;

/** newDeployment returns a valid apps/v1 Deployment body; `mutate` edits a copy. */
function newDeployment(mutate: (d: Obj) => void = () => {}): Obj {
  const d: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kubia' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'kubia' } },
      template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1' }] } },
    },
  };
  mutate(d);
  return d;
}

function invalidErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidError) return e.fieldErrors;
    throw e;
  }
  throw new Error('expected InvalidError');
}

const admitV1 = (body: Obj, old?: KubeObject, version = 'v1') => admit({ resource: deployments, version, body, namespace: 'default', old, fieldValidation: 'Strict' });

describe('Deployment validation (§4.1)', () => {
  it.each([
    { name: 'negative replicas', mutate: (d: Obj) => (d.spec.replicas = -1), field: 'spec.replicas', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'negative minReadySeconds', mutate: (d: Obj) => (d.spec.minReadySeconds = -1), field: 'spec.minReadySeconds', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'negative revisionHistoryLimit', mutate: (d: Obj) => (d.spec.revisionHistoryLimit = -1), field: 'spec.revisionHistoryLimit', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'negative progressDeadlineSeconds', mutate: (d: Obj) => (d.spec.progressDeadlineSeconds = -1), field: 'spec.progressDeadlineSeconds', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'nil selector', mutate: (d: Obj) => delete d.spec.selector, field: 'spec.selector', type: 'FieldValueRequired', detail: '' },
    { name: 'empty selector', mutate: (d: Obj) => (d.spec.selector = {}), field: 'spec.selector', type: 'FieldValueInvalid', detail: 'empty selector is invalid for deployment' },
    {
      name: 'unconvertible selector',
      mutate: (d: Obj) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['kubia'] }] }),
      field: 'spec.selector',
      type: 'FieldValueInvalid',
      detail: 'invalid label selector',
    },
    { name: 'selector does not match template labels', mutate: (d: Obj) => (d.spec.selector.matchLabels = { app: 'other' }), field: 'spec.template.metadata.labels', type: 'FieldValueInvalid', detail: '`selector` does not match template `labels`' },
    { name: 'restartPolicy Never', mutate: (d: Obj) => (d.spec.template.spec.restartPolicy = 'Never'), field: 'spec.template.spec.restartPolicy', type: 'FieldValueNotSupported', detail: 'supported values: "Always"' },
    { name: 'activeDeadlineSeconds set', mutate: (d: Obj) => (d.spec.template.spec.activeDeadlineSeconds = 30), field: 'spec.template.spec.activeDeadlineSeconds', type: 'FieldValueForbidden', detail: 'activeDeadlineSeconds in ReplicaSet is not Supported' },
    { name: 'Recreate with rollingUpdate', mutate: (d: Obj) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }), field: 'spec.strategy.rollingUpdate', type: 'FieldValueForbidden', detail: "may not be specified when strategy `type` is 'Recreate'" },
    { name: 'unknown strategy type', mutate: (d: Obj) => (d.spec.strategy = { type: 'Canary' }), field: 'spec.strategy', type: 'FieldValueNotSupported', detail: 'supported values: "Recreate", "RollingUpdate"' },
    {
      name: 'maxSurge not a percent',
      mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'oops', maxUnavailable: 1 } }),
      field: 'spec.strategy.rollingUpdate.maxSurge',
      type: 'FieldValueInvalid',
      detail: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    },
    {
      name: 'maxUnavailable "5" without %',
      mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '5' } }),
      field: 'spec.strategy.rollingUpdate.maxUnavailable',
      type: 'FieldValueInvalid',
      detail: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    },
    { name: 'negative maxSurge', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: -1 } }), field: 'spec.strategy.rollingUpdate.maxSurge', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'negative maxUnavailable', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: -1 } }), field: 'spec.strategy.rollingUpdate.maxUnavailable', type: 'FieldValueInvalid', detail: 'must be greater than or equal to 0' },
    { name: 'both 0', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }), field: 'spec.strategy.rollingUpdate.maxUnavailable', type: 'FieldValueInvalid', detail: 'may not be 0 when `maxSurge` is 0' },
    { name: 'both 0 with an invalid string', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'oops', maxUnavailable: 0 } }), field: 'spec.strategy.rollingUpdate.maxUnavailable', type: 'FieldValueInvalid', detail: 'may not be 0 when `maxSurge` is 0' },
    { name: 'maxUnavailable above 100%', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '101%' } }), field: 'spec.strategy.rollingUpdate.maxUnavailable', type: 'FieldValueInvalid', detail: 'must not be greater than 100%' },
    { name: 'progressDeadlineSeconds equal to minReadySeconds', mutate: (d: Obj) => Object.assign(d.spec, { minReadySeconds: 10, progressDeadlineSeconds: 10 }), field: 'spec.progressDeadlineSeconds', type: 'FieldValueInvalid', detail: 'must be greater than minReadySeconds' },
    { name: 'invalid name', mutate: (d: Obj) => (d.metadata.name = 'Kubia_1'), field: 'metadata.name', type: 'FieldValueInvalid', detail: expect.stringContaining('a lowercase RFC 1123 subdomain must consist of') },
    { name: 'missing image', mutate: (d: Obj) => delete d.spec.template.spec.containers[0].image, field: 'spec.template.spec.containers[0].image', type: 'FieldValueRequired', detail: '' },
    { name: 'no containers', mutate: (d: Obj) => (d.spec.template.spec.containers = []), field: 'spec.template.spec.containers', type: 'FieldValueRequired', detail: '' },
    {
      name: 'duplicate container name',
      mutate: (d: Obj) => d.spec.template.spec.containers.push({ name: 'nodejs', image: 'x' }),
      field: 'spec.template.spec.containers[1].name',
      type: 'FieldValueDuplicate',
      detail: '',
    },
    { name: 'container name not a DNS label', mutate: (d: Obj) => (d.spec.template.spec.containers[0].name = 'Node_JS'), field: 'spec.template.spec.containers[0].name', type: 'FieldValueInvalid', detail: expect.stringContaining('a lowercase RFC 1123 label') },
    { name: 'container port out of range', mutate: (d: Obj) => (d.spec.template.spec.containers[0].ports = [{ containerPort: 70000 }]), field: 'spec.template.spec.containers[0].ports[0].containerPort', type: 'FieldValueInvalid', detail: 'must be between 1 and 65535, inclusive' },
    { name: 'label value too long', mutate: (d: Obj) => (d.metadata.labels = { app: 'x'.repeat(64) }), field: 'metadata.labels', type: 'FieldValueInvalid', detail: 'must be no more than 63 characters' },
    { name: 'label key with bad prefix', mutate: (d: Obj) => (d.metadata.labels = { 'Bad_Prefix/app': 'x' }), field: 'metadata.labels', type: 'FieldValueInvalid', detail: expect.stringContaining('prefix part a lowercase RFC 1123 subdomain') },
  ])('$name', ({ mutate, field, type, detail }) => {
    // Prepare
    const body = newDeployment(mutate);
    // Act
    const errs = invalidErrors(() => admitV1(body));
    // Assess
    expect(errs).toContainEqual(expect.objectContaining({ field, type, detail }));
  });

  it('renders the kubectl message for a nil selector', () => {
    // Prepare
    const body = newDeployment((d) => delete d.spec.selector);
    // Act
    let err: InvalidError | undefined;
    try {
      admitV1(body);
    } catch (e) {
      err = e as InvalidError;
    }
    // Assess
    expect(err?.code).toBe(422);
    expect(err?.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: {"app":"kubia"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' },
    ]);
  });

  it.each([
    { name: 'revisionHistoryLimit 0 is fine', mutate: (d: Obj) => (d.spec.revisionHistoryLimit = 0) },
    { name: 'maxSurge 0 with maxUnavailable 1', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }) },
    { name: 'maxSurge above 100%', mutate: (d: Obj) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '200%' } }) },
    { name: 'Recreate without rollingUpdate', mutate: (d: Obj) => (d.spec.strategy = { type: 'Recreate' }) },
    { name: 'generateName without name', mutate: (d: Obj) => (d.metadata = { generateName: 'kubia-' }) },
    { name: 'matchExpressions selector', mutate: (d: Obj) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['kubia', 'x'] }] }) },
  ])('accepts: $name', ({ mutate }) => {
    // Prepare
    const body = newDeployment(mutate);
    // Act
    const { object } = admitV1(body);
    // Assess
    expect(object.kind).toBe('Deployment');
  });

  it.each([
    { name: 'apps/v1 selector change is rejected', version: 'v1', rejected: true },
    { name: 'apps/v1beta1 selector change is allowed', version: 'v1beta1', rejected: false },
  ])('$name', ({ version, rejected }) => {
    // Prepare
    const old = admitV1(newDeployment()).object;
    const body = newDeployment((d) => {
      d.apiVersion = `apps/${version}`;
      d.spec.selector = { matchLabels: { app: 'kubia', tier: 'web' } };
      d.spec.template.metadata.labels.tier = 'web';
    });
    // Act
    const act = () => admit({ resource: deployments, version, body, namespace: 'default', name: 'kubia', old });
    // Assess
    if (rejected) {
      expect(invalidErrors(act)).toContainEqual(expect.objectContaining({ field: 'spec.selector', type: 'FieldValueInvalid', detail: 'field is immutable' }));
    } else {
      expect(act().object.spec.selector.matchLabels).toEqual({ app: 'kubia', tier: 'web' });
    }
  });

  it('rejects a negative legacy rollbackTo.revision on spec.rollback.version', () => {
    // Prepare
    const body = newDeployment((d) => {
      d.apiVersion = 'apps/v1beta1';
      d.spec.rollbackTo = { revision: -1 };
    });
    // Act
    const errs = invalidErrors(() => admit({ resource: deployments, version: 'v1beta1', body, namespace: 'default' }));
    // Assess
    expect(errs).toContainEqual({ type: 'FieldValueInvalid', field: 'spec.rollback.version', value: -1, detail: 'must be greater than or equal to 0' });
  });
});

describe('Deployment status validation (§4.1)', () => {
  const base = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kubia', namespace: 'default' }, spec: {} } as KubeObject;
  it.each([
    { name: 'negative replicas', status: { replicas: -1 }, field: 'status.replicas', detail: 'must be greater than or equal to 0' },
    { name: 'negative observedGeneration', status: { observedGeneration: -1 }, field: 'status.observedGeneration', detail: 'must be greater than or equal to 0' },
    { name: 'negative unavailableReplicas', status: { unavailableReplicas: -1 }, field: 'status.unavailableReplicas', detail: 'must be greater than or equal to 0' },
    { name: 'updated above replicas', status: { replicas: 1, updatedReplicas: 2 }, field: 'status.updatedReplicas', detail: 'cannot be greater than status.replicas' },
    { name: 'ready above replicas', status: { replicas: 1, readyReplicas: 2, availableReplicas: 1 }, field: 'status.readyReplicas', detail: 'cannot be greater than status.replicas' },
    { name: 'available above replicas', status: { replicas: 1, readyReplicas: 1, availableReplicas: 2 }, field: 'status.availableReplicas', detail: 'cannot be greater than status.replicas' },
    { name: 'available above ready', status: { replicas: 3, readyReplicas: 1, availableReplicas: 2 }, field: 'status.availableReplicas', detail: 'cannot be greater than readyReplicas' },
    { name: 'collisionCount decremented', status: { collisionCount: 1 }, old: { collisionCount: 2 }, field: 'status.collisionCount', detail: 'cannot be decremented' },
  ])('$name', ({ status, old, field, detail }) => {
    // Prepare
    const newObj = { ...base, status };
    const oldObj = { ...base, status: old ?? {} };
    // Act
    const errs = invalidErrors(() => validateStatusUpdate(deployments, newObj, oldObj));
    // Assess
    expect(errs).toContainEqual(expect.objectContaining({ type: 'FieldValueInvalid', field, detail }));
  });

  it('accepts a consistent status', () => {
    // Prepare
    const newObj = { ...base, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 2, collisionCount: 2 } };
    // Act + Assess
    expect(() => validateStatusUpdate(deployments, newObj, { ...base, status: { collisionCount: 1 } })).not.toThrow();
  });
});

describe('Deployment defaulting (§4.2)', () => {
  const seed = {
    apiVersion: 'apps/v1beta1',
    kind: 'Deployment',
    metadata: { name: 'kubia' },
    spec: { replicas: 3, template: { metadata: { name: 'kubia', labels: { app: 'kubia' } }, spec: { containers: [{ image: 'luksa/kubia:v1', name: 'nodejs' }] } } },
  };

  it('stores the seed apps/v1beta1 manifest as a defaulted apps/v1 object', () => {
    // Act
    const { object, warnings } = admit({ resource: deployments, version: 'v1beta1', body: seed, namespace: 'default', fieldValidation: 'Strict' });
    // Assess
    expect(warnings).toEqual([]);
    expect(object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'kubia' } },
        template: {
          metadata: { name: 'kubia', labels: { app: 'kubia' } },
          spec: {
            containers: [
              { name: 'nodejs', image: 'luksa/kubia:v1', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} },
            ],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            securityContext: {},
            schedulerName: 'default-scheduler',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 2,
        progressDeadlineSeconds: 600,
      },
    });
  });

  it.each([
    { name: 'apps/v1 keeps 10 revisions', version: 'v1', revisionHistoryLimit: 10 },
    { name: 'apps/v1beta1 keeps 2 revisions', version: 'v1beta1', revisionHistoryLimit: 2 },
  ])('$name', ({ version, revisionHistoryLimit }) => {
    // Prepare
    const body = newDeployment((d) => (d.apiVersion = `apps/${version}`));
    // Act
    const { object } = admit({ resource: deployments, version, body, namespace: 'default' });
    // Assess
    expect(object.spec.revisionHistoryLimit).toBe(revisionHistoryLimit);
    expect(object.spec.replicas).toBe(3);
    expect(object.spec.progressDeadlineSeconds).toBe(600);
  });

  it.each([
    { name: 'fills only nil rollingUpdate values', strategy: { rollingUpdate: { maxSurge: 2 } }, want: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '25%' } } },
    { name: 'leaves Recreate alone', strategy: { type: 'Recreate' }, want: { type: 'Recreate' } },
  ])('strategy: $name', ({ strategy, want }) => {
    // Prepare
    const body = newDeployment((d) => (d.spec.strategy = strategy));
    // Act
    const { object } = admitV1(body);
    // Assess
    expect(object.spec.strategy).toEqual(want);
  });

  it.each([
    { name: 'untagged image', image: 'nginx', policy: 'Always' },
    { name: ':latest', image: 'nginx:latest', policy: 'Always' },
    { name: 'tagged image', image: 'nginx:1.25', policy: 'IfNotPresent' },
    { name: 'registry port, no tag', image: 'localhost:5000/nginx', policy: 'Always' },
    { name: 'digest only', image: 'nginx@sha256:abc', policy: 'IfNotPresent' },
  ])('imagePullPolicy for $name', ({ image, policy }) => {
    // Prepare
    const body = newDeployment((d) => (d.spec.template.spec.containers[0].image = image));
    // Act
    const { object } = admitV1(body);
    // Assess
    expect(object.spec.template.spec.containers[0].imagePullPolicy).toBe(policy);
  });

  it('defaults container port protocol to TCP', () => {
    // Prepare
    const body = newDeployment((d) => (d.spec.template.spec.containers[0].ports = [{ containerPort: 8080 }]));
    // Act
    const { object } = admitV1(body);
    // Assess
    expect(object.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
  });
});

describe('Deployment decoding', () => {
  it.each([
    { name: 'Strict rejects', fieldValidation: 'Strict' as const },
    { name: 'Warn warns', fieldValidation: 'Warn' as const },
    { name: 'Ignore drops silently', fieldValidation: 'Ignore' as const },
  ])('unknown fields: $name', ({ fieldValidation }) => {
    // Prepare
    const body = newDeployment((d) => {
      d.spec.foo = 1;
      d.spec.template.spec.containers[0].bar = 'x';
    });
    // Act
    const act = () => admit({ resource: deployments, version: 'v1', body, namespace: 'default', fieldValidation });
    // Assess
    if (fieldValidation === 'Strict') {
      expect(act).toThrow(BadRequestError);
      expect(act).toThrow('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].bar", unknown field "spec.foo"');
      return;
    }
    const { object, warnings } = act();
    expect(warnings).toEqual(fieldValidation === 'Warn' ? ['unknown field "spec.template.spec.containers[0].bar"', 'unknown field "spec.foo"'] : []);
    expect(object.spec.foo).toBeUndefined();
    expect(object.spec.template.spec.containers[0].bar).toBeUndefined();
  });

  it.each([
    { name: 'replicas as a string', mutate: (d: Obj) => (d.spec.replicas = 'three'), message: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32', field: 'spec.replicas' },
    { name: 'fractional replicas', mutate: (d: Obj) => (d.spec.replicas = 1.5), message: 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32', field: 'spec.replicas' },
    {
      name: 'image as a number',
      mutate: (d: Obj) => (d.spec.template.spec.containers[0].image = 7),
      message: 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
      field: 'spec.template.spec.containers[0].image',
    },
    { name: 'labels as a list', mutate: (d: Obj) => (d.metadata.labels = ['a']), message: 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string', field: 'metadata.labels' },
    { name: 'containers as an object', mutate: (d: Obj) => (d.spec.template.spec.containers = {}), message: 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container', field: 'spec.template.spec.containers' },
  ])('type error: $name → 400 naming the field', ({ mutate, message, field }) => {
    // Prepare
    const body = newDeployment(mutate);
    // Act
    let err: BadRequestError | undefined;
    try {
      admitV1(body);
    } catch (e) {
      err = e as BadRequestError;
    }
    // Assess
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err?.message).toBe(`Deployment in version "v1" cannot be handled as a Deployment: ${message}`);
    expect(err?.details?.causes?.[0]?.field).toBe(field);
  });

  it.each([
    { name: 'missing kind', mutate: (d: Obj) => delete d.kind, message: /^Object 'Kind' is missing in/ },
    { name: 'missing apiVersion', mutate: (d: Obj) => delete d.apiVersion, message: /^Object 'apiVersion' is missing in/ },
    { name: 'wrong kind', mutate: (d: Obj) => (d.kind = 'ReplicaSet'), message: 'the kind in the data (ReplicaSet) does not match the expected kind (Deployment)' },
    { name: 'unserved apiVersion', mutate: (d: Obj) => (d.apiVersion = 'apps/v1beta2'), message: 'the API version in the data (apps/v1beta2) does not match the expected API version (apps/v1)' },
    { name: 'namespace mismatch', mutate: (d: Obj) => (d.metadata.namespace = 'other'), message: 'the namespace of the provided object does not match the namespace sent on the request' },
  ])('400: $name', ({ mutate, message }) => {
    // Prepare
    const body = newDeployment(mutate);
    // Act + Assess
    expect(() => admitV1(body)).toThrow(BadRequestError);
    expect(() => admitV1(body)).toThrow(message);
  });

  it('400 when the name differs from the URL', () => {
    // Act + Assess
    expect(() => admit({ resource: deployments, version: 'v1', body: newDeployment(), namespace: 'default', name: 'other' })).toThrow(
      'the name of the object (kubia) does not match the name on the URL (other)',
    );
  });

  it('treats null fields as absent', () => {
    // Prepare
    const body = newDeployment((d) => {
      d.metadata.creationTimestamp = null;
      d.spec.minReadySeconds = null;
    });
    // Act
    const { object } = admitV1(body);
    // Assess
    expect(object.metadata).not.toHaveProperty('creationTimestamp');
    expect(object.spec).not.toHaveProperty('minReadySeconds');
  });

  it('rejects an object over 256 KiB with 422 TooLong on metadata', () => {
    // Prepare
    const body = newDeployment((d) => (d.spec.template.spec.containers[0].env = [1, 2, 3].map((i) => ({ name: `V${i}`, value: 'x'.repeat(100 * 1024) }))));
    // Act
    const errs = invalidErrors(() => admitV1(body));
    // Assess
    expect(errs).toEqual([{ type: 'FieldValueTooLong', field: 'metadata', detail: 'must have at most 262144 bytes' }]);
  });

  it('keeps a fully specified real-world manifest without unknown fields', () => {
    // Prepare
    const body = newDeployment((d) => {
      d.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
      d.spec.template.spec = {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            command: ['nginx'],
            args: ['-g', 'daemon off;'],
            workingDir: '/',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            envFrom: [{ configMapRef: { name: 'cfg' } }],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.1 } },
            volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
            livenessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 5 },
            readinessProbe: { tcpSocket: { port: 80 } },
            startupProbe: { exec: { command: ['true'] } },
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
            securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            stdin: false,
            tty: false,
          },
        ],
        initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
        volumes: [{ name: 'data', emptyDir: {} }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
        serviceAccountName: 'default',
        imagePullSecrets: [{ name: 'regcred' }],
        securityContext: { fsGroup: 2000 },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
        priorityClassName: 'high',
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo'] }],
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
      };
    });
    // Act
    const { object, warnings } = admit({ resource: deployments, version: 'v1', body, namespace: 'default', fieldValidation: 'Warn' });
    // Assess
    expect(warnings).toEqual([]);
    const c = object.spec.template.spec.containers[0];
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.securityContext).toEqual({ runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.env[1].valueFrom.fieldRef).toEqual({ fieldPath: 'metadata.name', apiVersion: 'v1' });
  });
});

describe('toVersion', () => {
  it('serves a stored apps/v1 Deployment as apps/v1beta1 and back', () => {
    // Prepare
    const { object } = admitV1(newDeployment());
    // Act
    const beta = toVersion(object, deployments, 'v1beta1');
    const v1 = toVersion(object, deployments, 'v1');
    // Assess
    expect(beta.apiVersion).toBe('apps/v1beta1');
    expect(beta.spec).toEqual(object.spec);
    expect(v1).toEqual(object);
  });

  it('carries the legacy rollbackTo through the stored annotation', () => {
    // Prepare
    const body = newDeployment((d) => {
      d.apiVersion = 'apps/v1beta1';
      d.spec.rollbackTo = { revision: 2 };
    });
    // Act
    const { object } = admit({ resource: deployments, version: 'v1beta1', body, namespace: 'default' });
    const beta = toVersion(object, deployments, 'v1beta1');
    // Assess
    expect(object.metadata.annotations).toEqual({ 'deprecated.deployment.rollback.to': '2' });
    expect(object.spec.rollbackTo).toBeUndefined();
    expect(beta.spec.rollbackTo).toEqual({ revision: 2 });
    expect(beta.metadata.annotations).toBeUndefined();
  });
});
