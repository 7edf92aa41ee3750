/**
 * Server-side printing (`meta.k8s.io/v1` Table) for `kubectl get`, with the
 * columns and cell logic of kube-apiserver's built-in printers. As upstream,
 * the server always prints the wide (priority 1) cells; kubectl hides them
 * unless `-o wide`.
 *
 * Everything here is pure: "now" comes from the caller.
 */

import type { Container, KubeObject, LabelSelector, Pod } from '../k8s/types.js';
import { coversJson, parseAccept } from './discovery.js';
import type { ResourceInfo } from './resources.js';
import { rollwayColumns, rollwayPrinters } from './tables-rollway.js';
import { networkColumns, networkPrinters } from './tables-network.js';

export type TableVersion = 'v1' | 'v1beta1';
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  /** Current time in ms since the epoch; ages are computed against it. */
  now: number;
  /** What each row's `object` holds; default `Metadata` (PartialObjectMetadata). */
  includeObject?: IncludeObject;
  /** `metadata.resourceVersion` of the Table (the list's, or the object's for a single GET). */
  resourceVersion?: string;
  /** `metadata.continue` of the Table. */
  continueToken?: string;
  remainingItemCount?: number;
  /** Default true; false for watch events after the first (upstream sends no headers then). */
  withColumnDefinitions?: boolean;
  /** Table apiVersion `meta.k8s.io/<version>`; default v1 (see `tableVersion`). */
  version?: TableVersion;
}

// ---------------------------------------------------------------------------
// Accept negotiation

/**
 * The Table version the Accept header asks for, taking the client's first
 * (highest q) range that is servable as JSON; undefined when that is a plain
 * JSON range (or nothing servable asks for a Table).
 */
export function tableVersion(accept: string | undefined): TableVersion | undefined {
  for (const m of parseAccept(accept)) {
    if (!coversJson(m)) continue;
    const { as, g, v } = m.params;
    if (as === undefined && g === undefined && v === undefined) return undefined;
    if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) return v;
    // Another typed form (PartialObjectMetadata, unknown version…): not served here, try the next range.
  }
  return undefined;
}

/** True when the Accept header asks for a `meta.k8s.io` Table (v1 or v1beta1) before plain JSON. */
export function wantsTable(accept: string | undefined): boolean {
  return tableVersion(accept) !== undefined;
}

// ---------------------------------------------------------------------------
// Durations and timestamps

