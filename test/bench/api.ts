import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '../../infra/local/stack.js';
import { StackClient } from '../support/stack-client.js';
import { deploymentBody } from './fixtures.js';
import { runLoad, say, type LoadResult } from './stats.js';

export const CONCURRENCY = [1, 8, 32];
const D = '/apis/apps/v1/namespaces/default/deployments';
const DC = '/apis/apps/v1/namespaces/bench-create/deployments';

export interface ApiRow {
  op: string;
  concurrency: number;
  result: LoadResult;
  floorName: string;
  floor: LoadResult;
}

/**
 * benchApi measures the HTTPS API (keep-alive) for get, list, create, merge
 * and strategic patch, and status update, at 1, 8 and 32 clients, beside raw
 * DynamoDB Local GetItem/PutItem at the same concurrency. The controller
 * workers are paused so only the API path is measured.
 */
export async function benchApi(stack: LocalStack, durationMs: number): Promise<ApiRow[]> {
  const client = new StackClient(stack.apiUrl, stack.caPem, { maxSockets: 64 });
  const tenant = await client.newTenant(stack.adminToken, `bench-api-${Date.now().toString(36)}`);
  const token = tenant.token;
  stack.workers.stop();
  const raw = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: stack.dynamoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const nsRes = await client.request('/api/v1/namespaces', { method: 'POST', token, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-create' } } });
    if (nsRes.status !== 201) throw new Error(`namespace: ${nsRes.status} ${nsRes.text}`);
    const max = Math.max(...CONCURRENCY);
    const objects: any[] = [];
    for (let c = 0; c < max; c++) {
      const r = await client.request(D, { method: 'POST', token, body: deploymentBody(`bench-${c}`, 3) });
      if (r.status !== 201) throw new Error(`setup create: ${r.status} ${r.text}`);
      objects.push(r.json);
    }
    // A raw item about the size of a stored Deployment.
    const payload = JSON.stringify(objects[0]);
    for (let c = 0; c < max; c++) {
      await raw.send(new PutItemCommand({ TableName: stack.config.tableName, Item: { pk: { S: `bench#raw` }, sk: { S: String(c) }, body: { S: payload } } }));
    }

    const expectOk = (want: number) => (r: { status: number; text: string }) => {
      if (r.status !== want) throw new Error(`status ${r.status}: ${r.text.slice(0, 200)}`);
    };
    let created = 0;
    const ops: Array<{ op: string; floorName: string; run: (c: number, i: number) => Promise<void> }> = [
      { op: 'get', floorName: 'GetItem', run: async (c) => expectOk(200)(await client.request(`${D}/bench-${c}`, { token })) },
      { op: 'list (32 objects)', floorName: 'GetItem', run: async () => expectOk(200)(await client.request(D, { token })) },
      { op: 'create', floorName: 'PutItem', run: async () => expectOk(201)(await client.request(DC, { method: 'POST', token, body: deploymentBody(`new-${created++}`, 1) })) },
      {
        op: 'patch (merge)',
        floorName: 'PutItem',
        run: async (c, i) => expectOk(200)(await client.request(`${D}/bench-${c}`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { bench: `m${i}` } } } })),
      },
      {
        op: 'patch (strategic)',
        floorName: 'PutItem',
        run: async (c, i) =>
          expectOk(200)(
            await client.request(`${D}/bench-${c}`, { method: 'PATCH', token, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'app', image: `registry.local/app:${i}` }] } } } } }),
          ),
      },
      {
        op: 'status update (PUT)',
        floorName: 'PutItem',
        run: async (c, i) => {
          const o = objects[c];
          const body = { ...o, metadata: { ...o.metadata, resourceVersion: undefined }, status: { observedGeneration: 1, replicas: i % 1000, updatedReplicas: 0 } };
          expectOk(200)(await client.request(`${D}/bench-${c}/status`, { method: 'PUT', token, body }));
        },
      },
    ];
    const floors: Record<string, (c: number, i: number) => Promise<void>> = {
      GetItem: async (c) => {
        await raw.send(new GetItemCommand({ TableName: stack.config.tableName, Key: { pk: { S: 'bench#raw' }, sk: { S: String(c) } }, ConsistentRead: true }));
      },
      PutItem: async (c, i) => {
        await raw.send(new PutItemCommand({ TableName: stack.config.tableName, Item: { pk: { S: 'bench#raw' }, sk: { S: String(c) }, body: { S: payload }, n: { N: String(i) } } }));
      },
    };
    const rows: ApiRow[] = [];
    for (const concurrency of CONCURRENCY) {
      const floorResults: Record<string, LoadResult> = {};
      for (const [name, fn] of Object.entries(floors)) {
        floorResults[name] = await runLoad(concurrency, durationMs, fn);
        say(`floor ${name} ×${concurrency}: p50 ${floorResults[name].p50.toFixed(2)} ms, p99 ${floorResults[name].p99.toFixed(2)} ms, ${floorResults[name].rps.toFixed(0)}/s`);
      }
      for (const o of ops) {
        const result = await runLoad(concurrency, durationMs, o.run);
        rows.push({ op: o.op, concurrency, result, floorName: o.floorName, floor: floorResults[o.floorName] });
        say(`api ${o.op} ×${concurrency}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.rps.toFixed(0)}/s, ${result.errors} errors${result.firstError ? ' (' + result.firstError + ')' : ''}`);
      }
    }
    return rows;
  } finally {
    client.close();
    raw.destroy();
  }
}
