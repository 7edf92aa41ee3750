import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type * as K8s from '@kubernetes/client-node';
import { api, eventually, newTenant } from '../support/client.js';
import { loadClientNode } from './client-node-loader.js';

/**
 * The seed's flow through the official JavaScript client, @kubernetes/client-node
 * (v2, fetch-based, object-parameter API), against a fresh tenant: create,
 * patch, list, and an informer that follows the rollout.
 */

const loaded = await loadClientNode();
if (loaded.note) console.warn(`client-node: ${loaded.note}`);
const k8s = loaded.k8s as typeof K8s;

const NS = 'default';
let kc: K8s.KubeConfig;
let apps: K8s.AppsV1Api;
let core: K8s.CoreV1Api;
let token: string;
const informers: Array<{ stop(): Promise<void> }> = [];

function kubia(name: string, image = 'luksa/kubia:v1', replicas = 3): K8s.V1Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'nodejs', image }] } } },
  };
}

const complete = (d: K8s.V1Deployment | undefined, image: string) =>
  !!d &&
  d.status?.observedGeneration === d.metadata?.generation &&
  d.spec?.template.spec?.containers[0].image === image &&
  d.status?.updatedReplicas === d.spec?.replicas &&
  d.status?.replicas === d.spec?.replicas &&
  d.status?.availableReplicas === d.spec?.replicas;

beforeAll(async () => {
  token = (await newTenant('client-node-wire')).token;
  if (!loaded.k8s) return;
  const tenant = await newTenant('client-node');
  kc = new k8s.KubeConfig();
  kc.loadFromString(tenant.kubeconfig);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  for (const i of informers) await i.stop().catch(() => undefined);
});

