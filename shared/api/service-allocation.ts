/**
 * Cluster IP and node port allocation for Services, per tenant.
 *
 * Each tenant has its own address space: cluster IPs come from
 * SERVICE_CIDR (10.96.0.0/16; 10.96.0.1 is reserved, as a real cluster gives
 * it to `kubernetes.default`), node ports from 30000–32767. An allocation is
 * one DynamoDB item, written with a conditional put, so two Services created
 * at once can never get the same value:
 *
 * | item            | pk                        | sk                        | attributes                         |
 * |-----------------|---------------------------|---------------------------|------------------------------------|
 * | cluster IP      | t#<tenant>#ipalloc        | <ip>                      | svc (<ns>/<name>), uid, createdAt  |
 * | node port       | t#<tenant>#portalloc      | <port, 5 digits>          | svc (<ns>/<name>), uid, createdAt  |
 *
 * Values are claimed before the Service is written (the API answers with the
 * allocated IP) and given back when the write fails. The endpoints
 * controller releases the values a deleted or changed Service no longer
 * holds (`releaseUnused`); an item whose Service is gone is also reclaimed
 * when someone asks for exactly that value. A grace period protects claims
 * whose Service write is still in flight.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KubeObject } from '../k8s/types.js';
import { InvalidError, type FieldError } from '../errors.js';
import { isIPv4 } from '../schemas/service.js';
import type { ObjectStore } from '../store/object-store.js';
import { findResourceByKind } from './resources.js';

export const SERVICE_CIDR = '10.96.0.0/16';
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** A claim younger than this may belong to a Service write still in flight: it is never released. */
export const ALLOCATION_GRACE_MS = 60_000;
/** Random probes before falling back to reading the whole allocation partition. */
const RANDOM_PROBES = 16;

type Obj = Record<string, any>;
export type AllocationKind = 'ip' | 'port';

// ---- pure arithmetic ----

/** ipToInt parses a dotted quad into an unsigned 32-bit number. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** intToIp renders an unsigned 32-bit number as a dotted quad. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** parseCidr returns a CIDR's base address and size. */
export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const base = ipToInt(ip) - (ipToInt(ip) % size);
  return { base, size };
}

const range = parseCidr(SERVICE_CIDR);
/** Offsets inside the range that are never handed out: the network address, 10.96.0.1 (kubernetes.default) and the broadcast address. */
export const RESERVED_IP_OFFSETS = new Set([0, 1, range.size - 1]);

/** ipOffset is an address's offset in the service range, or undefined when it is outside. */
export function ipOffset(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  const off = ipToInt(ip) - range.base;
  return off >= 0 && off < range.size ? off : undefined;
}

/** ipAt is the address at an offset of the service range. */
export function ipAt(offset: number): string {
  return intToIp(range.base + offset);
}

/** allocatableIp reports whether an address may be allocated (in range, not reserved). */
export function allocatableIp(ip: string): boolean {
  const off = ipOffset(ip);
  return off !== undefined && !RESERVED_IP_OFFSETS.has(off);
}

/** allocatablePort reports whether a node port is in the node port range. */
export function allocatablePort(port: number): boolean {
  return Number.isInteger(port) && port >= NODE_PORT_MIN && port <= NODE_PORT_MAX;
}

/** The candidate values of a kind, as sort keys. */
function bounds(kind: AllocationKind): { lo: number; hi: number } {
  return kind === 'ip' ? { lo: 2, hi: range.size - 2 } : { lo: NODE_PORT_MIN, hi: NODE_PORT_MAX };
}

/** valueOf renders a candidate (an IP offset or a port) as the stored value. */
export function valueOf(kind: AllocationKind, n: number): string {
  return kind === 'ip' ? ipAt(n) : String(n);
}

/**
 * firstFree scans from `start` (wrapping around) for a candidate not in
 * `taken`; undefined when the range is full.
 */
export function firstFree(taken: Set<number>, lo: number, hi: number, start: number): number | undefined {
  const size = hi - lo + 1;
  for (let i = 0; i < size; i++) {
    const n = lo + ((start - lo + i) % size);
    if (!taken.has(n)) return n;
  }
  return undefined;
}

