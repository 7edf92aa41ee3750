import { describe, expect, it } from 'vitest';
import type { Condition, DeploymentStatus } from '../k8s/types.js';
import { MaxInt32 } from './annotations.js';
import { getDeploymentCondition } from './conditions.js';
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, requeueStuckDeployment, rolloutStatus } from './progress.js';
import { calculateStatus } from './sync.js';
import { newDeployment, newReplicaSet } from './test-fixtures.js';

const ms = (iso: string) => Date.parse(iso);
const status = (replicas: number, updatedReplicas: number, availableReplicas: number, readyReplicas = availableReplicas): DeploymentStatus => ({ replicas, updatedReplicas, availableReplicas, readyReplicas });

describe('deploymentComplete', () => {
  // Mirrors upstream TestDeploymentComplete: deployment(desired, current, updated, available, maxUnavailable, maxSurge).
  it.each([
    { name: 'not complete: min but not all pods become available', args: [5, 5, 5, 4, 1, 0], expected: false },
    { name: 'not complete: min availability is not honored', args: [5, 5, 5, 3, 1, 0], expected: false },
    { name: 'complete', args: [5, 5, 5, 5, 0, 0], expected: true },
    { name: 'not complete: all pods are available but not updated', args: [5, 5, 4, 5, 0, 0], expected: false },
    { name: 'not complete: still running old pods', args: [1, 2, 1, 1, 0, 1], expected: false },
    { name: 'not complete: one replica deployment never comes up', args: [1, 1, 1, 0, 1, 1], expected: false },
  ])('$name', ({ args: [desired, current, updated, available, mu, msu], expected }) => {
    const d = newDeployment({ replicas: desired, maxUnavailable: mu, maxSurge: msu, status: status(current, updated, available) });
    d.status!.observedGeneration = 1;
    expect(deploymentComplete(d, d.status)).toBe(expected);
  });

  it('not complete while the latest generation is not observed', () => {
    const d = newDeployment({ replicas: 1, generation: 2, status: { ...status(1, 1, 1), observedGeneration: 1 } });
    expect(deploymentComplete(d, d.status)).toBe(false);
  });
});

describe('deploymentProgressing', () => {
  // Mirrors upstream TestDeploymentProgressing: (current, updated, ready, available).
  it.each([
    { name: 'progressing: updated pods', old: [10, 4, 4, 4], next: [10, 6, 4, 4], expected: true },
    { name: 'not progressing', old: [10, 4, 4, 4], next: [10, 4, 4, 4], expected: false },
    { name: 'progressing: old pods removed', old: [10, 4, 6, 6], next: [8, 4, 6, 6], expected: true },
    { name: 'not progressing: less new pods', old: [10, 7, 3, 3], next: [10, 6, 3, 3], expected: false },
    { name: 'progressing: less overall but more new pods', old: [10, 4, 7, 7], next: [8, 8, 5, 5], expected: true },
    { name: 'progressing: more ready pods', old: [10, 10, 9, 8], next: [10, 10, 10, 8], expected: true },
    { name: 'progressing: more available pods', old: [10, 10, 10, 9], next: [10, 10, 10, 10], expected: true },
  ])('$name', ({ old, next, expected }) => {
    const d = newDeployment({ status: status(old[0], old[1], old[3], old[2]) });
    expect(deploymentProgressing(d, status(next[0], next[1], next[3], next[2]))).toBe(expected);
  });
});

describe('deploymentTimedOut', () => {
  // Mirrors upstream TestDeploymentTimedOut.
  const from = '2016-01-01T00:01:09Z';
  const cond = (reason = ''): DeploymentStatus => ({ conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: from }] });
  it.each([
    { name: 'nil progressDeadlineSeconds specified - no timeout', pds: null, st: cond(), now: '2016-01-01T00:01:20Z', expected: false },
    { name: 'infinite progressDeadlineSeconds specified - no timeout', pds: MaxInt32, st: cond(), now: '2016-01-01T00:01:20Z', expected: false },
    { name: 'progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s', pds: 10, st: cond(), now: '2016-01-01T00:01:20Z', expected: true },
    { name: 'progressDeadlineSeconds: 10s, now - started => 00:01:19 - 00:01:09 => 10s', pds: 10, st: cond(), now: '2016-01-01T00:01:19Z', expected: false },
    { name: 'no Progressing condition', pds: 10, st: {}, now: '2016-01-01T00:01:20Z', expected: false },
    { name: 'complete never times out', pds: 10, st: cond('NewReplicaSetAvailable'), now: '2016-01-01T00:09:00Z', expected: false },
    { name: 'ProgressDeadlineExceeded stays timed out', pds: 10, st: cond('ProgressDeadlineExceeded'), now: '2016-01-01T00:01:10Z', expected: true },
  ])('$name', ({ pds, st, now, expected }) => {
    const d = newDeployment({ progressDeadlineSeconds: pds });
    expect(deploymentTimedOut(d, st, ms(now))).toBe(expected);
  });
});

