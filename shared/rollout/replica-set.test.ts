import { describe, expect, it } from 'vitest';
import { freePodNames, planReplicaSet, podNameSuffix } from './replica-set.js';
import { T0, at, newPod, newReplicaSet } from './test-fixtures.js';

const now = T0 + 100_000;

describe('planReplicaSet', () => {
  it('creates the missing pods from the template with deterministic names', () => {
    // Prepare
    const rs = newReplicaSet({ name: 'kubia-5d8f9', uid: 'rs-1', replicas: 3, statusReplicas: 0 });

    // Act
    const plan = planReplicaSet({ replicaSet: rs, pods: [], now });
    const again = planReplicaSet({ replicaSet: rs, pods: [], now: now + 5 });

    // Assess
    expect(plan.create).toHaveLength(3);
    expect(plan.create.map((p) => p.metadata.name)).toEqual(again.create.map((p) => p.metadata.name));
    expect(new Set(plan.create.map((p) => p.metadata.name)).size).toBe(3);
    for (const p of plan.create) {
      expect(p.metadata.name).toMatch(/^kubia-5d8f9-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual(rs.spec.template.metadata!.labels);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kubia-5d8f9', uid: 'rs-1', controller: true, blockOwnerDeletion: true }]);
      expect(p.spec).toEqual(rs.spec.template.spec);
      expect(p.status).toEqual({ phase: 'Pending' });
    }
    expect(plan.delete).toEqual([]);
    expect(plan.events?.[0]).toEqual({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${plan.create[0].metadata.name}` });
  });

  it('skips slots held by existing pods, even terminating ones', () => {
    // Prepare
    const rs = newReplicaSet({ name: 'web', uid: 'rs-1', replicas: 2 });
    const [slot0, slot1, slot2] = freePodNames(rs, [], 3);
    const terminating = newPod({ name: slot0, owner: rs, deletionTimestamp: at(1) });
    const running = newPod({ name: slot1, owner: rs });

    // Act
    const plan = planReplicaSet({ replicaSet: rs, pods: [terminating, running], now });

    // Assess
    expect(plan.create.map((p) => p.metadata.name)).toEqual([slot2]);
  });

  it.each([
    { name: 'not-ready pods go before ready ones', pods: [{ name: 'r1', readySince: 1 }, { name: 'nr' }, { name: 'r2', readySince: 2 }], replicas: 2, expected: ['nr'] },
    { name: 'pending before running', pods: [{ name: 'run', readySince: 1 }, { name: 'pend', phase: 'Pending' as const }], replicas: 1, expected: ['pend'] },
    { name: 'to zero deletes everything', pods: [{ name: 'a' }, { name: 'b' }], replicas: 0, expected: ['a', 'b'] },
  ])('scale down: $name', ({ pods, replicas, expected }) => {
    const rs = newReplicaSet({ uid: 'rs-1', replicas });
    const plan = planReplicaSet({ replicaSet: rs, pods: pods.map((p) => newPod({ owner: rs, ...p })), now });
    expect(plan.delete).toEqual(expected);
    expect(plan.create).toEqual([]);
  });

  it('counts status from active pods and requeues for minReadySeconds', () => {
    // Prepare: minReadySeconds 10; one available, one ready 4 s ago, one not ready, one terminating, one failed.
    const rs = newReplicaSet({ uid: 'rs-1', replicas: 3, minReadySeconds: 10, generation: 2, observedGeneration: 1 });
    const pods = [
      newPod({ name: 'a', owner: rs, readySince: 50 }),
      newPod({ name: 'b', owner: rs, readySince: 96 }),
      newPod({ name: 'c', owner: rs, labels: { app: 'kubia' } }),
      newPod({ name: 'd', owner: rs, readySince: 1, deletionTimestamp: at(99) }),
      newPod({ name: 'e', owner: rs, phase: 'Failed' }),
    ];

    // Act
    const plan = planReplicaSet({ replicaSet: rs, pods, now });

    // Assess
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.status).toEqual({ replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2 });
    expect(plan.requeueAfterMs).toBe(6_001);
  });

  it('returns no status when nothing changed', () => {
    const rs = newReplicaSet({ uid: 'rs-1', replicas: 1, available: 1 });
    rs.status = { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
    const plan = planReplicaSet({ replicaSet: rs, pods: [newPod({ name: 'a', owner: rs, readySince: 1 })], now });
    expect(plan).toEqual({ create: [], delete: [] });
  });

  it('a ReplicaSet being deleted creates nothing but still reports status', () => {
    const rs = newReplicaSet({ uid: 'rs-1', replicas: 3, deletionTimestamp: at(1) });
    const plan = planReplicaSet({ replicaSet: rs, pods: [], now });
    expect(plan.create).toEqual([]);
    expect(plan.status?.replicas).toBe(0);
  });

  it.each([
    { name: 'sets ReplicaFailure after a failed apply', error: { reason: 'FailedCreate' as const, message: 'quota' }, conditions: undefined, expected: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: '2026-11-26T09:01:40Z' }] },
    { name: 'clears ReplicaFailure after a successful one', error: undefined, conditions: [{ type: 'ReplicaFailure', status: 'True' as const, reason: 'FailedCreate' }], expected: undefined },
  ])('$name', ({ error, conditions, expected }) => {
    const rs = newReplicaSet({ uid: 'rs-1', replicas: 0, conditions });
    const plan = planReplicaSet({ replicaSet: rs, pods: [], now, manageError: error });
    expect(plan.status?.conditions).toEqual(expected);
  });

  it('caps a sync at 500 creations', () => {
    const rs = newReplicaSet({ uid: 'rs-1', replicas: 800 });
    expect(planReplicaSet({ replicaSet: rs, pods: [], now }).create).toHaveLength(500);
  });
});

describe('podNameSuffix', () => {
  it('is 5 safe characters, deterministic, and differs by slot and uid', () => {
    const names = new Set<string>();
    for (let i = 0; i < 200; i++) names.add(podNameSuffix('uid-a', i));
    expect(names.size).toBe(200);
    expect(podNameSuffix('uid-a', 0)).toBe(podNameSuffix('uid-a', 0));
    expect(podNameSuffix('uid-a', 0)).not.toBe(podNameSuffix('uid-b', 0));
    expect(podNameSuffix('uid-a', 7)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
