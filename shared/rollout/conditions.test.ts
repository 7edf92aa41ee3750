import { describe, expect, it } from 'vitest';
import type { Condition, DeploymentStatus } from '../k8s/types.js';
import { getDeploymentCondition, newDeploymentCondition, removeDeploymentCondition, setDeploymentCondition } from './conditions.js';
import { T0, at } from './test-fixtures.js';

const condProgressing = (): Condition => ({ type: 'Progressing', status: 'False', reason: 'ForSomeReason' });
const condProgressing2 = (): Condition => ({ type: 'Progressing', status: 'True', reason: 'BecauseItIs' });
const condAvailable = (): Condition => ({ type: 'Available', status: 'True', reason: 'AwesomeController' });
const status = (): DeploymentStatus => ({ conditions: [condProgressing(), condAvailable()] });

describe('getDeploymentCondition', () => {
  it.each([
    { name: 'condition exists', type: 'Available', expected: true },
    { name: 'condition does not exist', type: 'ReplicaFailure', expected: false },
  ])('$name', ({ type, expected }) => {
    expect(getDeploymentCondition(status(), type) !== undefined).toBe(expected);
  });
});

describe('setDeploymentCondition', () => {
  // Mirrors upstream TestSetCondition, plus the transition-time rules.
  it.each([
    { name: 'set for the first time', st: {}, cond: condAvailable(), expected: { conditions: [condAvailable()] } },
    { name: 'simple set', st: { conditions: [condProgressing()] }, cond: condAvailable(), expected: status() },
    { name: 'overwrite', st: { conditions: [condProgressing()] }, cond: condProgressing2(), expected: { conditions: [condProgressing2()] } },
    {
      name: 'same type, status and reason is a complete no-op',
      st: { conditions: [{ ...condProgressing2(), lastUpdateTime: at(0), lastTransitionTime: at(0) }] },
      cond: { ...condProgressing2(), lastUpdateTime: at(9), lastTransitionTime: at(9), message: 'new' },
      expected: { conditions: [{ ...condProgressing2(), lastUpdateTime: at(0), lastTransitionTime: at(0) }] },
    },
    {
      name: 'same status keeps lastTransitionTime',
      st: { conditions: [{ ...condProgressing2(), lastUpdateTime: at(0), lastTransitionTime: at(0) }] },
      cond: { ...condProgressing2(), reason: 'Other', lastUpdateTime: at(9), lastTransitionTime: at(9) },
      expected: { conditions: [{ ...condProgressing2(), reason: 'Other', lastUpdateTime: at(9), lastTransitionTime: at(0) }] },
    },
    {
      name: 'a changed condition moves to the end',
      st: status(),
      cond: condProgressing2(),
      expected: { conditions: [condAvailable(), condProgressing2()] },
    },
  ])('$name', ({ st, cond, expected }) => {
    expect(setDeploymentCondition(st as DeploymentStatus, cond)).toEqual(expected);
  });
});

describe('removeDeploymentCondition', () => {
  // Mirrors upstream TestRemoveCondition.
  it.each([
    { name: 'remove from empty status', st: {}, type: 'Progressing', expected: {} },
    { name: 'simple remove', st: { conditions: [condProgressing()] }, type: 'Progressing', expected: { conditions: [] } },
    { name: "doesn't remove anything", st: status(), type: 'ReplicaFailure', expected: status() },
  ])('$name', ({ st, type, expected }) => {
    expect(removeDeploymentCondition(st as DeploymentStatus, type)).toEqual(expected);
  });
});

describe('newDeploymentCondition', () => {
  it('stamps both times as RFC 3339 without milliseconds', () => {
    expect(newDeploymentCondition('Available', 'True', 'R', 'm', T0 + 1234)).toEqual({
      type: 'Available', status: 'True', reason: 'R', message: 'm', lastUpdateTime: '2026-11-26T09:00:01Z', lastTransitionTime: '2026-11-26T09:00:01Z',
    });
  });
});