describe('requeueStuckDeployment', () => {
  // Mirrors upstream TestRequeueStuckDeployment; upstream returns the time
  // left and enqueues after it + 1s (or "now", rate-limited, under 1 s); we
  // return the delay itself and never 0, since our queue has no rate limiter.
  const stuck: Condition[] = [{ type: 'Progressing', status: 'True', lastUpdateTime: '2017-02-15T18:49:00Z' }];
  const failed: Condition[] = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];
  it.each([
    { name: 'nil progressDeadlineSeconds specified', pds: null, replicas: 4, st: status(3, 3, 2), conds: undefined, now: '2017-02-15T18:49:30Z', expected: undefined },
    { name: 'infinite progressDeadlineSeconds specified', pds: MaxInt32, replicas: 4, st: status(3, 3, 2), conds: undefined, now: '2017-02-15T18:49:30Z', expected: undefined },
    { name: 'no progressing condition found', pds: 60, replicas: 4, st: status(3, 3, 2), conds: undefined, now: '2017-02-15T18:49:30Z', expected: undefined },
    { name: 'complete deployment does not need to be requeued', pds: 60, replicas: 3, st: status(3, 3, 3), conds: stuck, now: '2017-02-15T18:49:30Z', expected: undefined },
    { name: 'already failed deployment does not need to be requeued', pds: 60, replicas: 3, st: status(3, 3, 0), conds: failed, now: '2017-02-15T18:49:30Z', expected: undefined },
    { name: 'stuck deployment - 30s', pds: 60, replicas: 3, st: status(3, 3, 1), conds: stuck, now: '2017-02-15T18:49:30Z', expected: 31_000 },
    { name: 'stuck deployment - 1s', pds: 60, replicas: 3, st: status(3, 3, 1), conds: stuck, now: '2017-02-15T18:49:59Z', expected: 2_000 },
    { name: 'failed deployment - less than a second => deadline + 1s', pds: 60, replicas: 3, st: status(3, 3, 1), conds: stuck, now: '2017-02-15T18:49:59.001Z', expected: 1_999 },
    { name: 'failed deployment - now => 1s', pds: 60, replicas: 3, st: status(3, 3, 1), conds: stuck, now: '2017-02-15T18:50:00Z', expected: 1_000 },
    { name: 'failed deployment - 1s after deadline => 1s', pds: 60, replicas: 3, st: status(3, 3, 1), conds: stuck, now: '2017-02-15T18:50:01Z', expected: 1_000 },
    { name: 'failed deployment - 60s after deadline => 1s', pds: 60, replicas: 3, st: status(3, 3, 1), conds: stuck, now: '2017-02-15T18:51:00Z', expected: 1_000 },
    { name: 'scaled up after completion (still NewReplicaSetAvailable) does not wait', pds: 60, replicas: 5, st: status(3, 3, 3), conds: [{ type: 'Progressing', status: 'True' as const, reason: 'NewReplicaSetAvailable', lastUpdateTime: '2017-02-15T18:49:00Z' }], now: '2017-02-15T18:55:00Z', expected: undefined },
  ])('$name', ({ pds, replicas, st, conds, now, expected }) => {
    const d = newDeployment({ replicas, strategy: 'Recreate', progressDeadlineSeconds: pds });
    const s = { ...st, observedGeneration: 1, conditions: conds };
    expect(requeueStuckDeployment(d, s, ms(now))).toBe(expected);
  });
});

