import type { KubeObject } from '../k8s/types.js';
import { findResourceByKind } from '../api/resources.js';
import type { Runtime } from '../runtime.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { log } from '../logger.js';
import { allocatorFor } from '../api/service-allocation.js';
import type { ReconcileResult } from './reconcile.js';
import { desiredEndpointSlices, desiredEndpoints, endpointsDiffer, managesEndpoints, MANAGED_BY, MANAGED_BY_LABEL, selects, sliceDiffers } from './endpoints-plan.js';

const services = findResourceByKind('Service')!;
const endpointsRes = findResourceByKind('Endpoints')!;
const slicesRes = findResourceByKind('EndpointSlice')!;
const pods = findResourceByKind('Pod')!;

/**
 * reconcileService keeps a Service's Endpoints (same name) and
 * EndpointSlices (owned by it) equal to what its selector selects, writing
 * only what changed, and gives back the cluster IP / node ports it no longer
 * holds. Reads come in the order endpoints → Service → pods, and every write
 * is conditional on the version read, so a reconcile that computed from older
 * pods than a concurrent one loses with a Conflict and runs again.
 */
export async function reconcileService(rt: Runtime, tenant: string, namespace: string, name: string): Promise<ReconcileResult> {
  const current = await rt.store.get(tenant, endpointsRes, namespace, name);
  const svc = await rt.store.get(tenant, services, namespace, name);
  const wait = await allocatorFor(rt.store, rt.now).releaseUnused(tenant, namespace, name, svc);
  const after: ReconcileResult = wait ? { requeueAfterMs: wait } : {};
  if (!svc) {
    // The Service is gone: so are its Endpoints (its slices go with it by ownerReference).
    if (current) await deleteQuietly(rt, tenant, endpointsRes, current);
    return after;
  }
  if (svc.metadata.deletionTimestamp) return after;
  if (!managesEndpoints(svc)) {
    // No selector: Endpoints are the user's; slices this controller made are dropped.
    for (const s of await rt.store.listByController(tenant, svc.metadata.uid!, slicesRes)) {
      if (s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) await deleteQuietly(rt, tenant, slicesRes, s);
    }
    return after;
  }
  const podList = (await rt.store.list(tenant, pods, { namespace, filter: (p) => selects(svc.spec?.selector, p.metadata.labels) })).items;
  await syncEndpoints(rt, tenant, svc, podList, current);
  return after;
}

/**
 * reconcilePodServices handles a pod change in `namespace` (message
 * `PodServices`, name = namespace): every Service of the namespace with a
 * selector is brought up to date against one listing of the pods.
 */
export async function reconcilePodServices(rt: Runtime, tenant: string, namespace: string): Promise<ReconcileResult> {
  const svcs = (await rt.store.list(tenant, services, { namespace })).items.filter((s) => managesEndpoints(s) && !s.metadata.deletionTimestamp);
  if (!svcs.length) return {};
  const currents = new Map<string, KubeObject | undefined>();
  for (const s of svcs) currents.set(s.metadata.name, await rt.store.get(tenant, endpointsRes, namespace, s.metadata.name));
  // Re-read each Service after its Endpoints: a selector changed meanwhile is seen here (or by its own reconcile).
  const podList = (await rt.store.list(tenant, pods, { namespace })).items;
  for (const s of svcs) {
    const fresh = await rt.store.get(tenant, services, namespace, s.metadata.name);
    if (!fresh || !managesEndpoints(fresh) || fresh.metadata.deletionTimestamp) continue;
    await syncEndpoints(rt, tenant, fresh, podList, currents.get(s.metadata.name));
  }
  return {};
}

async function syncEndpoints(rt: Runtime, tenant: string, svc: KubeObject, podList: KubeObject[], current: KubeObject | undefined): Promise<void> {
  const namespace = svc.metadata.namespace!;
  const desired = desiredEndpoints(svc, podList);
  let wrote = false;
  if (!current) {
    await rt.store.create(tenant, endpointsRes, desired);
    wrote = true;
  } else if (endpointsDiffer(current, desired)) {
    const { subsets: _old, ...rest } = current;
    await rt.store.update(tenant, endpointsRes, { ...rest, metadata: { ...current.metadata, labels: desired.metadata.labels }, ...(desired.subsets ? { subsets: desired.subsets } : {}) }, current);
    wrote = true;
  } else {
    // Nothing to write to the Endpoints: still make sure no newer reconcile wrote them since we
    // read them, or this one would put slices computed from older state over newer ones.
    const again = await rt.store.get(tenant, endpointsRes, namespace, svc.metadata.name);
    if (again?.metadata.resourceVersion !== current.metadata.resourceVersion) throw new ConflictError(endpointsRes.plural, '', svc.metadata.name);
  }
  const slices = desiredEndpointSlices(svc, podList);
  const keep = new Set(slices.map((s) => s.metadata.name));
  for (const want of slices) {
    const have = await rt.store.get(tenant, slicesRes, namespace, want.metadata.name);
    if (!have) {
      await rt.store.create(tenant, slicesRes, want);
      wrote = true;
    } else if (sliceDiffers(have, want)) {
      await rt.store.update(tenant, slicesRes, { ...have, metadata: { ...have.metadata, labels: want.metadata.labels, ownerReferences: want.metadata.ownerReferences }, addressType: want.addressType, endpoints: want.endpoints, ports: want.ports }, have);
      wrote = true;
    }
  }
  // Slices of port sets no pod has any more (the owner index may lag; a later reconcile catches up).
  for (const s of await rt.store.listByController(tenant, svc.metadata.uid!, slicesRes)) {
    if (!keep.has(s.metadata.name) && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) {
      await deleteQuietly(rt, tenant, slicesRes, s);
      wrote = true;
    }
  }
  if (wrote) {
    const subsets = (desired.subsets ?? []) as Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[] }>;
    const ready = subsets.reduce((n, ss) => n + (ss.addresses?.length ?? 0), 0);
    const notReady = subsets.reduce((n, ss) => n + (ss.notReadyAddresses?.length ?? 0), 0);
    log.info('endpoints reconciled', { tenant, object: `services/${namespace}/${svc.metadata.name}`, ready, notReady, slices: slices.length });
  }
}

async function deleteQuietly(rt: Runtime, tenant: string, resource: typeof endpointsRes, obj: KubeObject): Promise<void> {
  try {
    await rt.store.delete(tenant, resource, obj);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}
