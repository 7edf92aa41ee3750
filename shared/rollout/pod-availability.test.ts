import { describe, expect, it } from 'vitest';
import { availableInMs, isPodActive, isPodAvailable, isPodReady } from './pod-availability.js';
import { T0, at, newPod } from './test-fixtures.js';

describe('isPodReady / isPodAvailable', () => {
  // now = T0 + 100 s
  const now = T0 + 100_000;
  it.each([
    { name: 'not ready', pod: newPod(), minReady: 0, ready: false, available: false, inMs: undefined },
    { name: 'ready, minReadySeconds 0', pod: newPod({ readySince: 99 }), minReady: 0, ready: true, available: true, inMs: undefined },
    { name: 'ready for 10 s of 10 s: not yet (strictly before)', pod: newPod({ readySince: 90 }), minReady: 10, ready: true, available: false, inMs: 1 },
    { name: 'ready for 11 s of 10 s', pod: newPod({ readySince: 89 }), minReady: 10, ready: true, available: true, inMs: undefined },
    { name: 'ready for 4 s of 10 s', pod: newPod({ readySince: 96 }), minReady: 10, ready: true, available: false, inMs: 6_001 },
  ])('$name', ({ pod, minReady, ready, available, inMs }) => {
    expect(isPodReady(pod)).toBe(ready);
    expect(isPodAvailable(pod, minReady, now)).toBe(available);
    expect(availableInMs(pod, minReady, now)).toBe(inMs);
  });
});

describe('isPodActive', () => {
  it.each([
    { name: 'running', pod: newPod(), active: true },
    { name: 'pending', pod: newPod({ phase: 'Pending' }), active: true },
    { name: 'succeeded', pod: newPod({ phase: 'Succeeded' }), active: false },
    { name: 'failed', pod: newPod({ phase: 'Failed' }), active: false },
    { name: 'terminating', pod: newPod({ deletionTimestamp: at(5) }), active: false },
  ])('$name', ({ pod, active }) => {
    expect(isPodActive(pod)).toBe(active);
  });
});
