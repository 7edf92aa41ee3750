import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../k8s/types.js';
import { getDeploymentCondition } from './conditions.js';
import { calculateStatus, getReplicaSetFraction, isScalingEvent, scale } from './sync.js';
import { newDeployment, newReplicaSet } from './test-fixtures.js';

const newTs = 7200; // 2016-05-20 02:00 in upstream; relative seconds here
const oldTs = 3600;
const olderTs = 0;

interface RSCase {
  name: string;
  replicas: number;
  created: number;
}

describe('scale (proportional scaling)', () => {
  // Mirrors upstream TestScale. Every RS carries desired = old replicas and
  // max = old replicas + old maxSurge, as the previous scale left them.
  it.each([
    { name: 'normal scaling event: 10 -> 12', replicas: 12, oldReplicas: 10, newRS: { name: 'foo-v1', replicas: 10, created: newTs }, oldRSs: [], expectedNew: 12, expectedOld: [] },
    { name: 'normal scaling event: 10 -> 5', replicas: 5, oldReplicas: 10, newRS: { name: 'foo-v1', replicas: 10, created: newTs }, oldRSs: [], expectedNew: 5, expectedOld: [] },
    { name: 'proportional scaling: 5 -> 10', replicas: 10, oldReplicas: 5, newRS: { name: 'foo-v2', replicas: 2, created: newTs }, oldRSs: [{ name: 'foo-v1', replicas: 3, created: oldTs }], expectedNew: 4, expectedOld: [6] },
    { name: 'proportional scaling: 5 -> 3', replicas: 3, oldReplicas: 5, newRS: { name: 'foo-v2', replicas: 2, created: newTs }, oldRSs: [{ name: 'foo-v1', replicas: 3, created: oldTs }], expectedNew: 1, expectedOld: [2] },
    { name: 'proportional scaling: 9 -> 4', replicas: 4, oldReplicas: 9, newRS: { name: 'foo-v2', replicas: 8, created: newTs }, oldRSs: [{ name: 'foo-v1', replicas: 1, created: oldTs }], expectedNew: 4, expectedOld: [0] },
    { name: 'proportional scaling: 7 -> 10', replicas: 10, oldReplicas: 7, newRS: { name: 'foo-v3', replicas: 2, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 3, created: oldTs }, { name: 'foo-v1', replicas: 2, created: olderTs }], expectedNew: 3, expectedOld: [4, 3] },
    { name: 'proportional scaling: 13 -> 8', replicas: 8, oldReplicas: 13, newRS: { name: 'foo-v3', replicas: 2, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 8, created: oldTs }, { name: 'foo-v1', replicas: 3, created: olderTs }], expectedNew: 1, expectedOld: [5, 2] },
    { name: 'leftover distribution: 3 -> 4', replicas: 4, oldReplicas: 3, newRS: { name: 'foo-v3', replicas: 1, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 1, created: oldTs }, { name: 'foo-v1', replicas: 1, created: olderTs }], expectedNew: 2, expectedOld: [1, 1] },
    { name: 'leftover distribution: 3 -> 2', replicas: 2, oldReplicas: 3, newRS: { name: 'foo-v3', replicas: 1, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 1, created: oldTs }, { name: 'foo-v1', replicas: 1, created: olderTs }], expectedNew: 1, expectedOld: [1, 0] },
    { name: 'proportional scaling (no new rs): 4 -> 5', replicas: 5, oldReplicas: 4, newRS: null, oldRSs: [{ name: 'foo-v2', replicas: 2, created: oldTs }, { name: 'foo-v1', replicas: 2, created: olderTs }], expectedNew: null, expectedOld: [3, 2] },
    { name: 'proportional scaling: 6 -> 0', replicas: 0, oldReplicas: 6, newRS: { name: 'foo-v3', replicas: 3, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 2, created: oldTs }, { name: 'foo-v1', replicas: 1, created: olderTs }], expectedNew: 0, expectedOld: [0, 0] },
    { name: 'proportional scaling: 0 -> 6', replicas: 6, oldReplicas: 6, newRS: { name: 'foo-v3', replicas: 0, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 0, created: oldTs }, { name: 'foo-v1', replicas: 0, created: olderTs }], expectedNew: 6, expectedOld: [0, 0] },
    { name: 'failed rs update', replicas: 5, oldReplicas: 5, newRS: { name: 'foo-v3', replicas: 2, created: newTs }, oldRSs: [{ name: 'foo-v2', replicas: 1, created: oldTs }, { name: 'foo-v1', replicas: 1, created: olderTs }], expectedNew: 2, expectedOld: [2, 1], desired: { 'foo-v2': 3 } },
    { name: 'deployment with surge pods', replicas: 20, oldReplicas: 10, maxSurge: 2, oldMaxSurge: 2, newRS: { name: 'foo-v2', replicas: 6, created: newTs }, oldRSs: [{ name: 'foo-v1', replicas: 6, created: oldTs }], expectedNew: 11, expectedOld: [11] },
    { name: 'change both surge and size', replicas: 50, oldReplicas: 10, maxSurge: 6, oldMaxSurge: 3, newRS: { name: 'foo-v2', replicas: 5, created: newTs }, oldRSs: [{ name: 'foo-v1', replicas: 8, created: oldTs }], expectedNew: 22, expectedOld: [34] },
    { name: 'change both size and template', replicas: 14, oldReplicas: 10, newRS: null, oldRSs: [{ name: 'foo-v2', replicas: 7, created: newTs }, { name: 'foo-v1', replicas: 3, created: oldTs }], expectedNew: null, expectedOld: [10, 4] },
    { name: 'saturated but broken new replica set does not affect old pods', replicas: 2, oldReplicas: 2, maxSurge: 1, oldMaxSurge: 1, maxUnavailable: 1, newRS: { name: 'foo-v2', replicas: 2, created: newTs }, oldRSs: [{ name: 'foo-v1', replicas: 1, created: oldTs }], expectedNew: 2, expectedOld: [1] },
  ] as Array<{ name: string; replicas: number; oldReplicas: number; maxSurge?: number; oldMaxSurge?: number; maxUnavailable?: number; newRS: RSCase | null; oldRSs: RSCase[]; expectedNew: number | null; expectedOld: number[]; desired?: Record<string, number> }>)(
    '$name',
    ({ replicas, oldReplicas, maxSurge = 0, oldMaxSurge = 0, maxUnavailable = 0, newRS, oldRSs, expectedNew, expectedOld, desired = {} }) => {
      // Prepare
      const d = newDeployment({ replicas, maxSurge, maxUnavailable });
      const build = (c: RSCase, isNew: boolean): ReplicaSet => {
        const want = desired[c.name] ?? oldReplicas;
        return newReplicaSet({ name: c.name, replicas: c.replicas, created: c.created, image: isNew ? undefined : c.name, desired: want, max: want + oldMaxSurge });
      };
      const n = newRS ? build(newRS, true) : undefined;
      const olds = oldRSs.map((c) => build(c, false));

      // Act
      const decisions = scale(d, n, olds);

      // Assess
      const size = (rs: ReplicaSet) => decisions.find((x) => x.rs.metadata.name === rs.metadata.name)?.to ?? rs.spec.replicas;
      if (n) expect(size(n)).toBe(expectedNew);
      expect(olds.map(size)).toEqual(expectedOld);
    },
  );
});

