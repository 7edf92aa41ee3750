/**
 * Builders for rollout planner tests, in the spirit of upstream's
 * `newDeployment(name, replicas, revisionHistoryLimit, maxSurge,
 * maxUnavailable, selector)` and `rs(name, replicas, selector, timestamp)`.
 */
import type { Condition, Deployment, DeploymentStatus, IntOrString, Pod, PodTemplateSpec, ReplicaSet } from '../k8s/types.js';
import { DesiredReplicasAnnotation, MaxReplicasAnnotation, RevisionAnnotation } from './annotations.js';
import { computePodTemplateHash } from './hash.js';
import { formatTime } from './time.js';

/** T0 is a fixed epoch (2026-11-26T09:00:00Z) that tests count from. */
export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

/** at returns T0 + seconds, as an RFC 3339 string. */
export const at = (seconds: number): string => formatTime(T0 + seconds * 1000);

export const DEPLOYMENT_UID = 'd-uid-1';

/** newTemplate returns a pod template with label app=<app> and one container. */
export function newTemplate(image = 'nginx:1', app = 'kubia'): PodTemplateSpec {
  return { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image }] } };
}

export interface DeploymentOptions {
  name?: string;
  namespace?: string;
  uid?: string;
  replicas?: number;
  strategy?: 'RollingUpdate' | 'Recreate' | string;
  maxSurge?: IntOrString | null;
  maxUnavailable?: IntOrString | null;
  image?: string;
  template?: PodTemplateSpec;
  selector?: Deployment['spec']['selector'];
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number | null;
  minReadySeconds?: number;
  paused?: boolean;
  generation?: number;
  annotations?: Record<string, string>;
  status?: DeploymentStatus;
  deletionTimestamp?: string;
}

/** newDeployment returns a defaulted apps/v1 Deployment (25%/25%, deadline 600 s, history 10). */
export function newDeployment(o: DeploymentOptions = {}): Deployment {
  const template = o.template ?? newTemplate(o.image);
  const strategy = o.strategy ?? 'RollingUpdate';
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name ?? 'kubia',
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? DEPLOYMENT_UID,
      generation: o.generation ?? 1,
      creationTimestamp: at(0),
      annotations: o.annotations ?? {},
    },
    spec: {
      replicas: o.replicas ?? 1,
      selector: o.selector ?? { matchLabels: { ...(template.metadata?.labels ?? {}) } },
      template,
      strategy:
        strategy === 'RollingUpdate'
          ? {
              type: 'RollingUpdate',
              rollingUpdate: {
                ...(o.maxSurge === null ? {} : { maxSurge: o.maxSurge ?? '25%' }),
                ...(o.maxUnavailable === null ? {} : { maxUnavailable: o.maxUnavailable ?? '25%' }),
              },
            }
          : ({ type: strategy } as Deployment['spec']['strategy']),
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
      ...(o.progressDeadlineSeconds === null ? {} : { progressDeadlineSeconds: o.progressDeadlineSeconds ?? 600 }),
      minReadySeconds: o.minReadySeconds ?? 0,
      ...(o.paused ? { paused: true } : {}),
    },
    status: o.status ?? {},
  };
  if (o.deletionTimestamp) d.metadata.deletionTimestamp = o.deletionTimestamp;
  return d;
}

export interface ReplicaSetOptions {
  name?: string;
  uid?: string;
  replicas?: number;
  /** status.replicas; defaults to replicas */
  statusReplicas?: number;
  readyReplicas?: number;
  /** status.availableReplicas; defaults to 0 */
  available?: number;
  revision?: number | string;
  /** seconds after T0 */
  created?: number;
  /** the owning deployment; undefined = orphan; the RS template is the deployment's unless template/image is given */
  owner?: Deployment | null;
  image?: string;
  template?: PodTemplateSpec;
  annotations?: Record<string, string>;
  /** desired-replicas / max-replicas annotations */
  desired?: number;
  max?: number;
  generation?: number;
  observedGeneration?: number;
  minReadySeconds?: number;
  deletionTimestamp?: string;
  conditions?: Condition[];
}

