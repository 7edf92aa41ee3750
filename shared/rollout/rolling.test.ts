import { describe, expect, it } from 'vitest';
import {
  cleanupUnhealthyReplicas,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  scaleDownOldReplicaSetsForRollingUpdate,
  type ScaleStep,
} from './rolling.js';
import { newDeployment, newReplicaSet } from './test-fixtures.js';

const finalSize = (steps: ScaleStep[], name: string): number | undefined => steps.filter((s) => s.name === name).at(-1)?.to;

describe('reconcileNewReplicaSet', () => {
  // Mirrors upstream TestDeploymentController_reconcileNewReplicaSet (maxUnavailable 0).
  it.each([
    { name: 'should not scale up with maxSurge 0', deploymentReplicas: 10, maxSurge: 0, oldReplicas: 10, newReplicas: 0, expected: undefined },
    { name: 'scales up by the surge', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 0, expected: 2 },
    { name: 'scales up into room left by old pods', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 5, newReplicas: 0, expected: 7 },
    { name: 'no room left', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 2, expected: undefined },
    { name: 'should scale down to replicas', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 2, newReplicas: 11, expected: 10 },
    { name: 'already at replicas', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 0, newReplicas: 10, expected: undefined },
  ])('$name', ({ deploymentReplicas, maxSurge, oldReplicas, newReplicas, expected }) => {
    // Prepare
    const d = newDeployment({ replicas: deploymentReplicas, maxSurge, maxUnavailable: 0 });
    const newRS = newReplicaSet({ name: 'foo-new', replicas: newReplicas });
    const oldRS = newReplicaSet({ name: 'foo-old', replicas: oldReplicas, image: 'old' });

    // Act
    const got = reconcileNewReplicaSet(d, [newRS, oldRS], newRS);

    // Assess
    expect(got).toBe(expected);
  });
});

describe('reconcileOldReplicaSets', () => {
  // Mirrors upstream TestDeploymentController_reconcileOldReplicaSets (maxSurge 0).
  it.each([
    { name: 'maxUnavailable 0: one old pod at a time', deploymentReplicas: 10, maxUnavailable: 0, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 10, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 9 },
    { name: 'maxUnavailable 2: two old pods', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 10, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8 },
    { name: 'expect unhealthy replicas from old replica sets been cleaned up', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 8, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8 },
    { name: 'expect 1 unhealthy replica from old replica sets been cleaned up, and 1 ready pod been scaled down', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 9, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8 },
    { name: 'the unavailable pods from the newRS would not make us scale down old RSs in a further step', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 8, newReplicas: 2, readyPodsFromOldRS: 8, readyPodsFromNewRS: 0, scaleExpected: false, expectedOldReplicas: 8 },
  ])('$name', ({ deploymentReplicas, maxUnavailable, oldReplicas, newReplicas, readyPodsFromOldRS, readyPodsFromNewRS, scaleExpected, expectedOldReplicas }) => {
    // Prepare
    const d = newDeployment({ replicas: deploymentReplicas, maxSurge: 0, maxUnavailable });
    const newRS = newReplicaSet({ name: 'foo-new', replicas: newReplicas, available: readyPodsFromNewRS });
    const oldRS = newReplicaSet({ name: 'foo-old', replicas: oldReplicas, available: readyPodsFromOldRS, image: 'old' });

    // Act
    const got = reconcileOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS);

    // Assess
    expect(got.scaled).toBe(scaleExpected);
    expect(finalSize(got.steps, 'foo-old') ?? oldReplicas).toBe(expectedOldReplicas);
  });

  it('10 replicas, maxUnavailable 2, maxSurge 3: 13 - 8 - 3 = 2, then 11 - 8 - 3 = 0', () => {
    // Prepare: the new RS was created with 3 (the surge), none available yet.
    const d = newDeployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
    const oldRS = newReplicaSet({ name: 'old', replicas: 10, available: 10, image: 'old' });
    const newRS = newReplicaSet({ name: 'new', replicas: 3, available: 0 });

    // Act
    const first = reconcileOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS);
    const scaledOld = newReplicaSet({ name: 'old', replicas: 8, available: 8, image: 'old' });
    const second = reconcileOldReplicaSets(d, [scaledOld, newRS], [scaledOld], newRS);

    // Assess
    expect(first.steps).toEqual([{ name: 'old', from: 10, to: 8 }]);
    expect(second).toMatchObject({ scaled: false, steps: [] });
  });

  it('an RS whose status runs ahead of its spec aborts the pass like upstream', () => {
    // Prepare: status.available 10 > spec 8 (a scale-down not yet observed).
    const d = newDeployment({ replicas: 10, maxSurge: 0, maxUnavailable: 2 });
    const oldRS = newReplicaSet({ name: 'old', replicas: 8, available: 10, image: 'old' });
    const newRS = newReplicaSet({ name: 'new', replicas: 2, available: 2 });

    // Act
    const got = reconcileOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS);

    // Assess
    expect(got.scaled).toBe(false);
    expect(got.error).toMatch(/invalid request to scale down default\/old 8 -> 10/);
  });
});

