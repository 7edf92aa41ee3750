import { beforeAll, describe, expect, inject, it } from 'vitest';
import { resources, apiVersionOf, type ResourceInfo } from '../../shared/api/resources.js';
import { api, deploymentManifest, eventually, newTenant, type HttpResponse } from '../support/client.js';
import { openWatch, type WatchEvent } from '../support/watch.js';

/**
 * Tenant isolation on every route: for every served kind (read from the
 * resource registry, so a new kind is covered by default), its subresources,
 * lists with selectors and continue tokens, watches, admin routes and the
 * webhooks mount, tenant B's token can neither read, change nor learn about
 * tenant A's objects; a refused request looks exactly like one for a name
 * that never existed; revoked tokens are refused at once.
 */

type Tenant = Awaited<ReturnType<typeof newTenant>>;

const NS = 'default';

function base(r: ResourceInfo, ns: string | undefined = NS): string {
  const prefix = r.group ? `/apis/${r.group}/${r.versions[0]}` : `/api/${r.versions[0]}`;
  return r.namespaced && ns ? `${prefix}/namespaces/${ns}/${r.plural}` : `${prefix}/${r.plural}`;
}

/** A valid object of each kind, owned by tenant A; kinds without a builder get a bare object. */
function manifestFor(r: ResourceInfo, name: string): Record<string, unknown> {
  const apiVersion = apiVersionOf(r.group, r.versions[0]);
  const meta = { name, labels: { secret: 'a-only', app: name } };
  const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'registry.local/a:1' }] } };
  switch (r.kind) {
    case 'Deployment':
      return { ...deploymentManifest(name, { replicas: 1, labels: { app: name } }), metadata: meta };
    case 'ReplicaSet':
      return { apiVersion, kind: r.kind, metadata: meta, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template } };
    case 'Pod':
      return { apiVersion, kind: r.kind, metadata: meta, spec: template.spec };
    case 'Namespace':
      return { apiVersion, kind: r.kind, metadata: meta };
    case 'Node':
      return { apiVersion, kind: r.kind, metadata: meta, spec: {} };
    case 'Event':
      return { apiVersion, kind: r.kind, metadata: { ...meta, namespace: NS }, involvedObject: { kind: 'Pod', name: 'x', namespace: NS }, reason: 'Test', message: 'a-only secret message', type: 'Normal' };
    case 'Secret':
      return { apiVersion, kind: r.kind, metadata: meta, type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } };
    case 'Service':
      return { apiVersion, kind: r.kind, metadata: meta, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
    case 'Endpoints':
      return { apiVersion, kind: r.kind, metadata: meta, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] };
    case 'EndpointSlice':
      return { apiVersion, kind: r.kind, metadata: meta, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] };
    case 'ImageTrigger':
      return { apiVersion, kind: r.kind, metadata: meta, spec: { deploymentName: 'web', containerName: 'c', source: 'generic', repository: 'registry.local/a', secretRef: { name: 'hook', key: 'token' } } };
    case 'Notifier':
      return { apiVersion, kind: r.kind, metadata: meta, spec: { url: 'https://hooks.example.invalid/a', events: ['RolloutComplete'] } };
    default:
      return { apiVersion, kind: r.kind, metadata: meta };
  }
}

/** Strips the name from a Status so that answers for two names compare equal. */
function shape(res: HttpResponse, name: string): unknown {
  const j = res.json ?? {};
  return { status: res.status, kind: j.kind, reason: j.reason, code: j.code, message: String(j.message ?? '').split(name).join('<name>'), details: { ...j.details, name: j.details?.name === name ? '<name>' : j.details?.name } };
}

let a: Tenant;
let b: Tenant;
/** A's objects by kind: name, uid, resourceVersion, or why A could not create one. */
const aObjects = new Map<string, { name: string; uid?: string; rv?: string; createStatus: number }>();
const unique = `iso-${Date.now().toString(36)}`;

beforeAll(async () => {
  a = await newTenant('iso2-a');
  b = await newTenant('iso2-b');
  for (const r of resources) {
    const name = `${unique}-${r.singular}`.slice(0, 60);
    const res = await api(base(r), { method: 'POST', token: a.token, body: manifestFor(r, name) });
    aObjects.set(r.kind, { name, uid: res.json?.metadata?.uid, rv: res.json?.metadata?.resourceVersion, createStatus: res.status });
  }
  // Let the controllers settle A's objects before anything is compared.
  await eventually(async () => (await api(`${base(resources.find((r) => r.kind === 'Deployment')!)}/${aObjects.get('Deployment')!.name}`, { token: a.token })).json?.status?.availableReplicas === 1, 60_000, 200);
});

