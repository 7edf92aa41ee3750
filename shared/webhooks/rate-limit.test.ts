import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limit.js';

describe('TokenBucketLimiter', () => {
  it.each([
    { name: 'burst is allowed at once', takes: 20, at: 0, lastOk: true },
    { name: 'one over the burst is refused', takes: 21, at: 0, lastOk: false },
  ])('$name', ({ takes, at, lastOk }) => {
    const l = new TokenBucketLimiter(10, 20);
    let last = l.take('t', at);
    for (let i = 1; i < takes; i++) last = l.take('t', at);
    expect(last.ok).toBe(lastOk);
    if (!lastOk) expect(last.retryAfterSeconds).toBe(1);
  });

  it('refills at the rate and keeps tenants apart', () => {
    const l = new TokenBucketLimiter(10, 20);
    for (let i = 0; i < 20; i++) l.take('a', 0);
    expect(l.take('a', 0).ok).toBe(false);
    expect(l.take('b', 0).ok).toBe(true);
    expect(l.take('a', 100).ok).toBe(true);
    expect(l.take('a', 100).ok).toBe(false);
  });
});