describe('rolloutStatus (syncRolloutStatus)', () => {
  // Mirrors upstream TestSyncRolloutStatus; "now" is well after testTime.
  const testTime = '2017-02-15T18:49:00Z';
  const now = ms('2017-02-15T19:49:00Z');
  const failedTimedOut: Condition = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' };
  const newRSAvailable: Condition = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: testTime, lastTransitionTime: testTime };
  const replicaSetUpdated: Condition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: testTime, lastTransitionTime: testTime };
  const rsAvail = (name: string, spec: number, st: number, avail: number) => newReplicaSet({ name, replicas: spec, statusReplicas: st, available: avail, image: name });
  it.each([
    { name: 'General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline', pds: null, d: [3, 2, 2, 2], conds: [replicaSetUpdated], allRSs: [rsAvail('bar', 0, 1, 1)], newRS: rsAvail('foo', 3, 2, 2), expected: undefined },
    { name: 'General: do not estimate progress of deployment with only one active ReplicaSet', pds: 60, d: [3, 3, 3, 3], conds: [newRSAvailable], allRSs: [rsAvail('bar', 3, 3, 3)], newRS: undefined, expected: { status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: testTime, lastTransitionTime: testTime } },
    { name: "DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True", pds: 60, d: [3, 2, 2, 2], conds: [replicaSetUpdated], allRSs: [rsAvail('bar', 0, 1, 1)], newRS: rsAvail('foo', 3, 2, 2), expected: { status: 'True', reason: 'ReplicaSetUpdated', lastTransitionTime: testTime, message: 'ReplicaSet "foo" is progressing.' } },
    { name: 'DeploymentProgressing: update everything if deployment has Progressing=False', pds: 60, d: [3, 2, 2, 2], conds: [failedTimedOut], allRSs: [rsAvail('bar', 0, 1, 1)], newRS: rsAvail('foo', 3, 2, 2), expected: { status: 'True', reason: 'ReplicaSetUpdated', lastTransitionTime: '2017-02-15T19:49:00Z' } },
    { name: 'DeploymentProgressing: create Progressing condition if it does not exist', pds: 60, d: [3, 2, 2, 2], conds: [], allRSs: [rsAvail('bar', 0, 1, 1)], newRS: rsAvail('foo', 3, 2, 2), expected: { status: 'True', reason: 'ReplicaSetUpdated' } },
    { name: "DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True", pds: 60, d: [3, 3, 3, 3], conds: [replicaSetUpdated], allRSs: [], newRS: rsAvail('foo', 3, 3, 3), expected: { status: 'True', reason: 'NewReplicaSetAvailable', lastTransitionTime: testTime, message: 'ReplicaSet "foo" has successfully progressed.' } },
    { name: 'DeploymentComplete: update everything if deployment has Progressing=False', pds: 60, d: [3, 3, 3, 3], conds: [failedTimedOut], allRSs: [], newRS: rsAvail('foo', 3, 3, 3), expected: { status: 'True', reason: 'NewReplicaSetAvailable', lastTransitionTime: '2017-02-15T19:49:00Z' } },
    { name: 'DeploymentComplete: create Progressing condition if it does not exist', pds: 60, d: [3, 3, 3, 3], conds: [], allRSs: [], newRS: rsAvail('foo', 3, 3, 3), expected: { status: 'True', reason: 'NewReplicaSetAvailable' } },
    { name: 'DeploymentComplete: defend against NPE when newRS=nil', pds: 60, d: [0, 3, 3, 3], conds: [replicaSetUpdated], allRSs: [rsAvail('foo', 0, 0, 0)], newRS: undefined, expected: { status: 'True', reason: 'NewReplicaSetAvailable', message: 'Deployment "kubia" has successfully progressed.' } },
    { name: 'DeploymentTimedOut: update status if rollout exceeds Progress Deadline', pds: 60, d: [3, 2, 2, 2], conds: [replicaSetUpdated], allRSs: [], newRS: rsAvail('foo', 3, 2, 2), expected: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "foo" has timed out progressing.' } },
    { name: 'DeploymentTimedOut: do not update status if deployment has existing timedOut condition', pds: 60, d: [3, 2, 2, 2], conds: [failedTimedOut], allRSs: [], newRS: rsAvail('foo', 3, 2, 2), expected: failedTimedOut },
  ])('$name', ({ pds, d: [replicas, sr, ur, ar], conds, allRSs, newRS, expected }) => {
    // Prepare
    const d = newDeployment({ replicas, strategy: 'Recreate', progressDeadlineSeconds: pds, status: { ...status(sr, ur, ar), observedGeneration: 1, conditions: conds } });
    const all = newRS ? [...allRSs, newRS] : allRSs;

    // Act
    const s = rolloutStatus(d, calculateStatus(all, newRS, d, now), all, newRS, now);

    // Assess
    const c = getDeploymentCondition(s, 'Progressing');
    if (expected === undefined) expect(c).toBeUndefined();
    else expect(c).toMatchObject(expected);
  });

  it('mirrors the ReplicaFailure condition of the new ReplicaSet first', () => {
    const d = newDeployment({ replicas: 1 });
    const failure: Condition = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: testTime };
    const newRS = newReplicaSet({ name: 'new', replicas: 1, conditions: [failure] });
    const s = rolloutStatus(d, calculateStatus([newRS], newRS, d, now), [newRS], newRS, now);
    expect(getDeploymentCondition(s, 'ReplicaFailure')).toEqual({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastUpdateTime: testTime, lastTransitionTime: testTime });
  });
});
