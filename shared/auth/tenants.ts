import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tenantKey, tenantTokensIndexPk, tokenKey } from '../store/keys.js';
import { AlreadyExistsError, InvalidError, NotFoundError } from '../errors.js';

/** Tenant names are DNS-1123 labels: they appear in keys, kubeconfigs and URLs. */
const TENANT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface TenantRecord {
  name: string;
  createdAt: string;
  /** 'simulated' (default) or 'agent': who runs this tenant's pods. */
  nodeMode: 'simulated' | 'agent';
}

export interface TokenRecord {
  id: string;
  tenant: string;
  createdAt: string;
  description?: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** newToken makes a bearer token with 256 bits of randomness. */
export function newToken(): string {
  return `rw_${randomBytes(32).toString('base64url')}`;
}

/** constantTimeEqual compares two secrets without leaking where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * TenantStore keeps tenants and their tokens. Tokens are stored only as
 * SHA-256 hashes; a token is shown once, when it is issued.
 */
export class TenantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async createTenant(name: string, nodeMode: 'simulated' | 'agent' = 'simulated'): Promise<{ tenant: TenantRecord; token: string; tokenId: string }> {
    if (typeof name !== 'string' || !TENANT_NAME.test(name)) {
      throw new InvalidError('Tenant', '', String(name), [
        { type: 'FieldValueInvalid', field: 'name', value: name, detail: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character" },
      ]);
    }
    const tenant: TenantRecord = { name, createdAt: new Date(this.now()).toISOString(), nodeMode };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...tenantKey(name), entity: 'Tenant', v: 1, ...tenant }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') throw new AlreadyExistsError('tenants', 'admin.rollway.dev', name);
      throw err;
    }
    const { token, id } = await this.issueToken(name, 'initial token');
    return { tenant, token, tokenId: id };
  }

  async getTenant(name: string): Promise<TenantRecord | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tenantKey(name), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { name: out.Item.name, createdAt: out.Item.createdAt, nodeMode: out.Item.nodeMode ?? 'simulated' };
  }

  async setNodeMode(name: string, nodeMode: 'simulated' | 'agent'): Promise<TenantRecord> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tenantKey(name),
          UpdateExpression: 'SET nodeMode = :m',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':m': nodeMode },
        }),
      );
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') throw new NotFoundError('tenants', 'admin.rollway.dev', name);
      throw err;
    }
    return (await this.getTenant(name))!;
  }

  async issueToken(tenant: string, description?: string): Promise<{ token: string; id: string }> {
    if (!(await this.getTenant(tenant))) throw new NotFoundError('tenants', 'admin.rollway.dev', tenant);
    const token = newToken();
    const id = randomUUID();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...tokenKey(hashToken(token)),
          entity: 'Token',
          v: 1,
          id,
          tenant,
          createdAt: new Date(this.now()).toISOString(),
          description,
          gsi1pk: tenantTokensIndexPk(tenant),
          gsi1sk: id,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { token, id };
  }

  /** resolve maps a bearer token to its tenant, or undefined when it is unknown or revoked. */
  async resolve(token: string): Promise<string | undefined> {
    if (!token) return undefined;
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tokenKey(hashToken(token)), ConsistentRead: true }));
    return out.Item?.tenant as string | undefined;
  }

  async listTokens(tenant: string): Promise<TokenRecord[]> {
    const out = await this.client.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': tenantTokensIndexPk(tenant) } }),
    );
    return (out.Items ?? []).map((i) => ({ id: i.id, tenant: i.tenant, createdAt: i.createdAt, description: i.description }));
  }

  /** revokeToken deletes a token by id; requests carrying it are refused from then on. */
  async revokeToken(tenant: string, id: string): Promise<void> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
        ExpressionAttributeValues: { ':pk': tenantTokensIndexPk(tenant), ':id': id },
      }),
    );
    const item = out.Items?.[0];
    if (!item) throw new NotFoundError('tokens', 'admin.rollway.dev', id);
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
  }
}
