import { describe, expect, it } from 'vitest';
import { claimReplicaSets, isEmptySelector, selectorMatches } from './controller-ref.js';
import { at, newDeployment, newReplicaSet, newTemplate } from './test-fixtures.js';

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    { name: 'matchLabels subset', selector: { matchLabels: { app: 'web' } }, expected: true },
    { name: 'matchLabels mismatch', selector: { matchLabels: { app: 'db' } }, expected: false },
    { name: 'In', selector: { matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['front', 'back'] }] }, expected: true },
    { name: 'NotIn', selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['front'] }] }, expected: false },
    { name: 'Exists', selector: { matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, expected: true },
    { name: 'DoesNotExist', selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' as const }] }, expected: false },
    { name: 'empty selector matches everything', selector: {}, expected: true },
    { name: 'missing selector matches nothing', selector: undefined, expected: false },
  ])('$name', ({ selector, expected }) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  it('isEmptySelector', () => {
    expect([isEmptySelector({}), isEmptySelector({ matchLabels: {} }), isEmptySelector({ matchLabels: { a: 'b' } })]).toEqual([true, true, false]);
  });
});

describe('claimReplicaSets', () => {
  const d = newDeployment();
  const mine = newReplicaSet({ owner: d, name: 'mine' });
  const orphan = newReplicaSet({ owner: null, name: 'orphan' });
  const deletingOrphan = { ...newReplicaSet({ owner: null, name: 'gone' }), metadata: { ...newReplicaSet({ owner: null, name: 'gone' }).metadata, deletionTimestamp: at(1) } };
  const stray = newReplicaSet({ owner: d, name: 'stray', template: newTemplate('x', 'other') });
  const foreign = newReplicaSet({ owner: newDeployment({ uid: 'other' }), name: 'foreign' });

  it.each([
    { name: 'live deployment adopts and releases', deleting: false, owned: ['mine', 'orphan'], adopt: ['orphan'], release: ['stray'] },
    { name: 'deployment being deleted neither adopts nor releases', deleting: true, owned: ['mine'], adopt: [], release: [] },
  ])('$name', ({ deleting, owned, adopt, release }) => {
    const dd = deleting ? newDeployment({ deletionTimestamp: at(1) }) : d;
    const claim = claimReplicaSets(dd, [mine, orphan, deletingOrphan, stray, foreign]);
    expect(claim.owned.map((r) => r.metadata.name)).toEqual(owned);
    expect(claim.adopt.map((r) => r.rs.metadata.name)).toEqual(adopt);
    expect(claim.release.map((r) => r.rs.metadata.name)).toEqual(release);
  });
});
