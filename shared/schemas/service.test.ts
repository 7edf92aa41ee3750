import { describe, expect, it } from 'vitest';
import { defaultService, validateService } from './service.js';
import { validateEndpoints } from './endpoints.js';
import { defaultEndpointSlice, validateEndpointSlice } from './endpoint-slice.js';

const meta = { name: 'kubia', namespace: 'default' };
const svc = (spec: Record<string, unknown>, name = 'kubia') => {
  const s: Record<string, any> = { apiVersion: 'v1', kind: 'Service', metadata: { ...meta, name }, spec };
  defaultService(s);
  return s;
};
const fields = (errs: Array<{ field: string; type: string }>) => errs.map((e) => `${e.field}:${e.type}`);

describe('defaultService', () => {
  it('applies the Kubernetes defaults to a ClusterIP Service', () => {
    expect(svc({ selector: { app: 'kubia' }, ports: [{ port: 80 }] }).spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      selector: { app: 'kubia' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it.each([
    ['NodePort gets externalTrafficPolicy Cluster', { type: 'NodePort', ports: [{ port: 80 }] }, { externalTrafficPolicy: 'Cluster' }],
    ['LoadBalancer allocates node ports', { type: 'LoadBalancer', ports: [{ port: 80 }] }, { allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster' }],
    ['ClientIP affinity gets a timeout', { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }],
    ['clusterIP fills clusterIPs', { clusterIP: '10.96.0.9', ports: [{ port: 80 }] }, { clusterIPs: ['10.96.0.9'] }],
    ['a named targetPort stays', { ports: [{ port: 80, targetPort: 'http' }] }, { ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] }],
  ])('%s', (_n, spec, want) => {
    expect(svc(spec).spec).toMatchObject(want);
  });

  it('leaves ExternalName Services without families or traffic policy', () => {
    const s = svc({ type: 'ExternalName', externalName: 'example.com' }).spec;
    expect(s.ipFamilies).toBeUndefined();
    expect(s.ipFamilyPolicy).toBeUndefined();
    expect(s.internalTrafficPolicy).toBeUndefined();
  });
});

describe('validateService', () => {
  it.each([
    ['a plain ClusterIP Service', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] }, []],
    ['a headless Service without ports', { clusterIP: 'None', selector: { app: 'kubia' } }, []],
    ['an ExternalName Service', { type: 'ExternalName', externalName: 'example.com' }, []],
    ['no ports', { selector: { app: 'kubia' } }, ['spec.ports:FieldValueRequired']],
    ['port 0 (targetPort defaults to it)', { ports: [{ port: 0 }] }, ['spec.ports[0].port:FieldValueInvalid', 'spec.ports[0].targetPort:FieldValueInvalid']],
    ['port 70000 (targetPort defaults to it)', { ports: [{ port: 70000 }] }, ['spec.ports[0].port:FieldValueInvalid', 'spec.ports[0].targetPort:FieldValueInvalid']],
    ['port 70000 with a valid targetPort', { ports: [{ port: 70000, targetPort: 8080 }] }, ['spec.ports[0].port:FieldValueInvalid']],
    ['bad protocol', { ports: [{ port: 80, protocol: 'HTTP' }] }, ['spec.ports[0].protocol:FieldValueNotSupported']],
    ['two ports without names', { ports: [{ port: 80 }, { port: 81 }] }, ['spec.ports[0].name:FieldValueRequired', 'spec.ports[1].name:FieldValueRequired']],
    ['duplicate port names', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }, ['spec.ports[1].name:FieldValueDuplicate']],
    ['duplicate port and protocol', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, ['spec.ports[1]:FieldValueDuplicate']],
    ['targetPort out of range', { ports: [{ port: 80, targetPort: 70000 }] }, ['spec.ports[0].targetPort:FieldValueInvalid']],
    ['bad targetPort name', { ports: [{ port: 80, targetPort: 'Not_A_Name' }] }, ['spec.ports[0].targetPort:FieldValueInvalid']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ['spec.ports[0].nodePort:FieldValueForbidden']],
    ['unknown type', { type: 'Magic', ports: [{ port: 80 }] }, ['spec.type:FieldValueNotSupported']],
    ['bad session affinity', { sessionAffinity: 'Sticky', ports: [{ port: 80 }] }, ['spec.sessionAffinity:FieldValueNotSupported']],
    ['bad cluster IP', { clusterIP: '10.96.0.300', ports: [{ port: 80 }] }, ['spec.clusterIPs[0]:FieldValueInvalid']],
    ['IPv6 family', { ipFamilies: ['IPv6'], ports: [{ port: 80 }] }, ['spec.ipFamilies[0]:FieldValueInvalid']],
    ['RequireDualStack', { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }, ['spec.ipFamilyPolicy:FieldValueInvalid']],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }, ['spec.clusterIPs[0]:FieldValueInvalid']],
    ['ExternalName without a name', { type: 'ExternalName' }, ['spec.externalName:FieldValueRequired']],
    ['ExternalName with a cluster IP', { type: 'ExternalName', externalName: 'example.com', clusterIP: '10.96.0.5' }, ['spec.clusterIPs:FieldValueForbidden']],
    ['externalTrafficPolicy on ClusterIP', { externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }, ['spec.externalTrafficPolicy:FieldValueInvalid']],
    ['bad internalTrafficPolicy', { internalTrafficPolicy: 'Nearby', ports: [{ port: 80 }] }, ['spec.internalTrafficPolicy:FieldValueNotSupported']],
    ['bad selector value', { selector: { app: 'no spaces' }, ports: [{ port: 80 }] }, ['spec.selector:FieldValueInvalid']],
  ])('%s', (_n, spec, want) => {
    expect(fields(validateService(svc(spec), undefined))).toEqual(want);
  });

  it('wants DNS-1035 names', () => {
    expect(fields(validateService(svc({ ports: [{ port: 80 }] }, '1kubia'), undefined))).toEqual(['metadata.name:FieldValueInvalid']);
  });

  it.each([
    ['keeping the cluster IP', { clusterIP: '10.96.0.5', ports: [{ port: 80 }] }, []],
    ['leaving it empty (the allocated one is kept)', { ports: [{ port: 80 }] }, []],
    ['changing it', { clusterIP: '10.96.0.6', ports: [{ port: 80 }] }, ['spec.clusterIPs[0]:FieldValueInvalid']],
  ])('update: %s', (_n, spec, want) => {
    const old = svc({ clusterIP: '10.96.0.5', ports: [{ port: 80 }] });
    expect(fields(validateService(svc(spec), old as any))).toEqual(want);
  });

  it('drops the cluster IP and families when the type becomes ExternalName', () => {
    const old = svc({ clusterIP: '10.96.0.5', ports: [{ port: 80 }] });
    const next = JSON.parse(JSON.stringify(old));
    next.spec.type = 'ExternalName';
    next.spec.externalName = 'example.com';
    expect(validateService(next, old as any)).toEqual([]);
    expect(next.spec.clusterIP).toBeUndefined();
    expect(next.spec.ipFamilies).toBeUndefined();
  });
});

