import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { api, eventually, newTenant } from '../support/client.js';
import { openWatch, type WatchEvent } from '../support/watch.js';

const run = promisify(execFile);
const PODS = '/api/v1/namespaces/default/pods';
const SVC = '/api/v1/namespaces/default/services';
const EP = '/api/v1/namespaces/default/endpoints';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';

/** A tenant with its own kubeconfig and a fresh kubectl cache directory. */
async function kubectlTenant(prefix: string) {
  const t = await newTenant(prefix);
  const dir = mkdtempSync(join(tmpdir(), 'rollway-svc-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, t.kubeconfig);
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
  const kubectl = async (args: string[], stdin?: string): Promise<string> => {
    const child = run('kubectl', args, { env, timeout: 60_000 });
    if (stdin !== undefined) {
      child.child.stdin!.write(stdin);
      child.child.stdin!.end();
    }
    const { stdout } = await child;
    return stdout;
  };
  return { ...t, kubectl };
}

function deploymentYaml(name: string, version: string, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: kubia, version: ${version}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: kubia, version: ${version}}
  template:
    metadata:
      labels: {app: kubia, version: ${version}}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:${version}
        ports: [{containerPort: 8080}]
`;
}

const sorted = (xs: string[]) => [...xs].sort();
const readyIps = (ep: any): string[] => sorted((ep?.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip)));
const notReadyIps = (ep: any): string[] => sorted((ep?.subsets ?? []).flatMap((s: any) => (s.notReadyAddresses ?? []).map((a: any) => a.ip)));
const isReady = (p: any) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** The IPs of the ready pods of one version. */
async function versionIps(token: string, version: string, want: number): Promise<string[]> {
  return eventually(async () => {
    const pods = (await api(`${PODS}?labelSelector=${encodeURIComponent(`app=kubia,version=${version}`)}`, { token })).json.items;
    const ready = pods.filter(isReady);
    return ready.length === want && pods.length === want ? sorted(ready.map((p: any) => p.status.podIP)) : undefined;
  }, 60_000, 200);
}

async function endpointsEqual(token: string, ips: string[]): Promise<any> {
  return eventually(async () => {
    const ep = (await api(`${EP}/kubia`, { token })).json;
    return JSON.stringify(readyIps(ep)) === JSON.stringify(ips) ? ep : undefined;
  }, 30_000, 100);
}

/** Watches the `kubia` Endpoints and keeps every observed state. */
async function watchEndpoints(token: string): Promise<{ states: WatchEvent[]; close: () => void }> {
  const states: WatchEvent[] = [];
  const close = await openWatch(`${EP}?watch=true&fieldSelector=${encodeURIComponent('metadata.name=kubia')}`, token, (e) => states.push(e));
  return { states, close };
}

describe('Services and endpoints: blue-green through the real kubectl', () => {
  it('switches a Service from v1 to v2 by selector without a moment of empty endpoints', async () => {
    const { token, kubectl } = await kubectlTenant('bluegreen');
    await kubectl(['apply', '-f', '-'], deploymentYaml('kubia-v1', 'v1'));
    await kubectl(['apply', '-f', '-'], deploymentYaml('kubia-v2', 'v2'));
    expect(await kubectl(['expose', 'deployment', 'kubia-v1', '--name=kubia', '--port=80', '--target-port=8080'])).toContain('service/kubia exposed');

    const svc = (await api(`${SVC}/kubia`, { token })).json;
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'kubia', version: 'v1' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' });
    expect(svc.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);

    const v1 = await versionIps(token, 'v1', 2);
    const v2 = await versionIps(token, 'v2', 2);
    const ep1 = await endpointsEqual(token, v1);
    expect(ep1.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(ep1.subsets[0].addresses[0].targetRef).toMatchObject({ kind: 'Pod', namespace: 'default' });

    const get = await kubectl(['get', 'svc', 'kubia', '-o', 'wide']);
    expect(get).toMatch(/NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR/);
    expect(get).toContain(`kubia   ClusterIP   ${svc.spec.clusterIP}`);
    expect(get).toMatch(/80\/TCP\s+\S+\s+app=kubia,version=v1/);

    // Switch: every observed state of the Endpoints lists exactly v1 or exactly v2 as ready.
    const w = await watchEndpoints(token);
    try {
      await eventually(async () => w.states.length > 0);
      expect(await kubectl(['patch', 'service', 'kubia', '-p', '{"spec":{"selector":{"app":"kubia","version":"v2"}}}'])).toContain('service/kubia patched');
      await endpointsEqual(token, v2);
      await eventually(async () => w.states.some((e) => JSON.stringify(readyIps(e.object)) === JSON.stringify(v2)));
      expect(await kubectl(['set', 'selector', 'service', 'kubia', 'app=kubia,version=v1'])).toContain('selector updated');
      await endpointsEqual(token, v1);
      expect(await kubectl(['set', 'selector', 'service', 'kubia', 'app=kubia,version=v2'])).toContain('selector updated');
      await endpointsEqual(token, v2);
      await eventually(async () => JSON.stringify(readyIps(w.states.at(-1)?.object)) === JSON.stringify(v2));
    } finally {
      w.close();
    }
    for (const e of w.states) {
      expect(e.type === 'ADDED' || e.type === 'MODIFIED').toBe(true);
      const ips = JSON.stringify(readyIps(e.object));
      expect([JSON.stringify(v1), JSON.stringify(v2)]).toContain(ips);
    }
    expect(new Set(w.states.map((e) => JSON.stringify(readyIps(e.object)))).size).toBe(2);

    const eps = await kubectl(['get', 'endpoints', 'kubia']);
    for (const ip of v2) expect(eps).toContain(`${ip}:8080`);
    const describe = await kubectl(['describe', 'svc', 'kubia']);
    expect(describe).toMatch(/Selector:\s+app=kubia,version=v2/);
    expect(describe).toMatch(new RegExp(`IP:\\s+${svc.spec.clusterIP.replace(/\./g, '\\.')}`));
    for (const ip of v2) expect(describe).toContain(`${ip}:8080`);

    // EndpointSlices, as a fleet agent reads them: by the service-name label.
    const slices = (await api(`${SLICES}?labelSelector=${encodeURIComponent('kubernetes.io/service-name=kubia')}`, { token })).json.items;
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }] });
    expect(slices[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Service', name: 'kubia', uid: svc.metadata.uid, controller: true });
    expect(sorted(slices[0].endpoints.map((e: any) => e.addresses[0]))).toEqual(v2);
    expect(slices[0].endpoints.every((e: any) => e.conditions.ready && e.conditions.serving && !e.conditions.terminating)).toBe(true);

    // A pod that stops being ready leaves the ready set (its IP moves to notReadyAddresses).
    const v2pods = (await api(`${PODS}?labelSelector=${encodeURIComponent('version=v2')}`, { token })).json.items;
    const victim = v2pods[0];
    const res = await api(`${PODS}/${victim.metadata.name}/status`, {
      method: 'PATCH',
      token,
      contentType: 'application/strategic-merge-patch+json',
      body: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    });
    expect(res.status).toBe(200);
    const stillReady = v2.filter((ip) => ip !== victim.status.podIP);
    const ep2 = await endpointsEqual(token, stillReady);
    expect(notReadyIps(ep2)).toEqual([victim.status.podIP]);
    await eventually(async () => {
      const [s] = (await api(`${SLICES}?labelSelector=${encodeURIComponent('kubernetes.io/service-name=kubia')}`, { token })).json.items;
      const e = s.endpoints.find((x: any) => x.addresses[0] === victim.status.podIP);
      return e && e.conditions.ready === false && e.conditions.serving === false;
    });
    await api(`${PODS}/${victim.metadata.name}/status`, { method: 'PATCH', token, contentType: 'application/strategic-merge-patch+json', body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } } });
    await endpointsEqual(token, v2);

    // Deleting the old version leaves the v2 endpoints untouched.
    const w2 = await watchEndpoints(token);
    try {
      await eventually(async () => w2.states.length > 0);
      await kubectl(['delete', 'deployment', 'kubia-v1']);
      await eventually(async () => (await api(`${PODS}?labelSelector=${encodeURIComponent('version=v1')}`, { token })).json.items.length === 0, 30_000);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      w2.close();
    }
    expect(w2.states.map((e) => e.type)).toEqual(['ADDED']);
    expect(readyIps((await api(`${EP}/kubia`, { token })).json)).toEqual(v2);

    // A rollout to an image that never becomes ready: the new pod is listed, but not as ready.
    await kubectl(['set', 'image', 'deployment', 'kubia-v2', 'nodejs=luksa/kubia:never-ready']);
    const ep3 = await eventually(async () => {
      const ep = (await api(`${EP}/kubia`, { token })).json;
      return notReadyIps(ep).length === 1 ? ep : undefined;
    });
    expect(readyIps(ep3)).toEqual(v2);
    expect(v2).not.toContain(notReadyIps(ep3)[0]);

    // Deleting the Service takes its Endpoints and EndpointSlices with it.
    expect(await kubectl(['delete', 'svc', 'kubia'])).toContain('service "kubia" deleted');
    await eventually(async () => (await api(`${EP}/kubia`, { token })).status === 404);
    await eventually(async () => (await api(`${SLICES}?labelSelector=${encodeURIComponent('kubernetes.io/service-name=kubia')}`, { token })).json.items.length === 0);
  });

  it('creates Services with kubectl create service (protobuf), NodePort and headless, and rejects bad ones', async () => {
    const { token, kubectl } = await kubectlTenant('svccreate');
    expect(await kubectl(['create', 'service', 'clusterip', 'web', '--tcp=5678:8080'])).toContain('service/web created');
    expect(await kubectl(['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'])).toContain('service/np created');
    expect(await kubectl(['create', 'service', 'clusterip', 'hl', '--clusterip=None'])).toContain('service/hl created');
    const web = (await api(`${SVC}/web`, { token })).json;
    expect(web.spec).toMatchObject({ selector: { app: 'web' }, ports: [{ name: '5678-8080', port: 5678, targetPort: 8080, protocol: 'TCP' }] });
    const np = (await api(`${SVC}/np`, { token })).json;
    expect(np.spec.ports[0].nodePort).toBe(30080);
    const hl = (await api(`${SVC}/hl`, { token })).json;
    expect(hl.spec.clusterIP).toBe('None');
    const table = await kubectl(['get', 'svc']);
    expect(table).toMatch(/np\s+NodePort\s+10\.96\.\S+\s+<none>\s+80:30080\/TCP/);
    expect(table).toMatch(/hl\s+ClusterIP\s+None\s+<none>\s+<none>/);

    // Taken node port and cluster IP: 422 with the upstream wording.
    await expect(kubectl(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', '--node-port=30080'])).rejects.toThrow(/provided port is already allocated/);
    await expect(kubectl(['create', 'service', 'clusterip', 'dup', '--tcp=80', `--clusterip=${web.spec.clusterIP}`])).rejects.toThrow(/provided IP is already allocated/);
    await expect(kubectl(['create', 'service', 'clusterip', 'far', '--tcp=80', '--clusterip=192.168.1.1'])).rejects.toThrow(/not in the valid range/);
    const bad = await api(SVC, { method: 'POST', token, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: 0 }], type: 'Magic' } } });
    expect(bad.status).toBe(422);
    expect(bad.json.details.causes.map((c: any) => c.field)).toEqual(expect.arrayContaining(['spec.type', 'spec.ports[0].port']));
    const noPorts = await api(SVC, { method: 'POST', token, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'noports' }, spec: { selector: { app: 'x' } } } });
    expect(noPorts.status).toBe(422);
    expect(noPorts.json.message).toContain('spec.ports: Required value');

    // The cluster IP survives a PUT that leaves it out, and may not change.
    const { clusterIP: _c, clusterIPs: _cs, ...specWithoutIp } = web.spec;
    const put = await api(`${SVC}/web`, { method: 'PUT', token, body: { ...web, spec: { ...specWithoutIp, selector: { app: 'web2' } } } });
    expect(put.status).toBe(200);
    expect(put.json.spec.clusterIP).toBe(web.spec.clusterIP);
    const change = await api(`${SVC}/web`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: { spec: { clusterIP: '10.96.0.77', clusterIPs: ['10.96.0.77'] } } });
    expect(change.status).toBe(422);
    expect(change.json.message).toContain('may not change once set');
  });

  it('allocates distinct cluster IPs under concurrency, and one requested IP to one Service only', async () => {
    const { token } = await newTenant('svcalloc');
    const body = (name: string, clusterIP?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...(clusterIP ? { clusterIP } : {}) } });
    const created = await Promise.all(Array.from({ length: 16 }, (_, i) => api(SVC, { method: 'POST', token, body: body(`s${i}`) })));
    expect(created.map((r) => r.status)).toEqual(Array(16).fill(201));
    const ips = created.map((r) => r.json.spec.clusterIP);
    expect(new Set(ips).size).toBe(16);
    const same = await Promise.all(Array.from({ length: 6 }, (_, i) => api(SVC, { method: 'POST', token, body: body(`same${i}`, '10.96.7.7') })));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    expect(same.filter((r) => r.status === 422)).toHaveLength(5);
  });

  it('keeps tenants’ Services and endpoints apart', async () => {
    const a = await kubectlTenant('svca');
    const b = await kubectlTenant('svcb');
    await a.kubectl(['apply', '-f', '-'], deploymentYaml('kubia-v1', 'v1', 1));
    await a.kubectl(['expose', 'deployment', 'kubia-v1', '--name=kubia', '--port=80', '--target-port=8080']);
    await b.kubectl(['create', 'service', 'clusterip', 'kubia', '--tcp=80:8080']);
    const aIps = await versionIps(a.token, 'v1', 1);
    await endpointsEqual(a.token, aIps);
    // b's Service selects app=kubia too, but a's pods are not b's: its endpoints stay empty.
    await new Promise((r) => setTimeout(r, 500));
    const bEp = (await api(`${EP}/kubia`, { token: b.token })).json;
    expect(readyIps(bEp)).toEqual([]);
    expect(notReadyIps(bEp)).toEqual([]);
    expect((await api(`${SVC}`, { token: b.token })).json.items.map((s: any) => s.spec.selector)).toEqual([{ app: 'kubia' }]);
    expect(await b.kubectl(['get', 'endpointslices', '-o', 'name'])).not.toContain('kubia-v1');
    await b.kubectl(['delete', 'svc', 'kubia']);
    expect((await api(`${SVC}/kubia`, { token: a.token })).status).toBe(200);
    expect(readyIps((await api(`${EP}/kubia`, { token: a.token })).json)).toEqual(aIps);
  });
});