/** heldValues lists the allocated values a Service holds. */
export function heldValues(spec: Obj | undefined): { ips: string[]; ports: number[] } {
  const s = spec ?? {};
  const ips = (s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : [])).filter((ip: string) => ip && ip !== 'None');
  const ports = (s.ports ?? []).map((p: Obj) => p.nodePort).filter((p: unknown) => typeof p === 'number' && p > 0);
  if (s.healthCheckNodePort) ports.push(s.healthCheckNodePort);
  return { ips: s.type === 'ExternalName' ? [] : ips, ports };
}

/**
 * patchAllocatedValues copies the values an update leaves empty from the
 * stored Service, as upstream does: the cluster IP(s) unless the type is now
 * ExternalName, and node ports of ports that keep their port and protocol.
 */
export function patchAllocatedValues(next: Obj, old: Obj): void {
  const s = next.spec ?? {};
  const o = old.spec ?? {};
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && !s.clusterIP && o.clusterIP) {
    s.clusterIP = o.clusterIP;
    s.clusterIPs = [...(o.clusterIPs ?? [o.clusterIP])];
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') {
    for (const p of s.ports ?? []) {
      if (p.nodePort) continue;
      const before = (o.ports ?? []).find((q: Obj) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (before?.nodePort) p.nodePort = before.nodePort;
    }
    if (!s.healthCheckNodePort && o.healthCheckNodePort && s.externalTrafficPolicy === 'Local') s.healthCheckNodePort = o.healthCheckNodePort;
  }
}

/** needsNodePorts: NodePort services, and LoadBalancers unless allocateLoadBalancerNodePorts is false. */
function needsNodePorts(s: Obj): boolean {
  return s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
}

// ---- I/O ----

export interface AllocationOwner {
  namespace: string;
  name: string;
  uid: string;
}

/** Looks up the uid of the live Service `<ns>/<name>` (undefined when there is none). */
export type ServiceLookup = (namespace: string, name: string) => Promise<string | undefined>;

function allocationPk(tenant: string, kind: AllocationKind): string {
  return `t#${tenant}#${kind === 'ip' ? 'ipalloc' : 'portalloc'}`;
}

function allocationSk(kind: AllocationKind, value: string): string {
  return kind === 'port' ? value.padStart(5, '0') : value;
}

class AllocationFailed extends Error {
  constructor(readonly why: 'allocated' | 'full') {
    super(why);
  }
}

/**
 * ServiceAllocator claims and releases cluster IPs and node ports for one
 * table. `lookup` tells whether the holder of a claim still exists.
 */
