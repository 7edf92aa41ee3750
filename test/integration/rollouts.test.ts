import { describe, expect, it } from 'vitest';
import { api, deploymentManifest, eventually, newTenant } from '../support/client.js';
import { openWatch, PodTracker, isReady } from '../support/watch.js';

const D = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';
const PODS = '/api/v1/namespaces/default/pods';

async function getDeployment(token: string, name: string) {
  return (await api(`${D}/${name}`, { token })).json;
}

function complete(d: any): boolean {
  const s = d.status ?? {};
  const r = d.spec.replicas;
  return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r;
}

async function waitComplete(token: string, name: string, timeoutMs = 60_000) {
  return eventually(async () => {
    const d = await getDeployment(token, name);
    return complete(d) ? d : undefined;
  }, timeoutMs, 200);
}

async function setImage(token: string, name: string, image: string) {
  const res = await api(`${D}/${name}`, {
    method: 'PATCH',
    token,
    contentType: 'application/strategic-merge-patch+json',
    body: { spec: { template: { spec: { containers: [{ name: 'nodejs', image }] } } } },
  });
  expect(res.status).toBe(200);
  return res.json;
}

/**
 * Rolls `name` to a new image while watching its pods, and checks the
 * RollingUpdate bounds at every observed state.
 */
async function rollWithinBounds(token: string, name: string, replicas: number, maxSurge: number, maxUnavailable: number, image: string) {
  const tracker = new PodTracker();
  let maxTotal = 0;
  let minReady = Infinity;
  const violations: string[] = [];
  const close = await openWatch(`${PODS}?watch=true&labelSelector=${encodeURIComponent(`app=${name}`)}`, token, (e) => {
    tracker.apply(e);
    maxTotal = Math.max(maxTotal, tracker.total);
    minReady = Math.min(minReady, tracker.ready);
    if (tracker.total > replicas + maxSurge) violations.push(`total ${tracker.total} > ${replicas + maxSurge}`);
    if (tracker.pods.size >= replicas && tracker.ready < replicas - maxUnavailable) violations.push(`ready ${tracker.ready} < ${replicas - maxUnavailable}`);
  });
  try {
    await eventually(async () => tracker.ready === replicas, 10_000);
    await setImage(token, name, image);
    await waitComplete(token, name);
    await eventually(async () => tracker.total === replicas && [...tracker.pods.values()].every((p) => p.spec.containers[0].image === image), 20_000);
  } finally {
    close();
  }
  return { violations, maxTotal, minReady };
}

