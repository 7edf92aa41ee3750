import { describe, expect, it } from 'vitest';
import { backoffSeconds, deliveryOptionsFromEnv } from './deliver.js';

describe('backoffSeconds', () => {
  it.each([
    { next: 2, base: 1, want: 1 },
    { next: 3, base: 1, want: 2 },
    { next: 4, base: 1, want: 4 },
    { next: 8, base: 1, want: 64 },
    { next: 12, base: 1, want: 900 },
    { next: 3, base: 10, want: 20 },
    { next: 20, base: 30, want: 900 },
  ])('attempt $next with base $base waits $want s', ({ next, base, want }) => {
    expect(backoffSeconds(next, base)).toBe(want);
  });
});

describe('deliveryOptionsFromEnv', () => {
  it.each([
    { env: {}, want: { backoffBaseSeconds: 1, maxAttempts: 8 } },
    { env: { ROLLWAY_NOTIFY_BACKOFF_BASE_SECONDS: '2', ROLLWAY_NOTIFY_MAX_ATTEMPTS: '3' }, want: { backoffBaseSeconds: 2, maxAttempts: 3 } },
    { env: { ROLLWAY_NOTIFY_BACKOFF_BASE_SECONDS: 'x' }, want: { backoffBaseSeconds: 1, maxAttempts: 8 } },
  ])('$env', ({ env, want }) => expect(deliveryOptionsFromEnv(env)).toEqual(want));
});
