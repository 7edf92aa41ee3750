import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/rollway-function.js';
import { percentile, say } from './stats.js';

export const BUNDLE_BUDGET_BYTES = 2 * 1024 * 1024;
export const INIT_BUDGET_MS = 300;

export interface LambdaRow {
  fn: string;
  bytes: number;
  initMs: number;
  floorInitMs: number;
  connects: number;
  overBudget: string[];
}

// Runs in a fresh node: counts outgoing socket connects, then times the import of the bundle.
const PROBE = `
import net from 'node:net';
import { pathToFileURL } from 'node:url';
// The Lambda Node runtime provides this global for response streaming.
globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };
let connects = 0;
const orig = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...a) { connects++; return orig.apply(this, a); };
const t0 = performance.now();
await import(pathToFileURL(process.argv[1]).href);
const ms = performance.now() - t0;
await new Promise((r) => setTimeout(r, 50));
process.stdout.write(JSON.stringify({ ms, connects }));
process.exit(0);
`;

const ENV = {
  PATH: process.env.PATH ?? '',
  TABLE_NAME: 'rollway',
  CONTROLLER_QUEUE_URL: 'http://127.0.0.1:9/000000000000/nothing',
  NOTIFY_QUEUE_URL: 'http://127.0.0.1:9/000000000000/nothing',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  SQS_ENDPOINT: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'none',
  AWS_SECRET_ACCESS_KEY: 'none',
  LOG_LEVEL: 'error',
};

function initTime(file: string, runs: number): { ms: number; connects: number } {
  const times: number[] = [];
  let connects = 0;
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, file], { env: ENV, encoding: 'utf8', timeout: 30_000 });
    if (out.status !== 0) throw new Error(`init of ${file} failed: ${out.stderr.slice(-500)}`);
    const r = JSON.parse(out.stdout);
    times.push(r.ms);
    connects = Math.max(connects, r.connects);
  }
  times.sort((a, b) => a - b);
  return { ms: percentile(times, 50), connects };
}

/** benchLambda bundles each functions/<name>/index.ts as the CDK stack does and times its module init. */
export async function benchLambda(root: string, runs = 7): Promise<LambdaRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rollway-bundles-'));
  try {
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const handler = async () => undefined;\n');
    const floor = initTime(empty, runs);
    say(`lambda: empty module init ${floor.ms.toFixed(1)} ms`);
    const rows: LambdaRow[] = [];
    for (const fn of readdirSync(join(root, 'functions')).sort()) {
      const entry = join(root, 'functions', fn, 'index.ts');
      try {
        statSync(entry);
      } catch {
        continue;
      }
      const outfile = join(dir, fn, 'index.mjs');
      await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node22', minify: true, mainFields: ['module', 'main'], banner: { js: ESM_REQUIRE_BANNER }, logLevel: 'error' });
      const bytes = statSync(outfile).size;
      const init = initTime(outfile, runs);
      const overBudget: string[] = [];
      if (bytes > BUNDLE_BUDGET_BYTES) overBudget.push('bundle');
      if (init.ms > INIT_BUDGET_MS) overBudget.push('init');
      if (init.connects > 0) overBudget.push('network I/O at init');
      rows.push({ fn, bytes, initMs: init.ms, floorInitMs: floor.ms, connects: init.connects, overBudget });
      say(`lambda ${fn}: ${(bytes / 1024).toFixed(0)} KiB, init ${init.ms.toFixed(1)} ms, ${init.connects} connects`);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
