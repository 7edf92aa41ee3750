import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { api, deploymentManifest, eventually, newTenant } from '../support/client.js';
import { verifyRollwaySignature } from '../../shared/webhooks/verify.js';

const D = '/apis/apps/v1/namespaces/default/deployments';
const NOTIFIERS = '/apis/rollway.dev/v1/namespaces/default/notifiers';
const SECRETS = '/api/v1/namespaces/default/secrets';
const ALL = ['RolloutStarted', 'RolloutProgressing', 'RolloutComplete', 'ProgressDeadlineExceeded', 'RolledBack', 'Paused', 'Resumed'];

interface Received {
  body: any;
  raw: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Receiver is an HTTP server on 127.0.0.1 that records every POST; it can be stopped and restarted on its port. */
class Receiver {
  got: Received[] = [];
  port = 0;
  private server?: Server;
  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.got.push({ raw, body: JSON.parse(raw), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  of(deployment: string, revision?: string): Received[] {
    return this.got.filter((r) => r.body.deployment === deployment && (revision === undefined || r.body.revision === revision));
  }
}

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

async function setup(prefix: string, port: number) {
  const t = await newTenant(prefix);
  expect((await api(SECRETS, { method: 'POST', token: t.token, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hook' }, stringData: { key: 'n0t1fy' } } })).status).toBe(201);
  const n = await api(NOTIFIERS, {
    method: 'POST',
    token: t.token,
    body: { apiVersion: 'rollway.dev/v1', kind: 'Notifier', metadata: { name: 'ops' }, spec: { url: `http://127.0.0.1:${port}/hook`, events: ALL, deploymentSelector: { matchLabels: { notify: 'yes' } }, secretRef: { name: 'hook', key: 'key' } } },
  });
  expect(n.status, n.text).toBe(201);
  return t;
}

async function createDeployment(token: string, name: string, image: string) {
  const m = deploymentManifest(name, { replicas: 3, image, labels: { app: name, notify: 'yes' } });
  expect((await api(D, { method: 'POST', token, body: m })).status).toBe(201);
  await waitComplete(token, name);
}

async function waitComplete(token: string, name: string) {
  return eventually(async () => {
    const d = (await api(`${D}/${name}`, { token })).json;
    const s = d.status ?? {};
    return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === 3 && s.availableReplicas === 3 && s.replicas === 3 ? d : undefined;
  }, 60_000, 200);
}

async function patch(token: string, name: string, body: unknown) {
  const res = await api(`${D}/${name}`, { method: 'PATCH', token, contentType: 'application/strategic-merge-patch+json', body });
  expect(res.status, res.text).toBe(200);
}
const setImage = (token: string, name: string, image: string) => patch(token, name, { spec: { template: { spec: { containers: [{ name: 'nodejs', image }] } } } });

function verified(r: Received): boolean {
  return verifyRollwaySignature(r.headers['x-rollway-signature'] as string, r.raw, 'n0t1fy', Math.floor(Date.now() / 1000)).ok;
}

describe('rollout notifications', () => {
  it('a receiver gets the signed events of a rollout, a rollback and a pause, in order', async () => {
    const rx = new Receiver();
    receivers.push(rx);
    await rx.start();
    const t = await setup('nt', rx.port);
    await createDeployment(t.token, 'web', 'luksa/kubia:v1');
    await eventually(async () => rx.of('web', '1').some((r) => r.body.type === 'RolloutComplete'), 30_000);

    await setImage(t.token, 'web', 'luksa/kubia:v2');
    await waitComplete(t.token, 'web');
    const rev2 = await eventually(async () => {
      const got = rx.of('web', '2');
      return got.some((r) => r.body.type === 'RolloutComplete') ? got : undefined;
    }, 30_000);
    const types = rev2.map((r) => r.body.type);
    expect(types[0]).toBe('RolloutStarted');
    expect(types.at(-1)).toBe('RolloutComplete');
    expect(types).toContain('RolloutProgressing');
    expect(types.indexOf('RolloutProgressing')).toBeLessThan(types.indexOf('RolloutComplete'));
    for (const r of rev2) {
      expect(verified(r)).toBe(true);
      expect(r.headers['x-rollway-event']).toBe(r.body.type);
      expect(r.body).toMatchObject({ tenant: t.name, namespace: 'default', deployment: 'web', revision: '2', image: 'luksa/kubia:v2' });
      expect(r.body.id).toMatch(/^[0-9a-f]{32}$/);
      expect(Date.parse(r.body.time)).not.toBeNaN();
    }
    const complete = rev2.at(-1)!.body;
    expect(complete.reason).toBe('NewReplicaSetAvailable');

    // The same events are Kubernetes Events on the Deployment.
    const evs = (await api(`/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=web')}`, { token: t.token })).json.items;
    expect(evs.map((e: any) => e.reason)).toEqual(expect.arrayContaining(['RolloutStarted', 'RolloutComplete']));

    // Setting the first image again reuses its ReplicaSet: a rollback to revision 3.
    await setImage(t.token, 'web', 'luksa/kubia:v1');
    await waitComplete(t.token, 'web');
    const rev3 = await eventually(async () => {
      const got = rx.of('web', '3');
      return got.some((r) => r.body.type === 'RolloutComplete') ? got : undefined;
    }, 30_000);
    expect(rev3[0].body.type).toBe('RolledBack');

    await patch(t.token, 'web', { spec: { paused: true } });
    await eventually(async () => rx.of('web').some((r) => r.body.type === 'Paused'), 30_000);
    await patch(t.token, 'web', { spec: { paused: false } });
    await eventually(async () => rx.of('web').some((r) => r.body.type === 'Resumed'), 30_000);
    expect(rx.got.every(verified)).toBe(true);

    const n = (await api(`${NOTIFIERS}/ops`, { token: t.token })).json;
    expect(n.status.lastAttempt).toMatchObject({ outcome: 'delivered', code: 204 });
  });

  it('deliveries are retried with backoff until a receiver that was down comes back', async () => {
    const rx = new Receiver();
    receivers.push(rx);
    await rx.start();
    const port = rx.port;
    const t = await setup('ntdown', port);
    await createDeployment(t.token, 'api', 'luksa/kubia:v1');
    await eventually(async () => rx.of('api', '1').some((r) => r.body.type === 'RolloutComplete'), 30_000);

    await rx.stop();
    await setImage(t.token, 'api', 'luksa/kubia:v2');
    await waitComplete(t.token, 'api');
    await eventually(async () => {
      const n = (await api(`${NOTIFIERS}/ops`, { token: t.token })).json;
      return n.status?.lastAttempt?.outcome === 'failed' && n.status.lastAttempt.attempt >= 2;
    }, 30_000, 250);
    await rx.start(port);
    const got = await eventually(async () => {
      const g = rx.of('api', '2');
      return ['RolloutStarted', 'RolloutComplete'].every((ty) => g.some((r) => r.body.type === ty)) ? g : undefined;
    }, 90_000, 250);
    expect(got.every(verified)).toBe(true);
    expect(got.some((r) => Number(r.headers['x-rollway-attempt']) >= 2)).toBe(true);
    // Each event arrives once per successful attempt: retried ids are not duplicated.
    const ids = got.map((r) => r.body.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
