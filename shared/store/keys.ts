/**
 * Single-table key design. Every key begins with the tenant taken from the
 * verified token, so no query built here can reach another tenant's items.
 *
 * | item            | pk                                   | sk                      | gsi1pk / gsi1sk                                   | gsi2pk / gsi2sk                |
 * |-----------------|--------------------------------------|-------------------------|---------------------------------------------------|--------------------------------|
 * | object          | t#<tenant>#<group>/<plural>          | <namespace>#<name>      | t#<tenant>#owner#<controllerUid> / <g/p>#<ns>#<n>  | unsettled#<shard> / <pk>|<sk>   |
 * | change record   | t#<tenant>#changes                   | <resourceVersion, 16 digits> | –                                            | –                              |
 * | rv counter      | t#<tenant>#meta                      | counter                 | –                                                 | –                              |
 * | tenant          | tenant#<name>                        | meta                    | –                                                 | –                              |
 * | token           | token#<sha256 of token>              | token                   | tenant#<name>#tokens / <tokenId>                  | –                              |
 * | GC tombstone    | t#<tenant>#gc                        | <uid>                   | –                                                 | unsettled#<shard> / <pk>|<sk>   |
 * | queued marker   | t#<tenant>#queued#<kind>/<ns>/<name> | queued                  | –                                                 | –                              |
 *
 * Cluster-scoped objects use the namespace segment `_` (a name that can never be a namespace).
 * gsi1 answers "objects controlled by X" in one Query; gsi2 is sparse and holds only
 * objects a controller has not finished with, so the resync sweep reads just those.
 */

export const UNSETTLED_SHARDS = 8;

/** Namespace segment for cluster-scoped objects. */
export const CLUSTER_SCOPE = '_';

export function resourceKey(group: string, plural: string): string {
  return `${group || 'core'}/${plural}`;
}

export function objectPk(tenant: string, group: string, plural: string): string {
  return `t#${tenant}#${resourceKey(group, plural)}`;
}

export function objectSk(namespace: string | undefined, name: string): string {
  return `${namespace || CLUSTER_SCOPE}#${name}`;
}

/** Prefix of every sk in one namespace, for begins_with queries. */
export function namespacePrefix(namespace: string | undefined): string {
  return `${namespace || CLUSTER_SCOPE}#`;
}

export function ownerIndexPk(tenant: string, ownerUid: string): string {
  return `t#${tenant}#owner#${ownerUid}`;
}

export function ownerIndexSk(group: string, plural: string, namespace: string | undefined, name: string): string {
  return `${resourceKey(group, plural)}#${objectSk(namespace, name)}`;
}

export function changesPk(tenant: string): string {
  return `t#${tenant}#changes`;
}

/** Change records sort by resourceVersion; 16 digits keep lexical and numeric order equal. */
export function changeSk(rv: number): string {
  return rv.toString().padStart(16, '0');
}

export function counterKey(tenant: string): { pk: string; sk: string } {
  return { pk: `t#${tenant}#meta`, sk: 'counter' };
}

export function tenantKey(name: string): { pk: string; sk: string } {
  return { pk: `tenant#${name}`, sk: 'meta' };
}

export function tokenKey(tokenHash: string): { pk: string; sk: string } {
  return { pk: `token#${tokenHash}`, sk: 'token' };
}

export function tenantTokensIndexPk(tenant: string): string {
  return `tenant#${tenant}#tokens`;
}

export function tombstoneKey(tenant: string, uid: string): { pk: string; sk: string } {
  return { pk: `t#${tenant}#gc`, sk: uid };
}

/** queuedMarkerKey is the "a reconcile of this object is already queued" marker; one partition per object, so no tenant-wide hot key. */
export function queuedMarkerKey(tenant: string, kind: string, namespace: string | undefined, name: string): { pk: string; sk: string } {
  return { pk: `t#${tenant}#queued#${kind}/${namespace ?? ''}/${name}`, sk: 'queued' };
}

/** unsettledShard spreads the sparse resync index over a few partitions so one busy tenant is not a hot key. */
export function unsettledShard(pk: string, sk: string): string {
  let h = 0;
  const s = pk + '|' + sk;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return `unsettled#${h % UNSETTLED_SHARDS}`;
}

/** Parses an object pk back to tenant and resource key; undefined if it is not an object pk. */
export function parseObjectPk(pk: string): { tenant: string; resource: string } | undefined {
  const m = /^t#([^#]+)#([^#]+\/[^#]+)$/.exec(pk);
  return m ? { tenant: m[1], resource: m[2] } : undefined;
}