describe('tenant isolation for every served kind', () => {
  it('creates one object of every kind for tenant A (so every kind below is checked against a real object)', () => {
    const failed = [...aObjects].filter(([, o]) => o.createStatus !== 201).map(([k, o]) => `${k}: ${o.createStatus}`);
    expect(failed).toEqual([]);
  });

  it.each(resources.map((r) => [r.kind, r]))('%s: B cannot get, list, select, change or delete A’s object, and learns nothing from the answer', async (_kind, r) => {
    const o = aObjects.get(r.kind)!;
    const never = `${unique}-never-${r.singular}`.slice(0, 60);
    const path = `${base(r)}/${o.name}`;
    const neverPath = `${base(r)}/${never}`;
    const mergeBody = { metadata: { labels: { pwned: 'yes' } } };
    const attempts: Array<[string, (p: string, name: string) => Promise<HttpResponse>]> = [
      ['get', (p) => api(p, { token: b.token })],
      ['get as table', (p) => api(p, { token: b.token, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })],
      ['put', (p, name) => api(p, { method: 'PUT', token: b.token, body: { ...manifestFor(r, name), metadata: { name, uid: o.uid, resourceVersion: o.rv } } })],
      ['merge patch', (p) => api(p, { method: 'PATCH', token: b.token, body: mergeBody, contentType: 'application/merge-patch+json' })],
      ['strategic patch', (p) => api(p, { method: 'PATCH', token: b.token, body: mergeBody, contentType: 'application/strategic-merge-patch+json' })],
      ['json patch', (p) => api(p, { method: 'PATCH', token: b.token, body: [{ op: 'add', path: '/metadata/labels/pwned', value: 'yes' }], contentType: 'application/json-patch+json' })],
      ['delete', (p) => api(p, { method: 'DELETE', token: b.token })],
      ['delete with uid precondition', (p) => api(p, { method: 'DELETE', token: b.token, body: { preconditions: { uid: o.uid } } })],
      ['dry-run delete', (p) => api(`${p}?dryRun=All`, { method: 'DELETE', token: b.token })],
    ];
    for (const sub of r.subresources) {
      attempts.push([`get ${sub}`, (p) => api(`${p}/${sub}`, { token: b.token })]);
      attempts.push([`merge patch ${sub}`, (p) => api(`${p}/${sub}`, { method: 'PATCH', token: b.token, body: sub === 'scale' ? { spec: { replicas: 7 } } : { status: { phase: 'Hacked' } }, contentType: 'application/merge-patch+json' })]);
      attempts.push([`put ${sub}`, (p, name) => api(`${p}/${sub}`, { method: 'PUT', token: b.token, body: sub === 'scale' ? { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace: NS }, spec: { replicas: 7 } } : { ...manifestFor(r, name), status: { phase: 'Hacked' } } })]);
    }
    for (const [verb, send] of attempts) {
      const onA = await send(path, o.name);
      const onNever = await send(neverPath, never);
      expect.soft(onA.status, `${r.kind} ${verb}`).toBe(404);
      expect.soft(shape(onA, o.name), `${r.kind} ${verb}: the answer must look like one for a name that never existed`).toEqual(shape(onNever, never));
      if (o.uid) expect.soft(onA.text, `${r.kind} ${verb} leaks A's uid`).not.toContain(o.uid);
    }
    // The never-existing names must not have been created by any of B's attempts.
    expect((await api(neverPath, { token: b.token })).status).toBe(404);

    // Lists: namespaced and across namespaces, with label and field selectors, paged, as a table.
    const lists = [
      base(r),
      base(r, undefined),
      `${base(r)}?labelSelector=${encodeURIComponent('secret=a-only')}`,
      `${base(r, undefined)}?labelSelector=${encodeURIComponent(`app=${o.name}`)}`,
      `${base(r, undefined)}?fieldSelector=${encodeURIComponent(`metadata.name=${o.name}`)}`,
      `${base(r, undefined)}?limit=1`,
    ];
    for (const l of lists) {
      const res = await api(l, { token: b.token });
      expect.soft(res.status, l).toBe(200);
      expect.soft(res.text, `${l} shows A's object`).not.toContain(o.name);
      const table = await api(l, { token: b.token, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      expect.soft(table.text, `${l} as a table shows A's object`).not.toContain(o.name);
    }

    // A's object is exactly as A left it (controllers may have moved its status along; its identity, labels and spec are A's).
    const still = await api(path, { token: a.token });
    expect(still.status).toBe(200);
    expect(still.json.metadata.uid).toBe(o.uid);
    expect(still.json.metadata.labels?.pwned).toBeUndefined();
    expect(still.json.status?.phase).not.toBe('Hacked');
    if (r.subresources.includes('scale')) expect(still.json.spec.replicas).toBe(1);
  });

  it('B cannot page through A’s list with A’s continue token', async () => {
    for (const r of resources) {
      const first = await api(`${base(r, undefined)}?limit=1`, { token: a.token });
      const token = first.json?.metadata?.continue;
      if (!token) continue;
      const stolen = await api(`${base(r, undefined)}?limit=50&continue=${encodeURIComponent(token)}`, { token: b.token });
      expect.soft(stolen.status, `${r.kind} continue token from A`).toBeGreaterThanOrEqual(400);
      expect.soft(stolen.status, `${r.kind} continue token from A`).toBeLessThan(500);
      expect.soft(stolen.text).not.toContain(unique);
    }
  });
});

describe('watches do not cross tenants', () => {
  it('B’s watches on every kind, namespaced and cluster-wide, see nothing of A’s creates, updates and deletes', async () => {
    const bEvents: Array<{ path: string; e: WatchEvent }> = [];
    const aSeen: WatchEvent[] = [];
    const closers: Array<() => void> = [];
    try {
      for (const r of resources) {
        for (const p of r.namespaced ? [base(r), base(r, undefined)] : [base(r)]) {
          closers.push(await openWatch(`${p}?watch=true&allowWatchBookmarks=true`, b.token, (e) => bEvents.push({ path: p, e })));
          // A resourceVersion far ahead of B's own (A's counter is its own) must not open a window onto A.
          closers.push(await openWatch(`${p}?watch=true&resourceVersion=1`, b.token, (e) => bEvents.push({ path: `${p}@1`, e })));
        }
      }
      const dep = resources.find((r) => r.kind === 'Deployment')!;
      const sec = resources.find((r) => r.kind === 'Secret')!;
      closers.push(await openWatch(`${base(dep, undefined)}?watch=true`, a.token, (e) => aSeen.push(e)));
      closers.push(await openWatch(`${base(sec)}?watch=true`, a.token, (e) => aSeen.push(e)));
      const name = `${unique}-watched`;
      await api(base(dep), { method: 'POST', token: a.token, body: deploymentManifest(name, { replicas: 2 }) });
      await api(base(sec), { method: 'POST', token: a.token, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { k: 'v' } } });
      await api(`${base(dep)}/${name}`, { method: 'PATCH', token: a.token, contentType: 'application/merge-patch+json', body: { spec: { replicas: 1 } } });
      await api(`${base(sec)}/${name}`, { method: 'DELETE', token: a.token });
      // A's own watches saw it all: the events happened and were delivered to watchers.
      await eventually(async () => aSeen.some((e) => e.type === 'DELETED' && e.object.metadata.name === name) && aSeen.some((e) => e.type === 'MODIFIED' && e.object.metadata.name === name), 30_000);
      await eventually(async () => (await api(`${base(dep)}/${name}`, { token: a.token })).json?.status?.availableReplicas === 1, 60_000, 200);
      await new Promise((r) => setTimeout(r, 1500));
      const aUids = new Set([...aObjects.values()].map((o) => o.uid).filter(Boolean));
      for (const e of aSeen) if (e.object?.metadata?.uid) aUids.add(e.object.metadata.uid);
      const leaked = bEvents.filter(({ e }) => JSON.stringify(e).includes(unique) || aUids.has(e.object?.metadata?.uid));
      expect(leaked.map(({ path, e }) => `${path}: ${e.type} ${e.object?.metadata?.name}`)).toEqual([]);
    } finally {
      for (const c of closers) c();
    }
  });
});

