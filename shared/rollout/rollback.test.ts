import { describe, expect, it } from 'vitest';
import { planDeployment } from './deployment.js';
import { planLegacyRollback, rollbackTarget } from './rollback.js';
import { T0, newDeployment, newReplicaSet, newTemplate } from './test-fixtures.js';

const ROLLBACK = 'deprecated.deployment.rollback.to';
const REVISION = 'deployment.kubernetes.io/revision';
const CAUSE = 'kubernetes.io/change-cause';
const now = T0 + 3600_000;

describe('rollbackTarget', () => {
  it.each([
    { value: undefined, expected: undefined },
    { value: '', expected: undefined },
    { value: 'two', expected: undefined },
    { value: '0', expected: 0 },
    { value: '3', expected: 3 },
  ])('annotation $value → $expected', ({ value, expected }) => {
    const d = newDeployment({ annotations: value === undefined ? {} : { [ROLLBACK]: value } });
    expect(rollbackTarget(d)).toBe(expected);
  });
});

describe('planLegacyRollback (upstream rollback.go, case by case)', () => {
  // The Deployment runs nginx:3 (revision 3); revisions 1 and 2 ran nginx:1 and nginx:2.
  const d = newDeployment({ image: 'nginx:3', annotations: { [ROLLBACK]: '0', [REVISION]: '3', [CAUSE]: 'to 3', team: 'web' } });
  const r1 = newReplicaSet({ owner: d, image: 'nginx:1', revision: 1, annotations: { [CAUSE]: 'to 1' } });
  const r2 = newReplicaSet({ owner: d, image: 'nginx:2', revision: 2, annotations: { [CAUSE]: 'to 2', extra: 'x' } });
  const r3 = newReplicaSet({ owner: d, image: 'nginx:3', revision: 3, annotations: { [CAUSE]: 'to 3' } });
  const all = [r1, r2, r3];

  it.each([
    { name: 'revision 0 means the one before the current', revision: 0, image: 'nginx:2', cause: 'to 2', event: 'Rolled back deployment "kubia" to revision 2' },
    { name: 'an explicit revision', revision: 1, image: 'nginx:1', cause: 'to 1', event: 'Rolled back deployment "kubia" to revision 1' },
  ])('$name', ({ revision, image, cause, event }) => {
    const rb = planLegacyRollback(d, d.metadata.annotations!, all, revision);
    expect(rb.template?.spec.containers[0].image).toBe(image);
    expect(rb.template?.metadata?.labels?.['pod-template-hash']).toBeUndefined();
    // Bookkeeping annotations stay; the others come from the revision; the request is cleared.
    expect(rb.annotations[REVISION]).toBe('3');
    expect(rb.annotations[CAUSE]).toBe(cause);
    expect(rb.annotations.team).toBeUndefined();
    expect(rb.annotations[ROLLBACK]).toBeUndefined();
    expect(rb.event).toEqual({ type: 'Normal', reason: 'DeploymentRollback', message: event });
  });

  it.each([
    { name: 'no earlier revision to go back to', rss: [r3], revision: 0, reason: 'DeploymentRollbackRevisionNotFound', message: 'Unable to find last revision.' },
    { name: 'a revision that does not exist', rss: all, revision: 7, reason: 'DeploymentRollbackRevisionNotFound', message: 'Unable to find the revision to rollback to.' },
    { name: 'the current template', rss: all, revision: 3, reason: 'DeploymentRollbackTemplateUnchanged', message: 'The rollback revision contains the same template as current deployment "kubia"' },
  ])('$name: a Warning, the template kept, the request still cleared', ({ rss, revision, reason, message }) => {
    const rb = planLegacyRollback(d, d.metadata.annotations!, rss, revision);
    expect(rb.template).toBeUndefined();
    expect(rb.annotations).toEqual({ [REVISION]: '3', [CAUSE]: 'to 3', team: 'web' });
    expect(rb.event).toEqual({ type: 'Warning', reason, message });
  });
});

describe('planDeployment with a legacy rollback request', () => {
  it('rolls back before anything else, and writes nothing to the ReplicaSets', () => {
    const d = newDeployment({ replicas: 2, image: 'nginx:2', annotations: { [ROLLBACK]: '1', [REVISION]: '2' } });
    const r1 = newReplicaSet({ owner: d, image: 'nginx:1', revision: 1 });
    const r2 = newReplicaSet({ owner: d, image: 'nginx:2', revision: 2, replicas: 2, available: 2 });
    const p = planDeployment({ deployment: d, replicaSets: [r1, r2], pods: [], now });
    expect(p.actions).toEqual([{ type: 'rollbackDeployment', annotations: { [REVISION]: '2' }, template: newTemplate('nginx:1') }]);
    expect(p.events.map((e) => e.reason)).toEqual(['DeploymentRollback']);
  });

  it('is ignored while paused (paused deployments only sync)', () => {
    const d = newDeployment({ replicas: 2, image: 'nginx:2', paused: true, annotations: { [ROLLBACK]: '1', [REVISION]: '2' } });
    const r1 = newReplicaSet({ owner: d, image: 'nginx:1', revision: 1 });
    const r2 = newReplicaSet({ owner: d, image: 'nginx:2', revision: 2, replicas: 2, available: 2 });
    const p = planDeployment({ deployment: d, replicaSets: [r1, r2], pods: [], now });
    expect(p.actions.some((a) => a.type === 'rollbackDeployment')).toBe(false);
  });
});
