import { randomBytes } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { KubeObject } from '../k8s/types.js';
import { type ResourceInfo, findResourceByKind, resources } from './resources.js';
import type { ObjectStore } from '../store/object-store.js';
import { rfc3339 } from '../store/object-store.js';
import { tombstoneKey, unsettledShard } from '../store/keys.js';
import { BadRequestError, ConflictError, NotFoundError, RollwayError } from '../errors.js';
import { admit, toVersion, validateStatusUpdate } from '../schemas/admission.js';
import { semanticEqual } from '../k8s/canonical.js';
import { applyPatch } from './patch.js';
import type { BodyFormat } from './body.js';
import { matchesFields, matchesRequirements, parseFieldSelector, parseLabelSelector } from '../k8s/selectors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import type { ReconcileQueue } from '../queue/reconcile-queue.js';
import { reconcileMessage } from '../queue/messages.js';
import { allocatorFor } from './service-allocation.js';
import { finishOrphaning } from '../controller/orphan.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface RequestScope {
  tenant: string;
  resource: ResourceInfo;
  /** Version the client addressed; answers are converted to it. */
  version: string;
  namespace?: string;
}

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  fieldManager?: string;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  created?: boolean;
}

/** Retries of a server-side patch that lost a race, as the kube-apiserver retries GuaranteedUpdate. */
const PATCH_RETRIES = 5;

/** Kinds that never own other objects: deleting one needs no garbage collection. */
const LEAF_KINDS = new Set(['Pod', 'Event', 'Secret']);

type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';
const isPropagationPolicy = (p: string): p is PropagationPolicy => p === 'Background' || p === 'Foreground' || p === 'Orphan';

const namespaceResource = resources.find((r) => r.plural === 'namespaces')!;

/** generateNameSuffix makes the 5-character random suffix of `generateName`. */
function generateNameSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(5);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * ObjectService implements the Kubernetes verbs over the store: admission
 * (decode, default, validate), optimistic concurrency, generation, status and
 * scale subresources, dry run, and deletion with garbage collection.
 */
export class ObjectService {
  constructor(
    readonly store: ObjectStore,
    private readonly queue: ReconcileQueue,
    private readonly now: () => number = Date.now,
  ) {}

  /** out converts a stored object to the version the client addressed. */
  out(scope: RequestScope, obj: KubeObject): KubeObject {
    return toVersion(obj, scope.resource, scope.version);
  }

  private async requireNamespace(scope: RequestScope, name: string): Promise<void> {
    if (!scope.resource.namespaced || !scope.namespace) return;
    const ns = await this.store.get(scope.tenant, namespaceResource, undefined, scope.namespace);
    if (!ns) throw new NotFoundError('namespaces', '', scope.namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new RollwayError(403, 'Forbidden', `${scope.resource.plural} "${name}" is forbidden: unable to create new content in namespace ${scope.namespace} because it is being terminated`);
    }
  }

  async get(scope: RequestScope, name: string): Promise<KubeObject> {
    return this.store.mustGet(scope.tenant, scope.resource, scope.namespace, name);
  }

  async list(scope: RequestScope, q: { labelSelector?: string; fieldSelector?: string; limit?: number; continueToken?: string }) {
    const labels = parseLabelSelector(q.labelSelector);
    const fields = parseFieldSelector(q.fieldSelector, scope.resource.kind);
    const filter = labels.length || fields.length ? (o: KubeObject) => matchesRequirements(o.metadata.labels, labels) && matchesFields(o, fields) : undefined;
    return this.store.list(scope.tenant, scope.resource, { namespace: scope.namespace, limit: q.limit, continueToken: q.continueToken, filter });
  }

