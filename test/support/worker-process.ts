/**
 * A controller worker in a process of its own, so a test can SIGKILL it in
 * the middle of a step. Configured from the environment like the Lambda
 * (DYNAMODB_ENDPOINT, SQS_ENDPOINT, TABLE_NAME, CONTROLLER_QUEUE_URL), plus
 * WORKER_DDB_DELAY_MS to slow every DynamoDB call (a wider window for the
 * kill to land inside a reconcile). Prints `begin N` / `end N` per batch.
 *
 *   npx tsx test/support/worker-process.ts
 */
import { configFromEnv } from '../../shared/config.js';
import { createRuntime } from '../../shared/runtime.js';
import { createDocumentClient } from '../../shared/store/client.js';
import { createSqsClient } from '../../shared/queue/reconcile-queue.js';
import { startWorkerLoop } from './worker-loop.js';

const config = configFromEnv();
const delay = Number(process.env.WORKER_DDB_DELAY_MS ?? 0);
const ddb = createDocumentClient(config);
if (delay > 0) {
  ddb.middlewareStack.add(
    ((next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
      await new Promise((r) => setTimeout(r, delay));
      return next(args);
    }) as never,
    { step: 'initialize', name: 'testDelay' },
  );
}
const rt = createRuntime(config, { ddb, simStartDelayMs: 0 });
const loop = startWorkerLoop({
  rt,
  sqs: createSqsClient(config),
  queueUrl: config.controllerQueueUrl,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
  onBatch: (phase, n) => process.stdout.write(`${phase} ${n}\n`),
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  loop.stop().then(() => process.exit(0));
});
