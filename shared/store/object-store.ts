import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { KubeObject } from '../k8s/types.js';
import type { ResourceInfo } from '../api/resources.js';
import { apiVersionOf } from '../api/resources.js';
import {
  changeSk,
  changesPk,
  counterKey,
  namespacePrefix,
  objectPk,
  objectSk,
  ownerIndexPk,
  ownerIndexSk,
  unsettledShard,
} from './keys.js';
import { AlreadyExistsError, ConflictError, GoneError, NotFoundError, RollwayError, BadRequestError } from '../errors.js';
import { canonicalJson } from '../k8s/canonical.js';

/** Items stay far below DynamoDB's 400 KB limit: an object plus its change record share one transaction. */
export const MAX_OBJECT_BYTES = 180 * 1024;
/** How long change records (the watch log) are kept. A watch older than this gets 410 Expired. */
export const CHANGE_RETENTION_SECONDS = 30 * 60;
export const ITEM_SCHEMA_VERSION = 1;
/** Events expire after an hour, as with the kube-apiserver's default event TTL. */
export const EVENT_TTL_SECONDS = 3600;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeRecord {
  rv: number;
  type: WatchEventType;
  resource: string;
  namespace?: string;
  name: string;
  object: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  limit?: number;
  continueToken?: string;
  /** Filter applied before counting toward `limit`, as Kubernetes does. */
  filter?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  items: KubeObject[];
  continueToken?: string;
  resourceVersion: string;
}

/**
 * WriteGuard makes a write also conditional on another object still being at
 * a resourceVersion: a controller's writes to children are valid only for the
 * version of the parent it planned from.
 */
export interface WriteGuard {
  resource: ResourceInfo;
  namespace?: string;
  name: string;
  resourceVersion: string;
}

/** Decides whether a written object still needs a controller's attention (sparse resync index). */
export type UnsettledPredicate = (resource: ResourceInfo, obj: KubeObject) => boolean;

/** Called after every successful write, so the caller can enqueue reconciles. */
export type WriteListener = (tenant: string, resource: ResourceInfo, type: WatchEventType, obj: KubeObject, old?: KubeObject) => void | Promise<void>;

export interface ObjectStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  now?: () => number;
  isUnsettled?: UnsettledPredicate;
  onWrite?: WriteListener;
}

function isConditionFailure(err: unknown, index = 0): boolean {
  if (err instanceof TransactionCanceledException) {
    const reasons = err.CancellationReasons ?? [];
    return reasons[index]?.Code === 'ConditionalCheckFailed';
  }
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

function encodeContinue(key: Record<string, unknown> | undefined, rv: string): string | undefined {
  if (!key) return undefined;
  return Buffer.from(JSON.stringify({ k: key, rv })).toString('base64url');
}

function decodeContinue(token: string): { k: Record<string, unknown>; rv: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || typeof parsed.k !== 'object' || typeof parsed.k.pk !== 'string') throw new Error('shape');
    return parsed;
  } catch {
    throw new BadRequestError('continue key is not valid: the provided continue parameter is malformed');
  }
}

/** rfc3339 renders epoch ms as Kubernetes timestamps do (second precision, UTC). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * ObjectStore keeps Kubernetes objects in the single table with optimistic
 * concurrency: creates are conditioned on attribute_not_exists, updates and
 * deletes on the resourceVersion the writer read. Each write appends a change
 * record in the same transaction; watches read those records.
 */
export class ObjectStore {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  private readonly now: () => number;
  private readonly isUnsettled?: UnsettledPredicate;
  onWrite?: WriteListener;

  constructor(opts: ObjectStoreOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
    this.now = opts.now ?? Date.now;
    this.isUnsettled = opts.isUnsettled;
    this.onWrite = opts.onWrite;
  }