describe.skipIf(!loaded.k8s)('@kubernetes/client-node against Rollway', () => {
  it('reads the version and the namespaces', async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version).toMatchObject({ major: '1', minor: '32' });
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('default');
  });

  it('creates a Deployment, follows its rollout with an informer, patches it and sees the second rollout', async () => {
    const informer = k8s.makeInformer(kc, `/apis/apps/v1/namespaces/${NS}/deployments`, () => apps.listNamespacedDeployment({ namespace: NS }));
    informers.push(informer);
    const seen: Array<{ verb: 'add' | 'update' | 'delete'; obj: K8s.V1Deployment }> = [];
    const errors: unknown[] = [];
    informer.on('add', (obj) => seen.push({ verb: 'add', obj }));
    informer.on('update', (obj) => seen.push({ verb: 'update', obj }));
    informer.on('delete', (obj) => seen.push({ verb: 'delete', obj }));
    informer.on('error', (err) => errors.push(err));
    await informer.start();

    const created = await apps.createNamespacedDeployment({ namespace: NS, body: kubia('kubia') });
    expect(created.metadata).toMatchObject({ name: 'kubia', namespace: NS, generation: 1 });
    expect(created.spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });

    // ADDED, then MODIFIED events until the rollout is complete.
    await eventually(async () => complete(informer.get('kubia', NS), 'luksa/kubia:v1'), 30_000);
    expect(seen.filter((e) => e.obj.metadata?.name === 'kubia')[0]?.verb).toBe('add');
    expect(seen.filter((e) => e.verb === 'update').length).toBeGreaterThan(0);
    expect(informer.list(NS).map((d) => d.metadata?.name)).toEqual(['kubia']);

    // Merge patch (the seed's change of image), through the Content-Type middleware.
    const mark = seen.length;
    const patched = await apps.patchNamespacedDeployment(
      { name: 'kubia', namespace: NS, body: { spec: { template: { spec: { containers: [{ name: 'nodejs', image: 'luksa/kubia:v2' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.generation).toBe(2);
    expect(patched.spec?.template.spec?.containers).toHaveLength(1);
    expect(patched.spec?.template.spec?.containers[0]).toMatchObject({ name: 'nodejs', image: 'luksa/kubia:v2' });
    await eventually(async () => complete(informer.get('kubia', NS), 'luksa/kubia:v2'), 30_000);
    const updates = seen.slice(mark).filter((e) => e.verb === 'update');
    expect(updates.length).toBeGreaterThan(1);
    // Versions only move forward.
    const rvs = updates.map((e) => Number(e.obj.metadata?.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    expect(informer.get('kubia', NS)?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    const merge = await apps.patchNamespacedDeployment(
      { name: 'kubia', namespace: NS, body: { spec: { replicas: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merge.spec?.replicas).toBe(2);
    const json = await apps.patchNamespacedDeployment(
      { name: 'kubia', namespace: NS, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(json.spec?.replicas).toBe(3);
    expect(errors).toEqual([]);
  });

  it('lists Deployments, ReplicaSets and pods, and reads the scale subresource', async () => {
    const list = await apps.listNamespacedDeployment({ namespace: NS });
    expect(list.items.map((d) => d.metadata?.name)).toEqual(['kubia']);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    const sets = await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: 'app=kubia' });
    expect(sets.items).toHaveLength(2);
    for (const rs of sets.items) expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'kubia', controller: true });
    await eventually(async () => (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=kubia' })).items.filter((p) => p.status?.phase === 'Running').length === 3, 30_000);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'kubia', namespace: NS });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { selector: 'app=kubia' } });
  });

  it('server-side apply through the apply-patch Content-Type', async () => {
    const applied = await apps.patchNamespacedDeployment(
      { name: 'applied', namespace: NS, body: kubia('applied', 'luksa/kubia:v1', 1), fieldManager: 'client-node', force: true },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    expect(applied.metadata?.name).toBe('applied');
    expect(applied.spec?.replicas).toBe(1);
  });

  it('deletes with a body (propagationPolicy) and the informer sees the DELETED event', async () => {
    const informer = k8s.makeInformer(kc, `/apis/apps/v1/namespaces/${NS}/deployments`, () => apps.listNamespacedDeployment({ namespace: NS }));
    informers.push(informer);
    const deleted: string[] = [];
    informer.on('delete', (obj) => deleted.push(obj.metadata!.name!));
    await informer.start();
    await apps.deleteNamespacedDeployment({ name: 'applied', namespace: NS, body: { propagationPolicy: 'Foreground' } });
    await eventually(async () => deleted.includes('applied'), 30_000);
    await apps.deleteNamespacedDeployment({ name: 'kubia', namespace: NS, body: { propagationPolicy: 'Background' } });
    await eventually(async () => deleted.includes('kubia'), 30_000);
    await eventually(async () => (await apps.listNamespacedReplicaSet({ namespace: NS })).items.length === 0, 30_000);
    await expect(apps.readNamespacedDeployment({ name: 'kubia', namespace: NS })).rejects.toMatchObject({ code: 404 });
  });
});

describe('HTTP details clients depend on', () => {
  it('a watch answers its headers at once, before any event', async () => {
    const list = await api('/apis/apps/v1/namespaces/default/deployments', { token });
    const rv = list.json.metadata.resourceVersion;
    const base = new URL(inject('apiUrl'));
    const started = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: base.hostname, port: base.port, path: `/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=${rv}&timeoutSeconds=30`, ca: inject('caPem'), headers: { authorization: `Bearer ${token}` } },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      req.end();
    });
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a DELETE whose body is sent chunked (no Content-Length) is read', async () => {
    const created = await api('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', token, body: kubia('chunked', 'luksa/kubia:v1', 1) });
    expect(created.status).toBe(201);
    const base = new URL(inject('apiUrl'));
    const res = await new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method: 'DELETE',
          path: '/apis/apps/v1/namespaces/default/deployments/chunked',
          ca: inject('caPem'),
          // Node's client sends a DELETE body unframed unless told: say chunked explicitly.
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (r) => {
          let text = '';
          r.on('data', (c) => (text += String(c)));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
        },
      );
      req.on('error', reject);
      req.write('{"propagationPolicy":');
      req.write('"Background","dryRun":["All"]}');
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await api('/apis/apps/v1/namespaces/default/deployments/chunked', { token })).status).toBe(200);
  });
});
