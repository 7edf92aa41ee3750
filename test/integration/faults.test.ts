import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';
import { createRuntime, type Runtime } from '../../shared/runtime.js';
import { createDocumentClient } from '../../shared/store/client.js';
import { createSqsClient } from '../../shared/queue/reconcile-queue.js';
import { resyncUnsettled } from '../../shared/controller/resync.js';
import { faultyClient, seededRandom, type FaultRates, type FaultStats } from '../support/aws-wrappers.js';
import { startWorkerLoop, type WorkerLoop } from '../support/worker-loop.js';
import { StackClient } from '../support/stack-client.js';
import { PodTracker, isReady } from '../support/watch.js';

/**
 * Fault injection against a local stack of this file's own (no workers of its
 * own, so faults never disturb other test files): faulty controller workers
 * run in-process with wrapped DynamoDB and SQS clients, or in a child process
 * that is SIGKILLed mid-rollout. Under each fault many concurrent rollouts
 * must all finish in the right final state, with the RollingUpdate bounds
 * held at every pod state observed through watches, no duplicate
 * ReplicaSets or pods, no orphans, and every accepted spec change reconciled.
 */

const D = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';
const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYMENTS = 5;
const REPLICAS = 4;
const MAX_SURGE = 1;
const MAX_UNAVAILABLE = 1;
const SCENARIO_TIMEOUT_MS = 200_000;

let stack: LocalStack;
let stateDir: string;
let client: StackClient;
let resyncTimer: NodeJS.Timeout | undefined;
const logLevel = process.env.LOG_LEVEL;

beforeAll(async () => {
  // Injected faults make every reconcile retry log a warning; keep the output readable.
  process.env.LOG_LEVEL = 'error';
  stateDir = mkdtempSync(join(tmpdir(), 'rollway-faults-'));
  stack = await startLocalStack({ port: 0, stateDir, simStartDelayMs: 0, workers: 0, resyncMs: 0 });
  client = new StackClient(stack.apiUrl, stack.caPem, { maxSockets: 16 });
  // The resync sweep, as the scheduled Lambda runs it, but often: it recovers what faults dropped.
  resyncTimer = setInterval(() => {
    resyncUnsettled(stack.runtime).catch(() => undefined);
  }, 2000);
}, 180_000);

afterAll(async () => {
  process.env.LOG_LEVEL = logLevel;
  if (resyncTimer) clearInterval(resyncTimer);
  client?.close();
  await stack?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}, 60_000);

function faultyRuntime(rates: FaultRates, seed: number, stats: FaultStats): Runtime {
  const rnd = seededRandom(seed);
  return createRuntime(stack.config, {
    simStartDelayMs: 0,
    ddb: faultyClient(createDocumentClient(stack.config), rates, { random: rnd, stats }),
    sqs: faultyClient(createSqsClient(stack.config), rates, { random: rnd, stats }),
  });
}

function manifest(name: string, image: string) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: MAX_SURGE, maxUnavailable: MAX_UNAVAILABLE } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

function complete(d: any): boolean {
  const s = d?.status ?? {};
  const r = d?.spec?.replicas;
  return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && (s.unavailableReplicas ?? 0) === 0;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      /* keep trying */
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Scenario {
  token: string;
  names: string[];
  violations: string[];
  close(): void;
}

/** Creates the deployments of a fresh tenant and watches their pods, recording every bound violation. */
async function startScenario(label: string): Promise<Scenario> {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20);
  const tenant = await client.newTenant(stack.adminToken, `fault-${slug}-${Date.now().toString(36)}`);
  const names = Array.from({ length: DEPLOYMENTS }, (_, i) => `app-${i}`);
  const violations: string[] = [];
  const closers: Array<() => void> = [];
  for (const name of names) {
    const tracker = new PodTracker();
    let settled = false;
    closers.push(
      await client.watch(`${PODS}?watch=true&labelSelector=${encodeURIComponent(`app=${name}`)}`, tenant.token, (e) => {
        tracker.apply(e);
        if (tracker.total > REPLICAS + MAX_SURGE) violations.push(`${name}: ${tracker.total} pods > ${REPLICAS + MAX_SURGE}`);
        if (tracker.ready >= REPLICAS) settled = true;
        if (settled && tracker.ready < REPLICAS - MAX_UNAVAILABLE) violations.push(`${name}: ${tracker.ready} ready < ${REPLICAS - MAX_UNAVAILABLE}`);
      }),
    );
    const r = await client.request(D, { method: 'POST', token: tenant.token, body: manifest(name, 'registry.local/app:v1') });
    expect(r.status).toBe(201);
  }
  return { token: tenant.token, names, violations, close: () => closers.forEach((c) => c()) };
}

async function setImage(token: string, name: string, image: string): Promise<void> {
  const r = await client.request(`${D}/${name}`, { method: 'PATCH', token, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } } });
  expect(r.status, r.text).toBe(200);
}