describe('rollouts driven by the SQS controllers', () => {
  it('brings the seed Deployment to 3 ready pods with Kubernetes status and conditions', async () => {
    const { token } = await newTenant('seed');
    await api(D, { method: 'POST', token, body: deploymentManifest('kubia') });
    const d = await waitComplete(token, 'kubia');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const types = Object.fromEntries(d.status.conditions.map((c: any) => [c.type, c]));
    expect(types.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(types.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    const rs = (await api(RS, { token })).json.items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.name).toMatch(/^kubia-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'kubia', uid: d.metadata.uid, controller: true });
    const pods = (await api(PODS, { token })).json.items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p: any) => isReady(p) && p.metadata.labels['pod-template-hash'] === rs[0].metadata.labels['pod-template-hash'])).toBe(true);
    const events = (await api(`/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=kubia')}`, { token })).json.items;
    expect(events.map((e: any) => e.message)).toContain(`Scaled up replica set ${rs[0].metadata.name} from 0 to 3`);
  });

  it('keeps a 10-replica 25%/25% rolling update within replicas+maxSurge and replicas-maxUnavailable', async () => {
    const { token } = await newTenant('roll');
    await api(D, { method: 'POST', token, body: deploymentManifest('web', { replicas: 10 }) });
    await waitComplete(token, 'web');
    const r = await rollWithinBounds(token, 'web', 10, 3, 2, 'luksa/kubia:v2');
    expect(r.violations).toEqual([]);
    expect(r.maxTotal).toBeGreaterThan(10);
    const d = await getDeployment(token, 'web');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('keeps maxSurge 0 / maxUnavailable 1 within bounds', async () => {
    const { token } = await newTenant('roll0');
    await api(D, { method: 'POST', token, body: deploymentManifest('web', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }) });
    await waitComplete(token, 'web');
    const r = await rollWithinBounds(token, 'web', 10, 0, 1, 'luksa/kubia:v2');
    expect(r.violations).toEqual([]);
    expect(r.maxTotal).toBe(10);
  });

  it('Recreate never runs old and new pods together', async () => {
    const { token } = await newTenant('recreate');
    await api(D, { method: 'POST', token, body: deploymentManifest('rec', { replicas: 3, strategy: { type: 'Recreate' } }) });
    await waitComplete(token, 'rec');
    const tracker = new PodTracker();
    const mixed: string[] = [];
    const close = await openWatch(`${PODS}?watch=true`, token, (e) => {
      tracker.apply(e);
      const images = new Set([...tracker.pods.values()].map((p) => p.spec.containers[0].image));
      if (images.size > 1) mixed.push([...images].join(','));
    });
    await setImage(token, 'rec', 'luksa/kubia:v2');
    await waitComplete(token, 'rec');
    close();
    expect(mixed).toEqual([]);
  });

  it('a never-ready image hits ProgressDeadlineExceeded within bounds, and rollback restores it', async () => {
    const { token } = await newTenant('deadline');
    await api(D, { method: 'POST', token, body: deploymentManifest('bad', { replicas: 4, extra: { progressDeadlineSeconds: 3 } }) });
    await waitComplete(token, 'bad');
    const tracker = new PodTracker();
    const violations: string[] = [];
    const close = await openWatch(`${PODS}?watch=true`, token, (e) => {
      tracker.apply(e);
      if (tracker.total > 5) violations.push(`total ${tracker.total}`);
      if (tracker.pods.size >= 4 && tracker.ready < 3) violations.push(`ready ${tracker.ready}`);
    });
    await setImage(token, 'bad', 'luksa/kubia:never-ready');
    const d = await eventually(async () => {
      const d = await getDeployment(token, 'bad');
      return d.status.conditions?.some((c: any) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded' && c.status === 'False') ? d : undefined;
    }, 30_000, 250);
    expect(d.status.availableReplicas).toBeGreaterThanOrEqual(3);
    await setImage(token, 'bad', 'luksa/kubia:v1');
    const back = await waitComplete(token, 'bad');
    close();
    expect(violations).toEqual([]);
    // Back to the first template: the first ReplicaSet is reused with the next revision.
    const rs = (await api(RS, { token })).json.items;
    expect(rs).toHaveLength(2);
    const reused = rs.find((r: any) => r.spec.template.spec.containers[0].image === 'luksa/kubia:v1');
    expect(reused.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(reused.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('acts on the legacy apps/v1beta1 spec.rollbackTo, then clears it', async () => {
    const { token } = await newTenant('legacy-rb');
    const V1B1 = '/apis/apps/v1beta1/namespaces/default/deployments';
    await api(D, { method: 'POST', token, body: deploymentManifest('legacy', { replicas: 2 }) });
    await waitComplete(token, 'legacy');
    await setImage(token, 'legacy', 'luksa/kubia:v2');
    await eventually(async () => {
      const d = await getDeployment(token, 'legacy');
      return complete(d) && d.metadata.annotations['deployment.kubernetes.io/revision'] === '2';
    });
    const res = await api(`${V1B1}/legacy`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: { spec: { rollbackTo: { revision: 1 } } } });
    expect(res.status).toBe(200);
    expect(res.json.spec.rollbackTo).toEqual({ revision: 1 });
    const back = await eventually(async () => {
      const d = await getDeployment(token, 'legacy');
      return d.spec.template.spec.containers[0].image === 'luksa/kubia:v1' && complete(d) ? d : undefined;
    });
    expect(back.metadata.annotations['deprecated.deployment.rollback.to']).toBeUndefined();
    expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect((await api(`${V1B1}/legacy`, { token })).json.spec.rollbackTo).toBeUndefined();
    const events = (await api(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dlegacy`, { token })).json.items;
    expect(events.some((e: any) => e.reason === 'DeploymentRollback' && e.message === 'Rolled back deployment "legacy" to revision 1')).toBe(true);
    // Asking for a revision that does not exist: a Warning, the request cleared, nothing rolled.
    await api(`${V1B1}/legacy`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: { spec: { rollbackTo: { revision: 9 } } } });
    await eventually(async () => (await getDeployment(token, 'legacy')).metadata.annotations['deprecated.deployment.rollback.to'] === undefined);
    expect((await getDeployment(token, 'legacy')).spec.template.spec.containers[0].image).toBe('luksa/kubia:v1');
    await eventually(async () => (await api(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dlegacy`, { token })).json.items.some((e: any) => e.reason === 'DeploymentRollbackRevisionNotFound'));
  });

  it('pause stops progress and resume continues it; scaling while paused still works', async () => {
    const { token } = await newTenant('pause');
    await api(D, { method: 'POST', token, body: deploymentManifest('canary', { replicas: 4 }) });
    await waitComplete(token, 'canary');
    await api(`${D}/canary`, { method: 'PATCH', token, contentType: 'application/strategic-merge-patch+json', body: { spec: { paused: true } } });
    await setImage(token, 'canary', 'luksa/kubia:v2');
    await eventually(async () => {
      const d = await getDeployment(token, 'canary');
      return d.status.conditions?.some((c: any) => c.type === 'Progressing' && c.reason === 'DeploymentPaused') ? d : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const rsPaused = (await api(RS, { token })).json.items;
    expect(rsPaused).toHaveLength(1);
    await api(`${D}/canary/scale`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: { spec: { replicas: 6 } } });
    await eventually(async () => (await api(PODS, { token })).json.items.filter(isReady).length === 6);
    await api(`${D}/canary`, { method: 'PATCH', token, contentType: 'application/strategic-merge-patch+json', body: { spec: { paused: null } } });
    const d = await waitComplete(token, 'canary');
    expect(d.status.updatedReplicas).toBe(6);
    expect(d.spec.template.spec.containers[0].image).toBe('luksa/kubia:v2');
  });

  it('scales proportionally when replicas change in the middle of a rollout', async () => {
    const { token } = await newTenant('prop');
    await api(D, { method: 'POST', token, body: deploymentManifest('p', { replicas: 10 }) });
    await waitComplete(token, 'p');
    // A never-ready new version holds the rollout in the middle, with old and new ReplicaSets active.
    await setImage(token, 'p', 'luksa/kubia:never-ready');
    await eventually(async () => (await api(RS, { token })).json.items.filter((r: any) => r.spec.replicas > 0).length === 2);
    await eventually(async () => {
      const items = (await api(RS, { token })).json.items;
      return items.find((r: any) => r.spec.template.spec.containers[0].image.endsWith('never-ready'))?.spec.replicas === 5;
    });
    const scaled = await api(`${D}/p/scale`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: { spec: { replicas: 20 } } });
    // The controller is writing the Deployment's status meanwhile: that is no conflict for a patch.
    expect(scaled.status).toBe(200);
    const sizes = await eventually(async () => {
      const items = (await api(RS, { token })).json.items;
      const total = items.reduce((n: number, r: any) => n + r.spec.replicas, 0);
      return total === 25 && items.every((r: any) => r.metadata.annotations['deployment.kubernetes.io/desired-replicas'] === '20') ? items : undefined;
    });
    const oldRs = sizes.find((r: any) => r.spec.template.spec.containers[0].image === 'luksa/kubia:v1');
    const newRs = sizes.find((r: any) => r.spec.template.spec.containers[0].image.endsWith('never-ready'));
    // 8 old + 5 new at 10 replicas (surge 3): scaled to 20 (+5 surge) the 12 extra split 8:5.
    expect(oldRs.spec.replicas + newRs.spec.replicas).toBe(25);
    expect(oldRs.spec.replicas).toBeGreaterThan(newRs.spec.replicas);
    expect(newRs.metadata.annotations['deployment.kubernetes.io/max-replicas']).toBe('25');
  });

  it('rolls out many deployments in several tenants at once with nothing lost', async () => {
    const tenants = await Promise.all([0, 1, 2].map(() => newTenant('fleet')));
    await Promise.all(tenants.flatMap((t) => [0, 1, 2, 3].map((i) => api(D, { method: 'POST', token: t.token, body: deploymentManifest(`app-${i}`, { replicas: 3 }) }))));
    await Promise.all(tenants.flatMap((t) => [0, 1, 2, 3].map((i) => waitComplete(t.token, `app-${i}`, 90_000))));
    await Promise.all(tenants.flatMap((t) => [0, 1, 2, 3].map((i) => setImage(t.token, `app-${i}`, 'luksa/kubia:v2'))));
    for (const t of tenants) {
      for (let i = 0; i < 4; i++) {
        const d = await waitComplete(t.token, `app-${i}`, 90_000);
        expect(d.spec.template.spec.containers[0].image).toBe('luksa/kubia:v2');
      }
      const pods = (await api(PODS, { token: t.token })).json.items;
      expect(pods).toHaveLength(12);
      expect(pods.every((p: any) => p.spec.containers[0].image === 'luksa/kubia:v2')).toBe(true);
      const rs = (await api(RS, { token: t.token })).json.items;
      expect(rs).toHaveLength(8);
    }
  });
});
