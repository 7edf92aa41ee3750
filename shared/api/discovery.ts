/**
 * Discovery documents built from the resource registry (`resources.ts`):
 * aggregated discovery (`apidiscovery.k8s.io/v2` and `v2beta1`), the legacy
 * `/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>` documents, Accept negotiation
 * between the two, and the `/version` body.
 *
 * Everything here is pure: same registry in, same JSON out.
 */

import { apiVersionOf, resources, type ResourceInfo } from './resources.js';

export type DiscoveryVersion = 'v2' | 'v2beta1';

export type DiscoveryNegotiation =
  | { aggregated: false }
  | { aggregated: true; version: DiscoveryVersion; contentType: string };

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const subresourceVerbs = ['get', 'patch', 'update'];
const scaleKind: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups in registry order, each with its versions in preference order. */
function groupsOf(core: boolean): Array<{ group: string; versions: string[] }> {
  const out: Array<{ group: string; versions: string[] }> = [];
  for (const r of resources) {
    if ((r.group === '') !== core) continue;
    let g = out.find((x) => x.group === r.group);
    if (!g) {
      g = { group: r.group, versions: [] };
      out.push(g);
    }
    for (const v of r.versions) if (!g.versions.includes(v)) g.versions.push(v);
  }
  return out;
}

function resourcesIn(group: string, version: string): ResourceInfo[] {
  return resources
    .filter((r) => r.group === group && r.versions.includes(version))
    .sort((a, b) => byName(a.plural, b.plural));
}

function subresourceKind(r: ResourceInfo, sub: 'status' | 'scale', version: string): GroupVersionKind {
  return sub === 'scale' ? { ...scaleKind } : { group: r.group, version, kind: r.kind };
}

function sortedSubresources(r: ResourceInfo): Array<'status' | 'scale'> {
  return [...r.subresources].sort(byName);
}

// ---------------------------------------------------------------------------
// Aggregated discovery

function aggregatedResource(r: ResourceInfo, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length) out.shortNames = [...r.shortNames];
  if (r.categories.length) out.categories = [...r.categories];
  if (r.subresources.length) {
    out.subresources = sortedSubresources(r).map((sub) => ({
      subresource: sub,
      responseKind: subresourceKind(r, sub, version),
      verbs: [...subresourceVerbs],
    }));
  }
  return out;
}

/**
 * `APIGroupDiscoveryList` for `/api` (the core group, name "") or `/apis`
 * (every named group), versions preferred first, resources sorted by name.
 */
export function aggregatedDiscovery(path: '/api' | '/apis', version: DiscoveryVersion): object {
  const items = groupsOf(path === '/api').map((g) => ({
    metadata: { name: g.group },
    versions: g.versions.map((v) => ({
      version: v,
      resources: resourcesIn(g.group, v).map((r) => aggregatedResource(r, v)),
      freshness: 'Current',
    })),
  }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}

// ---------------------------------------------------------------------------
// Legacy discovery

/** `/api` legacy body (`APIVersions`). */
export function legacyApiVersions(serverAddress = ''): object {
  return {
    kind: 'APIVersions',
    versions: groupsOf(true).flatMap((g) => g.versions),
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `/apis` legacy body (`APIGroupList`), named groups only. */
export function legacyApiGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsOf(false).map((g) => {
      const versions = g.versions.map((v) => ({ groupVersion: apiVersionOf(g.group, v), version: v }));
      return { name: g.group, versions, preferredVersion: { ...versions[0] } };
    }),
  };
}

/**
 * `/api/v1` or `/apis/<group>/<version>` legacy body (`APIResourceList`),
 * subresources as their own `<plural>/<sub>` entries; undefined when the
 * group/version is not served.
 */
export function legacyResourceList(group: string, version: string): object | undefined {
  const served = resourcesIn(group, version);
  if (!served.length) return undefined;
  const entries: Array<Record<string, unknown>> = [];
  for (const r of served) {
    const main: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
    };
    if (r.shortNames.length) main.shortNames = [...r.shortNames];
    if (r.categories.length) main.categories = [...r.categories];
    entries.push(main);
    for (const sub of sortedSubresources(r)) {
      const e: Record<string, unknown> = { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced };
      if (sub === 'scale') {
        e.group = scaleKind.group;
        e.version = scaleKind.version;
      }
      e.kind = sub === 'scale' ? scaleKind.kind : r.kind;
      e.verbs = [...subresourceVerbs];
      entries.push(e);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources: entries };
}

// ---------------------------------------------------------------------------
// Accept negotiation

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/**
 * Parses an Accept header into media ranges, highest q first (stable for
 * ties, so the client's order decides). Parameter names are lower-cased;
 * quoted values are unquoted; q=0 ranges are dropped.
 */
export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  const out: MediaRange[] = [];
  for (const clause of splitOutsideQuotes(accept, ',')) {
    const parts = splitOutsideQuotes(clause, ';').map((p) => p.trim());
    const full = (parts.shift() ?? '').toLowerCase();
    const slash = full.indexOf('/');
    if (!full || slash <= 0 || slash === full.length - 1) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of parts) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      let value = p.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (name === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1;
      } else {
        params[name] = value;
      }
    }
    if (q <= 0) continue;
    out.push({ type: full.slice(0, slash).trim(), subtype: full.slice(slash + 1).trim(), params, q });
  }
  return out
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.q - a.m.q || a.i - b.i)
    .map((x) => x.m);
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out.filter((p) => p.trim() !== '');
}

/** True when a media range covers `application/json` (including wildcards). */
export function coversJson(m: MediaRange): boolean {
  return (m.type === 'application' || m.type === '*') && (m.subtype === 'json' || m.subtype === '*');
}

export function aggregatedContentType(version: DiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * Chooses aggregated (v2 or v2beta1) or legacy discovery for `/api` and
 * `/apis` from the Accept header, taking the client's first (highest q)
 * range that can be served as JSON. kubectl 1.32 offers v2, then v2beta1,
 * then plain JSON, and gets v2.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryNegotiation {
  for (const m of parseAccept(accept)) {
    if (!coversJson(m)) continue;
    const { g, v, as } = m.params;
    if (g === undefined && v === undefined && as === undefined) return { aggregated: false };
    if (g === 'apidiscovery.k8s.io' && as === 'APIGroupDiscoveryList' && (v === 'v2' || v === 'v2beta1')) {
      return { aggregated: true, version: v, contentType: aggregatedContentType(v) };
    }
    // Some other typed form (e.g. a Table, or an unknown discovery version): not servable, try the next range.
  }
  return { aggregated: false };
}

// ---------------------------------------------------------------------------
// /version

/** `/version` body of a Kubernetes v1.32.0 server (kubectl's dispatcher picks its client by `minor`). */
export function versionInfo(): object {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0',
    gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T17:59:15Z',
    goVersion: 'go1.23.3',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