async function waitAllComplete(s: Scenario, images: Record<string, string>): Promise<void> {
  try {
    await waitAllCompleteOnce(s, images);
  } catch (err) {
    // Say where each rollout stands, so a failure names its stuck object.
    const deps = (await client.request(D, { token: s.token })).json.items;
    const rss = (await client.request(RS, { token: s.token })).json.items;
    const pods = (await client.request(PODS, { token: s.token })).json.items;
    const lines = deps.map((d: any) => {
      const own = rss.filter((r: any) => r.metadata.ownerReferences?.some((o: any) => o.uid === d.metadata.uid));
      return `${d.metadata.name} gen ${d.metadata.generation} ${JSON.stringify(d.status)} image ${d.spec.template.spec.containers[0].image} want ${images[d.metadata.name]}; RS ${own.map((r: any) => `${r.metadata.name}:${r.spec.replicas}/${JSON.stringify(r.status)}`).join(' ')}`;
    });
    const podLines = pods.map((p: any) => `${p.metadata.name} ${p.status?.phase} ready=${isReady(p)} del=${!!p.metadata.deletionTimestamp} node=${p.spec.nodeName ?? ''}`);
    throw new Error(`${(err as Error).message}\n${lines.join('\n')}\n${podLines.join('\n')}`);
  }
}

async function waitAllCompleteOnce(s: Scenario, images: Record<string, string>): Promise<void> {
  await until(
    'every deployment complete on its last image',
    async () => {
      for (const name of s.names) {
        const d = (await client.request(`${D}/${name}`, { token: s.token })).json;
        if (!complete(d) || d.spec.template.spec.containers[0].image !== images[name]) return false;
      }
      return true;
    },
    SCENARIO_TIMEOUT_MS,
  );
}

/** The final state: one live ReplicaSet per deployment on the last image, its pods and nothing else. */
async function checkFinalState(s: Scenario, images: Record<string, string>): Promise<void> {
  // Pods settle after the Deployment reports complete (old pods are being removed); wait for the exact set.
  await until(
    'pods settle',
    async () => {
      const pods = (await client.request(PODS, { token: s.token })).json.items;
      return pods.length === s.names.length * REPLICAS && pods.every((p: any) => isReady(p));
    },
    60_000,
  );
  const deps = (await client.request(D, { token: s.token })).json.items;
  const rss = (await client.request(RS, { token: s.token })).json.items;
  const pods = (await client.request(PODS, { token: s.token })).json.items;
  const depUids = new Map(deps.map((d: any) => [d.metadata.uid, d]));
  const rsByUid = new Map(rss.map((r: any) => [r.metadata.uid, r]));
  for (const d of deps) {
    const name = d.metadata.name;
    expect(d.status.observedGeneration, `${name} observed its last generation`).toBe(d.metadata.generation);
    const own = rss.filter((r: any) => r.metadata.ownerReferences?.some((o: any) => o.controller && o.uid === d.metadata.uid));
    const hashes = own.map((r: any) => r.metadata.labels['pod-template-hash']);
    expect(new Set(hashes).size, `${name}: no duplicate ReplicaSets (${hashes.join(',')})`).toBe(hashes.length);
    const live = own.filter((r: any) => (r.spec.replicas ?? 0) > 0);
    expect(live.length, `${name}: one live ReplicaSet`).toBe(1);
    expect(live[0].spec.template.spec.containers[0].image).toBe(images[name]);
    const mine = pods.filter((p: any) => p.metadata.ownerReferences?.some((o: any) => o.uid === live[0].metadata.uid));
    expect(mine.length, `${name}: ${REPLICAS} pods of the live ReplicaSet`).toBe(REPLICAS);
    expect(mine.every((p: any) => p.spec.containers[0].image === images[name] && isReady(p))).toBe(true);
    expect(new Set(mine.map((p: any) => p.metadata.name)).size).toBe(REPLICAS);
  }
  // No orphans: every ReplicaSet has a live Deployment, every pod a live ReplicaSet.
  for (const r of rss) expect(depUids.has(r.metadata.ownerReferences?.find((o: any) => o.controller)?.uid), `orphan ReplicaSet ${r.metadata.name}`).toBe(true);
  for (const p of pods) expect(rsByUid.has(p.metadata.ownerReferences?.find((o: any) => o.controller)?.uid), `orphan pod ${p.metadata.name}`).toBe(true);
  expect(s.violations, 'RollingUpdate bounds at every observed state').toEqual([]);
}

/**
 * Runs a full scenario with the given workers: create, wait, two image changes
 * in quick succession on every deployment (the second accepted while the
 * first is rolling), wait, check.
 */
async function rollUnder(label: string, workers: () => WorkerLoop, beforeChecks?: () => void): Promise<void> {
  const loop = workers();
  const s = await startScenario(label);
  try {
    const images: Record<string, string> = Object.fromEntries(s.names.map((n) => [n, 'registry.local/app:v1']));
    await waitAllComplete(s, images);
    for (const name of s.names) {
      await setImage(s.token, name, 'registry.local/app:v2');
      images[name] = 'registry.local/app:v2';
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const name of s.names.filter((_, i) => i % 2 === 0)) {
      await setImage(s.token, name, 'registry.local/app:v3');
      images[name] = 'registry.local/app:v3';
    }
    await waitAllComplete(s, images);
    beforeChecks?.();
    await checkFinalState(s, images);
  } finally {
    s.close();
    await loop.stop();
  }
}

