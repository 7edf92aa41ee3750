import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s/types.js';
import { detectRolloutEvents } from './detect.js';

function dep(revision: string | undefined, reason?: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: revision ? { 'deployment.kubernetes.io/revision': revision } : {} },
    spec: {},
    status: reason ? { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True', reason, message: `m ${reason}` }] } : {},
  };
}

const created = { actions: [{ type: 'createReplicaSet' }, { type: 'updateDeploymentAnnotations' }] };
const reused = { actions: [{ type: 'updateReplicaSet' }, { type: 'updateDeploymentAnnotations' }] };
const none = { actions: [] };

describe('detectRolloutEvents', () => {
  it.each([
    { name: 'a new deployment starts revision 1', before: dep(undefined), after: dep('1', 'NewReplicaSetCreated'), plan: created, want: ['RolloutStarted'] },
    { name: 'a template change starts a new revision', before: dep('1', 'NewReplicaSetAvailable'), after: dep('2', 'NewReplicaSetAvailable'), plan: created, want: ['RolloutStarted'] },
    { name: 'started and progressing in one reconcile, in order', before: dep('1', 'NewReplicaSetAvailable'), after: dep('2', 'ReplicaSetUpdated'), plan: created, want: ['RolloutStarted', 'RolloutProgressing'] },
    { name: 'progressing once per revision', before: dep('2', 'ReplicaSetUpdated'), after: dep('2', 'ReplicaSetUpdated'), plan: none, want: [] },
    { name: 'progress begins', before: dep('2', 'NewReplicaSetCreated'), after: dep('2', 'ReplicaSetUpdated'), plan: none, want: ['RolloutProgressing'] },
    { name: 'complete after a rollout', before: dep('2', 'ReplicaSetUpdated'), after: dep('2', 'NewReplicaSetAvailable'), plan: none, want: ['RolloutComplete'] },
    { name: 'a settled deployment emits nothing', before: dep('2', 'NewReplicaSetAvailable'), after: dep('2', 'NewReplicaSetAvailable'), plan: none, want: [] },
    { name: 'deadline exceeded', before: dep('2', 'ReplicaSetUpdated'), after: dep('2', 'ProgressDeadlineExceeded'), plan: none, want: ['ProgressDeadlineExceeded'] },
    { name: 'paused', before: dep('2', 'NewReplicaSetAvailable'), after: dep('2', 'DeploymentPaused'), plan: none, want: ['Paused'] },
    { name: 'resumed', before: dep('2', 'DeploymentPaused'), after: dep('2', 'DeploymentResumed'), plan: none, want: ['Resumed'] },
    { name: 'resumed and synced in one reconcile', before: dep('2', 'DeploymentPaused'), after: dep('2', 'NewReplicaSetAvailable'), plan: none, want: ['Resumed'] },
    { name: 'resumed into a rollout', before: dep('2', 'DeploymentPaused'), after: dep('3', 'ReplicaSetUpdated'), plan: created, want: ['RolloutStarted', 'Resumed', 'RolloutProgressing'] },
    { name: 'complete after resume is not a new rollout', before: dep('2', 'DeploymentResumed'), after: dep('2', 'NewReplicaSetAvailable'), plan: none, want: [] },
    { name: 'an old ReplicaSet reused is a rollback', before: dep('2', 'NewReplicaSetAvailable'), after: dep('3', 'ReplicaSetUpdated'), plan: reused, want: ['RolledBack', 'RolloutProgressing'] },
  ])('$name', ({ before, after, plan, want }) => {
    expect(detectRolloutEvents(before, after, plan).map((e) => e.type)).toEqual(want);
  });

  it('carries the revision and the condition message', () => {
    const [e] = detectRolloutEvents(dep('2', 'ReplicaSetUpdated'), dep('2', 'NewReplicaSetAvailable'), none);
    expect(e).toEqual({ type: 'RolloutComplete', revision: '2', reason: 'NewReplicaSetAvailable', message: 'm NewReplicaSetAvailable' });
  });
});
