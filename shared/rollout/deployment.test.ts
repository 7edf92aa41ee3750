import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../k8s/types.js';
import { getDeploymentCondition } from './conditions.js';
import { planDeployment } from './deployment.js';
import { computePodTemplateHash } from './hash.js';
import { calculateStatus } from './sync.js';
import { T0, at, newDeployment, newPod, newReplicaSet, newTemplate } from './test-fixtures.js';
import type { DeploymentAction, DeploymentPlanInput } from './types.js';

const now = T0 + 3600_000;

/** stableStatus is the status a finished rollout of `rss` would have stored. */
function stableStatus(d: Deployment, rss: ReplicaSet[], newRS: ReplicaSet | undefined, reason = 'NewReplicaSetAvailable'): DeploymentStatus {
  const s = calculateStatus(rss, newRS, d, T0);
  s.conditions = [
    ...(s.conditions ?? []),
    { type: 'Progressing', status: 'True', reason, message: `ReplicaSet "${newRS?.metadata.name}" has successfully progressed.`, lastUpdateTime: at(0), lastTransitionTime: at(0) },
  ];
  return s;
}

function plan(input: Partial<DeploymentPlanInput> & { deployment: Deployment }) {
  return planDeployment({ replicaSets: [], pods: [], now, ...input });
}

const updates = (actions: DeploymentAction[]) => actions.filter((a): a is Extract<DeploymentAction, { type: 'updateReplicaSet' }> => a.type === 'updateReplicaSet');

