import type { KubeObject, Pod } from '../k8s/types.js';
import { resources } from '../api/resources.js';
import type { Runtime } from '../runtime.js';
import { rfc3339 } from '../store/object-store.js';
import { CRASH_LOOP_PERIOD_MS, podIp, simulatedBehaviour, startDelayMs } from './simulation.js';
import type { ReconcileResult } from '../controller/reconcile.js';
import { ownerGone, deleteIgnoringNotFound } from '../controller/owner.js';

const pods = resources.find((r) => r.plural === 'pods')!;
const nodes = resources.find((r) => r.plural === 'nodes')!;

function nodeReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') && !node.spec?.unschedulable;
}

function isSimulated(node: KubeObject): boolean {
  return node.metadata.labels?.['rollway.dev/simulated'] === 'true';
}

/**
 * reconcilePod plays scheduler and, for simulated nodes, kubelet:
 * an unbound pod is bound to the ready node with the fewest pods; a pod on a
 * simulated node becomes Running and Ready after its start delay, or
 * misbehaves as its template asks. Pods on agent nodes are left to the agent.
 */
export async function reconcilePod(rt: Runtime, tenant: string, namespace: string, name: string): Promise<ReconcileResult> {
  const pod = (await rt.store.get(tenant, pods, namespace, name)) as Pod | undefined;
  if (!pod || pod.metadata.deletionTimestamp) return {};
  if (await ownerGone(rt, tenant, pod)) {
    await deleteIgnoringNotFound(rt, tenant, pods, pod);
    return {};
  }
  const now = rt.now();

  if (!pod.spec.nodeName) {
    const nodeList = (await rt.store.list(tenant, nodes)).items.filter(nodeReady);
    if (!nodeList.length) {
      const cond = { type: 'PodScheduled', status: 'False' as const, reason: 'Unschedulable', message: '0/0 nodes are available: no nodes registered.', lastProbeTime: null, lastTransitionTime: rfc3339(now) };
      if (!(pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')) {
        await rt.store.update(tenant, pods, { ...pod, status: { ...pod.status, phase: 'Pending', conditions: [cond] } }, pod);
      }
      return { requeueAfterMs: 10_000 };
    }
    // Spread pods over the ready nodes by a hash of the uid: stable under retries and
    // free of a per-pod listing of the namespace.
    nodeList.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    let h = 0;
    for (const ch of pod.metadata.uid ?? name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    const node = nodeList[h % nodeList.length];
    const bound: Pod = {
      ...pod,
      spec: { ...pod.spec, nodeName: node.metadata.name },
      status: {
        ...pod.status,
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) }],
      },
    };
    if (isSimulated(node) && startDelayMs(bound, rt.simStartDelayMs) === 0) {
      // Nothing to wait for: bind and start in one write rather than two.
      return simulateKubelet(rt, tenant, bound, now, pod);
    }
    await rt.store.update(tenant, pods, bound, pod);
    return isSimulated(node) ? { requeueAfterMs: startDelayMs(bound, rt.simStartDelayMs) } : {};
  }

  const node = await rt.store.get(tenant, nodes, undefined, pod.spec.nodeName);
  if (!node || !isSimulated(node)) return {};
  return simulateKubelet(rt, tenant, pod, now);
}

/**
 * simulateKubelet moves a pod on a simulated node to Running (and Ready, unless
 * it is rehearsing a failure) once its start delay has passed. `stored` is the
 * version to write over when `pod` carries changes not yet written (a binding).
 */
async function simulateKubelet(rt: Runtime, tenant: string, pod: Pod, now: number, stored: Pod = pod): Promise<ReconcileResult> {
  const behaviour = simulatedBehaviour(pod);
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  const boundAt = scheduled?.lastTransitionTime ? Date.parse(scheduled.lastTransitionTime) : now;
  const readyAt = boundAt + startDelayMs(pod, rt.simStartDelayMs);
  if (pod.status?.phase === 'Running' && behaviour !== 'crash-loop') return {};
  if (now < readyAt) return { requeueAfterMs: readyAt - now };

  const startedAt = rfc3339(Math.max(readyAt, boundAt));
  const ready = behaviour === 'healthy' || behaviour === 'slow-start';
  const restarts = behaviour === 'crash-loop' ? Math.floor((now - readyAt) / CRASH_LOOP_PERIOD_MS) + 1 : 0;
  const ip = podIp(pod.metadata.uid!);
  const cond = (type: string, status: boolean) => ({ type, status: (status ? 'True' : 'False') as 'True' | 'False', lastProbeTime: null, lastTransitionTime: startedAt });
  const status: Pod['status'] = {
    phase: 'Running',
    conditions: [cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
    hostIP: '192.168.0.' + (Number(pod.spec.nodeName!.replace(/\D/g, '')) || 1),
    podIP: ip,
    podIPs: [{ ip }],
    startTime: rfc3339(boundAt),
    containerStatuses: (pod.spec.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready,
      started: behaviour !== 'crash-loop',
      restartCount: restarts,
      state:
        behaviour === 'crash-loop'
          ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${c.name}` } }
          : { running: { startedAt } },
    })),
    qosClass: (pod.status as Record<string, unknown> | undefined)?.qosClass ?? 'BestEffort',
  } as Pod['status'];
  await rt.store.update(tenant, pods, { ...pod, status }, stored);
  return behaviour === 'crash-loop' ? { requeueAfterMs: CRASH_LOOP_PERIOD_MS } : {};
}

/** ensureSimulatedNodes registers the simulated nodes of a tenant (idempotent). */
export async function ensureSimulatedNodes(rt: Runtime, tenant: string, names: string[]): Promise<void> {
  for (const name of names) {
    if (await rt.store.get(tenant, nodes, undefined, name)) continue;
    const ts = rfc3339(rt.now());
    try {
      await rt.store.create(tenant, nodes, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'rollway.dev/simulated': 'true' } },
        spec: {},
        status: {
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated node is ready', lastHeartbeatTime: ts, lastTransitionTime: ts }],
          addresses: [{ type: 'InternalIP', address: '192.168.0.' + (Number(name.replace(/\D/g, '')) || 1) }, { type: 'Hostname', address: name }],
          nodeInfo: { kubeletVersion: 'v1.32.0-rollway-sim', osImage: 'Rollway simulated node', kernelVersion: '6.1.0', containerRuntimeVersion: 'rollway-sim://1.0', operatingSystem: 'linux', architecture: 'amd64' },
          capacity: { cpu: '8', memory: '32Gi', pods: '110' },
          allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
        },
      });
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
    }
  }
}
