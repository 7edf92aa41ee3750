import { describe, expect, it } from 'vitest';
import { bySizeNewer, bySizeOlder, byCreationTimestamp, newRSNewReplicas } from './replicas.js';
import { newDeployment, newReplicaSet } from './test-fixtures.js';

describe('newRSNewReplicas', () => {
  // Mirrors upstream TestNewRSNewReplicas: one other RS of 5 replicas exists.
  it.each([
    { name: 'can not scale up - to newRSReplicas', strategy: 'RollingUpdate', depReplicas: 1, newRSReplicas: 5, maxSurge: 1, expected: 5 },
    { name: 'scale up - to depReplicas', strategy: 'RollingUpdate', depReplicas: 6, newRSReplicas: 2, maxSurge: 10, expected: 6 },
    { name: 'recreate - to depReplicas', strategy: 'Recreate', depReplicas: 3, newRSReplicas: 1, maxSurge: 1, expected: 3 },
  ])('$name', ({ strategy, depReplicas, newRSReplicas, maxSurge, expected }) => {
    // Prepare
    const d = newDeployment({ replicas: depReplicas, strategy, maxSurge, maxUnavailable: 1 });
    const rs5 = newReplicaSet({ name: 'rs5', replicas: 5 });
    const newRS = newReplicaSet({ name: 'new', replicas: newRSReplicas });

    // Act
    const got = newRSNewReplicas(d, [rs5], newRS);

    // Assess
    expect(got).toBe(expected);
  });

  it.each([
    { name: '10 replicas, surge 2, old 5, new 0 → 7', old: 5, neu: 0, expected: 7 },
    { name: '10 replicas, surge 2, old 10, new 0 → 2', old: 10, neu: 0, expected: 2 },
    { name: '10 replicas, surge 2, old 10, new 2 → stays 2', old: 10, neu: 2, expected: 2 },
    { name: 'never above replicas', old: 0, neu: 9, expected: 10 },
  ])('$name', ({ old, neu, expected }) => {
    const d = newDeployment({ replicas: 10, maxSurge: 2, maxUnavailable: 0 });
    const oldRS = newReplicaSet({ name: 'old', replicas: old });
    const newRS = newReplicaSet({ name: 'new', replicas: neu });
    expect(newRSNewReplicas(d, [oldRS, newRS], newRS)).toBe(expected);
  });

  // Rollway-specific: pods an old ReplicaSet still has count against the surge
  // until they are gone, so the bound holds on pods, not only on specs.
  it.each([
    { name: 'old scaled 10 → 8 but 10 pods remain: no room yet', oldSpec: 8, oldPods: 10, neu: 2, expected: 2 },
    { name: 'old scaled 10 → 8 and its pods are gone: grow by 2', oldSpec: 8, oldPods: 8, neu: 2, expected: 4 },
    { name: 'old reports fewer pods than spec: spec counts', oldSpec: 8, oldPods: 6, neu: 2, expected: 4 },
  ])('pods still claimed: $name', ({ oldSpec, oldPods, neu, expected }) => {
    const d = newDeployment({ replicas: 10, maxSurge: 2, maxUnavailable: 0 });
    const oldRS = newReplicaSet({ name: 'old', replicas: oldSpec, statusReplicas: oldPods });
    const newRS = newReplicaSet({ name: 'new', replicas: neu });
    expect(newRSNewReplicas(d, [oldRS, newRS], newRS)).toBe(expected);
  });

  it('rejects an unknown strategy', () => {
    const d = newDeployment({ strategy: 'BlueGreen' });
    expect(() => newRSNewReplicas(d, [], newReplicaSet())).toThrow("deployment type BlueGreen isn't supported");
  });
});

describe('ReplicaSet orders', () => {
  const a = newReplicaSet({ name: 'a', replicas: 2, created: 10 });
  const b = newReplicaSet({ name: 'b', replicas: 2, created: 10 });
  const c = newReplicaSet({ name: 'c', replicas: 2, created: 20 });
  const big = newReplicaSet({ name: 'big', replicas: 5, created: 30 });
  it.each([
    { name: 'by creation: oldest first, then name', cmp: byCreationTimestamp, expected: ['a', 'b', 'c', 'big'] },
    { name: 'by size newer: largest, then newest, then name descending', cmp: bySizeNewer, expected: ['big', 'c', 'b', 'a'] },
    { name: 'by size older: largest, then oldest, then name ascending', cmp: bySizeOlder, expected: ['big', 'a', 'b', 'c'] },
  ])('$name', ({ cmp, expected }) => {
    expect([c, big, b, a].sort(cmp).map((rs) => rs.metadata.name)).toEqual(expected);
  });
});