describe('getReplicaSetFraction', () => {
  it.each([
    { name: 'scale to zero takes the whole RS', replicas: 0, rsReplicas: 3, max: 5, statusReplicas: 0, expected: -3 },
    { name: 'rounds half away from zero (2.5 → 3)', replicas: 5, rsReplicas: 1, max: 2, statusReplicas: 0, expected: 2 },
    { name: 'missing annotation falls back to status.replicas', replicas: 10, rsReplicas: 5, max: undefined, statusReplicas: 5, expected: 5 },
    { name: 'annotation 0 and status 0 → 0', replicas: 10, rsReplicas: 5, max: 0, statusReplicas: 0, expected: 0 },
  ])('$name', ({ replicas, rsReplicas, max, statusReplicas, expected }) => {
    const d = newDeployment({ replicas, maxSurge: 0, maxUnavailable: 1, status: { replicas: statusReplicas } });
    const rs = newReplicaSet({ replicas: rsReplicas, max });
    expect(getReplicaSetFraction(rs, d)).toBe(expected);
  });
});

describe('isScalingEvent', () => {
  it.each([
    { name: 'desired annotation equals replicas', replicas: 3, rss: [{ replicas: 3, desired: 3 }], expected: false },
    { name: 'desired annotation differs', replicas: 5, rss: [{ replicas: 3, desired: 3 }], expected: true },
    { name: 'inactive RS is ignored', replicas: 5, rss: [{ replicas: 0, desired: 3 }], expected: false },
    { name: 'RS without annotation is skipped', replicas: 5, rss: [{ replicas: 3, desired: undefined }], expected: false },
  ])('$name', ({ replicas, rss, expected }) => {
    const d = newDeployment({ replicas });
    expect(isScalingEvent(d, rss.map((o, i) => newReplicaSet({ name: `rs-${i}`, ...o })))).toBe(expected);
  });
});

describe('calculateStatus', () => {
  it('sums the ReplicaSets and counts unavailable against spec', () => {
    // Prepare
    const d = newDeployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2, generation: 4, status: { collisionCount: 2 } });
    const oldRS = newReplicaSet({ name: 'old', replicas: 6, statusReplicas: 8, readyReplicas: 8, available: 7, image: 'old' });
    const newRS = newReplicaSet({ name: 'new', replicas: 5, statusReplicas: 3, readyReplicas: 2, available: 1 });

    // Act
    const s = calculateStatus([oldRS, newRS], newRS, d, 0);

    // Assess
    expect(s).toMatchObject({ observedGeneration: 4, replicas: 11, updatedReplicas: 3, readyReplicas: 10, availableReplicas: 8, unavailableReplicas: 3, collisionCount: 2 });
    expect(getDeploymentCondition(s, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  });

  it('Available is False below replicas - maxUnavailable', () => {
    const d = newDeployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
    const rs = newReplicaSet({ replicas: 10, available: 7 });
    const s = calculateStatus([rs], rs, d, 0);
    expect(getDeploymentCondition(s, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });
});
