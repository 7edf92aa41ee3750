import { describe, expect, it } from 'vitest';
import type { KubeObject, LabelSelector, Pod } from '../k8s/types.js';
import { findResourceByKind, type ResourceInfo } from './resources.js';
import {
  columnDefinitions,
  formatLabelSelector,
  humanDuration,
  labelSelectorString,
  podSummary,
  tableVersion,
  toTable,
  wantsTable,
} from './tables.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const res = (kind: string): ResourceInfo => {
  const r = findResourceByKind(kind);
  if (!r) throw new Error(kind);
  return r;
};

const kubectlTableAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

function deployment(over: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kubia', namespace: 'default', uid: 'u1', resourceVersion: '1002', creationTimestamp: ago(33 * S), labels: { app: 'kubia' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'kubia' } },
      template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1' }] } },
      strategy: { type: 'RollingUpdate' },
    },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
    ...over,
  };
}

function pod(status: Record<string, unknown>, over: { deletionTimestamp?: string; spec?: Record<string, unknown> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kubia-abc', namespace: 'default', creationTimestamp: ago(5 * M), ...(over.deletionTimestamp ? { deletionTimestamp: over.deletionTimestamp } : {}) },
    spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v1' }], nodeName: 'node-1', ...over.spec },
    status: status as any,
  };
}

const running = { running: { startedAt: ago(4 * M) } };