/**
 * Kubernetes' `duration.HumanDuration`: ~2-3 significant figures, e.g. `33s`,
 * `5m2s`, `3h`, `2d3h`, `45d`, `3y10d`. Up to 2s in the future is `0s`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.trunc(hours / 24 / 365);
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** Upstream `translateTimestampSince`: `<unknown>` for a missing timestamp. */
function since(ts: unknown, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

// ---------------------------------------------------------------------------
// Label selectors

interface Requirement {
  key: string;
  op: '=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/**
 * `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; "" for a nil or empty
 * selector; undefined when the selector is invalid.
 */
export function labelSelectorString(sel: LabelSelector | null | undefined): string | undefined {
  if (!sel) return '';
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: '=', values: [String(value)] });
  for (const expr of sel.matchExpressions ?? []) {
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key: expr.key, op: expr.operator === 'In' ? 'in' : 'notin', values });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return undefined;
        reqs.push({ key: expr.key, op: expr.operator === 'Exists' ? 'exists' : '!', values });
        break;
      default:
        return undefined;
    }
  }
  // Array.prototype.sort is stable, so equal keys keep matchLabels before expressions.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs
    .map((r) => {
      switch (r.op) {
        case '=':
          return `${r.key}=${r.values[0]}`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        default:
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
      }
    })
    .join(',');
}

/** `metav1.FormatLabelSelector`: like `labelSelectorString` but `<none>` when empty and `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

// ---------------------------------------------------------------------------
// Column definitions

const desc = {
  name:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  age:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  containers: 'Names of each container in the template.',
  images: 'Images referenced by each container in the template.',
};

function col(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

const nameCol = (priority = 0): TableColumnDefinition => col('Name', 'string', desc.name, priority, 'name');
const ageCol = (): TableColumnDefinition => col('Age', 'string', desc.age);

const columnsByKind: Record<string, () => TableColumnDefinition[]> = {
  Deployment: () => [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageCol(),
    col('Containers', 'string', desc.containers, 1),
    col('Images', 'string', desc.images, 1),
    col('Selector', 'string', "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.", 1),
  ],
  ReplicaSet: () => [
    nameCol(),
    col('Desired', 'integer', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset'),
    col('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset'),
    col('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    ageCol(),
    col('Containers', 'string', desc.containers, 1),
    col('Images', 'string', desc.images, 1),
    col('Selector', 'string', 'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  Pod: () => [
    nameCol(),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageCol(),
    col('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', 1),
  ],
  Namespace: () => [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
  Event: () => [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.', 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    nameCol(1),
  ],
  Secret: () => [
    nameCol(),
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    col('Data', 'string', "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    ageCol(),
  ],
  Node: () => [
    nameCol(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageCol(),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
};

/** The default table for kinds without a printer (as for custom resources): Name and Age (type `date`). */
const defaultColumns = (): TableColumnDefinition[] => [nameCol(), col('Age', 'date', desc.age)];

/** Column definitions for a resource's Table (wide columns have priority 1). */
export function columnDefinitions(resource: ResourceInfo): TableColumnDefinition[] {
  return (columnsByKind[resource.kind] ?? defaultColumns)();
}

// ---------------------------------------------------------------------------
// Rows

type Obj = KubeObject & Record<string, any>;
type Printer = (obj: Obj, now: number) => { cells: unknown[]; conditions?: TableRow['conditions'] };

function containerCells(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

const int = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : 0);
const str = (s: unknown): string => (typeof s === 'string' ? s : '');

function printDeployment(d: Obj, now: number): { cells: unknown[] } {
  const desired = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  const sel = labelSelectorString(d.spec?.selector);
  return {
    cells: [
      d.metadata.name,
      `${int(st.readyReplicas)}/${int(desired)}`,
      int(st.updatedReplicas),
      int(st.availableReplicas),
      since(d.metadata.creationTimestamp, now),
      ...containerCells(d.spec?.template?.spec?.containers),
      sel === undefined ? '<invalid>' : sel,
    ],
  };
}

function printReplicaSet(rs: Obj, now: number): { cells: unknown[] } {
  const st = rs.status ?? {};
  return {
    cells: [
      rs.metadata.name,
      int(rs.spec?.replicas ?? 1),
      int(st.replicas),
      int(st.readyReplicas),
      since(rs.metadata.creationTimestamp, now),
      ...containerCells(rs.spec?.template?.spec?.containers),
      formatLabelSelector(rs.spec?.selector),
    ],
  };
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface AnyContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

/** Upstream `printPod`'s STATUS, READY and RESTARTS logic. */
export function podSummary(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec: Record<string, any> = pod.spec ?? { containers: [] };
  const status: Record<string, any> = pod.status ?? {};
  const containers: Container[] = spec.containers ?? [];
  const initSpecs: Array<Record<string, any>> = spec.initContainers ?? [];
  const initStatuses: AnyContainerStatus[] = status.initContainerStatuses ?? [];
  const containerStatuses: AnyContainerStatus[] = status.containerStatuses ?? [];
  const conditions: Array<{ type: string; status: string; reason?: string }> = status.conditions ?? [];

  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitRestart: number | undefined;

  const phase = str(status.phase);
  let reason = phase;
  if (status.reason) reason = String(status.reason);
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initByName = new Map<string, Record<string, any>>();
  const isRestartable = (c: Record<string, any> | undefined): boolean => c?.restartPolicy === 'Always';
  for (const c of initSpecs) {
    initByName.set(c.name, c);
    if (isRestartable(c)) totalContainers++;
  }
  const later = (cur: number | undefined, ts: unknown): number | undefined => {
    const t = parseTime(ts);
    return t !== undefined && (cur === undefined || cur < t) ? t : cur;
  };

  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const state = c.state ?? {};
    restarts += int(c.restartCount);
    if (c.lastState?.terminated) lastRestart = later(lastRestart, c.lastState.terminated.finishedAt);
    const restartable = isRestartable(initByName.get(c.name));
    if (restartable) {
      restartableInitRestarts += int(c.restartCount);
      if (c.lastState?.terminated) lastRestartableInitRestart = later(lastRestartableInitRestart, c.lastState.terminated.finishedAt);
    }
    if (state.terminated && int(state.terminated.exitCode) === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (state.terminated) {
      const t = state.terminated;
      if (!t.reason) reason = int(t.signal) !== 0 ? `Init:Signal:${int(t.signal)}` : `Init:ExitCode:${int(t.exitCode)}`;
      else reason = `Init:${t.reason}`;
    } else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    for (let i = containerStatuses.length - 1; i >= 0; i--) {
      const c = containerStatuses[i];
      const state = c.state ?? {};
      restarts += int(c.restartCount);
      if (c.lastState?.terminated) lastRestart = later(lastRestart, c.lastState.terminated.finishedAt);
      if (state.waiting && state.waiting.reason) {
        reason = state.waiting.reason;
      } else if (state.terminated && state.terminated.reason) {
        reason = state.terminated.reason;
      } else if (state.terminated) {
        const t = state.terminated;
        reason = int(t.signal) !== 0 ? `Signal:${int(t.signal)}` : `ExitCode:${int(t.exitCode)}`;
      } else if (c.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsStr };
}

function printPod(obj: Obj, now: number): { cells: unknown[]; conditions?: TableRow['conditions'] } {
  const pod = obj as Pod;
  const s = podSummary(pod, now);
  const status: Record<string, any> = pod.status ?? {};
  const spec: Record<string, any> = pod.spec ?? {};
  const podIP = str(status.podIPs?.[0]?.ip) || str(status.podIP) || '<none>';
  const gates: Array<{ conditionType: string }> = spec.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const conds: Array<{ type: string; status: string }> = status.conditions ?? [];
    const trueCount = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  const row: { cells: unknown[]; conditions?: TableRow['conditions'] } = {
    cells: [
      pod.metadata.name,
      s.ready,
      s.status,
      s.restarts,
      since(pod.metadata.creationTimestamp, now),
      podIP,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates,
    ],
  };
  if (status.phase === 'Succeeded') {
    row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  } else if (status.phase === 'Failed') {
    row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  }
  return row;
}

function printNamespace(ns: Obj, now: number): { cells: unknown[] } {
  return { cells: [ns.metadata.name, str(ns.status?.phase), since(ns.metadata.creationTimestamp, now)] };
}

function printSecret(s: Obj, now: number): { cells: unknown[] } {
  const data = s.data && typeof s.data === 'object' ? Object.keys(s.data).length : 0;
  return { cells: [s.metadata.name, str(s.type), data, since(s.metadata.creationTimestamp, now)] };
}

function printEvent(e: Obj, now: number): { cells: unknown[] } {
  const first = parseTime(e.firstTimestamp) !== undefined ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = parseTime(e.lastTimestamp) !== undefined ? since(e.lastTimestamp, now) : first;
  let count = int(e.count);
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = int(e.series.count);
  } else if (count === 0) {
    count = 1;
  }
  const io = e.involvedObject ?? {};
  const kind = str(io.kind).toLowerCase();
  const target = str(io.name) ? `${kind}/${io.name}` : kind;
  const component = str(e.source?.component) || str(e.reportingController);
  const instance = str(e.source?.host) || str(e.reportingInstance);
  const source = instance ? `${component}, ${instance}` : component;
  return {
    cells: [last, str(e.type), str(e.reason), target, str(io.fieldPath), source, str(e.message).trim(), first, count, e.metadata.name],
  };
}

function printNode(n: Obj, now: number): { cells: unknown[] } {
  const status: Record<string, any> = n.status ?? {};
  const conds: Array<{ type: string; status: string }> = status.conditions ?? [];
  // Upstream keeps the last condition of each type.
  const ready = [...conds].reverse().find((c) => c.type === 'Ready');
  const states: string[] = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (n.spec?.unschedulable) states.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  const info: Record<string, any> = status.nodeInfo ?? {};
  const addrs: Array<{ type: string; address: string }> = status.addresses ?? [];
  const addr = (type: string): string => addrs.find((a) => a.type === type)?.address ?? '<none>';
  return {
    cells: [
      n.metadata.name,
      states.join(','),
      roles.size ? [...roles].sort().join(',') : '<none>',
      since(n.metadata.creationTimestamp, now),
      str(info.kubeletVersion),
      addr('InternalIP'),
      addr('ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ],
  };
}

function printDefault(o: Obj, now: number): { cells: unknown[] } {
  return { cells: [o.metadata.name, since(o.metadata.creationTimestamp, now)] };
}

const printers: Record<string, Printer> = {
  Deployment: printDeployment,
  ReplicaSet: printReplicaSet,
  Pod: printPod,
  Namespace: printNamespace,
  Event: printEvent,
  Secret: printSecret,
  Node: printNode,
};
Object.assign(columnsByKind, rollwayColumns), Object.assign(printers, rollwayPrinters); // rollway.dev kinds: tables-rollway.ts
Object.assign(columnsByKind, networkColumns), Object.assign(printers, networkPrinters); // Service, Endpoints, EndpointSlice: tables-network.ts

function rowObject(obj: KubeObject, include: IncludeObject, version: TableVersion): unknown {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
  }
}

/**
 * A `meta.k8s.io/v1` Table of `objects` as kube-apiserver prints them for
 * `resource` (one row per object, wide cells included).
 */
export function toTable(resource: ResourceInfo, objects: KubeObject[], opts: TableOptions): Table {
  const version = opts.version ?? 'v1';
  const include = opts.includeObject ?? 'Metadata';
  const print = printers[resource.kind] ?? printDefault;
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const rows: TableRow[] = objects.map((obj) => {
    const r = print(obj as Obj, opts.now);
    const row: TableRow = { cells: r.cells, object: rowObject(obj, include, version) };
    if (r.conditions) row.conditions = r.conditions;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    columnDefinitions: opts.withColumnDefinitions === false ? [] : columnDefinitions(resource),
    rows,
  };
}
