import { describe, expect, it } from 'vitest';
import type { Pod } from '../k8s/types.js';
import { sortPodsForDeletion } from './pod-deletion-order.js';
import { T0, newPod } from './test-fixtures.js';

// now is 10^6 s after T0, so ages are large and log2 buckets are coarse.
const now = T0 + 1_000_000_000;

describe('sortPodsForDeletion', () => {
  // Each case lists pods in the expected deletion order ("first" deleted first).
  it.each([
    { name: '1. unassigned before assigned', first: newPod({ name: 'a', node: '' }), second: newPod({ name: 'b', node: 'node-1' }) },
    { name: '2. pending before running', first: newPod({ name: 'a', phase: 'Pending' }), second: newPod({ name: 'b', phase: 'Running' }) },
    { name: '2. unknown before running', first: newPod({ name: 'a', phase: 'Unknown' }), second: newPod({ name: 'b', phase: 'Running' }) },
    { name: '2. pending before unknown', first: newPod({ name: 'a', phase: 'Pending' }), second: newPod({ name: 'b', phase: 'Unknown' }) },
    { name: '3. not ready before ready', first: newPod({ name: 'a' }), second: newPod({ name: 'b', readySince: 0 }) },
    { name: '4. lower deletion cost first', first: newPod({ name: 'b', deletionCost: -5, readySince: 0 }), second: newPod({ name: 'a', readySince: 0 }) },
    { name: '6. both ready: more recently ready first', first: newPod({ name: 'b', readySince: 999_000 }), second: newPod({ name: 'a', readySince: 0 }) },
    { name: '7. more restarts first', first: newPod({ name: 'b', restarts: 3 }), second: newPod({ name: 'a', restarts: 1 }) },
    { name: '8. newer first', first: newPod({ name: 'b', created: 999_000 }), second: newPod({ name: 'a', created: 0 }) },
    { name: '8. same log2 bucket: smaller uid first', first: newPod({ name: 'b', uid: '1', created: 100 }), second: newPod({ name: 'a', uid: '2', created: 101 }) },
    { name: '8. missing creation time first', first: { ...newPod({ name: 'b' }), metadata: { ...newPod({ name: 'b' }).metadata, creationTimestamp: undefined } } as Pod, second: newPod({ name: 'a', created: 999_999 }) },
  ])('$name', ({ first, second }) => {
    expect(sortPodsForDeletion([second, first], now).map((p) => p.metadata.name)).toEqual([first.metadata.name, second.metadata.name]);
    expect(sortPodsForDeletion([first, second], now).map((p) => p.metadata.name)).toEqual([first.metadata.name, second.metadata.name]);
  });

  it('5. more active pods on the same node first', () => {
    // Prepare: two pods on node-1, one on node-2, all else equal.
    const pods = [newPod({ name: 'n2', node: 'node-2' }), newPod({ name: 'n1a', node: 'node-1' }), newPod({ name: 'n1b', node: 'node-1' })];

    // Act
    const order = sortPodsForDeletion(pods, now).map((p) => p.metadata.name);

    // Assess
    expect(order.at(-1)).toBe('n2');
  });

  it('rules apply in priority order: unassigned beats everything after it', () => {
    const pods = [newPod({ name: 'ready-assigned', readySince: 0, restarts: 9 }), newPod({ name: 'unassigned', node: '', readySince: 0 }), newPod({ name: 'pending', phase: 'Pending' })];
    expect(sortPodsForDeletion(pods, now).map((p) => p.metadata.name)).toEqual(['unassigned', 'pending', 'ready-assigned']);
  });
});
