/** Small helpers for the benchmark: percentiles, formatting, timed loops. */

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface LoadResult {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  rps: number;
  firstError?: string;
}

/**
 * runLoad runs `op` from `concurrency` clients in closed loops for
 * `durationMs` (after a short warm-up), recording each call's latency.
 */
export async function runLoad(concurrency: number, durationMs: number, op: (client: number, i: number) => Promise<void>, warmupMs = 300): Promise<LoadResult> {
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const warmEnd = Date.now() + warmupMs;
  const end = warmEnd + durationMs;
  let measuredStart = 0;
  const worker = async (c: number) => {
    while (Date.now() < end) {
      const i = counter++;
      const t0 = performance.now();
      try {
        await op(c, i);
        const dt = performance.now() - t0;
        if (Date.now() >= warmEnd) lat.push(dt);
      } catch (err) {
        errors++;
        firstError ??= String((err as Error)?.message ?? err).slice(0, 200);
      }
    }
  };
  setTimeout(() => (measuredStart = performance.now()), warmupMs).unref();
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, c) => worker(c)));
  const elapsed = performance.now() - (measuredStart || t);
  lat.sort((a, b) => a - b);
  return { count: lat.length, errors, p50: percentile(lat, 50), p99: percentile(lat, 99), rps: (lat.length / elapsed) * 1000, firstError };
}

export const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '–');
export const num = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–');
export const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '–');

export function table(head: string[], rows: Array<Array<string | number>>): string {
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

export function say(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
