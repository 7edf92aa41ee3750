import { describe, expect, it } from 'vitest';
import { MaxInt32 } from './annotations.js';
import { cleanupDeployment } from './cleanup.js';
import { at, newDeployment, newReplicaSet } from './test-fixtures.js';

// newRSWithStatus(name, specReplicas, statusReplicas) as in upstream's tests; revision = position.
const rs = (name: string, spec: number, statusReplicas: number, revision?: number) =>
  newReplicaSet({ name, replicas: spec, statusReplicas, revision, image: name });

describe('cleanupDeployment', () => {
  // Mirrors upstream TestDeploymentController_cleanupDeployment.
  it.each([
    { name: 'limit 1 of 3 idle', oldRSs: [rs('foo-1', 0, 0, 1), rs('foo-2', 0, 0, 2), rs('foo-3', 0, 0, 3)], limit: 1, expected: ['foo-1', 'foo-2'] },
    { name: 'only delete the replica set with Spec.Replicas = Status.Replicas = 0', oldRSs: [rs('foo-1', 0, 0, 1), rs('foo-2', 0, 1, 2), rs('foo-3', 1, 0, 3), rs('foo-4', 1, 1, 4)], limit: 0, expected: ['foo-1'] },
    { name: 'limit 0 deletes every idle one', oldRSs: [rs('foo-1', 0, 0, 1), rs('foo-2', 0, 0, 2)], limit: 0, expected: ['foo-1', 'foo-2'] },
    { name: 'busy ones are kept', oldRSs: [rs('foo-1', 1, 1, 1), rs('foo-2', 1, 1, 2)], limit: 0, expected: [] },
    { name: 'already being deleted', oldRSs: [{ ...rs('foo-1', 0, 0, 1), metadata: { ...rs('foo-1', 0, 0, 1).metadata, deletionTimestamp: at(1) } }], limit: 0, expected: [] },
    { name: 'with unlimited revisionHistoryLimit', oldRSs: [rs('foo-1', 0, 0, 1), rs('foo-2', 0, 0, 2), rs('foo-3', 0, 0, 3)], limit: MaxInt32, expected: [] },
    { name: 'lowest revisions go first, whatever the input order', oldRSs: [rs('c', 0, 0, 9), rs('a', 0, 0, 2), rs('b', 0, 0, 5)], limit: 1, expected: ['a', 'b'] },
    { name: 'a busy candidate is skipped without substituting another', oldRSs: [rs('a', 2, 2, 1), rs('b', 0, 0, 2), rs('c', 0, 0, 3)], limit: 2, expected: [] },
    { name: 'unobserved generation is kept', oldRSs: [{ ...rs('a', 0, 0, 1), metadata: { ...rs('a', 0, 0, 1).metadata, generation: 3 } }], limit: 0, expected: [] },
  ])('$name', ({ oldRSs, limit, expected }) => {
    const d = newDeployment({ revisionHistoryLimit: limit });
    expect(cleanupDeployment(d, oldRSs)).toEqual(expected);
  });
});
