import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s/types.js';
import { compareIp, desiredEndpointSlices, desiredEndpoints, endpointsDiffer, resolveTargetPort, shouldPodBeInEndpoints, sliceDiffers, sliceName } from './endpoints-plan.js';

const svc = (spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'kubia', namespace: 'default', uid: 'svc-uid', ...(labels ? { labels } : {}) },
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: 'kubia', version: 'v1' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
});

interface PodOpts {
  ip?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  terminating?: boolean;
  phase?: string;
  restartPolicy?: string;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
}
const pod = (name: string, o: PodOpts = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'kubia', version: 'v1' }, ...(o.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'sim-node-1', restartPolicy: o.restartPolicy ?? 'Always', containers: [{ name: 'nodejs', image: 'luksa/kubia:v1', ports: o.ports }] },
  status: { phase: o.phase ?? 'Running', ...(o.ip === '' ? {} : { podIP: o.ip ?? '10.244.0.1' }), conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

const ips = (addrs: Array<{ ip: string }> | undefined) => (addrs ?? []).map((a) => a.ip);

describe('desiredEndpoints', () => {
  it.each([
    ['ready pods are addresses, sorted by IP', [pod('b', { ip: '10.244.0.10' }), pod('a', { ip: '10.244.0.9' })], ['10.244.0.9', '10.244.0.10'], []],
    ['a not-ready pod is a notReadyAddress', [pod('a', { ip: '10.244.0.1' }), pod('b', { ip: '10.244.0.2', ready: false })], ['10.244.0.1'], ['10.244.0.2']],
    ['pods the selector does not select are left out', [pod('a', { ip: '10.244.0.1' }), pod('b', { ip: '10.244.0.2', labels: { app: 'kubia', version: 'v2' } })], ['10.244.0.1'], []],
    ['pods without an IP are left out', [pod('a', { ip: '' })], [], []],
    ['terminating pods are left out', [pod('a', { terminating: true })], [], []],
    ['finished pods with restartPolicy Never are left out', [pod('a', { phase: 'Succeeded', restartPolicy: 'Never' })], [], []],
    ['failed pods with restartPolicy OnFailure stay', [pod('a', { phase: 'Failed', restartPolicy: 'OnFailure', ready: false })], [], ['10.244.0.1']],
  ])('%s', (_n, pods, ready, notReady) => {
    const ep = desiredEndpoints(svc(), pods);
    expect(ep.metadata).toMatchObject({ name: 'kubia', namespace: 'default' });
    const subsets = (ep.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }>; notReadyAddresses?: Array<{ ip: string }>; ports?: unknown[] }>;
    expect(subsets.flatMap((s) => ips(s.addresses))).toEqual(ready);
    expect(subsets.flatMap((s) => ips(s.notReadyAddresses))).toEqual(notReady);
    if (subsets.length) expect(subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    else expect(ep.subsets).toBeUndefined();
  });

  it('puts not-ready pods in addresses with publishNotReadyAddresses', () => {
    const ep = desiredEndpoints(svc({ publishNotReadyAddresses: true }), [pod('a', { ready: false })]);
    expect(ep.subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.0.1' })], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('fills the address with node name and target reference', () => {
    const ep = desiredEndpoints(svc(), [pod('a')]);
    expect((ep.subsets as any)[0].addresses[0]).toEqual({ ip: '10.244.0.1', nodeName: 'sim-node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } });
  });

  it('groups pods by the ports a named targetPort resolves to', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const ep = desiredEndpoints(s, [
      pod('a', { ip: '10.244.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', { ip: '10.244.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
      pod('c', { ip: '10.244.0.3', ports: [{ name: 'other', containerPort: 7070 }] }),
    ]);
    expect((ep.subsets as any[]).map((ss) => [ips(ss.addresses), ss.ports])).toEqual([
      [['10.244.0.1'], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
      [['10.244.0.2'], [{ name: 'http', port: 9090, protocol: 'TCP' }]],
    ]);
  });

  it('lists pods without ports for a headless Service without ports', () => {
    const ep = desiredEndpoints(svc({ clusterIP: 'None', ports: undefined }), [pod('a')]);
    expect(ep.subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.0.1' })] }]);
    expect(ep.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
  });

  it('copies the Service labels', () => {
    expect(desiredEndpoints(svc({}, { app: 'kubia' }), []).metadata.labels).toEqual({ app: 'kubia' });
  });
});

describe('desiredEndpointSlices', () => {
  it('keeps one placeholder slice when no pod is selected', () => {
    const [s, ...rest] = desiredEndpointSlices(svc(), []);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ addressType: 'IPv4', endpoints: [], ports: [] });
    expect(s.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubia', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'kubia', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  });

  it.each([
    ['ready', { ready: true }, { ready: true, serving: true, terminating: false }],
    ['not ready', { ready: false }, { ready: false, serving: false, terminating: false }],
    ['terminating and ready', { ready: true, terminating: true }, { ready: false, serving: true, terminating: true }],
    ['terminating, not ready', { ready: false, terminating: true }, { ready: false, serving: false, terminating: true }],
  ])('conditions of a %s pod', (_n, o, conditions) => {
    const [s] = desiredEndpointSlices(svc(), [pod('a', o)]);
    expect(s.endpoints).toEqual([{ addresses: ['10.244.0.1'], conditions, targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' }, nodeName: 'sim-node-1' }]);
    expect(s.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
  });

  it('splits more than 100 endpoints over several slices with stable names', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${i}`, { ip: `10.244.${Math.floor(i / 200)}.${(i % 200) + 1}` }));
    const slices = desiredEndpointSlices(svc(), pods);
    expect(slices.map((s) => (s.endpoints as unknown[]).length)).toEqual([100, 50]);
    expect(new Set(slices.map((s) => s.metadata.name)).size).toBe(2);
    expect(desiredEndpointSlices(svc(), pods).map((s) => s.metadata.name)).toEqual(slices.map((s) => s.metadata.name));
  });

  it('names slices <service>-<5 characters>', () => {
    expect(sliceName(svc(), '', 0)).toMatch(/^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(sliceName(svc(), '', 0)).not.toBe(sliceName(svc(), 'x', 0));
  });
});

describe('change detection', () => {
  it('sees no change between an Endpoints object and the same desired state', () => {
    const d = desiredEndpoints(svc(), [pod('a')]);
    const stored = { ...d, metadata: { ...d.metadata, uid: 'u', resourceVersion: '5', creationTimestamp: 'x' } };
    expect(endpointsDiffer(stored, desiredEndpoints(svc(), [pod('a')]))).toBe(false);
    expect(endpointsDiffer(stored, desiredEndpoints(svc(), [pod('a', { ready: false })]))).toBe(true);
  });

  it('sees no change between a slice and the same desired state', () => {
    const [d] = desiredEndpointSlices(svc(), [pod('a')]);
    const stored = { ...d, metadata: { ...d.metadata, uid: 'u', resourceVersion: '5' } };
    expect(sliceDiffers(stored, desiredEndpointSlices(svc(), [pod('a')])[0])).toBe(false);
    expect(sliceDiffers(stored, desiredEndpointSlices(svc(), [pod('a', { ready: false })])[0])).toBe(true);
  });
});

describe('helpers', () => {
  it.each([
    ['number', { port: 80, targetPort: 8080 }, undefined, 8080],
    ['defaults to port', { port: 80 }, undefined, 80],
    ['named', { port: 80, targetPort: 'web', protocol: 'TCP' }, [{ name: 'web', containerPort: 9000 }], 9000],
    ['named, wrong protocol', { port: 80, targetPort: 'web', protocol: 'UDP' }, [{ name: 'web', containerPort: 9000 }], undefined],
    ['named, missing', { port: 80, targetPort: 'web' }, [], undefined],
  ])('resolveTargetPort: %s', (_n, sp, ports, want) => {
    expect(resolveTargetPort(sp, pod('a', { ports }))).toBe(want);
  });

  it.each([
    ['numeric order', '10.0.0.9', '10.0.0.10', -1],
    ['equal', '10.0.0.1', '10.0.0.1', 0],
    ['first octet wins', '11.0.0.0', '10.255.255.255', 1],
  ])('compareIp: %s', (_n, a, b, sign) => {
    expect(Math.sign(compareIp(a, b))).toBe(sign);
  });

  it('shouldPodBeInEndpoints includes terminating pods only when asked', () => {
    expect(shouldPodBeInEndpoints(pod('a', { terminating: true }), false)).toBe(false);
    expect(shouldPodBeInEndpoints(pod('a', { terminating: true }), true)).toBe(true);
  });
});
