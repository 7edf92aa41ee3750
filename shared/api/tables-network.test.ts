import { describe, expect, it } from 'vitest';
import { toTable } from './tables.js';
import { findResourceByKind } from './resources.js';
import { externalIP, formatEndpoints, formatSliceEndpoints, formatSlicePorts, makePortString } from './tables-network.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const created = '2026-01-01T00:00:00Z';
const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubia', creationTimestamp: created }, spec, status });

describe('Service printer', () => {
  it.each([
    ['ClusterIP', { type: 'ClusterIP' }, {}, '<none>'],
    ['ClusterIP with external IPs', { type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] }, {}, '1.2.3.4,5.6.7.8'],
    ['LoadBalancer pending', { type: 'LoadBalancer' }, {}, '<pending>'],
    ['LoadBalancer ingress', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'lb.example.com' }] } }, '9.9.9.9,lb.example.com'],
    ['LoadBalancer ingress and external', { type: 'LoadBalancer', externalIPs: ['1.1.1.1'] }, { loadBalancer: { ingress: [{ ip: '9.9.9.9' }] } }, '9.9.9.9,1.1.1.1'],
    ['ExternalName', { type: 'ExternalName', externalName: 'example.com' }, {}, 'example.com'],
    ['unknown type', { type: 'Weird' }, {}, '<unknown>'],
  ])('EXTERNAL-IP for %s', (_n, spec, status, want) => {
    expect(externalIP(svc(spec, status) as any)).toBe(want);
  });

  it.each([
    ['one port', [{ port: 80, protocol: 'TCP' }], '80/TCP'],
    ['node port', [{ port: 80, nodePort: 30080, protocol: 'TCP' }], '80:30080/TCP'],
    ['several', [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], '80/TCP,53/UDP'],
    ['none', [], ''],
  ])('PORT(S) for %s', (_n, ports, want) => {
    expect(makePortString(ports)).toBe(want);
  });

  it('prints the kubectl get svc row with a wide selector', () => {
    const t = toTable(findResourceByKind('Service')!, [svc({ type: 'ClusterIP', clusterIPs: ['10.96.3.4'], ports: [{ port: 80, protocol: 'TCP' }], selector: { version: 'v1', app: 'kubia' } }) as any], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    expect(t.columnDefinitions.at(-1)!.priority).toBe(1);
    expect(t.rows[0].cells).toEqual(['kubia', 'ClusterIP', '10.96.3.4', '<none>', '80/TCP', '10m', 'app=kubia,version=v1']);
  });

  it('prints a headless Service without ports or selector', () => {
    const t = toTable(findResourceByKind('Service')!, [svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }) as any], { now });
    expect(t.rows[0].cells).toEqual(['kubia', 'ClusterIP', 'None', '<none>', '<none>', '10m', '<none>']);
  });
});

describe('Endpoints printer', () => {
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));
  it.each([
    ['no subsets', [], '<none>'],
    ['one address', [{ addresses: addrs('10.244.0.1'), ports: [{ port: 8080 }] }], '10.244.0.1:8080'],
    ['three addresses', [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3'), ports: [{ port: 8080 }] }], '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080'],
    ['more than three', [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'), ports: [{ port: 8080 }] }], '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...'],
    ['two ports', [{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 443 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...'],
    ['headless without ports', [{ addresses: addrs('10.0.0.1') }], '10.0.0.1'],
    ['only not-ready addresses', [{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }], '<none>'],
  ])('%s', (_n, subsets, want) => {
    expect(formatEndpoints({ metadata: { name: 'x' }, subsets } as any)).toBe(want);
  });

  it('has the NAME, ENDPOINTS, AGE columns', () => {
    const t = toTable(findResourceByKind('Endpoints')!, [{ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubia', creationTimestamp: created } } as any], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Endpoints', 'Age']);
    expect(t.rows[0].cells).toEqual(['kubia', '<none>', '10m']);
  });
});

describe('EndpointSlice printer', () => {
  it.each([
    ['no ports', [], '<unset>'],
    ['numbered', [{ port: 8080 }, { port: 8443 }], '8080,8443'],
    ['named without number', [{ name: 'http' }], 'http'],
    ['neither', [{}], '*'],
    ['more than three', [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }], '1,2,3 + 1 more...'],
  ])('ports: %s', (_n, ports, want) => {
    expect(formatSlicePorts(ports)).toBe(want);
  });

  it.each([
    ['none', [], '<unset>'],
    ['two', [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }], '10.0.0.1,10.0.0.2'],
    ['five', [1, 2, 3, 4, 5].map((i) => ({ addresses: [`10.0.0.${i}`] })), '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...'],
  ])('endpoints: %s', (_n, endpoints, want) => {
    expect(formatSliceEndpoints(endpoints)).toBe(want);
  });

  it('has the NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE columns', () => {
    const t = toTable(findResourceByKind('EndpointSlice')!, [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubia-abcde', creationTimestamp: created }, addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.244.1.2'] }] } as any], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(t.rows[0].cells).toEqual(['kubia-abcde', 'IPv4', '8080', '10.244.1.2', '10m']);
  });
});