describe('Endpoints and EndpointSlice validation', () => {
  it.each([
    ['valid', [{ addresses: [{ ip: '10.244.0.1' }], ports: [{ port: 8080, protocol: 'TCP' }] }], []],
    ['no addresses', [{ ports: [{ port: 8080, protocol: 'TCP' }] }], ['subsets[0]:FieldValueRequired']],
    ['bad IP', [{ addresses: [{ ip: 'nope' }], ports: [{ port: 8080, protocol: 'TCP' }] }], ['subsets[0].addresses[0].ip:FieldValueInvalid']],
    ['bad port', [{ addresses: [{ ip: '10.244.0.1' }], ports: [{ port: 0, protocol: 'TCP' }] }], ['subsets[0].ports[0].port:FieldValueInvalid']],
  ])('Endpoints: %s', (_n, subsets, want) => {
    expect(fields(validateEndpoints({ metadata: meta, subsets }))).toEqual(want);
  });

  it.each([
    ['valid', { addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.1'] }], ports: [{ port: 8080 }] }, []],
    ['no address type', { endpoints: [] }, ['addressType:FieldValueRequired']],
    ['unknown address type', { addressType: 'IPX' }, ['addressType:FieldValueNotSupported']],
    ['endpoint without addresses', { addressType: 'IPv4', endpoints: [{ addresses: [] }] }, ['endpoints[0].addresses:FieldValueRequired']],
    ['IPv6 address in an IPv4 slice', { addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1'] }] }, ['endpoints[0].addresses[0]:FieldValueInvalid']],
  ])('EndpointSlice: %s', (_n, body, want) => {
    const es: Record<string, any> = { metadata: { name: 'kubia-abcde', namespace: 'default' }, ...body };
    defaultEndpointSlice(es);
    expect(fields(validateEndpointSlice(es, undefined))).toEqual(want);
  });

  it('keeps the address type of a slice immutable', () => {
    const es = { metadata: { name: 's', namespace: 'default' }, addressType: 'IPv6' };
    expect(fields(validateEndpointSlice(es, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4' }))).toEqual(['addressType:FieldValueInvalid']);
  });
});
