import { describe, expect, it, beforeAll, inject } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, deploymentManifest, eventually, newTenant } from '../support/client.js';
import { createRuntime } from '../../shared/runtime.js';
import { findResourceByKind } from '../../shared/api/resources.js';
import { tombstoneKey } from '../../shared/store/keys.js';
import { collectGarbage } from '../../shared/controller/garbage-collector.js';
import { ConflictError } from '../../shared/errors.js';

const D = (ns = 'default') => `/apis/apps/v1/namespaces/${ns}/deployments`;

describe('Kubernetes object API on the local stack', () => {
  let token: string;
  beforeAll(async () => {
    ({ token } = await newTenant('api'));
  });

  it('serves health checks without a token and refuses the API without one', async () => {
    expect((await api('/readyz')).status).toBe(200);
    const res = await api('/apis/apps/v1/namespaces/default/deployments');
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
  });

  it('answers /version as a 1.32 server', async () => {
    const res = await api('/version', { token });
    expect(res.json).toMatchObject({ major: '1', minor: '32' });
  });

  it('creates a Deployment with defaults, gets it back, and refuses a duplicate', async () => {
    const res = await api(D(), { method: 'POST', token, body: deploymentManifest('create-me') });
    expect(res.status).toBe(201);
    const d = res.json;
    expect(d.metadata).toMatchObject({ name: 'create-me', namespace: 'default', generation: 1 });
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' });
    const got = await api(`${D()}/create-me`, { token });
    expect(got.json.metadata.uid).toBe(d.metadata.uid);
    const dup = await api(D(), { method: 'POST', token, body: deploymentManifest('create-me') });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ reason: 'AlreadyExists', message: 'deployments.apps "create-me" already exists' });
  });

  it('accepts YAML bodies and the seed apps/v1beta1 manifest unchanged', async () => {
    const yaml = `apiVersion: apps/v1beta1
kind: Deployment
metadata:
  name: kubia-beta
spec:
  replicas: 3
  template:
    metadata:
      name: kubia
      labels:
        app: kubia-beta
    spec:
      containers:
      - image: luksa/kubia:v1
        name: nodejs
`;
    const res = await api('/apis/apps/v1beta1/namespaces/default/deployments', { method: 'POST', token, body: yaml, contentType: 'application/yaml' });
    expect(res.status).toBe(201);
    const v1 = await api(`${D()}/kubia-beta`, { token });
    expect(v1.json.apiVersion).toBe('apps/v1');
    expect(v1.json.spec.selector).toEqual({ matchLabels: { app: 'kubia-beta' } });
  });

  it('rejects invalid objects with 422 and one cause per bad field, storing nothing', async () => {
    const bad = deploymentManifest('bad-one', { replicas: -1 });
    (bad.spec.template.metadata.labels as Record<string, string>) = { app: 'other' };
    const res = await api(D(), { method: 'POST', token, body: bad });
    expect(res.status).toBe(422);
    expect(res.json.reason).toBe('Invalid');
    const fields = res.json.details.causes.map((c: { field: string }) => c.field);
    expect(fields).toContain('spec.replicas');
    expect(fields).toContain('spec.template.metadata.labels');
    expect((await api(`${D()}/bad-one`, { token })).status).toBe(404);
  });

  it('gives 400 with the parser position for malformed JSON and YAML, and 413 for huge bodies', async () => {
    const json = await api(D(), { method: 'POST', token, body: '{"apiVersion": "apps/v1",\n "kind": ', contentType: 'application/json' });
    expect(json.status).toBe(400);
    expect(json.json.message).toMatch(/line 2/);
    const yaml = await api(D(), { method: 'POST', token, body: 'a: [1, 2\nb: }', contentType: 'application/yaml' });
    expect(yaml.status).toBe(400);
    expect(yaml.json.message).toMatch(/YAML/);
    const huge = await api(D(), { method: 'POST', token, body: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    const wrongType = await api(D(), { method: 'POST', token, body: 'hello', contentType: 'text/plain' });
    expect(wrongType.status).toBe(415);
  });

  it('replaces with PUT, bumps generation on spec change, and refuses a stale resourceVersion with 409', async () => {
    const created = (await api(D(), { method: 'POST', token, body: deploymentManifest('put-me') })).json;
    const next = { ...created, spec: { ...created.spec, replicas: 5 } };
    const put = await api(`${D()}/put-me`, { method: 'PUT', token, body: next });
    expect(put.status).toBe(200);
    expect(put.json.metadata.generation).toBe(2);
    expect(Number(put.json.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await api(`${D()}/put-me`, { method: 'PUT', token, body: { ...next, spec: { ...next.spec, replicas: 7 } } });
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe('Conflict');
    expect((await api(`${D()}/put-me`, { token })).json.spec.replicas).toBe(5);
  });

  it('patches with merge patch and JSON patch; a no-op patch keeps the resourceVersion', async () => {
    await api(D(), { method: 'POST', token, body: deploymentManifest('patch-me') });
    const merge = await api(`${D()}/patch-me`, { method: 'PATCH', token, body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
    expect(merge.json.spec.replicas).toBe(2);
    const json = await api(`${D()}/patch-me`, {
      method: 'PATCH',
      token,
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'luksa/kubia:v2' }],
      contentType: 'application/json-patch+json',
    });
    expect(json.json.spec.template.spec.containers[0].image).toBe('luksa/kubia:v2');
    const again = await api(`${D()}/patch-me`, { method: 'PATCH', token, body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
    expect(again.json.metadata.resourceVersion).toBe(json.json.metadata.resourceVersion);
    const badOp = await api(`${D()}/patch-me`, { method: 'PATCH', token, body: [{ op: 'replace', path: '/spec/nope/x', value: 1 }], contentType: 'application/json-patch+json' });
    expect(badOp.status).toBeGreaterThanOrEqual(400);
    expect(badOp.status).toBeLessThan(500);
  });

  it('never bumps generation on status writes, and serves the scale subresource', async () => {
    const created = (await api(D(), { method: 'POST', token, body: deploymentManifest('scale-me', { replicas: 1 }) })).json;
    const scale = await api(`${D()}/scale-me/scale`, { token });
    expect(scale.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { selector: 'app=scale-me' } });
    const patched = await api(`${D()}/scale-me/scale`, { method: 'PATCH', token, body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json' });
    expect(patched.json.spec.replicas).toBe(4);
    const d = (await api(`${D()}/scale-me`, { token })).json;
    expect(d.spec.replicas).toBe(4);
    expect(d.metadata.generation).toBe(created.metadata.generation + 1);
  });

  it('lists with label selectors, field selectors and paging', async () => {
    for (const [name, tier] of [['sel-a', 'web'], ['sel-b', 'web'], ['sel-c', 'db']]) {
      await api(D(), { method: 'POST', token, body: deploymentManifest(name, { labels: { app: name, tier } }) });
    }
    const web = await api(`${D()}?labelSelector=${encodeURIComponent('tier=web')}`, { token });
    expect(web.json.items.map((i: any) => i.metadata.name).sort()).toEqual(['sel-a', 'sel-b']);
    const notWeb = await api(`${D()}?labelSelector=${encodeURIComponent('tier!=web,tier')}`, { token });
    expect(notWeb.json.items.map((i: any) => i.metadata.name)).toEqual(['sel-c']);
    const inSet = await api(`${D()}?labelSelector=${encodeURIComponent('tier in (db,cache)')}`, { token });
    expect(inSet.json.items.map((i: any) => i.metadata.name)).toEqual(['sel-c']);
    const byName = await api(`${D()}?fieldSelector=${encodeURIComponent('metadata.name=sel-b')}`, { token });
    expect(byName.json.items.map((i: any) => i.metadata.name)).toEqual(['sel-b']);
    const bad = await api(`${D()}?labelSelector=${encodeURIComponent('tier in (db')}`, { token });
    expect(bad.status).toBe(400);
    const seen: string[] = [];
    let cont = '';
    do {
      const page = await api(`${D()}?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { token });
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((i: any) => i.metadata.name));
      cont = page.json.metadata.continue ?? '';
    } while (cont);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await api(D(), { token });
    expect(seen.sort()).toEqual(all.json.items.map((i: any) => i.metadata.name).sort());
  });

  it('garbage-collects owned ReplicaSets and pods when a Deployment is deleted', async () => {
    await api(D(), { method: 'POST', token, body: deploymentManifest('gc-me', { replicas: 2 }) });
    await eventually(async () => (await api(`/api/v1/namespaces/default/pods?labelSelector=app%3Dgc-me`, { token })).json.items.length === 2);
    const del = await api(`${D()}/gc-me`, { method: 'DELETE', token, body: { propagationPolicy: 'Background' } });
    expect(del.status).toBe(200);
    expect((await api(`${D()}/gc-me`, { token })).status).toBe(404);
    await eventually(async () => {
      const rs = await api(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dgc-me`, { token });
      const pods = await api(`/api/v1/namespaces/default/pods?labelSelector=app%3Dgc-me`, { token });
      return rs.json.items.length === 0 && pods.json.items.length === 0;
    });
  });

  it('orphans dependents with propagationPolicy Orphan', async () => {
    await api(D(), { method: 'POST', token, body: deploymentManifest('orphan-me', { replicas: 1 }) });
    await eventually(async () => (await api(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dorphan-me`, { token })).json.items.length === 1);
    // Deleted right after its ReplicaSet appears, while the controller is still writing
    // the Deployment's status: the delete must not lose that race with a 409.
    const del = await api(`${D()}/orphan-me`, { method: 'DELETE', token, body: { propagationPolicy: 'Orphan' } });
    expect(del.status).toBe(200);
    expect((await api(`${D()}/orphan-me`, { token })).status).toBe(404);
    const rs = (await api(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dorphan-me`, { token })).json.items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences ?? []).toHaveLength(0);
    // Released, not collected later as the dependent of a missing owner.
    await new Promise((r) => setTimeout(r, 1500));
    const later = (await api(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dorphan-me`, { token })).json.items;
    expect(later.map((r: any) => r.metadata.uid)).toEqual([rs[0].metadata.uid]);
  });

  it('finishes an Orphan deletion whose request died after marking the owner', async () => {
    const { name: tenant, token: t } = await newTenant('orphan-crash');
    await api(D(), { method: 'POST', token: t, body: deploymentManifest('half-orphaned', { replicas: 1 }) });
    await eventually(async () => (await api(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dhalf-orphaned`, { token: t })).json.items.length === 1);
    const rt = createRuntime({ tableName: 'rollway', controllerQueueUrl: inject('controllerQueueUrl'), region: 'us-east-1', dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint'), runtime: 'local' });
    const deployments = findResourceByKind('Deployment')!;
    // What the API request wrote before dying: the owner marked with the orphan
    // finalizer, and its tombstone, in one transaction.
    // (Retried like the API does: the controller may be writing the status meanwhile.)
    let uid = '';
    for (let attempt = 0; ; attempt++) {
      const owner = (await rt.store.get(tenant, deployments, 'default', 'half-orphaned'))!;
      uid = owner.metadata.uid!;
      const tombstone = { ...tombstoneKey(tenant, uid), entity: 'Tombstone', v: 1, mode: 'Orphan', ownerKind: 'Deployment', ownerNamespace: 'default', ownerName: 'half-orphaned' };
      try {
        await rt.store.update(tenant, deployments, { ...owner, metadata: { ...owner.metadata, deletionTimestamp: new Date().toISOString(), finalizers: ['orphan'] } }, owner, undefined, [tombstone]);
        break;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt > 20) throw err;
      }
    }
    const marked = await api(`${D()}/half-orphaned`, { token: t });
    expect(marked.json.metadata.finalizers).toEqual(['orphan']);
    // A second delete while marked is accepted and changes nothing.
    expect((await api(`${D()}/half-orphaned`, { method: 'DELETE', token: t })).status).toBe(202);

    await collectGarbage(rt, tenant, uid);
    expect((await api(`${D()}/half-orphaned`, { token: t })).status).toBe(404);
    const rs = (await api(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dhalf-orphaned`, { token: t })).json.items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences ?? []).toHaveLength(0);
    const left = await rt.store.client.send(new GetCommand({ TableName: 'rollway', Key: tombstoneKey(tenant, uid), ConsistentRead: true }));
    expect(left.Item).toBeUndefined();
  });

  it('creates in a missing namespace with 404, and supports generateName', async () => {
    const res = await api(D('nope'), { method: 'POST', token, body: deploymentManifest('x') });
    expect(res.status).toBe(404);
    const gen = await api('/api/v1/namespaces/default/secrets', { method: 'POST', token, body: { apiVersion: 'v1', kind: 'Secret', metadata: { generateName: 'sec-' }, stringData: { a: 'b' } } });
    expect(gen.status).toBe(201);
    expect(gen.json.metadata.name).toMatch(/^sec-[a-z0-9]{5}$/);
    expect(gen.json.data).toEqual({ a: Buffer.from('b').toString('base64') });
  });

  it('honours dryRun=All without writing', async () => {
    const res = await api(`${D()}?dryRun=All`, { method: 'POST', token, body: deploymentManifest('dry') });
    expect(res.status).toBe(201);
    expect((await api(`${D()}/dry`, { token })).status).toBe(404);
  });
});

describe('tenants and tokens', () => {
  it('isolates tenants on every verb, even with names and uids known', async () => {
    const a = await newTenant('iso-a');
    const b = await newTenant('iso-b');
    const created = (await api(D(), { method: 'POST', token: a.token, body: deploymentManifest('secret-app') })).json;
    expect((await api(`${D()}/secret-app`, { token: b.token })).status).toBe(404);
    expect((await api(D(), { token: b.token })).json.items).toEqual([]);
    expect((await api(`/apis/apps/v1/deployments`, { token: b.token })).json.items).toEqual([]);
    expect((await api(`${D()}/secret-app`, { method: 'PATCH', token: b.token, body: { spec: { replicas: 9 } }, contentType: 'application/merge-patch+json' })).status).toBe(404);
    expect((await api(`${D()}/secret-app`, { method: 'PUT', token: b.token, body: created })).status).toBe(404);
    expect((await api(`${D()}/secret-app`, { method: 'DELETE', token: b.token })).status).toBe(404);
    expect((await api(`${D()}/secret-app/scale`, { token: b.token })).status).toBe(404);
    expect((await api(`${D()}?fieldSelector=metadata.name%3Dsecret-app`, { token: b.token })).json.items).toEqual([]);
    // B's create of the same name is its own object.
    const bOwn = await api(D(), { method: 'POST', token: b.token, body: deploymentManifest('secret-app', { replicas: 1 }) });
    expect(bOwn.status).toBe(201);
    expect(bOwn.json.metadata.uid).not.toBe(created.metadata.uid);
    expect((await api(`${D()}/secret-app`, { token: a.token })).json.spec.replicas).toBe(3);
  });

  it('refuses tenant tokens on admin routes (403), unknown tokens (401), and revoked tokens at once', async () => {
    const t = await newTenant('tok');
    expect((await api('/admin/v1/tenants', { method: 'POST', token: t.token, body: { name: 'evil' } })).status).toBe(403);
    expect((await api('/admin/v1/tenants', { method: 'POST', token: 'nope', body: { name: 'evil' } })).status).toBe(401);
    const { inject } = await import('vitest');
    const admin = inject('adminToken');
    const extra = await api(`/admin/v1/tenants/${t.name}/tokens`, { method: 'POST', token: admin, body: { description: 'ci' } });
    expect(extra.status).toBe(201);
    expect((await api(D(), { token: extra.json.token })).status).toBe(200);
    const list = await api(`/admin/v1/tenants/${t.name}/tokens`, { token: admin });
    expect(list.json.items.map((i: { id: string }) => i.id)).toContain(extra.json.id);
    expect(JSON.stringify(list.json)).not.toContain(extra.json.token);
    expect((await api(`/admin/v1/tenants/${t.name}/tokens/${extra.json.id}`, { method: 'DELETE', token: admin })).status).toBe(200);
    expect((await api(D(), { token: extra.json.token })).status).toBe(401);
    expect((await api(D(), { token: t.token })).status).toBe(200);
  });

  it('returns a ready kubeconfig for a new tenant and rejects a bad tenant name', async () => {
    const t = await newTenant('kc');
    expect(t.kubeconfig).toContain('certificate-authority-data');
    expect(t.kubeconfig).toContain(t.token);
    const { inject } = await import('vitest');
    const bad = await api('/admin/v1/tenants', { method: 'POST', token: inject('adminToken'), body: { name: 'Bad_Name' } });
    expect(bad.status).toBe(422);
  });
});

describe('namespaces', () => {
  it('deleting a namespace deletes what is in it', async () => {
    const { token } = await newTenant('ns');
    expect((await api('/api/v1/namespaces', { method: 'POST', token, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } })).status).toBe(201);
    await api(D('team-a'), { method: 'POST', token, body: deploymentManifest('inside', { replicas: 1 }) });
    await eventually(async () => (await api('/api/v1/namespaces/team-a/pods', { token })).json.items.length === 1);
    expect((await api('/api/v1/namespaces/team-a', { method: 'DELETE', token })).status).toBe(200);
    await eventually(async () => {
      const d = await api(D('team-a'), { token });
      const rs = await api('/apis/apps/v1/namespaces/team-a/replicasets', { token });
      const pods = await api('/api/v1/namespaces/team-a/pods', { token });
      return d.json.items.length + rs.json.items.length + pods.json.items.length === 0;
    });
    // The default namespace of the same tenant is untouched.
    expect((await api('/api/v1/namespaces/default', { token })).status).toBe(200);
  });
});
