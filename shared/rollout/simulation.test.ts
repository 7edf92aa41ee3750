/**
 * End-to-end simulation: planDeployment + planReplicaSet against an in-memory
 * store where pods become ready as soon as they are created and deleted pods
 * linger for one tick as terminating. Invariants are checked after every write.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment, Pod, ReplicaSet } from '../k8s/types.js';
import { getDeploymentCondition } from './conditions.js';
import { planDeployment } from './deployment.js';
import { maxSurge, maxUnavailable } from './fenceposts.js';
import { isPodActive, isPodReady } from './pod-availability.js';
import { planReplicaSet } from './replica-set.js';
import { T0, newDeployment, newTemplate } from './test-fixtures.js';
import { formatTime } from './time.js';
import type { DeploymentPlan } from './types.js';

class Cluster {
  now = T0;
  d: Deployment;
  rss = new Map<string, ReplicaSet>();
  pods = new Map<string, Pod>();
  private uid = 0;
  events: string[] = [];

  constructor(d: Deployment) {
    this.d = structuredClone(d);
  }

  ownedPods(): Pod[] {
    const uids = new Set([...this.rss.values()].map((rs) => rs.metadata.uid));
    return [...this.pods.values()].filter((p) => uids.has(p.metadata.ownerReferences?.[0]?.uid));
  }

  syncDeployment(): DeploymentPlan {
    const plan = planDeployment({
      deployment: structuredClone(this.d),
      replicaSets: structuredClone([...this.rss.values()]),
      pods: structuredClone(this.ownedPods()),
      now: this.now,
    });
    for (const a of plan.actions) {
      switch (a.type) {
        case 'createReplicaSet': {
          if (this.rss.has(a.replicaSet.metadata.name)) throw new Error('duplicate create');
          const rs = structuredClone(a.replicaSet);
          rs.metadata.uid = `rs-${++this.uid}`;
          rs.metadata.generation = 1;
          rs.metadata.creationTimestamp = formatTime(this.now);
          rs.status = { replicas: 0 };
          this.rss.set(rs.metadata.name, rs);
          break;
        }
        case 'updateReplicaSet': {
          const rs = this.rss.get(a.name)!;
          if (a.replicas !== undefined) rs.spec.replicas = a.replicas;
          if (a.minReadySeconds !== undefined) rs.spec.minReadySeconds = a.minReadySeconds;
          if (a.annotations) rs.metadata.annotations = a.annotations;
          if (a.ownerReferences) rs.metadata.ownerReferences = a.ownerReferences;
          rs.metadata.generation = (rs.metadata.generation ?? 0) + 1;
          break;
        }
        case 'deleteReplicaSet':
          this.rss.delete(a.name);
          break;
        case 'updateDeploymentAnnotations':
          this.d.metadata.annotations = a.annotations;
          break;
        default:
          throw new Error(`unexpected action ${a.type}`);
      }
    }
    if (plan.status) this.d.status = plan.status;
    this.events.push(...plan.events.map((e) => e.message));
    return plan;
  }

  syncReplicaSets(): number {
    let writes = 0;
    for (const rs of [...this.rss.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const pods = [...this.pods.values()].filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
      const plan = planReplicaSet({ replicaSet: structuredClone(rs), pods: structuredClone(pods), now: this.now });
      for (const pod of plan.create) {
        if (this.pods.has(pod.metadata.name)) throw new Error(`duplicate pod ${pod.metadata.name}`);
        // Pods become ready instantly.
        const p = structuredClone(pod);
        p.metadata.creationTimestamp = formatTime(this.now);
        p.spec.nodeName = 'node-1';
        p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(this.now) }] };
        this.pods.set(p.metadata.name, p);
        writes++;
      }
      for (const name of plan.delete) {
        this.pods.get(name)!.metadata.deletionTimestamp = formatTime(this.now);
        writes++;
      }
      if (plan.status) {
        rs.status = plan.status;
        writes++;
      }
    }
    return writes;
  }

  /** removeTerminating finishes the deletion of pods deleted in an earlier tick. */
  removeTerminating(): void {
    for (const [name, p] of this.pods) if (p.metadata.deletionTimestamp) this.pods.delete(name);
  }

  activePodsByRS(): Map<string, Pod[]> {
    const out = new Map<string, Pod[]>();
    for (const rs of this.rss.values()) {
      out.set(rs.metadata.name, [...this.pods.values()].filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid && isPodActive(p)));
    }
    return out;
  }
}

