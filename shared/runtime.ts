import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { RollwayConfig } from './config.js';
import { createDocumentClient } from './store/client.js';
import { ObjectStore } from './store/object-store.js';
import { ObjectService } from './api/object-service.js';
import { TenantStore } from './auth/tenants.js';
import { createSqsClient, SqsReconcileQueue, type ReconcileQueue } from './queue/reconcile-queue.js';
import { CoalescingReconcileQueue } from './queue/coalescing-queue.js';
import { isUnsettled } from './controller/settled.js';
import { reconcileTargets } from './controller/triggers.js';
import { ChangeNotifier } from './api/watch.js';
import { resources } from './api/resources.js';
import { SIMULATED_NODES } from './nodes/simulation.js';
import { AlreadyExistsError } from './errors.js';

/**
 * Runtime is everything a handler needs, built once per process (per Lambda
 * container, or once for the local stack) and shared by all requests.
 */
export interface Runtime {
  config: RollwayConfig;
  ddb: DynamoDBDocumentClient;
  sqs: SQSClient;
  store: ObjectStore;
  objects: ObjectService;
  tenants: TenantStore;
  queue: ReconcileQueue;
  notifier: ChangeNotifier;
  now: () => number;
  /** Default start delay of pods on simulated nodes. */
  simStartDelayMs: number;
  /** Runs the per-tenant setup: default namespace and, for simulated tenants, nodes. */
  setupTenant: (tenant: string) => Promise<void>;
}

export interface RuntimeOptions {
  now?: () => number;
  simStartDelayMs?: number;
  ddb?: DynamoDBDocumentClient;
  sqs?: SQSClient;
  queue?: ReconcileQueue;
}

export function createRuntime(config: RollwayConfig, opts: RuntimeOptions = {}): Runtime {
  const now = opts.now ?? Date.now;
  const ddb = opts.ddb ?? createDocumentClient(config);
  const sqs = opts.sqs ?? createSqsClient(config);
  const queue = opts.queue ?? new CoalescingReconcileQueue(new SqsReconcileQueue(sqs, config.controllerQueueUrl), ddb, config.tableName, now);
  const notifier = new ChangeNotifier();
  const store = new ObjectStore({
    client: ddb,
    tableName: config.tableName,
    now,
    isUnsettled,
    // Every committed write wakes local watches and enqueues the reconciles it calls for.
    onWrite: async (tenant, resource, type, obj) => {
      notifier.notify(tenant);
      const targets = reconcileTargets(tenant, resource, type, obj);
      if (targets.length) await queue.send(targets);
    },
  });
  const objects = new ObjectService(store, queue, now);
  const tenants = new TenantStore(ddb, config.tableName, now);
  const simStartDelayMs = opts.simStartDelayMs ?? Number(process.env.ROLLWAY_SIM_START_DELAY_MS ?? 1500);

  const rt: Runtime = {
    config,
    ddb,
    sqs,
    store,
    objects,
    tenants,
    queue,
    notifier,
    now,
    simStartDelayMs,
    setupTenant: async (tenant: string) => {
      const namespaces = resources.find((r) => r.plural === 'namespaces')!;
      for (const ns of ['default', 'kube-system', 'kube-public']) {
        try {
          await store.create(tenant, namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
        } catch (err) {
          if (!(err instanceof AlreadyExistsError)) throw err;
        }
      }
      const t = await tenants.getTenant(tenant);
      if (t?.nodeMode !== 'agent') {
        const { ensureSimulatedNodes } = await import('./nodes/pod-reconciler.js');
        await ensureSimulatedNodes(rt, tenant, SIMULATED_NODES);
      }
    },
  };
  return rt;
}