export class ServiceAllocator {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly lookup: (tenant: string) => ServiceLookup,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * claim takes one value for `owner`; false when someone else holds it. A
   * claim the owner already holds is kept; a claim older than the grace
   * period whose Service is gone (or was replaced) is taken over.
   */
  async claim(tenant: string, kind: AllocationKind, value: string, owner: AllocationOwner): Promise<'new' | 'held' | false> {
    const key = { pk: allocationPk(tenant, kind), sk: allocationSk(kind, value) };
    const item = { ...key, entity: kind === 'ip' ? 'ClusterIPAllocation' : 'NodePortAllocation', v: 1, value, svc: `${owner.namespace}/${owner.name}`, uid: owner.uid, createdAt: this.now() };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return 'new';
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    }
    const held = (await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
    if (!held) return false;
    if (held.uid === owner.uid) return 'held';
    if (!(await this.stale(tenant, held))) return false;
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'uid = :old', ExpressionAttributeValues: { ':old': held.uid } }));
      return 'new';
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** stale: the claim is past its grace period and its Service no longer holds it. */
  private async stale(tenant: string, item: Record<string, any>): Promise<boolean> {
    if (this.now() - Number(item.createdAt ?? 0) < ALLOCATION_GRACE_MS) return false;
    const [ns, name] = String(item.svc).split('/');
    const liveUid = await this.lookup(tenant)(ns, name);
    return liveUid !== item.uid;
  }

  /** allocate takes any free value: random probes first, then a scan of what is taken. */
  async allocate(tenant: string, kind: AllocationKind, owner: AllocationOwner): Promise<string> {
    const { lo, hi } = bounds(kind);
    for (let i = 0; i < RANDOM_PROBES; i++) {
      const n = randomInt(lo, hi + 1);
      if (kind === 'ip' && RESERVED_IP_OFFSETS.has(n)) continue;
      const v = valueOf(kind, n);
      if (await this.claim(tenant, kind, v, owner)) return v;
    }
    // A crowded range: read what is taken and walk the gaps from a random start.
    const taken = new Set<number>();
    for (const item of await this.items(tenant, kind)) taken.add(kind === 'ip' ? ipOffset(item.value)! : Number(item.value));
    if (kind === 'ip') for (const r of RESERVED_IP_OFFSETS) taken.add(r);
    let start = randomInt(lo, hi + 1);
    for (let i = 0; i < RANDOM_PROBES; i++) {
      const n = firstFree(taken, lo, hi, start);
      if (n === undefined) break;
      const v = valueOf(kind, n);
      if (await this.claim(tenant, kind, v, owner)) return v;
      taken.add(n);
      start = n + 1 > hi ? lo : n + 1;
    }
    throw new AllocationFailed('full');
  }

  /** release gives a value back, if `uid` still holds it. */
  async release(tenant: string, kind: AllocationKind, value: string, uid: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: allocationPk(tenant, kind), sk: allocationSk(kind, value) },
          ConditionExpression: 'uid = :uid',
          ExpressionAttributeValues: { ':uid': uid },
        }),
      );
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  /** items reads every claim of a kind (optionally only those of one Service). */
  async items(tenant: string, kind: AllocationKind, svc?: string): Promise<Array<Record<string, any>>> {
    const out: Array<Record<string, any>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ...(svc ? { FilterExpression: 'svc = :svc' } : {}),
          ExpressionAttributeValues: { ':pk': allocationPk(tenant, kind), ...(svc ? { ':svc': svc } : {}) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      out.push(...(res.Items ?? []));
      startKey = res.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  /**
   * prepare fills and claims a Service's cluster IP and node ports before it
   * is written (`old` for an update). It mutates `svc` and returns a rollback
   * that gives back what this call claimed, for a write that then fails.
   * Throws InvalidError for a requested value that is taken or out of range.
   */
  async prepare(tenant: string, svc: KubeObject, old: KubeObject | undefined): Promise<() => Promise<void>> {
    svc.metadata.uid ??= old?.metadata.uid ?? randomUUID();
    const owner: AllocationOwner = { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name, uid: svc.metadata.uid };
    const s: Obj = (svc.spec ??= {});
    if (old) patchAllocatedValues(svc, old);
    const had = heldValues(old?.spec);
    const claimed: Array<{ kind: AllocationKind; value: string }> = [];
    const rollback = async () => {
      for (const c of claimed) await this.release(tenant, c.kind, c.value, owner.uid).catch(() => undefined);
    };
    const take = async (kind: AllocationKind, value: string, field: string, shown: unknown): Promise<void> => {
      const r = await this.claim(tenant, kind, value, owner);
      if (!r) throw invalid(svc, field, shown, kind === 'ip' ? `failed to allocate IP ${value}: provided IP is already allocated` : 'provided port is already allocated');
      if (r === 'new') claimed.push({ kind, value });
    };
    try {
      if (s.type !== 'ExternalName' && s.clusterIP !== 'None') {
        if (!s.clusterIP) {
          const ip = await this.allocate(tenant, 'ip', owner).catch((err) => {
            if (err instanceof AllocationFailed) throw invalid(svc, 'spec.clusterIPs', [], `failed to allocate a serviceIP: range is full (${SERVICE_CIDR})`);
            throw err;
          });
          claimed.push({ kind: 'ip', value: ip });
          s.clusterIP = ip;
          s.clusterIPs = [ip];
        } else if (!had.ips.includes(s.clusterIP)) {
          if (RESERVED_IP_OFFSETS.has(ipOffset(s.clusterIP) ?? -1) && ipOffset(s.clusterIP) !== 0 && ipOffset(s.clusterIP) !== range.size - 1) {
            throw invalid(svc, 'spec.clusterIPs', s.clusterIPs ?? [s.clusterIP], `failed to allocate IP ${s.clusterIP}: provided IP is already allocated`);
          }
          if (!allocatableIp(s.clusterIP)) {
            throw invalid(svc, 'spec.clusterIPs', s.clusterIPs ?? [s.clusterIP], `failed to allocate IP ${s.clusterIP}: the provided IP (${s.clusterIP}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`);
          }
          await take('ip', s.clusterIP, 'spec.clusterIPs', s.clusterIPs ?? [s.clusterIP]);
        }
      }
      if (needsNodePorts(s)) {
        const ports: Obj[] = s.ports ?? [];
        for (let i = 0; i < ports.length; i++) {
          const p = ports[i];
          if (!p.nodePort) {
            // Ports with the same number on two protocols share one node port, as upstream.
            const twin = ports.slice(0, i).find((q) => q.port === p.port && q.nodePort);
            if (twin) {
              p.nodePort = twin.nodePort;
              continue;
            }
            const v = await this.allocate(tenant, 'port', owner).catch((err) => {
              if (err instanceof AllocationFailed) throw invalid(svc, `spec.ports[${i}].nodePort`, 0, `failed to allocate a nodePort: range is full (${NODE_PORT_MIN}-${NODE_PORT_MAX})`);
              throw err;
            });
            claimed.push({ kind: 'port', value: v });
            p.nodePort = Number(v);
          } else if (!had.ports.includes(p.nodePort) && !ports.slice(0, i).some((q) => q.nodePort === p.nodePort)) {
            if (!allocatablePort(p.nodePort)) {
              throw invalid(svc, `spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`);
            }
            await take('port', String(p.nodePort), `spec.ports[${i}].nodePort`, p.nodePort);
          }
        }
      }
      if (s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local') {
        if (!s.healthCheckNodePort) {
          s.healthCheckNodePort = Number(await this.allocate(tenant, 'port', owner));
          claimed.push({ kind: 'port', value: String(s.healthCheckNodePort) });
        } else if (!had.ports.includes(s.healthCheckNodePort)) {
          await take('port', String(s.healthCheckNodePort), 'spec.healthCheckNodePort', s.healthCheckNodePort);
        }
      }
    } catch (err) {
      await rollback();
      throw err;
    }
    return rollback;
  }

  /**
   * releaseUnused gives back the claims of `<ns>/<name>` that the live
   * Service (undefined when deleted) does not hold. Returns how long until a
   * claim still in its grace period can be looked at again (0: none left).
   */
  async releaseUnused(tenant: string, namespace: string, name: string, live: KubeObject | undefined): Promise<number> {
    const held = heldValues(live?.spec);
    let wait = 0;
    for (const kind of ['ip', 'port'] as const) {
      for (const item of await this.items(tenant, kind, `${namespace}/${name}`)) {
        const keeps = live && live.metadata.uid === item.uid && (kind === 'ip' ? held.ips.includes(item.value) : held.ports.includes(Number(item.value)));
        if (keeps) continue;
        const age = this.now() - Number(item.createdAt ?? 0);
        if (age < ALLOCATION_GRACE_MS) {
          wait = Math.max(wait, ALLOCATION_GRACE_MS - age);
          continue;
        }
        await this.release(tenant, kind, item.value, item.uid);
      }
    }
    return wait;
  }
}

function invalid(svc: KubeObject, field: string, value: unknown, detail: string): InvalidError {
  const e: FieldError = { type: 'FieldValueInvalid', field, value, detail };
  return new InvalidError('Service', '', svc.metadata.name, [e]);
}

/** allocatorFor builds the allocator over a store's table, looking holders up in its Services. */
export function allocatorFor(store: ObjectStore, now: () => number = Date.now): ServiceAllocator {
  const services = findResourceByKind('Service')!;
  return new ServiceAllocator(store.client, store.tableName, (tenant) => async (ns, name) => (await store.get(tenant, services, ns, name))?.metadata.uid, now);
}
