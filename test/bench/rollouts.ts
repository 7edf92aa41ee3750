import type { LocalStack } from '../../infra/local/stack.js';
import { createDocumentClient } from '../../shared/store/client.js';
import { ObjectStore } from '../../shared/store/object-store.js';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../shared/queue/reconcile-queue.js';
import { resources } from '../../shared/api/resources.js';
import { StackClient } from '../support/stack-client.js';
import { type CallCounter, type CallCounts, diffCounts } from '../support/aws-wrappers.js';
import { complete, deploymentBody } from './fixtures.js';
import { say, sleep } from './stats.js';

const deployments = resources.find((r) => r.plural === 'deployments')!;
const D = '/apis/apps/v1/namespaces/default/deployments';

/**
 * An observer reads Deployments through its own DynamoDB client, so polling
 * for completion never shows up in the counted calls of the runtime.
 */
export function observer(stack: LocalStack) {
  const store = new ObjectStore({ client: createDocumentClient(stack.config), tableName: stack.config.tableName });
  const sqs = createSqsClient(stack.config);
  return {
    /** The controller queue's backlog: messages waiting, in flight, and delayed. */
    queue: async () => {
      const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.config.controllerQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }))).Attributes ?? {};
      return `queue ${a.ApproximateNumberOfMessages ?? '?'} waiting, ${a.ApproximateNumberOfMessagesNotVisible ?? '?'} in flight, ${a.ApproximateNumberOfMessagesDelayed ?? '?'} delayed`;
    },
    get: (tenant: string, name: string) => store.get(tenant, deployments, 'default', name),
    list: async (tenant: string) => (await store.list(tenant, deployments, { namespace: 'default' })).items,
  };
}

export interface RolloutRow {
  replicas: number;
  createMs: number;
  rolloutMs: number;
  finished: boolean;
  /** Progress at the cap when not finished. */
  updatedAtCap?: number;
  counts: CallCounts;
  minObjectWrites: number;
}

/** Lower bound of object writes for a RollingUpdate of n pods with the default 25%/25%. */
export function minimumObjectWrites(n: number): { total: number; steps: number } {
  const surge = Math.ceil(n * 0.25);
  const unavailable = Math.floor(n * 0.25);
  const steps = Math.ceil(n / Math.max(1, surge + unavailable));
  // Per pod: create, bind, status Running/Ready, delete old = 4.
  // Amortized: new ReplicaSet create 1, revision annotation on the Deployment 1,
  // per step one scale-up of the new RS and one scale-down of the old RS,
  // one final status write each on both ReplicaSets and on the Deployment.
  return { total: 4 * n + 1 + 1 + 2 * steps + 3, steps };
}

async function waitFor(pred: () => Promise<boolean>, capMs: number, label: string, progress: () => Promise<string>): Promise<{ ms: number; finished: boolean }> {
  const t0 = Date.now();
  let lastSay = t0;
  for (;;) {
    if (await pred()) return { ms: Date.now() - t0, finished: true };
    if (Date.now() - t0 > capMs) return { ms: Date.now() - t0, finished: false };
    if (Date.now() - lastSay > 10_000) {
      lastSay = Date.now();
      say(`  ${label}: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${await progress()}`);
    }
    await sleep(100);
  }
}

export async function benchRollout(stack: LocalStack, counter: CallCounter, n: number, capMs: number): Promise<RolloutRow> {
  const client = new StackClient(stack.apiUrl, stack.caPem);
  const obs = observer(stack);
  const tenant = await client.newTenant(stack.adminToken, `bench-roll-${n}-${Date.now().toString(36)}`);
  const name = `roll-${n}`;
  const progress = async () => {
    const d = await obs.get(tenant.name, name);
    return `replicas ${d?.status?.replicas ?? 0}, updated ${d?.status?.updatedReplicas ?? 0}, available ${d?.status?.availableReplicas ?? 0} of ${n}; ${await obs.queue()}`;
  };
  try {
    say(`rollout N=${n}: creating`);
    const r = await client.request(D, { method: 'POST', token: tenant.token, body: deploymentBody(name, n) });
    if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
    const created = await waitFor(async () => complete(await obs.get(tenant.name, name)), capMs, `create N=${n}`, progress);
    if (!created.finished) {
      say(`rollout N=${n}: the first rollout did not finish within ${capMs / 1000} s (${await progress()})`);
      return { replicas: n, createMs: created.ms, rolloutMs: NaN, finished: false, updatedAtCap: 0, counts: diffCounts(counter.snapshot(), counter.snapshot()), minObjectWrites: minimumObjectWrites(n).total };
    }
    say(`rollout N=${n}: created in ${(created.ms / 1000).toFixed(1)} s; changing the image`);
    await sleep(500);
    const before = counter.snapshot();
    const p = await client.request(`${D}/${name}`, {
      method: 'PATCH',
      token: tenant.token,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/app:v2' }] } } } },
    });
    if (p.status !== 200) throw new Error(`patch: ${p.status} ${p.text}`);
    const rolled = await waitFor(async () => complete(await obs.get(tenant.name, name)), capMs, `rollout N=${n}`, progress);
    // Let the last status writes and their messages drain before counting.
    await sleep(1500);
    const counts = diffCounts(counter.snapshot(), before);
    const d = await obs.get(tenant.name, name);
    say(`rollout N=${n}: ${rolled.finished ? 'complete' : 'NOT complete'} in ${(rolled.ms / 1000).toFixed(1)} s`);
    return { replicas: n, createMs: created.ms, rolloutMs: rolled.ms, finished: rolled.finished, updatedAtCap: rolled.finished ? undefined : d?.status?.updatedReplicas, counts, minObjectWrites: minimumObjectWrites(n).total };
  } finally {
    client.close();
  }
}
