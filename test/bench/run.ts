/**
 * The Rollway benchmark: `npm run bench` (tsx test/bench/run.ts).
 * Starts its own local stack in-process, measures the API, rollouts, a fleet
 * and the Lambda bundles, each beside a floor measured in the same run, and
 * writes BENCHMARKS.md. `--quick` runs a short smoke version (not written
 * unless --write is given too); `--only=api,rollouts,fleet,lambda` picks parts,
 * `--sizes=10,100` the rollout sizes.
 */
process.env.LOG_LEVEL ??= 'error';

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, release, platform, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { startLocalStack } from '../../infra/local/stack.js';
import { CallCounter } from '../support/aws-wrappers.js';
import { benchApi, type ApiRow } from './api.js';
import { benchRollout, minimumObjectWrites, type RolloutRow } from './rollouts.js';
import { benchFleet, type FleetRow } from './fleet.js';
import { benchLambda, BUNDLE_BUDGET_BYTES, INIT_BUDGET_MS, type LambdaRow } from './lambda.js';
import { ms, num, ratio, say, sleep, table } from './stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const write = !quick || args.includes('--write');
const only = (args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? ['lambda', 'api', 'rollouts', 'fleet']).map((s) => s.trim());
const sizesArg = args.find((a) => a.startsWith('--sizes='))?.slice(8);
const sizes = sizesArg ? sizesArg.split(',').map(Number) : quick ? [10, 100] : [10, 100, 1000];
const caps: Record<number, number> = { 10: 60_000, 100: 300_000, 1000: 600_000 };
const fleetOpts = quick ? { tenants: 4, deployments: 5, replicas: 4, capMs: 120_000 } : { tenants: 20, deployments: 10, replicas: 10, capMs: 600_000 };
const apiDurationMs = quick ? 800 : 2500;