describe('wantsTable / tableVersion', () => {
  it.each([
    { name: 'kubectl get Accept', accept: kubectlTableAccept, want: 'v1' },
    { name: 'v1beta1 only', accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json', want: 'v1beta1' },
    { name: 'params reordered with spaces', accept: 'application/json ; g=meta.k8s.io ; v=v1 ; as=Table', want: 'v1' },
    { name: 'plain json', accept: 'application/json', want: undefined },
    { name: 'json, */*', accept: 'application/json, */*', want: undefined },
    { name: 'protobuf,json (typed client)', accept: 'application/vnd.kubernetes.protobuf,application/json', want: undefined },
    { name: 'undefined', accept: undefined, want: undefined },
    { name: 'empty', accept: '', want: undefined },
    { name: 'plain json first wins', accept: 'application/json,application/json;as=Table;v=v1;g=meta.k8s.io', want: undefined },
    { name: 'wrong group', accept: 'application/json;as=Table;v=v1;g=example.com', want: undefined },
    { name: 'unknown version then v1', accept: 'application/json;as=Table;v=v9;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io', want: 'v1' },
    { name: 'q moves plain json ahead', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/json', want: undefined },
    { name: 'PartialObjectMetadata is not a Table', accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', want: undefined },
  ])('$name', ({ accept, want }) => {
    expect(tableVersion(accept)).toBe(want);
    expect(wantsTable(accept)).toBe(want !== undefined);
  });
});

describe('humanDuration', () => {
  it.each([
    { name: 'far future', ms: -2 * S, want: '<invalid>' },
    { name: 'slightly future', ms: -1500, want: '0s' },
    { name: 'zero', ms: 0, want: '0s' },
    { name: '33s', ms: 33 * S, want: '33s' },
    { name: '119s', ms: 119 * S + 999, want: '119s' },
    { name: '2m', ms: 2 * M, want: '2m' },
    { name: '5m2s', ms: 5 * M + 2 * S, want: '5m2s' },
    { name: '9m59s', ms: 10 * M - S, want: '9m59s' },
    { name: '10m', ms: 10 * M + 30 * S, want: '10m' },
    { name: '179m', ms: 3 * H - S, want: '179m' },
    { name: '3h', ms: 3 * H, want: '3h' },
    { name: '3h5m', ms: 3 * H + 5 * M, want: '3h5m' },
    { name: '7h59m', ms: 8 * H - S, want: '7h59m' },
    { name: '8h', ms: 8 * H + 30 * M, want: '8h' },
    { name: '47h', ms: 48 * H - S, want: '47h' },
    { name: '2d', ms: 48 * H, want: '2d' },
    { name: '2d3h', ms: 2 * D + 3 * H, want: '2d3h' },
    { name: '7d23h', ms: 8 * D - S, want: '7d23h' },
    { name: '8d', ms: 8 * D + 5 * H, want: '8d' },
    { name: '45d', ms: 45 * D, want: '45d' },
    { name: '729d', ms: 730 * D - S, want: '729d' },
    { name: '2y', ms: 730 * D, want: '2y' },
    { name: '3y10d', ms: 3 * 365 * D + 10 * D, want: '3y10d' },
    { name: '8y', ms: 8 * 365 * D + 100 * D, want: '8y' },
  ])('$name', ({ ms, want }) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('label selectors', () => {
  it.each<{ name: string; sel: LabelSelector | undefined; want: string | undefined; formatted: string }>([
    { name: 'matchLabels sorted by key', sel: { matchLabels: { pod: 'x', app: 'kubia' } }, want: 'app=kubia,pod=x', formatted: 'app=kubia,pod=x' },
    {
      name: 'RS selector with hash',
      sel: { matchLabels: { app: 'kubia', 'pod-template-hash': 'abc' } },
      want: 'app=kubia,pod-template-hash=abc',
      formatted: 'app=kubia,pod-template-hash=abc',
    },
    {
      name: 'expressions',
      sel: {
        matchLabels: { app: 'kubia' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
      want: 'app=kubia,!canary,env notin (prod),gpu,tier in (api,web)',
      formatted: 'app=kubia,!canary,env notin (prod),gpu,tier in (api,web)',
    },
    { name: 'empty', sel: {}, want: '', formatted: '<none>' },
    { name: 'nil', sel: undefined, want: '', formatted: '<none>' },
    { name: 'In without values is invalid', sel: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, want: undefined, formatted: '<error>' },
    { name: 'Exists with values is invalid', sel: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, want: undefined, formatted: '<error>' },
  ])('$name', ({ sel, want, formatted }) => {
    expect(labelSelectorString(sel)).toBe(want);
    expect(formatLabelSelector(sel)).toBe(formatted);
  });
});

describe('columnDefinitions', () => {
  const names = (kind: string, priority: number): string[] =>
    columnDefinitions(res(kind))
      .filter((c) => c.priority === priority)
      .map((c) => c.name);

  it.each([
    { name: 'Deployment', normal: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'], wide: ['Containers', 'Images', 'Selector'] },
    { name: 'ReplicaSet', normal: ['Name', 'Desired', 'Current', 'Ready', 'Age'], wide: ['Containers', 'Images', 'Selector'] },
    { name: 'Pod', normal: ['Name', 'Ready', 'Status', 'Restarts', 'Age'], wide: ['IP', 'Node', 'Nominated Node', 'Readiness Gates'] },
    { name: 'Namespace', normal: ['Name', 'Status', 'Age'], wide: [] },
    { name: 'Event', normal: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'], wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'] },
    { name: 'Secret', normal: ['Name', 'Type', 'Data', 'Age'], wide: [] },
    { name: 'Node', normal: ['Name', 'Status', 'Roles', 'Age', 'Version'], wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'] },
  ])('$name', ({ name, normal, wide }) => {
    expect(names(name, 0)).toEqual(normal);
    expect(names(name, 1)).toEqual(wide);
    for (const c of columnDefinitions(res(name))) {
      expect(Object.keys(c).sort()).toEqual(['description', 'format', 'name', 'priority', 'type']);
      expect(c.format).toBe(c.name === 'Name' ? 'name' : '');
    }
  });

  it('types follow upstream (RS counts integer, pod restarts string)', () => {
    const typeOf = (kind: string, col: string) => columnDefinitions(res(kind)).find((c) => c.name === col)?.type;
    expect(typeOf('ReplicaSet', 'Desired')).toBe('integer');
    expect(typeOf('Deployment', 'Up-to-date')).toBe('string');
    expect(typeOf('Pod', 'Restarts')).toBe('string');
  });
});

describe('toTable', () => {
  it('reproduces the contract deployment row', () => {
    const t = toTable(res('Deployment'), [deployment()], { now: NOW, resourceVersion: '1002' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '1002' });
    expect(t.columnDefinitions).toHaveLength(8);
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0].cells).toEqual(['kubia', '3/3', 3, 3, '33s', 'nodejs', 'luksa/kubia:v1', 'app=kubia']);
    expect(t.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: deployment().metadata,
    });
  });

  it.each([
    { name: 'Metadata (default)', include: undefined, check: (o: any) => expect(o.kind).toBe('PartialObjectMetadata') },
    { name: 'Object', include: 'Object' as const, check: (o: any) => expect(o).toEqual(deployment()) },
    { name: 'None', include: 'None' as const, check: (o: any) => expect(o).toBeNull() },
  ])('includeObject $name', ({ include, check }) => {
    const t = toTable(res('Deployment'), [deployment()], { now: NOW, includeObject: include });
    check(t.rows[0].object);
  });

  it('watch events after the first carry no column definitions; continue and v1beta1 are honoured', () => {
    const t = toTable(res('Deployment'), [deployment()], {
      now: NOW,
      withColumnDefinitions: false,
      continueToken: 'abc',
      resourceVersion: '7',
      version: 'v1beta1',
    });
    expect(t.columnDefinitions).toEqual([]);
    expect(t.metadata).toEqual({ resourceVersion: '7', continue: 'abc' });
    expect(t.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect((t.rows[0].object as any).apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('empty list', () => {
    const t = toTable(res('Pod'), [], { now: NOW, resourceVersion: '1' });
    expect(t.rows).toEqual([]);
    expect(t.columnDefinitions).toHaveLength(9);
  });

  it.each([
    {
      name: 'deployment rolling out, no status, missing timestamp',
      obj: deployment({ status: undefined, metadata: { name: 'x' } }),
      want: ['x', '0/3', 0, 0, '<unknown>', 'nodejs', 'luksa/kubia:v1', 'app=kubia'],
    },
    {
      name: 'deployment with two containers and expressions',
      obj: deployment({
        spec: {
          ...deployment().spec,
          selector: { matchLabels: { app: 'kubia' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
          template: { spec: { containers: [{ name: 'a', image: 'i1' }, { name: 'b', image: 'i2' }] } },
        },
        status: { replicas: 4, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 },
      }),
      want: ['kubia', '2/3', 1, 2, '33s', 'a,b', 'i1,i2', 'app=kubia,tier in (a,b)'],
    },
  ])('Deployment: $name', ({ obj, want }) => {
    expect(toTable(res('Deployment'), [obj], { now: NOW }).rows[0].cells).toEqual(want);
  });

  it('ReplicaSet row', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'kubia-5d8f', creationTimestamp: ago(3 * D + 2 * H) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'kubia', 'pod-template-hash': '5d8f' } },
        template: { spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v2' }] } },
      },
      status: { replicas: 3, readyReplicas: 1 },
    };
    expect(toTable(res('ReplicaSet'), [rs], { now: NOW }).rows[0].cells).toEqual([
      'kubia-5d8f', 3, 3, 1, '3d2h', 'nodejs', 'luksa/kubia:v2', 'app=kubia,pod-template-hash=5d8f',
    ]);
  });

  it('Pod row (wide cells and completion conditions)', () => {
    const p = pod({
      phase: 'Running',
      podIP: '10.0.0.7',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'nodejs', ready: true, restartCount: 0, state: running }],
    });
    const t = toTable(res('Pod'), [p], { now: NOW });
    expect(t.rows[0].cells).toEqual(['kubia-abc', '1/1', 'Running', '0', '5m', '10.0.0.7', 'node-1', '<none>', '<none>']);
    expect(t.rows[0].conditions).toBeUndefined();
    const done = toTable(res('Pod'), [pod({ phase: 'Succeeded' })], { now: NOW }).rows[0];
    expect(done.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    const gated = pod(
      { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }] },
      { spec: { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'other' }] } },
    );
    const cells = toTable(res('Pod'), [gated], { now: NOW }).rows[0].cells;
    expect(cells.slice(5)).toEqual(['<none>', 'node-1', '<none>', '1/2']);
  });

  it('Namespace, Secret and unknown-kind rows', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(45 * D) }, status: { phase: 'Active' } };
    expect(toTable(res('Namespace'), [ns], { now: NOW }).rows[0].cells).toEqual(['default', 'Active', '45d']);
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: ago(2 * H) }, type: 'Opaque', data: { a: 'eA==', b: 'eQ==' } };
    expect(toTable(res('Secret'), [secret], { now: NOW }).rows[0].cells).toEqual(['s', 'Opaque', 2, '120m']);
    const crd: ResourceInfo = { ...res('Secret'), kind: 'Widget', plural: 'widgets', singular: 'widget', group: 'example.com' };
    const w: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', creationTimestamp: ago(90 * S) } };
    const t = toTable(crd, [w], { now: NOW });
    expect(t.columnDefinitions.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Age', 'date', ''],
    ]);
    expect(t.rows[0].cells).toEqual(['w1', '90s']);
  });

  it.each([
    {
      name: 'scaling event',
      event: {
        involvedObject: { kind: 'Deployment', name: 'kubia', namespace: 'default' },
        reason: 'ScalingReplicaSet',
        message: 'Scaled up replica set kubia-5d8f from 0 to 3 ',
        source: { component: 'deployment-controller' },
        type: 'Normal',
        firstTimestamp: ago(10 * M),
        lastTimestamp: ago(40 * S),
        count: 2,
      },
      want: ['40s', 'Normal', 'ScalingReplicaSet', 'deployment/kubia', '', 'deployment-controller', 'Scaled up replica set kubia-5d8f from 0 to 3', '10m', 2, 'ev1'],
    },
    {
      name: 'new-style event with series and reporting fields',
      event: {
        involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{nodejs}' },
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        reportingController: 'kubelet',
        reportingInstance: 'node-1',
        type: 'Warning',
        eventTime: ago(20 * M),
        series: { count: 7, lastObservedTime: ago(5 * S) },
      },
      want: ['5s', 'Warning', 'BackOff', 'pod/p', 'spec.containers{nodejs}', 'kubelet, node-1', 'Back-off restarting failed container', '20m', 7, 'ev1'],
    },
    {
      name: 'no timestamps, no name, count defaults to 1',
      event: { involvedObject: { kind: 'Node' }, reason: 'X', type: 'Normal', message: 'm' },
      want: ['<unknown>', 'Normal', 'X', 'node', '', '', 'm', '<unknown>', 1, 'ev1'],
    },
  ])('Event: $name', ({ event, want }) => {
    const e: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev1', namespace: 'default' }, ...event };
    expect(toTable(res('Event'), [e], { now: NOW }).rows[0].cells).toEqual(want);
  });

  it.each([
    {
      name: 'ready worker',
      node: { metadata: { name: 'n1', creationTimestamp: ago(3 * H), labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Ubuntu', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.7' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } },
      want: ['n1', 'Ready', 'control-plane,worker', '3h', 'v1.32.0', '10.0.0.1', '<none>', 'Ubuntu', '6.1', 'containerd://1.7'],
    },
    {
      name: 'not ready, cordoned, legacy role label',
      node: { metadata: { name: 'n2', labels: { 'kubernetes.io/role': 'master' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      want: ['n2', 'NotReady,SchedulingDisabled', 'master', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    },
    {
      name: 'no conditions',
      node: { metadata: { name: 'n3' } },
      want: ['n3', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    },
  ])('Node: $name', ({ node, want }) => {
    const n = { apiVersion: 'v1', kind: 'Node', ...node } as KubeObject;
    expect(toTable(res('Node'), [n], { now: NOW }).rows[0].cells).toEqual(want);
  });
});

describe('pod status (printPod logic)', () => {
  const term = (over: Record<string, unknown>) => ({ terminated: { exitCode: 0, finishedAt: ago(30 * S), ...over } });
  it.each<{ name: string; p: Pod; want: { ready: string; status: string; restarts: string } }>([
    { name: 'pending, no statuses', p: pod({ phase: 'Pending' }), want: { ready: '0/1', status: 'Pending', restarts: '0' } },
    { name: 'no status at all', p: pod({}), want: { ready: '0/1', status: '', restarts: '0' } },
    {
      name: 'ContainerCreating',
      p: pod({ phase: 'Pending', containerStatuses: [{ name: 'nodejs', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      want: { ready: '0/1', status: 'ContainerCreating', restarts: '0' },
    },
    {
      name: 'CrashLoopBackOff with last restart time',
      p: pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'nodejs', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: term({ exitCode: 1, reason: 'Error', finishedAt: ago(75 * S) }) },
        ],
      }),
      want: { ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (75s ago)' },
    },
    {
      name: 'restarts without a known time print the number only',
      p: pod({ phase: 'Running', containerStatuses: [{ name: 'nodejs', ready: true, restartCount: 2, state: running }] }),
      want: { ready: '1/1', status: 'Running', restarts: '2' },
    },
    {
      name: 'two containers, one ready; first container decides the reason',
      p: pod(
        {
          phase: 'Running',
          containerStatuses: [
            { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
            { name: 'b', ready: true, restartCount: 1, state: running },
          ],
        },
        { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } },
      ),
      want: { ready: '1/2', status: 'ImagePullBackOff', restarts: '1' },
    },
    {
      name: 'Completed',
      p: pod({ phase: 'Succeeded', containerStatuses: [{ name: 'nodejs', ready: false, restartCount: 0, state: term({ reason: 'Completed' }) }] }),
      want: { ready: '0/1', status: 'Completed', restarts: '0' },
    },
    {
      name: 'terminated without reason shows exit code / signal',
      p: pod({ phase: 'Failed', containerStatuses: [{ name: 'nodejs', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] }),
      want: { ready: '0/1', status: 'Signal:9', restarts: '0' },
    },
    {
      name: 'Completed + running sidecar → NotReady',
      p: pod(
        {
          phase: 'Running',
          containerStatuses: [
            { name: 'a', ready: true, restartCount: 0, state: running },
            { name: 'b', ready: false, restartCount: 0, state: term({ reason: 'Completed' }) },
          ],
        },
        { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } },
      ),
      want: { ready: '1/2', status: 'NotReady', restarts: '0' },
    },
    {
      name: 'Terminating when deletionTimestamp set',
      p: pod({ phase: 'Running', containerStatuses: [{ name: 'nodejs', ready: true, restartCount: 0, state: running }] }, { deletionTimestamp: ago(S) }),
      want: { ready: '1/1', status: 'Terminating', restarts: '0' },
    },
    {
      name: 'deleted but already Succeeded keeps its reason',
      p: pod({ phase: 'Succeeded', containerStatuses: [{ name: 'nodejs', ready: false, restartCount: 0, state: term({ reason: 'Completed' }) }] }, { deletionTimestamp: ago(S) }),
      want: { ready: '0/1', status: 'Completed', restarts: '0' },
    },
    {
      name: 'NodeLost while deleting → Unknown',
      p: pod({ phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(S) }),
      want: { ready: '0/1', status: 'Unknown', restarts: '0' },
    },
    { name: 'status.reason overrides phase', p: pod({ phase: 'Failed', reason: 'Evicted' }), want: { ready: '0/1', status: 'Evicted', restarts: '0' } },
    {
      name: 'SchedulingGated',
      p: pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      want: { ready: '0/1', status: 'SchedulingGated', restarts: '0' },
    },
    {
      name: 'init container running → Init:0/1',
      p: pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: running }], containerStatuses: [{ name: 'nodejs', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] },
        { spec: { initContainers: [{ name: 'init', image: 'busybox' }] } },
      ),
      want: { ready: '0/1', status: 'Init:0/1', restarts: '0' },
    },
    {
      name: 'init container crash looping',
      p: pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
        { spec: { initContainers: [{ name: 'init', image: 'busybox' }] } },
      ),
      want: { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '3' },
    },
    {
      name: 'init container failed with exit code',
      p: pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] },
        { spec: { initContainers: [{ name: 'init', image: 'busybox' }] } },
      ),
      want: { ready: '0/1', status: 'Init:ExitCode:2', restarts: '0' },
    },
    {
      name: 'sidecar (restartable init container) counts toward READY',
      p: pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running }],
          containerStatuses: [{ name: 'nodejs', ready: true, restartCount: 0, state: running }],
        },
        { spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] } },
      ),
      want: { ready: '2/2', status: 'Running', restarts: '1' },
    },
  ])('$name', ({ p, want }) => {
    expect(podSummary(p, NOW)).toEqual(want);
  });
});