  /** nextResourceVersion takes the tenant's next resourceVersion from its counter item. */
  async nextResourceVersion(tenant: string): Promise<number> {
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: counterKey(tenant),
        UpdateExpression: 'ADD #v :one',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.value ?? 1);
  }

  /** currentResourceVersion is the newest resourceVersion handed out for the tenant (0 if none). */
  async currentResourceVersion(tenant: string): Promise<number> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: counterKey(tenant), ConsistentRead: true }));
    return Number(out.Item?.value ?? 0);
  }

  async get(tenant: string, resource: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    // No stored object has a key this long (names are at most 253 characters): answer
    // "absent" rather than let DynamoDB refuse the key.
    if (!keyFits(namespace, name)) return undefined;
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: objectPk(tenant, resource.group, resource.plural), sk: objectSk(namespace, name) },
        ConsistentRead: true,
      }),
    );
    return out.Item ? (JSON.parse(out.Item.obj as string) as KubeObject) : undefined;
  }

  async mustGet(tenant: string, resource: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.get(tenant, resource, namespace, name);
    if (!obj) throw new NotFoundError(resource.plural, resource.group, name);
    return obj;
  }

  /** list returns objects of one resource in a namespace (or all namespaces), paged by `limit`/`continue`. */
  async list(tenant: string, resource: ResourceInfo, opts: ListOptions = {}): Promise<ListResult> {
    const pk = objectPk(tenant, resource.group, resource.plural);
    if (opts.namespace && !keyFits(opts.namespace, '')) return { items: [], resourceVersion: String(await this.currentResourceVersion(tenant)) };
    let rv: string;
    let startKey: Record<string, unknown> | undefined;
    if (opts.continueToken) {
      const c = decodeContinue(opts.continueToken);
      if (c.k.pk !== pk) throw new BadRequestError('continue key is not valid: it belongs to another list');
      startKey = c.k;
      rv = c.rv;
    } else {
      rv = String(await this.currentResourceVersion(tenant));
    }
    const items: KubeObject[] = [];
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
    for (;;) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        KeyConditionExpression: opts.namespace ? 'pk = :pk AND begins_with(sk, :ns)' : 'pk = :pk',
        ExpressionAttributeValues: opts.namespace ? { ':pk': pk, ':ns': namespacePrefix(opts.namespace) } : { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        ...(limit ? { Limit: Math.min(Math.max(limit - items.length, 1), 1000) } : {}),
      };
      const out = await this.client.send(new QueryCommand(input));
      let lastTaken: Record<string, unknown> | undefined;
      for (const item of out.Items ?? []) {
        const obj = JSON.parse(item.obj as string) as KubeObject;
        if (!opts.filter || opts.filter(obj)) items.push(obj);
        lastTaken = { pk: item.pk, sk: item.sk };
        if (limit && items.length >= limit) break;
      }
      startKey = out.LastEvaluatedKey;
      if (limit && items.length >= limit) {
        // More may follow: hand back a token that resumes after the last item taken.
        const more = startKey !== undefined || (lastTaken && (out.Items ?? []).length > 0 && lastTaken.sk !== (out.Items ?? []).at(-1)?.sk);
        return { items, resourceVersion: rv, continueToken: more ? encodeContinue(lastTaken, rv) : undefined };
      }
      if (!startKey) break;
    }
    return { items, resourceVersion: rv };
  }

  /** listByController returns the objects whose controller ownerReference is `ownerUid`, via gsi1. */
  async listByController(tenant: string, ownerUid: string, resource?: ResourceInfo): Promise<KubeObject[]> {
    const items: KubeObject[] = [];
    for await (const page of this.ownerIndexPages(tenant, ownerUid, resource)) {
      for (const item of page.Items ?? []) items.push(JSON.parse(item.obj as string));
    }
    return items;
  }

  /**
   * countByController counts the objects of one resource whose controller is
   * `ownerUid`, leaving out those being deleted, without transferring them: a
   * planner that needs only how many pods a ReplicaSet has does not pay for
   * reading a thousand of them.
   */
  async countByController(tenant: string, ownerUid: string, resource: ResourceInfo): Promise<number> {
    let count = 0;
    for await (const page of this.ownerIndexPages(tenant, ownerUid, resource, { FilterExpression: 'attribute_not_exists(deleting)', Select: 'COUNT' })) {
      count += page.Count ?? 0;
    }
    return count;
  }

  /** ownerIndexPages queries gsi1 for the objects `ownerUid` controls (of one resource, if given), page by page. */
  private async *ownerIndexPages(tenant: string, ownerUid: string, resource: ResourceInfo | undefined, extra: Pick<QueryCommandInput, 'FilterExpression' | 'Select'> = {}): AsyncGenerator<QueryCommandOutput> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: resource ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
          ExpressionAttributeValues: resource
            ? { ':pk': ownerIndexPk(tenant, ownerUid), ':prefix': ownerIndexSk(resource.group, resource.plural, '', '').replace(/_#$/, '') }
            : { ':pk': ownerIndexPk(tenant, ownerUid) },
          ExclusiveStartKey: startKey,
          ...extra,
        }),
      );
      yield out;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  private buildItem(tenant: string, resource: ResourceInfo, obj: KubeObject, rv: number): Record<string, unknown> {
    const json = JSON.stringify(obj);
    if (Buffer.byteLength(json) > MAX_OBJECT_BYTES) {
      throw new RollwayError(413, 'RequestEntityTooLarge', `${resource.kind} "${obj.metadata.name}" is too large: ${Buffer.byteLength(json)} bytes, the limit is ${MAX_OBJECT_BYTES}`);
    }
    const pk = objectPk(tenant, resource.group, resource.plural);
    const sk = objectSk(obj.metadata.namespace, obj.metadata.name);
    const item: Record<string, unknown> = {
      pk,
      sk,
      entity: resource.kind,
      v: ITEM_SCHEMA_VERSION,
      rv,
      uid: obj.metadata.uid,
      obj: json,
    };
    const controller = obj.metadata.ownerReferences?.find((o) => o.controller) ?? obj.metadata.ownerReferences?.[0];
    if (controller) {
      item.gsi1pk = ownerIndexPk(tenant, controller.uid);
      item.gsi1sk = ownerIndexSk(resource.group, resource.plural, obj.metadata.namespace, obj.metadata.name);
    }
    // Top-level, so a count can leave out objects being deleted without reading them.
    if (obj.metadata.deletionTimestamp) item.deleting = true;
    if (resource.kind === 'Event') item.ttlEpochSeconds = Math.floor(this.now() / 1000) + EVENT_TTL_SECONDS;
    if (this.isUnsettled?.(resource, obj)) {
      item.gsi2pk = unsettledShard(pk, sk);
      item.gsi2sk = `${pk}|${sk}`;
    }
    return item;
  }

  private guardItems(tenant: string, guard?: WriteGuard): Array<Record<string, unknown>> {
    if (!guard) return [];
    return [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: { pk: objectPk(tenant, guard.resource.group, guard.resource.plural), sk: objectSk(guard.namespace, guard.name) },
          ConditionExpression: 'rv = :guard',
          ExpressionAttributeValues: { ':guard': Number(guard.resourceVersion) },
        },
      },
    ];
  }

  private changeItem(tenant: string, resource: ResourceInfo, type: WatchEventType, obj: KubeObject, rv: number): Record<string, unknown> {
    return {
      pk: changesPk(tenant),
      sk: changeSk(rv),
      type,
      res: `${resource.group}/${resource.plural}`,
      ns: obj.metadata.namespace ?? '',
      name: obj.metadata.name,
      obj: JSON.stringify(obj),
      ttlEpochSeconds: Math.floor(this.now() / 1000) + CHANGE_RETENTION_SECONDS,
    };
  }

  /**
   * create stores a new object, filling uid, resourceVersion, generation and
   * creationTimestamp. A name that exists gets AlreadyExists.
   */
  async create(tenant: string, resource: ResourceInfo, input: KubeObject, guard?: WriteGuard): Promise<KubeObject> {
    const rv = await this.nextResourceVersion(tenant);
    const obj: KubeObject = {
      ...input,
      apiVersion: apiVersionOf(resource.group, resource.versions[0]),
      kind: resource.kind,
      metadata: {
        ...input.metadata,
        uid: input.metadata.uid ?? randomUUID(),
        resourceVersion: String(rv),
        generation: 1,
        creationTimestamp: rfc3339(this.now()),
      },
    };
    if (!resource.namespaced) delete obj.metadata.namespace;
    const item = this.buildItem(tenant, resource, obj, rv);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: this.changeItem(tenant, resource, 'ADDED', obj, rv) } },
            ...this.guardItems(tenant, guard),
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err, 0)) throw new AlreadyExistsError(resource.plural, resource.group, obj.metadata.name);
      if (guard && isConditionFailure(err, 2)) throw new ConflictError(guard.resource.plural, guard.resource.group, guard.name);
      throw err;
    }
    await this.onWrite?.(tenant, resource, 'ADDED', obj);
    return obj;
  }

  /**
   * update replaces a stored object on the condition that it is still at
   * `expectedRv`. A write that changes nothing is skipped and the stored
   * object returned with its resourceVersion unchanged. `extra` items (a
   * tombstone) are put in the same transaction.
   */
  async update(tenant: string, resource: ResourceInfo, next: KubeObject, old: KubeObject, guard?: WriteGuard, extra: Record<string, unknown>[] = []): Promise<KubeObject> {
    const expectedRv = Number(old.metadata.resourceVersion);
    if (unchanged(old, next)) return old;
    const rv = await this.nextResourceVersion(tenant);
    const obj: KubeObject = { ...next, metadata: { ...next.metadata, resourceVersion: String(rv) } };
    const item = this.buildItem(tenant, resource, obj, rv);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'rv = :expected', ExpressionAttributeValues: { ':expected': expectedRv } } },
            { Put: { TableName: this.tableName, Item: this.changeItem(tenant, resource, 'MODIFIED', obj, rv) } },
            ...this.guardItems(tenant, guard),
            ...extra.map((Item) => ({ Put: { TableName: this.tableName, Item } })),
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err, 0)) throw new ConflictError(resource.plural, resource.group, obj.metadata.name);
      if (guard && isConditionFailure(err, 2)) throw new ConflictError(guard.resource.plural, guard.resource.group, guard.name);
      throw err;
    }
    await this.onWrite?.(tenant, resource, 'MODIFIED', obj, old);
    return obj;
  }

  /** delete removes an object still at the version read (`old`); the DELETED change carries its last state. */
  async delete(tenant: string, resource: ResourceInfo, old: KubeObject, extra: Record<string, unknown>[] = []): Promise<KubeObject> {
    const rv = await this.nextResourceVersion(tenant);
    const last: KubeObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { pk: objectPk(tenant, resource.group, resource.plural), sk: objectSk(old.metadata.namespace, old.metadata.name) },
                ConditionExpression: 'rv = :expected',
                ExpressionAttributeValues: { ':expected': Number(old.metadata.resourceVersion) },
              },
            },
            { Put: { TableName: this.tableName, Item: this.changeItem(tenant, resource, 'DELETED', last, rv) } },
            ...extra.map((Item) => ({ Put: { TableName: this.tableName, Item } })),
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err, 0)) {
        const now = await this.get(tenant, resource, old.metadata.namespace, old.metadata.name);
        if (!now) throw new NotFoundError(resource.plural, resource.group, old.metadata.name);
        throw new ConflictError(resource.plural, resource.group, old.metadata.name);
      }
      throw err;
    }
    await this.onWrite?.(tenant, resource, 'DELETED', last, old);
    return last;
  }

  /**
   * changesSince reads change records with resourceVersion > `after`, oldest
   * first. A resourceVersion older than the retained log gets 410 Expired.
   */
  async changesSince(tenant: string, after: number, limit = 500): Promise<ChangeRecord[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: { ':pk': changesPk(tenant), ':after': changeSk(after) },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => ({
      rv: Number(item.sk),
      type: item.type as WatchEventType,
      resource: item.res as string,
      namespace: (item.ns as string) || undefined,
      name: item.name as string,
      object: JSON.parse(item.obj as string),
    }));
  }

  /** oldestRetainedChange is the smallest resourceVersion still in the log, or undefined when the log is empty. */
  async oldestRetainedChange(tenant: string): Promise<number | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': changesPk(tenant) },
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const first = out.Items?.[0];
    return first ? Number(first.sk) : undefined;
  }

  /** assertWatchable throws 410 Expired when `rv` predates the retained change log. */
  async assertWatchable(tenant: string, rv: number): Promise<void> {
    if (rv <= 0) return;
    const oldest = await this.oldestRetainedChange(tenant);
    if (oldest !== undefined && rv < oldest - 1) {
      throw new GoneError(`too old resource version: ${rv} (${oldest - 1})`);
    }
  }
}

/** keyFits reports whether a namespace and name fit DynamoDB's 1 KiB sort key. */
function keyFits(namespace: string | undefined, name: string): boolean {
  return Buffer.byteLength(objectSk(namespace, name)) <= 1000;
}

/** unchanged reports whether two versions of an object differ only in resourceVersion. */
export function unchanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}