describe('tokens and admin routes', () => {
  it.each([
    ['GET tenants/A', 'GET', (t: string) => `/admin/v1/tenants/${t}`, undefined],
    ['PATCH tenants/A', 'PATCH', (t: string) => `/admin/v1/tenants/${t}`, { nodeMode: 'agent' }],
    ['GET tenants/A/tokens', 'GET', (t: string) => `/admin/v1/tenants/${t}/tokens`, undefined],
    ['POST tenants/A/tokens', 'POST', (t: string) => `/admin/v1/tenants/${t}/tokens`, { description: 'stolen' }],
    ['DELETE tenants/A/tokens/{id}', 'DELETE', (t: string) => `/admin/v1/tenants/${t}/tokens/whatever`, undefined],
    ['POST tenants', 'POST', () => `/admin/v1/tenants`, { name: 'evil-b' }],
  ] as const)('B’s token on admin %s is refused with 403 and no data', async (_label, method, path, body) => {
    const res = await api(path(a.name), { method, token: b.token, body });
    expect(res.status).toBe(403);
    expect(res.json.kind).toBe('Status');
    expect(res.text).not.toContain(a.token);
    expect(res.text).not.toContain('createdAt');
    const anon = await api(path(a.name), { method, body });
    expect(anon.status).toBe(401);
  });

  it('A’s tenant record is unchanged by B’s attempts', async () => {
    const t = await api(`/admin/v1/tenants/${a.name}`, { token: inject('adminToken') });
    expect(t.status).toBe(200);
    expect(t.json.nodeMode ?? 'simulated').toBe('simulated');
    const tokens = await api(`/admin/v1/tenants/${a.name}/tokens`, { token: inject('adminToken') });
    expect(tokens.json.items.some((i: { description?: string }) => i.description === 'stolen')).toBe(false);
  });

  it('the webhooks mount serves nothing to a tenant token about another tenant, and never a 5xx', async () => {
    for (const p of [`/webhooks/${a.name}`, `/webhooks/${a.name}/anything`, '/webhooks/', `/webhooks/generic/${aObjects.get('ImageTrigger')?.name ?? 'x'}`]) {
      for (const method of ['GET', 'POST']) {
        const res = await api(p, { method, token: b.token, body: method === 'POST' ? { repository: 'registry.local/a', tag: 'evil' } : undefined });
        expect.soft(res.status, `${method} ${p}`).toBeLessThan(500);
        expect.soft(res.status, `${method} ${p}`).not.toBe(200);
        expect.soft(res.text).not.toContain(a.token);
      }
    }
  });

  it('a token works only as itself: altered, truncated, other schemes and A’s token with B’s name are refused', async () => {
    const variants = [a.token.slice(0, -1), a.token + 'x', a.token.toUpperCase(), ` ${a.token.slice(1)}`, `${a.token}%00`, `${a.token},${b.token}`];
    for (const v of variants) expect.soft((await api(`${base(resources[0])}`, { token: v })).status, JSON.stringify(v)).toBe(401);
    const basic = await api(base(resources[0]), { headers: { authorization: `Basic ${Buffer.from(`${a.name}:${a.token}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  it('revokes a token at once for every verb, for a watch opened afterwards, and keeps the other tokens working', async () => {
    const admin = inject('adminToken');
    const extra = await api(`/admin/v1/tenants/${a.name}/tokens`, { method: 'POST', token: admin, body: { description: 'to revoke' } });
    expect(extra.status).toBe(201);
    const t = extra.json.token as string;
    const dep = resources.find((r) => r.kind === 'Deployment')!;
    const sec = resources.find((r) => r.kind === 'Secret')!;
    expect((await api(base(sec), { token: t })).status).toBe(200);
    expect((await api(`/admin/v1/tenants/${a.name}/tokens/${extra.json.id}`, { method: 'DELETE', token: admin })).status).toBe(200);
    const name = `${unique}-after-revoke`;
    const tries: Array<[string, () => Promise<HttpResponse>]> = [
      ['list', () => api(base(sec), { token: t })],
      ['get', () => api(`${base(dep)}/${aObjects.get('Deployment')!.name}`, { token: t })],
      ['create', () => api(base(sec), { method: 'POST', token: t, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name } } })],
      ['patch', () => api(`${base(dep)}/${aObjects.get('Deployment')!.name}`, { method: 'PATCH', token: t, contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } })],
      ['delete', () => api(`${base(sec)}/${aObjects.get('Secret')!.name}`, { method: 'DELETE', token: t })],
      ['watch', () => api(`${base(sec)}?watch=true&timeoutSeconds=1`, { token: t })],
      ['discovery', () => api('/apis', { token: t })],
    ];
    for (const [verb, send] of tries) expect.soft((await send()).status, verb).toBe(401);
    expect((await api(`${base(sec)}/${name}`, { token: a.token })).status).toBe(404);
    expect((await api(`${base(sec)}/${aObjects.get('Secret')!.name}`, { token: a.token })).status).toBe(200);
    expect((await api(`${base(dep)}/${aObjects.get('Deployment')!.name}`, { token: a.token })).json.spec.replicas).toBe(1);
  });
});