describe('planDeployment: first rollout', () => {
  it('creates the new ReplicaSet, copies the revision and reports progress', () => {
    // Prepare
    const d = newDeployment({ replicas: 1, annotations: { 'kubernetes.io/change-cause': 'initial', team: 'x' } });
    const hash = computePodTemplateHash(d.spec.template);

    // Act
    const p = plan({ deployment: d });

    // Assess
    expect(p.actions.map((a) => a.type)).toEqual(['createReplicaSet', 'updateDeploymentAnnotations']);
    const rs = (p.actions[0] as Extract<DeploymentAction, { type: 'createReplicaSet' }>).replicaSet;
    expect(rs.metadata).toEqual({
      name: `kubia-${hash}`,
      namespace: 'default',
      labels: { app: 'kubia', 'pod-template-hash': hash },
      annotations: {
        'kubernetes.io/change-cause': 'initial',
        team: 'x',
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': '1',
        'deployment.kubernetes.io/max-replicas': '2',
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'kubia', uid: 'd-uid-1', controller: true, blockOwnerDeletion: true }],
    });
    expect(rs.spec).toMatchObject({
      replicas: 1,
      selector: { matchLabels: { app: 'kubia', 'pod-template-hash': hash } },
      template: { metadata: { labels: { app: 'kubia', 'pod-template-hash': hash } }, spec: d.spec.template.spec },
    });
    expect(p.actions[1]).toEqual({
      type: 'updateDeploymentAnnotations',
      annotations: { 'kubernetes.io/change-cause': 'initial', team: 'x', 'deployment.kubernetes.io/revision': '1' },
    });
    expect(p.events).toEqual([{ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set kubia-${hash} from 0 to 1` }]);
    expect(getDeploymentCondition(p.status, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "kubia-${hash}"` });
    expect(getDeploymentCondition(p.status, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(p.status).toMatchObject({ observedGeneration: 1, unavailableReplicas: 1 });
    expect(p.requeueAfterMs).toBe(0);
  });

  it('is a no-op once complete: no action, no status, nothing to wait for', () => {
    // Prepare
    const d = newDeployment({ replicas: 2, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = newReplicaSet({ owner: d, replicas: 2, available: 2, revision: 1, desired: 2, max: 3 });
    d.status = stableStatus(d, [rs], rs);

    // Act
    const p = plan({ deployment: d, replicaSets: [rs] });

    // Assess
    expect(p).toEqual({ actions: [], events: [] });
  });
});

describe('planDeployment: dispatcher', () => {
  it('empty selector: Warning SelectingAll and observedGeneration only', () => {
    const d = newDeployment({ selector: {}, generation: 3, status: { observedGeneration: 2 } });
    const p = plan({ deployment: d, replicaSets: [newReplicaSet({ owner: null })] });
    expect(p.actions).toEqual([]);
    expect(p.events).toEqual([{ type: 'Warning', reason: 'SelectingAll', message: 'This deployment is selecting all pods. A non-empty selector is required.' }]);
    expect(p.status).toEqual({ observedGeneration: 3 });
  });

  it('being deleted: status only, nothing created', () => {
    // Prepare: the template changed, which would otherwise create a new RS.
    const d = newDeployment({ replicas: 2, image: 'nginx:2', deletionTimestamp: at(5) });
    const old = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 2, available: 2, revision: 1 });

    // Act
    const p = plan({ deployment: d, replicaSets: [old] });

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    expect(p.status?.updatedReplicas).toBeUndefined();
  });

  it('being deleted with an existing new RS: copies its revision and notes FoundNewReplicaSet', () => {
    const d = newDeployment({ replicas: 1, deletionTimestamp: at(5) });
    const rs = newReplicaSet({ owner: d, replicas: 1, available: 1, revision: 4 });
    const p = plan({ deployment: d, replicaSets: [rs] });
    expect(p.actions).toEqual([{ type: 'updateDeploymentAnnotations', annotations: { 'deployment.kubernetes.io/revision': '4' } }]);
    expect(getDeploymentCondition(p.status, 'Progressing')).toMatchObject({ status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${rs.metadata.name}"` });
  });

  it.each([
    { name: 'paused: marks Progressing Unknown DeploymentPaused', paused: true, reason: 'DeploymentPaused', existing: 'NewReplicaSetAvailable', expected: { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' } },
    { name: 'resumed and complete: DeploymentResumed is superseded by NewReplicaSetAvailable in the same sync', paused: false, reason: 'DeploymentPaused', existing: 'DeploymentPaused', expected: { status: 'True', reason: 'NewReplicaSetAvailable' } },
    { name: 'paused never overwrites ProgressDeadlineExceeded', paused: true, reason: '', existing: 'ProgressDeadlineExceeded', expected: { status: 'True', reason: 'ProgressDeadlineExceeded' } },
  ])('$name', ({ paused, existing, expected }) => {
    // Prepare
    const d = newDeployment({ replicas: 1, paused, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = newReplicaSet({ owner: d, replicas: 1, available: 1, revision: 1, desired: 1, max: 2 });
    d.status = stableStatus(d, [rs], rs, existing);

    // Act
    const p = plan({ deployment: d, replicaSets: [rs] });

    // Assess
    expect(getDeploymentCondition(p.status ?? d.status, 'Progressing')).toMatchObject(expected);
  });

  it('resumed while pods are not available yet: Progressing Unknown DeploymentResumed restarts the deadline', () => {
    // Prepare
    const d = newDeployment({ replicas: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = newReplicaSet({ owner: d, replicas: 1, statusReplicas: 1, available: 0, revision: 1, desired: 1, max: 2 });
    d.status = stableStatus(d, [rs], rs, 'DeploymentPaused');

    // Act
    const p = plan({ deployment: d, replicaSets: [rs] });

    // Assess
    expect(getDeploymentCondition(p.status, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed', lastUpdateTime: '2026-11-26T10:00:00Z' });
    expect(p.requeueAfterMs).toBe(0);
  });

  it('paused with a changed template: no new ReplicaSet, scaling still applies, history cleaned up', () => {
    // Prepare
    const d = newDeployment({ replicas: 3, image: 'nginx:3', paused: true, revisionHistoryLimit: 0 });
    const idle = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 0, statusReplicas: 0, revision: 1, created: 0 });
    const current = newReplicaSet({ owner: d, image: 'nginx:2', replicas: 2, available: 2, revision: 2, desired: 2, max: 3, created: 60 });

    // Act
    const p = plan({ deployment: d, replicaSets: [idle, current] });

    // Assess
    expect(p.actions.some((a) => a.type === 'createReplicaSet')).toBe(false);
    expect(updates(p.actions)).toEqual([{ type: 'updateReplicaSet', name: current.metadata.name, replicas: 3, annotations: { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' } }]);
    expect(p.actions).toContainEqual({ type: 'deleteReplicaSet', name: idle.metadata.name });
    expect(p.events).toEqual([{ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${current.metadata.name} from 2 to 3` }]);
  });

  it('scaling event with a changed template scales the old ReplicaSets proportionally and creates nothing', () => {
    // Prepare: "change both size and template" from upstream TestScale.
    const d = newDeployment({ replicas: 14, image: 'nginx:3', maxSurge: 0, maxUnavailable: 1 });
    const v2 = newReplicaSet({ owner: d, name: 'foo-v2', image: 'nginx:2', replicas: 7, desired: 10, max: 10, revision: 2, created: 60 });
    const v1 = newReplicaSet({ owner: d, name: 'foo-v1', image: 'nginx:1', replicas: 3, desired: 10, max: 10, revision: 1, created: 0 });

    // Act
    const p = plan({ deployment: d, replicaSets: [v1, v2] });

    // Assess
    expect(p.actions.some((a) => a.type === 'createReplicaSet')).toBe(false);
    expect(updates(p.actions).map((u) => [u.name, u.replicas])).toEqual([['foo-v2', 10], ['foo-v1', 4]]);
  });

  it('an unknown strategy is an error', () => {
    expect(() => plan({ deployment: newDeployment({ strategy: 'BlueGreen' }) })).toThrow('unexpected deployment strategy type: BlueGreen');
  });
});

describe('planDeployment: ownership', () => {
  it('adopts a matching orphan (it becomes the new RS) and releases an owned one that no longer matches', () => {
    // Prepare
    const d = newDeployment({ replicas: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const orphan = newReplicaSet({ owner: null, template: d.spec.template, replicas: 1, available: 1, revision: 1, desired: 1, max: 2 });
    const stray = newReplicaSet({ owner: d, name: 'stray', template: newTemplate('x', 'other'), replicas: 0 });
    const foreign = newReplicaSet({ owner: newDeployment({ uid: 'other' }), name: 'foreign', replicas: 1 });

    // Act
    const p = plan({ deployment: d, replicaSets: [orphan, stray, foreign] });

    // Assess
    expect(updates(p.actions)).toEqual([
      { type: 'updateReplicaSet', name: orphan.metadata.name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'kubia', uid: 'd-uid-1', controller: true, blockOwnerDeletion: true }] },
      { type: 'updateReplicaSet', name: 'stray', ownerReferences: [] },
    ]);
    expect(p.actions.some((a) => a.type === 'createReplicaSet')).toBe(false);
  });
});

describe('planDeployment: hash collisions', () => {
  it('bumps collisionCount when the name is taken by a ReplicaSet that is not ours', () => {
    // Prepare
    const d = newDeployment({ replicas: 1 });
    const squatter = newReplicaSet({ owner: newDeployment({ uid: 'someone-else' }), name: `kubia-${computePodTemplateHash(d.spec.template)}`, replicas: 1 });

    // Act
    const p = plan({ deployment: d, replicaSets: [squatter] });

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.status).toEqual({ collisionCount: 1 });
    expect(p.requeueAfterMs).toBe(0);
  });

  it('with collisionCount set, the new ReplicaSet gets another name', () => {
    const d = newDeployment({ replicas: 1, status: { collisionCount: 1 } });
    const p = plan({ deployment: d });
    const rs = (p.actions[0] as Extract<DeploymentAction, { type: 'createReplicaSet' }>).replicaSet;
    expect(rs.metadata.name).toBe(`kubia-${computePodTemplateHash(d.spec.template, 1)}`);
    expect(rs.metadata.name).not.toBe(`kubia-${computePodTemplateHash(d.spec.template)}`);
    expect(p.status?.collisionCount).toBe(1);
  });
});

describe('planDeployment: rolling steps', () => {
  it('creating the new RS does not count as scaling: old RSs are scaled down in the same step', () => {
    // Prepare: 10 replicas, 25%/25% → surge 3, unavailable 2.
    const d = newDeployment({ replicas: 10, image: 'nginx:2', annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const old = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 10, available: 10, revision: 1, desired: 10, max: 13 });
    d.status = stableStatus(d, [old], undefined);

    // Act
    const p = plan({ deployment: d, replicaSets: [old] });

    // Assess
    expect(p.actions.map((a) => a.type)).toEqual(['createReplicaSet', 'updateDeploymentAnnotations', 'updateReplicaSet']);
    expect((p.actions[0] as Extract<DeploymentAction, { type: 'createReplicaSet' }>).replicaSet.spec.replicas).toBe(3);
    expect(updates(p.actions)[0]).toMatchObject({ name: old.metadata.name, replicas: 8 });
    expect(p.events.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Scaled up replica set kubia-\w+ from 0 to 3$/),
      `Scaled down replica set ${old.metadata.name} from 10 to 8`,
    ]);
  });

  it('rollback: the old ReplicaSet is reused with revision max+1 and history, and scaled in one write', () => {
    // Prepare: template is back to nginx:1 (revision 1); nginx:2 is revision 2.
    const d = newDeployment({ replicas: 4, maxSurge: 1, maxUnavailable: 0, image: 'nginx:1', annotations: { 'deployment.kubernetes.io/revision': '2' } });
    const v1 = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 0, revision: 1, desired: 4, max: 5, created: 0 });
    const v2 = newReplicaSet({ owner: d, image: 'nginx:2', replicas: 4, available: 4, revision: 2, desired: 4, max: 5, created: 60 });
    d.status = stableStatus(d, [v1, v2], v2);

    // Act
    const p = plan({ deployment: d, replicaSets: [v1, v2] });

    // Assess
    expect(updates(p.actions)).toEqual([
      {
        type: 'updateReplicaSet',
        name: v1.metadata.name,
        replicas: 1,
        annotations: {
          'deployment.kubernetes.io/revision': '3',
          'deployment.kubernetes.io/revision-history': '1',
          'deployment.kubernetes.io/desired-replicas': '4',
          'deployment.kubernetes.io/max-replicas': '5',
        },
      },
    ]);
    expect(p.actions).toContainEqual({ type: 'updateDeploymentAnnotations', annotations: { 'deployment.kubernetes.io/revision': '3' } });
    expect(p.events).toEqual([{ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${v1.metadata.name} from 0 to 1` }]);
  });

  it('syncs minReadySeconds onto the new ReplicaSet', () => {
    const d = newDeployment({ replicas: 1, minReadySeconds: 5, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = newReplicaSet({ owner: d, replicas: 1, available: 1, revision: 1, desired: 1, max: 2 });
    const p = plan({ deployment: d, replicaSets: [rs] });
    expect(updates(p.actions)).toEqual([{ type: 'updateReplicaSet', name: rs.metadata.name, minReadySeconds: 5 }]);
  });

  it('cleans up old ReplicaSets only once complete by the stored status', () => {
    // Prepare
    const d = newDeployment({ replicas: 1, revisionHistoryLimit: 1, image: 'nginx:3', annotations: { 'deployment.kubernetes.io/revision': '3' } });
    const v1 = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 0, revision: 1, created: 0 });
    const v2 = newReplicaSet({ owner: d, image: 'nginx:2', replicas: 0, revision: 2, created: 60 });
    const v3 = newReplicaSet({ owner: d, image: 'nginx:3', replicas: 1, available: 1, revision: 3, desired: 1, max: 2, created: 120 });

    // Act
    const lagging = plan({ deployment: { ...d, status: { observedGeneration: 1 } }, replicaSets: [v1, v2, v3] });
    const complete = plan({ deployment: { ...d, status: stableStatus(d, [v1, v2, v3], v3) }, replicaSets: [v1, v2, v3] });

    // Assess
    expect(lagging.actions.filter((a) => a.type === 'deleteReplicaSet')).toEqual([]);
    expect(complete.actions).toEqual([{ type: 'deleteReplicaSet', name: v1.metadata.name }]);
  });

  it('requeues a stalled rollout for the progress deadline (+1 s)', () => {
    // Prepare: new RS at 1 of 1 not yet available; Progressing updated 100 s ago, deadline 600 s.
    const d = newDeployment({ replicas: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = newReplicaSet({ owner: d, replicas: 1, statusReplicas: 1, available: 0, revision: 1, desired: 1, max: 2 });
    const s = calculateStatus([rs], rs, d, now - 100_000);
    s.conditions = [...s.conditions!, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs.metadata.name}" is progressing.`, lastUpdateTime: at(3500), lastTransitionTime: at(3500) }];
    d.status = s;

    // Act
    const p = plan({ deployment: d, replicaSets: [rs] });

    // Assess
    expect(p.actions).toEqual([]);
    expect(p.status).toBeUndefined();
    expect(p.requeueAfterMs).toBe(501_000);
  });

  it('marks ProgressDeadlineExceeded once the deadline has passed', () => {
    const d = newDeployment({ replicas: 1, progressDeadlineSeconds: 60, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = newReplicaSet({ owner: d, replicas: 1, statusReplicas: 1, available: 0, revision: 1, desired: 1, max: 2 });
    const s = calculateStatus([rs], rs, d, T0);
    s.conditions = [...s.conditions!, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: at(0), lastTransitionTime: at(0) }];
    d.status = s;
    const p = plan({ deployment: d, replicaSets: [rs] });
    expect(getDeploymentCondition(p.status, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.` });
  });
});

describe('planDeployment: Recreate', () => {
  const d = newDeployment({ replicas: 2, strategy: 'Recreate', image: 'nginx:2', annotations: { 'deployment.kubernetes.io/revision': '1' } });

  it('first scales the old ReplicaSets to 0 without creating the new one', () => {
    const old = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 2, available: 2, revision: 1, desired: 2, max: 2 });
    const p = plan({ deployment: d, replicaSets: [old] });
    expect(p.actions).toEqual([{ type: 'updateReplicaSet', name: old.metadata.name, replicas: 0 }]);
  });

  it.each([
    { name: 'waits while old RS status still reports pods', statusReplicas: 1, pods: [] as string[], creates: false },
    { name: 'waits while an old pod is terminating (it still reports Running)', statusReplicas: 0, pods: ['terminating'], creates: false },
    { name: 'ignores Succeeded and Failed old pods', statusReplicas: 0, pods: ['succeeded', 'failed'], creates: true },
    { name: 'creates the new ReplicaSet with all replicas once old pods are gone', statusReplicas: 0, pods: [], creates: true },
  ])('$name', ({ statusReplicas, pods, creates }) => {
    // Prepare
    const old = newReplicaSet({ owner: d, image: 'nginx:1', replicas: 0, statusReplicas, revision: 1, desired: 2, max: 2 });
    const podObjs = pods.map((kind) =>
      newPod({
        name: kind,
        owner: old,
        phase: kind === 'succeeded' ? 'Succeeded' : kind === 'failed' ? 'Failed' : 'Running',
        deletionTimestamp: kind === 'terminating' ? at(1) : undefined,
      }),
    );

    // Act
    const p = plan({ deployment: d, replicaSets: [old], pods: podObjs });

    // Assess
    const created = p.actions.find((a) => a.type === 'createReplicaSet') as Extract<DeploymentAction, { type: 'createReplicaSet' }> | undefined;
    expect(created !== undefined).toBe(creates);
    if (created) expect(created.replicaSet.spec.replicas).toBe(2);
  });
});