describe('rollouts complete correctly under injected faults', () => {
  it.each<[string, FaultRates, { duplicateRate?: number; reorder?: boolean }]>([
    ['DynamoDB throttling (ProvisionedThroughputExceeded, Throttling) and timeouts before and after commit', { throttle: 0.08, timeoutBefore: 0.03, timeoutAfter: 0.03 }, {}],
    ['failed conditional writes (lost races)', { conditionFail: 0.15 }, {}],
    ['dropped and failed SQS sends (recovered by the resync sweep)', { dropSend: 0.2, failSend: 0.05 }, {}],
    ['duplicate, late and reordered SQS deliveries', {}, { duplicateRate: 0.5, reorder: true }],
    ['everything at once', { throttle: 0.04, timeoutAfter: 0.02, conditionFail: 0.05, dropSend: 0.1 }, { duplicateRate: 0.3, reorder: true }],
  ])('%s', async (label, rates, delivery) => {
    const stats: FaultStats = { injected: {}, calls: 0 };
    let loop!: WorkerLoop;
    await rollUnder(
      label.split(' ')[0],
      () =>
        (loop = startWorkerLoop({
          rt: faultyRuntime(rates, label.length * 7919, stats),
          sqs: createSqsClient(stack.config),
          queueUrl: stack.config.controllerQueueUrl,
          concurrency: 3,
          ...delivery,
        })),
      () => {
        // The faults were really injected (or deliveries really duplicated).
        const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0);
        if (Object.keys(rates).length) expect(injected, JSON.stringify(stats.injected)).toBeGreaterThan(5);
        if (delivery.duplicateRate) expect(loop.stats.duplicates).toBeGreaterThan(5);
      },
    );
  }, 420_000);
});

describe('a controller worker killed with SIGKILL mid-step', () => {
  it('leaves every rollout to complete once another worker and the resync sweep take over', async () => {
    const env = {
      ...process.env,
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      SQS_ENDPOINT: stack.sqsEndpoint,
      TABLE_NAME: stack.config.tableName,
      CONTROLLER_QUEUE_URL: stack.config.controllerQueueUrl,
      AWS_REGION: 'us-east-1',
      ROLLWAY_SIM_START_DELAY_MS: '0',
      WORKER_DDB_DELAY_MS: '40',
      WORKER_CONCURRENCY: '3',
      LOG_LEVEL: 'error',
    };
    let inflight = 0;
    let batches = 0;
    const startChild = (): Promise<ChildProcess> =>
      new Promise((resolve, reject) => {
        const child = spawn('npx', ['tsx', 'test/support/worker-process.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
        let buf = '';
        child.stdout!.on('data', (d) => {
          buf += String(d);
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (line === 'ready') resolve(child);
            else if (line.startsWith('begin')) {
              inflight++;
              batches++;
            } else if (line.startsWith('end')) inflight--;
          }
        });
        child.once('exit', (code) => reject(new Error(`worker exited early: ${code}`)));
        setTimeout(() => reject(new Error('worker did not start')), 60_000);
      });

    const child = await startChild();
    const s = await startScenario('sigkill');
    let takeover: WorkerLoop | undefined;
    try {
      const images: Record<string, string> = Object.fromEntries(s.names.map((n) => [n, 'registry.local/app:v1']));
      await waitAllComplete(s, images);
      for (const name of s.names) {
        await setImage(s.token, name, 'registry.local/app:v2');
        images[name] = 'registry.local/app:v2';
      }
      // Kill it while it is inside a batch, the rollout under way.
      const kills: number[] = [];
      const before = batches;
      await until('worker busy in a batch', async () => inflight > 0 && batches > before + 3, 60_000);
      kills.push(inflight);
      killTree(child);
      await new Promise((r) => setTimeout(r, 500));
      expect(kills.every((k) => k > 0)).toBe(true);
      // Nothing is running now; some messages are invisible (in flight when killed) and some writes lack their sends.
      const mid = (await client.request(D, { token: s.token })).json.items;
      expect(mid.some((d: any) => !complete(d)), 'the kill landed mid-rollout').toBe(true);
      takeover = startWorkerLoop({ rt: createRuntime(stack.config, { simStartDelayMs: 0 }), sqs: createSqsClient(stack.config), queueUrl: stack.config.controllerQueueUrl, concurrency: 3 });
      await waitAllComplete(s, images);
      await checkFinalState(s, images);
    } finally {
      s.close();
      killTree(child);
      await takeover?.stop();
    }
  }, 420_000);
});

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  // npx runs tsx, which runs node: kill the descendants (the worker itself) and npx, by their ids.
  for (const pid of [...descendants(child.pid), child.pid]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Descendant process ids of `pid`, deepest first, from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parentOf.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parentOf) {
      if (pp === p) {
        walk(c);
        out.push(c);
      }
    }
  };
  walk(pid);
  return out;
}