async function main() {
  const started = Date.now();
  const machine = {
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${platform()} ${release()}`,
    load: loadavg().map((l) => l.toFixed(1)).join(' / '),
  };
  say(`machine: ${machine.cpu}, ${machine.memory}, node ${machine.node}, ${machine.os}`);

  let lambdaRows: LambdaRow[] = [];
  if (only.includes('lambda')) {
    say('lambda: bundling functions/*/index.ts as the CDK stack does');
    lambdaRows = await benchLambda(root, quick ? 3 : 7);
  }

  let apiRows: ApiRow[] = [];
  const rolloutRows: RolloutRow[] = [];
  let fleet: FleetRow | undefined;
  if (only.some((o) => ['api', 'rollouts', 'fleet'].includes(o))) {
    const stateDir = mkdtempSync(join(tmpdir(), 'rollway-bench-'));
    const counter = new CallCounter();
    say('starting a local stack (DynamoDB Local, SQS emulator, HTTPS API, 4 controller workers)');
    const stack = await startLocalStack({
      port: 0,
      stateDir,
      simStartDelayMs: 0,
      resyncMs: 0,
      workers: 4,
      wrapClients: { ddb: (c) => counter.attach(c), sqs: (c) => counter.attach(c) },
      progress: (l) => say(l),
    });
    try {
      if (only.includes('api')) {
        say(`api: ${apiDurationMs} ms per operation and concurrency, controller workers paused`);
        apiRows = await benchApi(stack, apiDurationMs);
        await stack.runtime.sqs.send(new PurgeQueueCommand({ QueueUrl: stack.config.controllerQueueUrl }));
        await sleep(500);
        stack.workers.start();
      }
      if (only.includes('rollouts')) {
        for (const n of sizes) rolloutRows.push(await benchRollout(stack, counter, n, caps[n]));
      }
      if (only.includes('fleet')) fleet = await benchFleet(stack, counter, fleetOpts);
    } finally {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }

  const report = render({ machine, apiRows, rolloutRows, fleet, lambdaRows, minutes: (Date.now() - started) / 60_000 });
  process.stdout.write('\n' + report + '\n');
  if (write) {
    writeFileSync(join(root, 'BENCHMARKS.md'), report);
    say('wrote BENCHMARKS.md');
  }
}

function render(r: { machine: Record<string, string>; apiRows: ApiRow[]; rolloutRows: RolloutRow[]; fleet?: FleetRow; lambdaRows: LambdaRow[]; minutes: number }): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(`Measured by \`npm run bench\` (\`tsx test/bench/run.ts${quick ? ' --quick' : ''}\`) on ${new Date().toISOString().slice(0, 10)}, in ${r.minutes.toFixed(1)} minutes.`, '');
  out.push(`Machine: ${r.machine.cpu}; ${r.machine.memory} memory; node ${r.machine.node}; ${r.machine.os}. Load average (1/5/15 min) when the run started: ${r.machine.load}: other work shared the machine, which is one more reason to read the ratios rather than the absolute figures.`, '');
  out.push(
    'Everything runs on this one machine: the benchmark starts its own local stack in-process (DynamoDB Local in Java, the fauxqs SQS emulator, the HTTPS API, 4 controller workers polling SQS, simulated nodes whose pods start at once). Every figure stands beside a floor measured in the same run, and the ratio is what to compare between runs: absolute numbers say as much about DynamoDB Local and this machine as about Rollway.',
    '',
  );
  if (r.apiRows.length) {
    out.push('## API', '');
    out.push(
      'HTTPS with keep-alive to the local API, N clients in closed loops, controller workers paused so that only the request path is measured. Floor: raw DynamoDB Local GetItem (for reads) or PutItem (for writes) of an item the size of a stored Deployment, at the same concurrency. A read through the API is a token lookup (GetItem) plus the object GetItem (or a counter GetItem and a Query for a list); a write is a token lookup, the object read, a counter UpdateItem, a TransactWriteItems (object + change record) and an SQS send of the reconcile message.',
      '',
    );
    out.push(
      table(
        ['operation', 'clients', 'p50 ms', 'p99 ms', 'req/s', 'errors', 'floor', 'floor p50 ms', 'floor p99 ms', 'floor req/s', 'p50 overhead', 'throughput ratio'],
        r.apiRows.map((a) => [a.op, a.concurrency, ms(a.result.p50), ms(a.result.p99), num(a.result.rps, 0), a.result.errors, a.floorName, ms(a.floor.p50), ms(a.floor.p99), num(a.floor.rps, 0), ratio(a.result.p50, a.floor.p50), ratio(a.floor.rps, a.result.rps)]),
      ),
      '',
    );
  }
  if (r.rolloutRows.length) {
    out.push('## Rollouts', '');
    out.push(
      'One Deployment of N replicas (RollingUpdate, maxSurge 25%, maxUnavailable 25%) is created and left to complete, then its image is changed; the figures cover the image change until the Deployment reports every replica updated and available (polled through a separate, uncounted DynamoDB client), plus 1.5 s for the last status writes to drain. Counts come from middleware on the runtime\'s DynamoDB and SQS clients, by command name, and are divided by N replaced pods.',
      '',
    );
    out.push(
      table(
        ['N', 'first rollout s', 'image rollout s', 'done', 'controller invocations', 'reconcile msgs handled', 'SQS msgs sent / pod', 'DDB reads / pod', 'object writes / pod', 'floor object writes / pod', 'ratio', 'DDB item writes / pod', 'floor item writes / pod'],
        r.rolloutRows.map((x) => {
          const tx = x.counts.byCommand.TransactWriteItemsCommand ?? 0;
          const n = x.replicas;
          return [
            n,
            num(x.createMs / 1000),
            x.finished ? num(x.rolloutMs / 1000) : `cap ${num(x.rolloutMs / 1000, 0)} s`,
            x.finished ? 'yes' : `no: ${x.updatedAtCap ?? 0}/${n} updated`,
            x.counts.sqsBatchesReceived,
            x.counts.sqsReceived,
            num(x.counts.sqsSent / n, 2),
            num(x.counts.reads / n, 1),
            num(tx / n, 2),
            num(x.minObjectWrites / n, 2),
            ratio(tx, x.minObjectWrites),
            num(x.counts.writeItems / n, 1),
            num((3 * x.minObjectWrites) / n, 2),
          ];
        }),
      ),
      '',
    );
    out.push('Calls by command during each image rollout:', '');
    out.push(table(['N', 'calls'], r.rolloutRows.map((x) => [x.replicas, Object.entries(x.counts.byCommand).sort().map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`).join(', ')])), '');
    out.push(
      '### The floor, and why those writes are unavoidable',
      '',
      'Each replaced pod needs four object writes that no algorithm can skip: **create** the new pod (the ReplicaSet controller), **bind** it to a node (the scheduler writes `spec.nodeName`), **status Running/Ready** (the kubelet, here the simulated one) and **delete** the old pod (its ReplicaSet scaled down). On top, amortized over the N pods: the new ReplicaSet is created once, the Deployment gets its revision annotation once, each rolling step scales the new ReplicaSet up and the old one down (steps = ⌈N / (maxSurge + maxUnavailable)⌉), and at the end both ReplicaSets and the Deployment get a final status write. So the floor is `4N + 2 + 2·steps + 3` object writes.',
      '',
      'In this store an object write is one TransactWriteItems of two items (the object and its change record for watches) plus one UpdateItem of the tenant\'s resourceVersion counter, so each object write costs 3 item writes: the item floor is 3× the object floor. Writes above the floor are intermediate status writes (ReplicaSet and Deployment status after each pod becomes ready, which kubectl rollout status watches), lost optimistic-concurrency races that are retried, and Events.',
      '',
      'SQS: every object write that someone must react to sends a reconcile message (a pod write wakes the pod itself and its ReplicaSet; a ReplicaSet write wakes it and its Deployment), so the floor is about 4 messages per pod (create→bind, bind→start, ready→ReplicaSet counts it, delete→ReplicaSet counts it). Messages for the same object in one batch run as one reconcile.',
      '',
    );
  }
  if (r.fleet) {
    const f = r.fleet;
    const total = f.tenants * f.deploymentsPerTenant;
    const pods = total * f.replicas;
    out.push('## Fleet', '');
    out.push(
      `${f.tenants} tenants × ${f.deploymentsPerTenant} Deployments × ${f.replicas} replicas (${pods} pods) are created and completed, then every Deployment's image is changed at once. Floor for the rate: the largest single-Deployment rollout above that finished (same stack, same workers), in pods replaced per second. Peak memory is VmHWM from /proc (reset with clear_refs before the image change): the local stack's node process (API, controllers, SQS emulator, benchmark client) and DynamoDB Local's Java process.`,
      '',
    );
    const single = r.rolloutRows.find((x) => x.replicas === 1000 && x.finished) ?? r.rolloutRows.filter((x) => x.finished).at(-1);
    const singleRate = single ? single.replicas / (single.rolloutMs / 1000) : NaN;
    const fleetRate = f.finished ? pods / (f.rolloutMs / 1000) : NaN;
    out.push(
      table(
        ['first rollout of all', 'image rollout of all', 'done', 'pods replaced / s', 'single-deployment pods / s (floor)', 'ratio', 'reconcile msgs / s', 'controller invocations', 'DDB reads', 'DDB item writes', 'SQS sent', 'peak RSS node', 'peak RSS DynamoDB Local'],
        [
          [
            `${num(f.createMs / 1000)} s${f.createFinished ? '' : ' (cap)'}`,
            f.finished ? `${num(f.rolloutMs / 1000)} s` : `cap ${num(f.rolloutMs / 1000, 0)} s`,
            f.finished ? 'yes' : `no: ${f.completedAtCap}/${total}`,
            num(fleetRate, 1),
            single ? `${num(singleRate, 1)} (N=${single.replicas})` : '–',
            ratio(fleetRate, singleRate),
            num(f.reconcilesPerSecond, 1),
            f.counts.sqsBatchesReceived,
            f.counts.reads,
            f.counts.writeItems,
            f.counts.sqsSent,
            `${num(f.peakRssNodeMb, 0)} MiB`,
            `${num(f.peakRssJavaMb, 0)} MiB`,
          ],
        ],
      ),
      '',
    );
  }
  if (r.lambdaRows.length) {
    out.push('## Lambda bundles', '');
    out.push(
      `Each \`functions/*/index.ts\` bundled with esbuild as the CDK stack does (ESM, platform node, target node22, minify, bundle, the require banner, AWS SDK bundled), without source maps. Init time is the median of several imports of the bundle, each in a fresh \`node\` process with every endpoint pointing at nothing; the probe counts outgoing socket connects during init, which must be 0. Floor: the same import of an empty module. Budgets: bundle < ${BUNDLE_BUDGET_BYTES / 2 ** 20} MiB, init < ${INIT_BUDGET_MS} ms.`,
      '',
    );
    out.push(
      table(
        ['function', 'bundle KiB', 'init ms', 'empty module init ms', 'init ratio', 'connects at init', 'budget'],
        r.lambdaRows.map((l) => [l.fn, num(l.bytes / 1024, 0), ms(l.initMs), ms(l.floorInitMs), ratio(l.initMs, l.floorInitMs), l.connects, l.overBudget.length ? `**over: ${l.overBudget.join(', ')}**` : 'within']),
      ),
      '',
    );
  }
  const flags: string[] = [];
  for (const x of r.rolloutRows) if (!x.finished) flags.push(`The N=${x.replicas} rollout did not complete within its ${num(x.rolloutMs / 1000, 0)} s cap (${x.updatedAtCap ?? 0}/${x.replicas} updated); its per-pod figures cover only what happened before the cap.`);
  if (r.fleet && !r.fleet.createFinished) flags.push(`The fleet's first rollout did not complete within the cap, so the image change started while pods were still being created; the fleet figures describe an overloaded stack, not a steady one.`);
  if (r.fleet && !r.fleet.finished) flags.push(`The fleet image rollout did not complete within the cap (${r.fleet.completedAtCap} of ${r.fleet.tenants * r.fleet.deploymentsPerTenant} Deployments complete).`);
  for (const l of r.lambdaRows) if (l.overBudget.length) flags.push(`Lambda ${l.fn} is over budget: ${l.overBudget.join(', ')}.`);
  for (const a of r.apiRows) if (a.result.errors) flags.push(`API ${a.op} ×${a.concurrency}: ${a.result.errors} errors (${a.result.firstError ?? ''}).`);
  if (flags.length) out.push('## Flags raised by this run', '', ...flags.map((f) => `- ${f}`), '');
  return out.join('\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
