import { describe, expect, it } from 'vitest';
import { allocatableIp, allocatablePort, firstFree, heldValues, intToIp, ipAt, ipOffset, ipToInt, parseCidr, patchAllocatedValues, RESERVED_IP_OFFSETS } from './service-allocation.js';

describe('IP arithmetic', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.96.0.0', 10 * 2 ** 24 + 96 * 2 ** 16],
    ['10.96.1.2', 10 * 2 ** 24 + 96 * 2 ** 16 + 258],
    ['255.255.255.255', 2 ** 32 - 1],
  ])('%s ↔ %d', (ip, n) => {
    expect(ipToInt(ip)).toBe(n);
    expect(intToIp(n)).toBe(ip);
  });

  it.each([
    ['10.96.0.0/16', ipToInt('10.96.0.0'), 65536],
    ['10.96.5.7/16', ipToInt('10.96.0.0'), 65536],
    ['192.168.1.0/24', ipToInt('192.168.1.0'), 256],
  ])('parseCidr %s', (cidr, base, size) => {
    expect(parseCidr(cidr)).toEqual({ base, size });
  });

  it.each([
    ['first usable', '10.96.0.2', 2, true],
    ['kubernetes.default is reserved', '10.96.0.1', 1, false],
    ['network address', '10.96.0.0', 0, false],
    ['broadcast address', '10.96.255.255', 65535, false],
    ['last usable', '10.96.255.254', 65534, true],
    ['outside', '10.97.0.1', undefined, false],
    ['below', '10.95.255.255', undefined, false],
    ['not an IP', '10.96.0', undefined, false],
    ['leading zero', '10.96.0.010', undefined, false],
  ])('%s: %s', (_n, ip, offset, ok) => {
    expect(ipOffset(ip)).toBe(offset);
    expect(allocatableIp(ip)).toBe(ok);
    if (offset !== undefined) expect(ipAt(offset)).toBe(ip);
  });

  it('reserves exactly three offsets', () => {
    expect([...RESERVED_IP_OFFSETS].sort((a, b) => a - b)).toEqual([0, 1, 65535]);
  });
});

describe('node ports', () => {
  it.each([
    [29999, false],
    [30000, true],
    [32767, true],
    [32768, false],
    [30000.5, false],
  ])('%d allocatable: %s', (p, ok) => {
    expect(allocatablePort(p)).toBe(ok);
  });
});

describe('firstFree', () => {
  it.each([
    ['start free', [], 5, 5],
    ['skips taken', [5, 6], 5, 7],
    ['wraps around', [9, 10], 9, 1],
    ['full', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, undefined],
  ])('%s', (_n, taken, start, want) => {
    expect(firstFree(new Set(taken), 1, 10, start)).toBe(want);
  });
});

describe('heldValues and patchAllocatedValues', () => {
  it.each([
    ['cluster IP', { type: 'ClusterIP', clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] }, ['10.96.0.5'], []],
    ['headless', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }, [], []],
    ['node ports and health check', { type: 'LoadBalancer', clusterIPs: ['10.96.0.5'], ports: [{ nodePort: 30001 }, { nodePort: 30002 }], healthCheckNodePort: 30003 }, ['10.96.0.5'], [30001, 30002, 30003]],
    ['ExternalName', { type: 'ExternalName', clusterIP: '10.96.0.5' }, [], []],
    ['nothing', undefined, [], []],
  ])('heldValues: %s', (_n, spec, ips, ports) => {
    expect(heldValues(spec)).toEqual({ ips, ports });
  });

  it('keeps the allocated cluster IP and node ports an update leaves out', () => {
    const old = { spec: { type: 'NodePort', clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }, { port: 81, protocol: 'TCP', nodePort: 30081 }] } };
    const next = { spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }, { port: 82, protocol: 'TCP' }] } };
    patchAllocatedValues(next, old);
    expect(next.spec).toEqual({ type: 'NodePort', clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }, { port: 82, protocol: 'TCP' }] });
  });

  it('does not carry the cluster IP into an ExternalName Service', () => {
    const next: Record<string, any> = { spec: { type: 'ExternalName', externalName: 'example.com' } };
    patchAllocatedValues(next, { spec: { type: 'ClusterIP', clusterIP: '10.96.0.5' } });
    expect(next.spec.clusterIP).toBeUndefined();
  });
});
