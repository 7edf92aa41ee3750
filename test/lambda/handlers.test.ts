import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Writable } from 'node:stream';
import { api, deploymentManifest, newTenant } from '../support/client.js';

/**
 * The Lambda entry points, invoked in-process with the event shapes Lambda
 * delivers (function URL / API Gateway v2 HTTP events, SQS batches, a
 * scheduled event), against the test stack's DynamoDB Local and SQS.
 * The response-streaming runtime API (`awslambda.streamifyResponse`,
 * `awslambda.HttpResponseStream.from`) is provided as the Node.js Lambda
 * runtime provides it: a metadata prelude, then the body bytes.
 */

interface Captured {
  metadata?: { statusCode: number; headers: Record<string, string> };
  body: Buffer;
}

function installStreamingRuntime() {
  (globalThis as any).awslambda = {
    streamifyResponse: (fn: any) => fn,
    HttpResponseStream: {
      from(stream: Writable & { captured?: Captured }, metadata: Captured['metadata']) {
        stream.captured!.metadata = metadata;
        return stream;
      },
    },
  };
}

function responseStream(): Writable & { captured: Captured; done: Promise<Captured> } {
  const captured: Captured = { body: Buffer.alloc(0) };
  let resolve!: (c: Captured) => void;
  const done = new Promise<Captured>((r) => (resolve = r));
  const w = new Writable({
    write(chunk, _enc, cb) {
      captured.body = Buffer.concat([captured.body, Buffer.from(chunk)]);
      cb();
    },
    final(cb) {
      resolve(captured);
      cb();
    },
  }) as Writable & { captured: Captured; done: Promise<Captured> };
  w.captured = captured;
  w.done = done;
  return w;
}

function functionUrlEvent(method: string, path: string, opts: { token?: string; body?: string; base64?: boolean; query?: string; headers?: Record<string, string> } = {}) {
  const body = opts.body === undefined ? undefined : opts.base64 ? Buffer.from(opts.body).toString('base64') : opts.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: opts.query ?? '',
    headers: {
      host: 'abcdefghij.lambda-url.us-east-1.on.aws',
      'x-forwarded-proto': 'https',
      'user-agent': 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07',
      accept: 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    queryStringParameters: opts.query ? Object.fromEntries(new URLSearchParams(opts.query)) : undefined,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij',
      domainName: 'abcdefghij.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghij',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'kubectl/v1.32.4' },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: '$default',
      stage: '$default',
      time: '26/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
    },
    body,
    isBase64Encoded: Boolean(opts.base64),
  };
}

const lambdaContext = { functionName: 'rollway-api', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 900_000 } as any;

function sqsRecord(id: string, body: string) {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1795000000000', SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: '1795000000001' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs' as const,
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:rollway-controller',
    awsRegion: 'us-east-1',
  };
}

let apiHandler: any;
let controllerHandler: any;
let resyncHandler: any;

async function invokeApi(event: unknown): Promise<{ status: number; headers: Record<string, string>; text: string; json: any }> {
  const stream = responseStream();
  await apiHandler(event, stream, lambdaContext);
  const c = await stream.done;
  const text = c.body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: c.metadata?.statusCode ?? 0, headers: c.metadata?.headers ?? {}, text, json };
}

describe('Lambda handlers with real event shapes', () => {
  let token: string;
  beforeAll(async () => {
    Object.assign(process.env, {
      TABLE_NAME: 'rollway',
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      SQS_ENDPOINT: inject('sqsEndpoint'),
      CONTROLLER_QUEUE_URL: inject('controllerQueueUrl'),
      ROLLWAY_ADMIN_TOKEN: inject('adminToken'),
      AWS_REGION: 'us-east-1',
    });
    installStreamingRuntime();
    apiHandler = (await import('../../functions/api/index.js')).handler;
    controllerHandler = (await import('../../functions/controller/index.js')).handler;
    resyncHandler = (await import('../../functions/resync/index.js')).handler;
    ({ token } = await newTenant('lambda'));
  });

  it('answers a function URL GET with the streamed response and its status', async () => {
    const res = await invokeApi(functionUrlEvent('GET', '/version', { token }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json).toMatchObject({ major: '1', minor: '32' });
  });

  it('refuses a request without a token with a 401 Status', async () => {
    const res = await invokeApi(functionUrlEvent('GET', '/apis/apps/v1/namespaces/default/deployments'));
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });

  it('decodes a base64 body and creates the object', async () => {
    const res = await invokeApi(functionUrlEvent('POST', '/apis/apps/v1/namespaces/default/deployments', { token, body: JSON.stringify(deploymentManifest('from-lambda', { replicas: 1 })), base64: true }));
    expect(res.status).toBe(201);
    expect(res.json.metadata.name).toBe('from-lambda');
    const stored = await api('/apis/apps/v1/namespaces/default/deployments/from-lambda', { token });
    expect(stored.json.metadata.uid).toBe(res.json.metadata.uid);
  });

  it('streams a watch as newline-delimited events and ends at timeoutSeconds', async () => {
    await api('/api/v1/namespaces/default/secrets', { method: 'POST', token, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'watched' }, stringData: { a: 'b' } } });
    const res = await invokeApi(functionUrlEvent('GET', '/api/v1/namespaces/default/secrets', { token, query: 'watch=true&timeoutSeconds=1' }));
    expect(res.status).toBe(200);
    const events = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Secret', metadata: { name: 'watched' } } });
  });

  it('reports exactly the failing record of an SQS batch in batchItemFailures', async () => {
    const { name: tenant } = await newTenant('sqs');
    await api('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', token, body: deploymentManifest('batch-target', { replicas: 1 }) });
    const tooLong = 'x'.repeat(2000); // a tombstone key DynamoDB refuses: that reconcile throws
    const event = {
      Records: [
        sqsRecord('ok-1', JSON.stringify({ v: 1, tenant, kind: 'Deployment', namespace: 'default', name: 'absent' })),
        sqsRecord('fails', JSON.stringify({ v: 1, tenant, kind: 'GarbageCollect', name: tooLong })),
        sqsRecord('ok-2', JSON.stringify({ v: 1, tenant, kind: 'ReplicaSet', namespace: 'default', name: 'absent' })),
        sqsRecord('malformed', '{"not":"a reconcile message"}'),
      ],
    };
    const out = await controllerHandler(event, lambdaContext);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'fails' }] });
  });

  it('runs the resync sweep from a scheduled event', async () => {
    const out = await resyncHandler({ version: '0', id: 'e1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: '2026-11-26T10:00:00Z', region: 'us-east-1', resources: [], detail: {} }, lambdaContext);
    expect(out.enqueued).toBeGreaterThanOrEqual(0);
  });
});