  async create(scope: RequestScope, body: unknown, opts: WriteOptions): Promise<WriteResult> {
    const { object, warnings } = admit({ resource: scope.resource, version: scope.version, body, namespace: scope.namespace, fieldValidation: opts.fieldValidation });
    if (!object.metadata.name) {
      if (!object.metadata.generateName) {
        throw new RollwayError(422, 'Invalid', `${scope.resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
          kind: scope.resource.kind,
          group: scope.resource.group,
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
        });
      }
      object.metadata.name = `${object.metadata.generateName}${generateNameSuffix()}`;
    }
    if (scope.resource.namespaced) object.metadata.namespace = scope.namespace;
    delete object.metadata.resourceVersion;
    delete object.metadata.uid;
    delete object.metadata.deletionTimestamp;
    delete object.metadata.managedFields;
    object.status = initialStatus(scope.resource, object);
    await this.requireNamespace(scope, object.metadata.name);
    if (opts.dryRun) {
      const existing = await this.store.get(scope.tenant, scope.resource, scope.namespace, object.metadata.name);
      if (existing) throw new RollwayError(409, 'AlreadyExists', `${scope.resource.group ? scope.resource.plural + '.' + scope.resource.group : scope.resource.plural} "${object.metadata.name}" already exists`, { name: object.metadata.name, group: scope.resource.group, kind: scope.resource.plural });
      return { object: { ...object, metadata: { ...object.metadata, uid: '00000000-0000-0000-0000-000000000000', generation: 1, creationTimestamp: rfc3339(this.now()) } }, warnings, created: true };
    }
    // Services get their cluster IP and node ports before the write, and give them back if it fails.
    const rollback = scope.resource.kind === 'Service' ? await allocatorFor(this.store, this.now).prepare(scope.tenant, object, undefined) : undefined;
    try {
      return { object: await this.store.create(scope.tenant, scope.resource, object), warnings, created: true };
    } catch (err) {
      await rollback?.();
      throw err;
    }
  }

  /** update replaces the main resource (PUT), keeping status and server-owned metadata. */
  async update(scope: RequestScope, name: string, body: unknown, opts: WriteOptions): Promise<WriteResult> {
    const old = await this.get(scope, name);
    const bodyRv = (body as KubeObject | undefined)?.metadata?.resourceVersion;
    if (bodyRv !== undefined && bodyRv !== '' && String(bodyRv) !== old.metadata.resourceVersion) {
      throw new ConflictError(scope.resource.plural, scope.resource.group, name);
    }
    return this.writeUpdate(scope, old, body, opts, 'main');
  }

  /** updateStatus replaces only the status (PUT …/status). */
  async updateStatus(scope: RequestScope, name: string, body: unknown, opts: WriteOptions): Promise<WriteResult> {
    const old = await this.get(scope, name);
    const bodyRv = (body as KubeObject | undefined)?.metadata?.resourceVersion;
    if (bodyRv !== undefined && bodyRv !== '' && String(bodyRv) !== old.metadata.resourceVersion) {
      throw new ConflictError(scope.resource.plural, scope.resource.group, name);
    }
    return this.writeUpdate(scope, old, body, opts, 'status');
  }

  private async writeUpdate(scope: RequestScope, old: KubeObject, body: unknown, opts: WriteOptions, target: 'main' | 'status'): Promise<WriteResult> {
    const name = old.metadata.name;
    const { object: admitted, warnings } = admit({
      resource: scope.resource,
      version: scope.version,
      body,
      old,
      namespace: scope.namespace,
      name,
      fieldValidation: opts.fieldValidation,
    });
    let next: KubeObject;
    if (target === 'status') {
      next = { ...old, status: admitted.status };
      validateStatusUpdate(scope.resource, next, old);
    } else {
      next = {
        ...admitted,
        metadata: {
          ...admitted.metadata,
          name: old.metadata.name,
          namespace: old.metadata.namespace,
          uid: old.metadata.uid,
          creationTimestamp: old.metadata.creationTimestamp,
          deletionTimestamp: old.metadata.deletionTimestamp,
          generation: old.metadata.generation,
          resourceVersion: old.metadata.resourceVersion,
        },
        status: old.status,
      };
      if (!old.metadata.deletionTimestamp) delete next.metadata.deletionTimestamp;
      if (old.metadata.generation === undefined) delete next.metadata.generation;
      if (scope.resource.kind === 'Namespace' || scope.resource.kind === 'Secret' || scope.resource.kind === 'Event') {
        // Kinds without a spec/status split keep whatever the client sent.
        next.status = admitted.status ?? old.status;
      }
      if (generationChanges(scope.resource, old, next)) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    if (opts.dryRun) return { object: next, warnings };
    // Finalizers emptied on an object being deleted: the deletion completes now.
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length) {
      const deleted = await this.store.delete(scope.tenant, scope.resource, old);
      return { object: deleted, warnings };
    }
    const rollback = scope.resource.kind === 'Service' && target === 'main' ? await allocatorFor(this.store, this.now).prepare(scope.tenant, next, old) : undefined;
    try {
      return { object: await this.store.update(scope.tenant, scope.resource, next, old), warnings };
    } catch (err) {
      await rollback?.();
      throw err;
    }
  }

  /**
   * patch applies a patch to the current object and writes it, retrying on a
   * lost race as the kube-apiserver does, unless the patch itself carries a
   * resourceVersion precondition.
   */
  async patch(scope: RequestScope, name: string, patchBody: unknown, format: BodyFormat, opts: WriteOptions, target: 'main' | 'status' = 'main'): Promise<WriteResult> {
    if (format === 'apply') return this.serverSideApply(scope, name, patchBody, opts);
    for (let attempt = 0; ; attempt++) {
      const old = await this.get(scope, name);
      const current = this.out(scope, old);
      const patched = applyPatch(current, patchBody, format, scope.resource.kind) as KubeObject;
      if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw new BadRequestError('the patched object is not a JSON object');
      const requestedRv = patched.metadata?.resourceVersion;
      if (requestedRv !== undefined && requestedRv !== null && String(requestedRv) !== old.metadata.resourceVersion) {
        throw new ConflictError(scope.resource.plural, scope.resource.group, name);
      }
      try {
        return await this.writeUpdate(scope, old, patched, opts, target);
      } catch (err) {
        const precondition = patchCarriesResourceVersion(patchBody, format);
        if (err instanceof ConflictError && !precondition && attempt < PATCH_RETRIES) continue;
        throw err;
      }
    }
  }

  /**
   * serverSideApply covers the common create-or-update case of
   * `kubectl apply --server-side`: the applied configuration is created when
   * absent, or merged into the live object with strategic-merge semantics.
   * Field ownership conflicts are not tracked (every manager may set any field).
   */
  async serverSideApply(scope: RequestScope, name: string, body: unknown, opts: WriteOptions): Promise<WriteResult> {
    const applied = body as KubeObject;
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) throw new BadRequestError('the applied configuration must be an object');
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw new BadRequestError(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    // Like any patch, an apply that loses a race with a controller's write is retried
    // against the fresh object, unless it names the resourceVersion it expects.
    for (let attempt = 0; ; attempt++) {
      const existing = await this.store.get(scope.tenant, scope.resource, scope.namespace, name);
      if (!existing) {
        return this.create(scope, { ...applied, metadata: { ...(applied.metadata ?? {}), name } }, opts);
      }
      const merged = applyStrategicMergePatch(this.out(scope, existing), stripForApply(applied), scope.resource.kind) as KubeObject;
      try {
        return await this.writeUpdate(scope, existing, merged, opts, 'main');
      } catch (err) {
        if (err instanceof ConflictError && !applied.metadata?.resourceVersion && attempt < PATCH_RETRIES) continue;
        throw err;
      }
    }
  }

  /** scale reads the Scale subresource of a Deployment or ReplicaSet. */
  async getScale(scope: RequestScope, name: string): Promise<Record<string, unknown>> {
    return toScale(await this.get(scope, name));
  }

  /** updateScale writes spec.replicas through the Scale subresource (PUT or PATCH). */
  async updateScale(scope: RequestScope, name: string, body: unknown, format: BodyFormat | 'put', opts: WriteOptions): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.get(scope, name);
      const currentScale = toScale(old);
      const scale = (format === 'put' ? body : applyPatch(currentScale, body, format, 'Scale')) as { metadata?: { resourceVersion?: string }; spec?: { replicas?: unknown } };
      const rv = scale?.metadata?.resourceVersion;
      if (rv !== undefined && rv !== '' && String(rv) !== old.metadata.resourceVersion) throw new ConflictError(scope.resource.plural, scope.resource.group, name);
      const replicas = scale?.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 2147483647) {
        throw new RollwayError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, {
          name,
          group: 'autoscaling',
          kind: 'Scale',
          causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
        });
      }
      const next = { ...old, spec: { ...old.spec, replicas } };
      if (old.spec.replicas !== replicas) next.metadata = { ...old.metadata, generation: (old.metadata.generation ?? 1) + 1 };
      if (opts.dryRun) return toScale(next);
      try {
        return toScale(await this.store.update(scope.tenant, scope.resource, next, old));
      } catch (err) {
        // The merged Scale always carries the current resourceVersion; only one the
        // client sent is a precondition. Otherwise a controller's status write in
        // between is no reason to fail `kubectl scale`: retry on the fresh object.
        const precondition = format === 'put' ? !!(body as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion : patchCarriesResourceVersion(body, format);
        if (err instanceof ConflictError && !precondition && attempt < PATCH_RETRIES) continue;
        throw err;
      }
    }
  }

  /**
   * delete removes an object. Dependents (by ownerReferences) are handled by
   * `propagationPolicy`: Background deletes the owner now and its dependents
   * after, Foreground deletes dependents first and keeps the owner (with a
   * deletionTimestamp) until they are gone, Orphan releases them.
   */
  async delete(scope: RequestScope, name: string, body: { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string }; dryRun?: string[] } | undefined, query: { propagationPolicy?: string; dryRun: boolean }): Promise<{ object: KubeObject; status: number; finished: boolean }> {
    const pre = body?.preconditions;
    const policy = body?.propagationPolicy ?? query.propagationPolicy ?? 'Background';
    if (!isPropagationPolicy(policy)) {
      throw new BadRequestError(`propagationPolicy must be one of Background, Foreground, Orphan; got ${JSON.stringify(policy)}`);
    }
    // A delete races the object's controllers (a status write between our read and our
    // conditional write). Without a resourceVersion precondition the caller asked for
    // the object gone whatever its version, so a lost race is retried on fresh state,
    // as the API server does; with one, the conflict is the answer.
    for (let attempt = 0; ; attempt++) {
      const old = await this.get(scope, name);
      if (pre?.uid && pre.uid !== old.metadata.uid) {
        throw new ConflictError(scope.resource.plural, scope.resource.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
        throw new ConflictError(scope.resource.plural, scope.resource.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
      }
      if (query.dryRun || body?.dryRun?.includes('All')) return { object: old, status: 200, finished: true };
      if (old.metadata.deletionTimestamp) return { object: old, status: 202, finished: false };
      try {
        return await this.deleteAt(scope, old, policy);
      } catch (err) {
        if (err instanceof ConflictError && !pre?.resourceVersion && attempt < PATCH_RETRIES) continue;
        throw err;
      }
    }
  }

  /** deleteAt deletes (or marks for deletion) the object at the version read. */
  private async deleteAt(scope: RequestScope, old: KubeObject, policy: PropagationPolicy): Promise<{ object: KubeObject; status: number; finished: boolean }> {
    const tenant = scope.tenant;
    const finalizers = [...(old.metadata.finalizers ?? [])];
    if (policy === 'Orphan' || policy === 'Foreground' || finalizers.length > 0) {
      // Mark the owner as being deleted, with a finalizer saying what remains to be done
      // and, for Orphan and Foreground, a tombstone in the same transaction: its
      // controller stops adopting at once, and the garbage collector finishes the work
      // if this process dies before it does.
      const finalizer = policy === 'Orphan' ? 'orphan' : policy === 'Foreground' ? 'foregroundDeletion' : undefined;
      if (finalizer && !finalizers.includes(finalizer)) finalizers.push(finalizer);
      const tombstone = finalizer ? [this.tombstone(tenant, scope, old, policy as 'Orphan' | 'Foreground')] : [];
      const marked = await this.store.update(tenant, scope.resource, { ...old, metadata: { ...old.metadata, deletionTimestamp: rfc3339(this.now()), deletionGracePeriodSeconds: 0, finalizers } }, old, undefined, tombstone);
      if (policy === 'Orphan') {
        // Released here rather than left to the collector, so the request returns with
        // the dependents already free; the tombstone goes once that is done.
        const after = await finishOrphaning(this.store, tenant, scope.resource, old.metadata.namespace, old.metadata.name, old.metadata.uid!);
        await this.store.client.send(new DeleteCommand({ TableName: this.store.tableName, Key: tombstoneKey(tenant, old.metadata.uid!) }));
        if (!after) return { object: marked, status: 200, finished: true };
        return after.deleted ? { object: after.object, status: 200, finished: true } : { object: after.object, status: 202, finished: false };
      }
      if (policy === 'Foreground') await this.queue.send([reconcileMessage(tenant, 'GarbageCollect', undefined, old.metadata.uid!)]);
      return { object: marked, status: 202, finished: false };
    }
    // Background: delete now; the tombstone written in the same transaction guarantees
    // the dependents are collected even if the process dies before the message is sent.
    const collect = !LEAF_KINDS.has(scope.resource.kind);
    const tombstone = collect ? [this.tombstone(tenant, scope, old, 'Background')] : [];
    const deleted = await this.store.delete(tenant, scope.resource, old, tombstone);
    if (collect) await this.queue.send([reconcileMessage(tenant, 'GarbageCollect', undefined, old.metadata.uid!)]);
    return { object: deleted, status: 200, finished: true };
  }

  /** tombstone records a deleted owner whose dependents are still to be collected; it sits in the resync index until done. */
  private tombstone(tenant: string, scope: RequestScope, owner: KubeObject, mode: PropagationPolicy): Record<string, unknown> {
    const key = tombstoneKey(tenant, owner.metadata.uid!);
    return {
      ...key,
      entity: 'Tombstone',
      v: 1,
      mode,
      ownerKind: scope.resource.kind,
      ownerNamespace: owner.metadata.namespace ?? '',
      ownerName: owner.metadata.name,
      gsi2pk: unsettledShard(key.pk, key.sk),
      gsi2sk: `${key.pk}|${key.sk}`,
    };
  }
}

/** initialStatus is the status a freshly created object starts with (create clears client status, as Kubernetes does). */
function initialStatus(resource: ResourceInfo, obj: KubeObject): unknown {
  switch (resource.kind) {
    case 'Deployment':
      return {};
    case 'ReplicaSet':
      return { replicas: 0 };
    case 'Pod':
      return { phase: 'Pending', ...(obj.status?.qosClass ? {} : { qosClass: 'BestEffort' }) };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Service':
      return { loadBalancer: {} };
    default:
      return obj.status;
  }
}

/** generationChanges reports whether an update bumps metadata.generation: spec changes, and for Deployments annotation changes too. */
export function generationChanges(resource: ResourceInfo, old: KubeObject, next: KubeObject): boolean {
  if (old.metadata.generation === undefined) return false;
  if (!semanticEqual(old.spec, next.spec)) return true;
  if (resource.kind === 'Deployment' && !semanticEqual(old.metadata.annotations, next.metadata.annotations)) return true;
  return false;
}

function patchCarriesResourceVersion(patch: unknown, format: BodyFormat): boolean {
  if (format === 'jsonpatch') return Array.isArray(patch) && patch.some((op) => typeof op?.path === 'string' && op.path.startsWith('/metadata/resourceVersion'));
  return Boolean((patch as KubeObject | undefined)?.metadata?.resourceVersion);
}

function stripForApply(applied: KubeObject): KubeObject {
  const { status: _status, ...rest } = applied;
  const metadata = { ...(rest.metadata ?? {}) } as Record<string, unknown>;
  delete metadata.resourceVersion;
  delete metadata.managedFields;
  delete metadata.uid;
  delete metadata.creationTimestamp;
  return { ...rest, metadata } as KubeObject;
}

function toScale(obj: KubeObject): Record<string, unknown> {
  const sel = obj.spec?.selector;
  const selector = sel
    ? [
        ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
        ...(sel.matchExpressions ?? []).map((e: { key: string; operator: string; values?: string[] }) =>
          e.operator === 'In' ? `${e.key} in (${(e.values ?? []).join(',')})` : e.operator === 'NotIn' ? `${e.key} notin (${(e.values ?? []).join(',')})` : e.operator === 'Exists' ? e.key : `!${e.key}`,
        ),
      ].join(',')
    : '';
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