/** newReplicaSet returns a ReplicaSet (owned by `owner` unless it is null) with the hash label of its template. */
export function newReplicaSet(o: ReplicaSetOptions = {}): ReplicaSet {
  const owner = o.owner === undefined ? newDeployment() : o.owner;
  const base = o.template ?? (o.image ? newTemplate(o.image) : owner ? owner.spec.template : newTemplate());
  const hash = computePodTemplateHash(base);
  const labels = { ...(base.metadata?.labels ?? {}), 'pod-template-hash': hash };
  const annotations: Record<string, string> = { ...(o.annotations ?? {}) };
  if (o.revision !== undefined) annotations[RevisionAnnotation] = String(o.revision);
  if (o.desired !== undefined) annotations[DesiredReplicasAnnotation] = String(o.desired);
  if (o.max !== undefined) annotations[MaxReplicasAnnotation] = String(o.max);
  const name = o.name ?? `${owner?.metadata.name ?? 'kubia'}-${hash}`;
  const replicas = o.replicas ?? 0;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: o.uid ?? `uid-${name}`,
      generation: o.generation ?? 1,
      creationTimestamp: at(o.created ?? 0),
      labels,
      annotations,
      ownerReferences: owner
        ? [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }]
        : [],
    },
    spec: {
      replicas,
      minReadySeconds: o.minReadySeconds ?? 0,
      selector: { matchLabels: { ...(base.metadata?.labels ?? {}), 'pod-template-hash': hash } },
      template: { ...base, metadata: { ...(base.metadata ?? {}), labels } },
    },
    status: {
      replicas: o.statusReplicas ?? replicas,
      readyReplicas: o.readyReplicas ?? o.available ?? 0,
      availableReplicas: o.available ?? 0,
      observedGeneration: o.observedGeneration ?? o.generation ?? 1,
      ...(o.conditions ? { conditions: o.conditions } : {}),
    },
  };
  if (o.deletionTimestamp) rs.metadata.deletionTimestamp = o.deletionTimestamp;
  return rs;
}

export interface PodOptions {
  name?: string;
  uid?: string;
  owner?: ReplicaSet | null;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  node?: string;
  /** ready since (seconds after T0); undefined = not ready */
  readySince?: number;
  /** created (seconds after T0) */
  created?: number;
  restarts?: number;
  deletionCost?: number;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
}

/** newPod returns a pod owned by `owner` (Running on node-1 unless told otherwise). */
export function newPod(o: PodOptions = {}): Pod {
  const owner = o.owner ?? null;
  const name = o.name ?? 'pod';
  const conditions: Condition[] =
    o.readySince !== undefined
      ? [{ type: 'Ready', status: 'True', lastTransitionTime: at(o.readySince) }]
      : [{ type: 'Ready', status: 'False', lastTransitionTime: at(o.created ?? 0) }];
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: o.uid ?? `uid-${name}`,
      creationTimestamp: at(o.created ?? 0),
      labels: o.labels ?? { ...(owner?.spec.template.metadata?.labels ?? {}) },
      ...(o.deletionCost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.deletionCost) } } : {}),
      ownerReferences: owner
        ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }]
        : [],
    },
    spec: { containers: [{ name: 'app', image: 'nginx:1' }], ...(o.node === '' ? {} : { nodeName: o.node ?? 'node-1' }) },
    status: {
      phase: o.phase ?? 'Running',
      conditions,
      containerStatuses: [{ name: 'app', ready: o.readySince !== undefined, restartCount: o.restarts ?? 0 }],
    },
  };
  if (o.deletionTimestamp) pod.metadata.deletionTimestamp = o.deletionTimestamp;
  return pod;
}