interface RunResult {
  steps: number;
  cluster: Cluster;
}

/** rollout converges the cluster, calling `check` after every write, and returns the step count. */
function rollout(c: Cluster, check: (c: Cluster) => void, maxSteps = 400): RunResult {
  let quiet = 0;
  for (let step = 0; step < maxSteps; step++) {
    const plan = c.syncDeployment();
    check(c);
    const rsWrites = c.syncReplicaSets();
    check(c);
    c.removeTerminating();
    check(c);
    c.now += 1000;
    const idle = plan.actions.length === 0 && !plan.status && rsWrites === 0;
    quiet = idle ? quiet + 1 : 0;
    if (quiet >= 2) return { steps: step, cluster: c };
  }
  throw new Error('rollout did not converge');
}

function startStable(d: Deployment): Cluster {
  const c = new Cluster(d);
  rollout(c, () => {});
  return c;
}

describe('simulation: RollingUpdate', () => {
  it.each([
    { name: '10 replicas, maxSurge 25%, maxUnavailable 25%', replicas: 10, maxSurge: '25%', maxUnavailable: '25%' },
    { name: '10 replicas, maxSurge 0, maxUnavailable 1', replicas: 10, maxSurge: 0, maxUnavailable: 1 },
    { name: '3 replicas, maxSurge 1, maxUnavailable 0', replicas: 3, maxSurge: 1, maxUnavailable: 0 },
    { name: '1 replica, 25%/25%', replicas: 1, maxSurge: '25%', maxUnavailable: '25%' },
  ])('$name keeps the fenceposts at every step and completes', ({ replicas, maxSurge: ms, maxUnavailable: mu }) => {
    // Prepare
    const d = newDeployment({ replicas, maxSurge: ms, maxUnavailable: mu, image: 'nginx:1' });
    const c = startStable(d);
    expect([...c.pods.values()].filter(isPodActive)).toHaveLength(replicas);
    const surge = maxSurge(c.d);
    const unavailable = maxUnavailable(c.d);
    c.d.spec.template = newTemplate('nginx:2');
    c.d.metadata.generation = 2;
    c.events = [];

    // Act
    const { cluster } = rollout(c, (cl) => {
      const active = [...cl.pods.values()].filter(isPodActive);
      // Assess (every step)
      expect(active.length).toBeLessThanOrEqual(replicas + surge);
      expect(active.filter(isPodReady).length).toBeGreaterThanOrEqual(replicas - unavailable);
    });

    // Assess
    const byRS = cluster.activePodsByRS();
    const newRS = [...cluster.rss.values()].find((rs) => (rs.spec.template.spec.containers[0].image as string) === 'nginx:2')!;
    expect(byRS.get(newRS.metadata.name)).toHaveLength(replicas);
    expect([...cluster.pods.values()].filter(isPodActive)).toHaveLength(replicas);
    const progressing = getDeploymentCondition(cluster.d.status, 'Progressing');
    expect(progressing?.reason).toBe('NewReplicaSetAvailable');
    expect(getDeploymentCondition(cluster.d.status, 'Available')?.status).toBe('True');
    expect(cluster.d.status).toMatchObject({ observedGeneration: 2, replicas, updatedReplicas: replicas, availableReplicas: replicas });
    expect(cluster.d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(cluster.events.some((e) => e.startsWith(`Scaled up replica set ${newRS.metadata.name} from 0 to`))).toBe(true);
  });

  it('a first rollout creates the ReplicaSet with revision 1 and completes', () => {
    // Prepare
    const c = new Cluster(newDeployment({ replicas: 3 }));

    // Act
    rollout(c, () => {});

    // Assess
    expect(c.rss.size).toBe(1);
    const rs = [...c.rss.values()][0];
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(c.d.status?.conditions?.map((x) => [x.type, x.reason])).toEqual([
      ['Available', 'MinimumReplicasAvailable'],
      ['Progressing', 'NewReplicaSetAvailable'],
    ]);
    expect(c.events[0]).toBe(`Scaled up replica set ${rs.metadata.name} from 0 to 3`);
  });

  it('a rollback reuses the old ReplicaSet with revision 3 and history 1', () => {
    // Prepare
    const c = startStable(newDeployment({ replicas: 2, image: 'nginx:1' }));
    c.d.spec.template = newTemplate('nginx:2');
    rollout(c, () => {});
    expect(c.rss.size).toBe(2);

    // Act
    c.d.spec.template = newTemplate('nginx:1');
    rollout(c, () => {});

    // Assess
    expect(c.rss.size).toBe(2);
    const v1 = [...c.rss.values()].find((rs) => rs.spec.template.spec.containers[0].image === 'nginx:1')!;
    expect(v1.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(v1.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(c.d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(c.activePodsByRS().get(v1.metadata.name)).toHaveLength(2);
  });

  it('revisionHistoryLimit 1 keeps one old ReplicaSet after three rollouts', () => {
    // Prepare
    const c = startStable(newDeployment({ replicas: 2, image: 'nginx:1', revisionHistoryLimit: 1 }));

    // Act
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      c.d.spec.template = newTemplate(image);
      rollout(c, () => {});
    }

    // Assess
    const images = [...c.rss.values()].map((rs) => rs.spec.template.spec.containers[0].image).sort();
    expect(images).toEqual(['nginx:3', 'nginx:4']);
  });

  it('scaling 10 → 20 in the middle of a rollout keeps proportions and completes', () => {
    // Prepare
    const c = startStable(newDeployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }));
    c.d.spec.template = newTemplate('nginx:2');
    c.syncDeployment();
    c.syncReplicaSets();

    // Act
    c.d.spec.replicas = 20;
    const plan = c.syncDeployment();

    // Assess
    const sizes = plan.actions.filter((a) => a.type === 'updateReplicaSet').map((a) => (a as { replicas?: number }).replicas);
    expect(sizes.reduce((n, s) => n! + (s ?? 0), 0)).toBe(23);
    rollout(c, () => {});
    expect([...c.pods.values()].filter(isPodActive)).toHaveLength(20);
  });
});

describe('simulation: time', () => {
  it('minReadySeconds 3: pods become available 3 s after ready and the rollout completes', () => {
    // Prepare
    const c = new Cluster(newDeployment({ replicas: 2, minReadySeconds: 3 }));

    // Act
    const { steps } = rollout(c, () => {});

    // Assess
    expect(steps).toBeGreaterThan(3);
    expect(c.d.status).toMatchObject({ availableReplicas: 2, updatedReplicas: 2 });
    expect(getDeploymentCondition(c.d.status, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('pods that never become ready end in ProgressDeadlineExceeded', () => {
    // Prepare: a deadline of 10 s, and pods stuck in Pending.
    const c = new Cluster(newDeployment({ replicas: 2, progressDeadlineSeconds: 10 }));
    c.syncDeployment();
    c.syncReplicaSets();
    for (const p of c.pods.values()) p.status = { phase: 'Pending' };

    // Act
    let reason: string | undefined;
    for (let i = 0; i < 30 && reason !== 'ProgressDeadlineExceeded'; i++) {
      c.now += 1000;
      const plan = c.syncDeployment();
      if (plan.status === undefined && plan.actions.length === 0) {
        expect(plan.requeueAfterMs).toBeGreaterThan(0);
      }
      reason = getDeploymentCondition(c.d.status, 'Progressing')?.reason;
    }

    // Assess
    expect(reason).toBe('ProgressDeadlineExceeded');
    expect(c.now - T0).toBeGreaterThan(10_000);
    expect(c.syncDeployment()).toEqual({ actions: [], events: [] });
  });
});

describe('simulation: Recreate', () => {
  it('never runs old and new pods together and completes', () => {
    // Prepare
    const c = startStable(newDeployment({ replicas: 4, strategy: 'Recreate', image: 'nginx:1' }));
    c.d.spec.template = newTemplate('nginx:2');
    c.d.metadata.generation = 2;

    // Act
    rollout(c, (cl) => {
      // Assess (every step): terminating pods still count as running.
      const images = new Set([...cl.pods.values()].map((p) => cl.rss.get(p.metadata.ownerReferences![0].name)?.spec.template.spec.containers[0].image));
      expect(images.size).toBeLessThanOrEqual(1);
    });

    // Assess
    const active = [...c.pods.values()].filter(isPodActive);
    expect(active).toHaveLength(4);
    expect(getDeploymentCondition(c.d.status, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(c.d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
  });
});
