import { describe, expect, it } from 'vitest';
import { appendRevisionHistory, lastRevision, maxRevision, newReplicaSetAnnotations, revisionOf } from './revision.js';
import { newDeployment, newReplicaSet } from './test-fixtures.js';

describe('revisionOf / maxRevision / lastRevision', () => {
  it.each([
    { name: 'missing revision counts as 0', revisions: [undefined], max: 0, last: 0 },
    { name: 'max of 1, 3, 2', revisions: [1, 3, 2], max: 3, last: 2 },
    { name: 'unparseable revisions are skipped', revisions: [1, 'x', 4], max: 4, last: 1 },
    { name: 'none', revisions: [], max: 0, last: 0 },
  ])('$name', ({ revisions, max, last }) => {
    const rss = revisions.map((r, i) => newReplicaSet({ name: `rs-${i}`, revision: r }));
    expect(maxRevision(rss)).toBe(max);
    expect(lastRevision(rss)).toBe(last);
  });

  it('returns undefined for an unparseable revision', () => {
    expect(revisionOf(newReplicaSet({ revision: '1.5' }))).toBeUndefined();
  });
});

describe('appendRevisionHistory', () => {
  it.each([
    { name: 'first entry', history: undefined, old: '1', limit: 2000, expected: '1' },
    { name: 'appends', history: '1,2', old: '4', limit: 2000, expected: '1,2,4' },
    { name: 'drops the oldest to fit 5 chars: 11,12 + 13 → 12,13', history: '11,12', old: '13', limit: 5, expected: '12,13' },
    { name: 'too long on its own → unchanged', history: '1', old: '123456', limit: 5, expected: undefined },
  ])('$name', ({ history, old, limit, expected }) => {
    expect(appendRevisionHistory(history, old, limit)).toBe(expected);
  });
});

describe('newReplicaSetAnnotations', () => {
  const d = newDeployment({
    replicas: 10,
    maxSurge: 3,
    annotations: {
      'kubernetes.io/change-cause': 'kubectl set image',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '7',
      team: 'a',
    },
  });
  it.each([
    {
      name: 'a new ReplicaSet gets the copied annotations, revision and replica annotations',
      current: {}, newRevision: 3, exists: false,
      expected: { 'kubernetes.io/change-cause': 'kubectl set image', team: 'a', 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' },
      changed: true,
    },
    {
      name: 'rollback: an old revision is raised and kept in the history',
      current: { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'kubectl set image', team: 'a' }, newRevision: 3, exists: true,
      expected: { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', 'kubernetes.io/change-cause': 'kubectl set image', team: 'a' },
      changed: true,
    },
    {
      name: 'a higher revision is never lowered',
      current: { 'deployment.kubernetes.io/revision': '5', 'kubernetes.io/change-cause': 'kubectl set image', team: 'a' }, newRevision: 3, exists: true,
      expected: { 'deployment.kubernetes.io/revision': '5', 'kubernetes.io/change-cause': 'kubectl set image', team: 'a' },
      changed: false,
    },
    {
      name: 'copying only adds, never deletes',
      current: { 'deployment.kubernetes.io/revision': '3', extra: 'kept', team: 'b' }, newRevision: 3, exists: true,
      expected: { 'deployment.kubernetes.io/revision': '3', extra: 'kept', team: 'a', 'kubernetes.io/change-cause': 'kubectl set image' },
      changed: true,
    },
  ])('$name', ({ current, newRevision, exists, expected, changed }) => {
    const got = newReplicaSetAnnotations(d, current as Record<string, string>, newRevision, exists);
    expect(got).toEqual({ annotations: expected, changed });
  });
});
