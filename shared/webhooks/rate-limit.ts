/**
 * Per-tenant token bucket for webhook deliveries, in memory per process
 * (per Lambda container, or the local stack): ROLLWAY_WEBHOOK_RATE tokens a
 * second (default 10) with bursts up to ROLLWAY_WEBHOOK_BURST (default 20).
 * Several containers each hold a bucket, so the fleet-wide limit is a
 * multiple of this; it bounds abuse, not billing.
 */
export interface TakeResult {
  ok: boolean;
  /** Whole seconds until a token is available (for Retry-After), when !ok. */
  retryAfterSeconds: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** take spends one token of `key` at `nowMs`. */
  take(key: string, nowMs: number): TakeResult {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: this.burst, at: nowMs };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.ratePerSecond);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, retryAfterSeconds: 0 };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSecond)) };
  }
}

const num = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);

/** webhookLimiter is the process-wide limiter of the webhook routes. */
export const webhookLimiter = new TokenBucketLimiter(num(process.env.ROLLWAY_WEBHOOK_RATE, 10), num(process.env.ROLLWAY_WEBHOOK_BURST, 20));
