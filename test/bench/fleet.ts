import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { LocalStack } from '../../infra/local/stack.js';
import { StackClient } from '../support/stack-client.js';
import { type CallCounter, type CallCounts, diffCounts } from '../support/aws-wrappers.js';
import { complete, deploymentBody } from './fixtures.js';
import { observer } from './rollouts.js';
import { say, sleep } from './stats.js';

const D = '/apis/apps/v1/namespaces/default/deployments';

export interface FleetRow {
  tenants: number;
  deploymentsPerTenant: number;
  replicas: number;
  createMs: number;
  createFinished: boolean;
  rolloutMs: number;
  finished: boolean;
  completedAtCap: number;
  counts: CallCounts;
  reconcilesPerSecond: number;
  peakRssNodeMb: number;
  peakRssJavaMb: number;
}

/** vmHwmMb reads a process's peak resident set (VmHWM) in MiB. */
export function vmHwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** resetHwm clears a process's peak RSS so the next reading covers only what follows (Linux clear_refs 5). */
export function resetHwm(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    /* not allowed here: the peak then covers the whole run */
  }
}

/**
 * dynamoPid finds the DynamoDB Local java process serving `endpoint` (the
 * stack runs it under a small `sh` guard, so match the java binary itself).
 */
export function dynamoPid(endpoint: string): number | undefined {
  const port = new URL(endpoint).port;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const exe = cmd[0].split('/').pop();
      if (exe === 'java' && cmd.some((a) => a.endsWith('DynamoDBLocal.jar')) && cmd.includes(port)) return Number(d);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

export async function benchFleet(stack: LocalStack, counter: CallCounter, opts: { tenants: number; deployments: number; replicas: number; capMs: number }): Promise<FleetRow> {
  const client = new StackClient(stack.apiUrl, stack.caPem, { maxSockets: 16 });
  const obs = observer(stack);
  const java = dynamoPid(stack.dynamoEndpoint);
  const stamp = Date.now().toString(36);
  const tenants: Array<{ name: string; token: string; tokenId: string }> = [];
  for (let t = 0; t < opts.tenants; t++) tenants.push(await client.newTenant(stack.adminToken, `fleet-${t}-${stamp}`));
  const all = tenants.flatMap((t) => Array.from({ length: opts.deployments }, (_, i) => ({ tenant: t, name: `app-${i}` })));
  const total = all.length;
  const countComplete = async () => {
    let n = 0;
    for (const t of tenants) n += (await obs.list(t.name)).filter(complete).length;
    return n;
  };
  const waitAll = async (label: string): Promise<{ ms: number; finished: boolean; done: number }> => {
    const t0 = Date.now();
    let lastSay = t0;
    for (;;) {
      const done = await countComplete();
      if (done === total) return { ms: Date.now() - t0, finished: true, done };
      if (Date.now() - t0 > opts.capMs) return { ms: Date.now() - t0, finished: false, done };
      if (Date.now() - lastSay > 10_000) {
        lastSay = Date.now();
        say(`  ${label}: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${done}/${total} deployments complete`);
      }
      await sleep(500);
    }
  };
  try {
    say(`fleet: creating ${total} deployments × ${opts.replicas} replicas in ${opts.tenants} tenants`);
    await mapLimit(all, 16, async ({ tenant, name }) => {
      const r = await client.request(D, { method: 'POST', token: tenant.token, body: deploymentBody(name, opts.replicas) });
      if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
    });
    const created = await waitAll('fleet create');
    say(`fleet: ${created.done}/${total} created in ${(created.ms / 1000).toFixed(1)} s`);
    await sleep(1000);
    resetHwm(process.pid);
    if (java) resetHwm(java);
    const before = counter.snapshot();
    const t0 = Date.now();
    say('fleet: changing the image of every deployment at once');
    await mapLimit(all, 32, async ({ tenant, name }) => {
      const r = await client.request(`${D}/${name}`, {
        method: 'PATCH',
        token: tenant.token,
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/app:v2' }] } } } },
      });
      if (r.status !== 200) throw new Error(`patch: ${r.status} ${r.text}`);
    });
    const rolled = await waitAll('fleet rollout');
    const ms = Date.now() - t0;
    const counts = diffCounts(counter.snapshot(), before);
    say(`fleet: ${rolled.done}/${total} rolled out in ${(ms / 1000).toFixed(1)} s`);
    return {
      tenants: opts.tenants,
      deploymentsPerTenant: opts.deployments,
      replicas: opts.replicas,
      createMs: created.ms,
      createFinished: created.finished,
      rolloutMs: ms,
      finished: rolled.finished,
      completedAtCap: rolled.done,
      counts,
      reconcilesPerSecond: counts.sqsReceived / (ms / 1000),
      peakRssNodeMb: vmHwmMb(process.pid),
      peakRssJavaMb: java ? vmHwmMb(java) : NaN,
    };
  } finally {
    client.close();
  }
}