describe('cleanupUnhealthyReplicas', () => {
  // Mirrors upstream TestDeploymentController_cleanupUnhealthyReplicas.
  it.each([
    { name: 'budget 1 of 2 unhealthy', oldReplicas: 10, readyPods: 8, maxCleanupCount: 1, cleanupCountExpected: 1 },
    { name: 'budget 3 of 2 unhealthy', oldReplicas: 10, readyPods: 8, maxCleanupCount: 3, cleanupCountExpected: 2 },
    { name: 'budget 0', oldReplicas: 10, readyPods: 8, maxCleanupCount: 0, cleanupCountExpected: 0 },
    { name: 'all healthy', oldReplicas: 10, readyPods: 10, maxCleanupCount: 3, cleanupCountExpected: 0 },
  ])('$name', ({ oldReplicas, readyPods, maxCleanupCount, cleanupCountExpected }) => {
    const oldRS = newReplicaSet({ name: 'foo-v2', replicas: oldReplicas, available: readyPods });
    const got = cleanupUnhealthyReplicas([oldRS], maxCleanupCount);
    expect(got.scaledDown).toBe(cleanupCountExpected);
    expect(got.oldRSs[0].spec.replicas).toBe(oldReplicas - cleanupCountExpected);
  });

  it('walks old ReplicaSets oldest first', () => {
    const older = newReplicaSet({ name: 'older', replicas: 3, available: 1, created: 0, image: 'a' });
    const newer = newReplicaSet({ name: 'newer', replicas: 3, available: 1, created: 60, image: 'b' });
    const got = cleanupUnhealthyReplicas([newer, older], 3);
    expect(got.steps).toEqual([
      { name: 'older', from: 3, to: 1 },
      { name: 'newer', from: 3, to: 2 },
    ]);
  });
});

describe('scaleDownOldReplicaSetsForRollingUpdate', () => {
  // Mirrors upstream TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate (maxSurge 0).
  it.each([
    { name: 'maxUnavailable 0 → 9', deploymentReplicas: 10, maxUnavailable: 0, readyPods: 10, oldReplicas: 10, expectedOldReplicas: 9 },
    { name: 'maxUnavailable 2 → 8', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 10, expectedOldReplicas: 8 },
    { name: 'only 8 available: nothing', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 8, oldReplicas: 10, expectedOldReplicas: undefined },
    { name: 'old RS already at 0: nothing', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 0, expectedOldReplicas: undefined },
    { name: 'only 1 available: nothing', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 1, oldReplicas: 10, expectedOldReplicas: undefined },
  ])('$name', ({ deploymentReplicas, maxUnavailable, readyPods, oldReplicas, expectedOldReplicas }) => {
    const d = newDeployment({ replicas: deploymentReplicas, maxSurge: 0, maxUnavailable });
    const oldRS = newReplicaSet({ name: 'foo-v2', replicas: oldReplicas, available: readyPods });
    const got = scaleDownOldReplicaSetsForRollingUpdate(d, [oldRS], [oldRS]);
    expect(finalSize(got.steps, 'foo-v2')).toBe(expectedOldReplicas);
  });
});
