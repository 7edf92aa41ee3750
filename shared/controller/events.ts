import type { KubeObject } from '../k8s/types.js';
import type { ObjectStore } from '../store/object-store.js';
import { rfc3339 } from '../store/object-store.js';
import { resources } from '../api/resources.js';
import type { EventSpec } from '../rollout/types.js';
import { log, errorFields } from '../logger.js';

const eventResource = resources.find((r) => r.plural === 'events')!;

let sequence = 0;

/**
 * eventName follows the kube-apiserver convention `<object>.<time in ns, hex>`,
 * so events of one object list in time order; a per-process sequence keeps
 * names unique within one millisecond.
 */
export function eventName(objectName: string, nowMs: number): string {
  sequence = (sequence + 1) % 1_000_000;
  const ns = BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(sequence);
  return `${objectName}.${ns.toString(16)}`;
}

/**
 * recordEvents writes core/v1 Events about an object, as a controller's event
 * recorder does. An event is best effort: a failure is logged, never retried
 * at the cost of the reconcile that produced it.
 */
export async function recordEvents(store: ObjectStore, tenant: string, involved: KubeObject, events: EventSpec[], component: string, now: number): Promise<void> {
  for (const e of events) {
    const ts = rfc3339(now);
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(involved.metadata.name, now), namespace: involved.metadata.namespace ?? 'default' },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason: e.reason,
      message: e.message,
      source: { component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type: e.type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    };
    try {
      await store.create(tenant, eventResource, event);
    } catch (err) {
      log.warn('event not recorded', { tenant, object: `${involved.kind}/${involved.metadata.namespace}/${involved.metadata.name}`, reason: e.reason, ...errorFields(err) });
    }
  }
}
