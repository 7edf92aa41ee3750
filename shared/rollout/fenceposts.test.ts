import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, minAvailable, resolveFenceposts, scaledValue } from './fenceposts.js';
import { newDeployment } from './test-fixtures.js';

describe('resolveFenceposts', () => {
  // Mirrors upstream TestResolveFenceposts.
  it.each([
    { name: '0%/0% of 0 → unavailable 1', maxSurge: '0%', maxUnavailable: '0%', desired: 0, surge: 0, unavailable: 1, error: false },
    { name: '39%/39% of 10 → surge 4 (up), unavailable 3 (down)', maxSurge: '39%', maxUnavailable: '39%', desired: 10, surge: 4, unavailable: 3, error: false },
    { name: 'oops surge is an error', maxSurge: 'oops', maxUnavailable: '39%', desired: 10, surge: 0, unavailable: 0, error: true },
    { name: 'urg unavailable is an error', maxSurge: '55%', maxUnavailable: 'urg', desired: 10, surge: 0, unavailable: 0, error: true },
    { name: 'nil surge counts as 0', maxSurge: undefined, maxUnavailable: '39%', desired: 10, surge: 0, unavailable: 3, error: false },
    { name: 'nil unavailable counts as 0', maxSurge: '39%', maxUnavailable: undefined, desired: 10, surge: 4, unavailable: 0, error: false },
    { name: 'nil/nil → unavailable 1', maxSurge: undefined, maxUnavailable: undefined, desired: 10, surge: 0, unavailable: 1, error: false },
    { name: '25%/25% of 10', maxSurge: '25%', maxUnavailable: '25%', desired: 10, surge: 3, unavailable: 2, error: false },
    { name: '25%/25% of 3', maxSurge: '25%', maxUnavailable: '25%', desired: 3, surge: 1, unavailable: 0, error: false },
    { name: '25%/25% of 1', maxSurge: '25%', maxUnavailable: '25%', desired: 1, surge: 1, unavailable: 0, error: false },
    { name: 'ints are used as-is', maxSurge: 2, maxUnavailable: 1, desired: 10, surge: 2, unavailable: 1, error: false },
    { name: '"5" without % is an error', maxSurge: '5', maxUnavailable: 1, desired: 10, surge: 0, unavailable: 0, error: true },
    { name: '10% of 3 rounds down to 0 → unavailable 1', maxSurge: 0, maxUnavailable: '10%', desired: 3, surge: 0, unavailable: 1, error: false },
  ])('$name', ({ maxSurge: ms, maxUnavailable: mu, desired, surge, unavailable, error }) => {
    // Act
    const got = resolveFenceposts(ms, mu, desired);

    // Assess
    expect({ surge: got.surge, unavailable: got.unavailable, error: got.error !== undefined }).toEqual({ surge, unavailable, error });
  });
});

describe('scaledValue', () => {
  it.each([
    { name: 'percent rounded up', v: '25%', total: 10, up: true, value: 3 },
    { name: 'percent rounded down', v: '25%', total: 10, up: false, value: 2 },
    { name: 'int', v: 7, total: 10, up: false, value: 7 },
    { name: 'nil is an error', v: undefined, total: 10, up: true, value: 0, error: true },
    { name: 'non-numeric percent is an error', v: 'a%', total: 10, up: true, value: 0, error: true },
  ])('$name', ({ v, total, up, value, error }) => {
    const got = scaledValue(v, total, up);
    expect(got.value).toBe(value);
    expect(got.error !== undefined).toBe(!!error);
  });
});

describe('maxSurge / maxUnavailable / minAvailable', () => {
  it.each([
    { name: 'rolling 10 at 25%/25%', d: newDeployment({ replicas: 10 }), surge: 3, unavailable: 2, min: 8 },
    { name: 'recreate has no surge and no unavailability', d: newDeployment({ replicas: 10, strategy: 'Recreate' }), surge: 0, unavailable: 0, min: 0 },
    { name: '0 replicas: maxUnavailable 0', d: newDeployment({ replicas: 0, maxSurge: 0, maxUnavailable: 0 }), surge: 0, unavailable: 0, min: 0 },
    { name: 'maxUnavailable is capped at replicas', d: newDeployment({ replicas: 2, maxSurge: 0, maxUnavailable: 5 }), surge: 0, unavailable: 2, min: 0 },
    { name: '0/0 on 10 replicas → unavailable 1', d: newDeployment({ replicas: 10, maxSurge: 0, maxUnavailable: 0 }), surge: 0, unavailable: 1, min: 9 },
  ])('$name', ({ d, surge, unavailable, min }) => {
    expect([maxSurge(d), maxUnavailable(d), minAvailable(d)]).toEqual([surge, unavailable, min]);
  });
});
