import { Hono, type Context } from 'hono';
import type { KubeObject } from '../k8s/types.js';
import { type ResourceInfo, apiVersionOf, findResource, resources } from './resources.js';
import { aggregatedDiscovery, legacyApiGroupList, legacyApiVersions, legacyResourceList, negotiateDiscovery, versionInfo } from './discovery.js';
import { toTable, wantsTable } from './tables.js';
import { BadRequestError, ForbiddenError, MethodNotAllowedError, NotFoundError, RollwayError, UnauthorizedError, statusBody } from '../errors.js';
import { bodyFormat, decodeBody, readBody, type BodyFormat } from './body.js';
import { type FieldValidation, ObjectService, type RequestScope, type WriteOptions } from './object-service.js';
import { watchStream, type ChangeNotifier } from './watch.js';
import { parseFieldSelector, parseLabelSelector } from '../k8s/selectors.js';
import type { TenantStore } from '../auth/tenants.js';
import { log, errorFields } from '../logger.js';
import { adminRoutes } from './admin.js';

export interface AppDeps {
  objects: ObjectService;
  tenants: TenantStore;
  /** Verifies the admin bootstrap token (constant time). */
  isAdminToken: (token: string) => Promise<boolean>;
  notifier?: ChangeNotifier;
  now?: () => number;
  /** Longest watch the deployment allows (Lambda caps a streamed response at 15 minutes). */
  maxWatchSeconds?: number;
  caPem?: string;
  publicUrl?: string;
  onTenantCreated?: (tenant: string) => Promise<void>;
  /** Routes mounted before the tenant token check (registry webhooks authenticate by their own schemes). */
  publicRoutes?: Record<string, Hono>;
}

export type Env = { Variables: { tenant: string; requestId: string } };

const PUBLIC_PATHS = new Set(['/readyz', '/livez', '/healthz']);

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization');
  const m = h ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
  return m ? m[1].trim() : undefined;
}

/** jsonResponse writes a JSON body the way the kube-apiserver does (Content-Type application/json). */
function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function warningHeaders(warnings: string[]): Record<string, string> {
  if (!warnings.length) return {};
  return { warning: warnings.map((w) => `299 - ${JSON.stringify(w.replace(/[\r\n]/g, ' '))}`).join(', ') };
}

interface ParsedPath {
  group: string;
  version: string;
  namespace?: string;
  plural?: string;
  name?: string;
  subresource?: string;
}

/**
 * parseApiPath splits a Kubernetes REST path:
 * /api/v1/namespaces/{ns}/{plural}/{name}/{sub}, /apis/{g}/{v}/{plural}/{name}, …
 * `namespaces/{name}` is itself the namespace object unless a resource follows it.
 */
export function parseApiPath(path: string): ParsedPath | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length < 2) return undefined;
    rest = segs.slice(2);
    const version = segs[1];
    return parseRest(group, version, rest);
  }
  if (segs[0] === 'apis') {
    if (segs.length < 3) return undefined;
    group = segs[1];
    return parseRest(group, segs[2], segs.slice(3));
  }
  return undefined;
}

function parseRest(group: string, version: string, rest: string[]): ParsedPath {
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return { group, version, namespace: rest[1], plural: rest[2], name: rest[3], subresource: rest[4] };
  }
  return { group, version, plural: rest[0], name: rest[1], subresource: rest[2] };
}

function queryFlag(c: Context, name: string): string | undefined {
  const v = c.req.query(name);
  return v === undefined ? undefined : v;
}

function fieldValidation(c: Context): FieldValidation {
  const v = c.req.query('fieldValidation');
  // As the kube-apiserver: without the parameter, unknown fields are dropped with a warning.
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw new BadRequestError(`fieldValidation must be one of Strict, Warn, Ignore; got ${JSON.stringify(v)}`);
}

function writeOptions(c: Context): WriteOptions {
  const dry = c.req.queries('dryRun') ?? [];
  for (const d of dry) if (d !== 'All' && d !== '') throw new BadRequestError(`dryRun must be All; got ${JSON.stringify(d)}`);
  return { dryRun: dry.includes('All'), fieldValidation: fieldValidation(c), fieldManager: c.req.query('fieldManager') };
}

function intQuery(c: Context, name: string): number | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new BadRequestError(`${name} must be a non-negative integer; got ${JSON.stringify(v)}`);
  return Number(v);
}

/** createApp builds the Hono app that serves Rollway's Kubernetes API, admin API and health checks. */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const now = deps.now ?? Date.now;
  const objects = deps.objects;

  app.onError((err, c) => {
    const { code, body } = statusBody(err);
    if (code >= 500) log.error('request failed', { tenant: c.get('tenant'), method: c.req.method, path: c.req.path, ...errorFields(err) });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (err instanceof RollwayError && err.details?.retryAfterSeconds) headers['retry-after'] = String(err.details.retryAfterSeconds);
    return new Response(JSON.stringify(body), { status: code, headers });
  });
  app.notFound((c) => {
    const { code, body } = statusBody(new RollwayError(404, 'NotFound', 'the server could not find the requested resource'));
    return c.json(body, code as 404);
  });

  for (const p of PUBLIC_PATHS) app.get(p, (c) => c.text('ok'));

  for (const [prefix, routes] of Object.entries(deps.publicRoutes ?? {})) app.route(prefix, routes);

  app.route('/admin/v1', adminRoutes({ tenants: deps.tenants, isAdminToken: deps.isAdminToken, caPem: deps.caPem, publicUrl: deps.publicUrl, onTenantCreated: deps.onTenantCreated }));

  // Everything below needs a tenant token.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/admin/') || Object.keys(deps.publicRoutes ?? {}).some((p) => c.req.path.startsWith(p + '/'))) return next();
    const token = bearer(c);
    if (!token) throw new UnauthorizedError();
    const tenant = await deps.tenants.resolve(token);
    if (!tenant) {
      if (await deps.isAdminToken(token)) throw new ForbiddenError('the admin token may only be used on /admin routes');
      throw new UnauthorizedError();
    }
    c.set('tenant', tenant);
    await next();
  });

  app.get('/version', (c) => c.json(versionInfo()));

  app.get('/api', (c) => discovery(c, '/api'));
  app.get('/apis', (c) => discovery(c, '/apis'));
  function discovery(c: Context, path: '/api' | '/apis') {
    const n = negotiateDiscovery(c.req.header('accept'));
    if (n.aggregated) return new Response(JSON.stringify(aggregatedDiscovery(path, n.version)), { headers: { 'content-type': n.contentType } });
    return c.json(path === '/api' ? legacyApiVersions() : legacyApiGroupList());
  }
  app.get('/api/v1', (c) => c.json(legacyResourceList('', 'v1')));
  app.get('/apis/:group', (c, next) => {
    const group = c.req.param('group');
    const versions = [...new Set(resources.filter((r) => r.group === group).flatMap((r) => r.versions))];
    if (!versions.length) return next();
    const gv = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return c.json({ kind: 'APIGroup', apiVersion: 'v1', name: group, versions: gv, preferredVersion: gv[0] });
  });
  app.get('/apis/:group/:version', (c, next) => {
    const doc = legacyResourceList(c.req.param('group'), c.req.param('version'));
    return doc ? c.json(doc) : next();
  });

  // Loaded on first use: only apply, create -f, replace -f and edit fetch OpenAPI.
  const openapi = () => import('../schemas/openapi.js');
  app.get('/openapi/v3', async (c) => c.json((await openapi()).openApiV3Index()));
  app.get('/openapi/v3/*', async (c) => {
    const doc = (await openapi()).openApiV3Document(c.req.path.slice('/openapi/v3/'.length));
    if (!doc) throw new NotFoundError('openapi', '', c.req.path);
    return c.json(doc);
  });

  app.all('/api/*', (c) => serveObjects(c));
  app.all('/apis/*', (c) => serveObjects(c));

  async function serveObjects(c: Context<Env>): Promise<Response> {
    const parsed = parseApiPath(c.req.path);
    if (!parsed || !parsed.plural) throw new RollwayError(404, 'NotFound', 'the server could not find the requested resource');
    const resource = findResource(parsed.group, parsed.version, parsed.plural);
    if (!resource) throw new RollwayError(404, 'NotFound', 'the server could not find the requested resource');
    // A namespaced path to a cluster-scoped kind (or the reverse with a name) does not exist.
    if (parsed.namespace && !resource.namespaced) throw new RollwayError(404, 'NotFound', 'the server could not find the requested resource');
    if (parsed.subresource && !resource.subresources.includes(parsed.subresource as 'status' | 'scale')) {
      throw new RollwayError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const scope: RequestScope = { tenant: c.get('tenant'), resource, version: parsed.version, namespace: parsed.namespace };
    const method = c.req.method;
    const name = parsed.name;
    if (resource.namespaced && name && !parsed.namespace) throw new RollwayError(404, 'NotFound', 'the server could not find the requested resource');

    if (!name) {
      if (method === 'GET') return c.req.query('watch') === 'true' || c.req.query('watch') === '1' ? watch(c, scope) : list(c, scope);
      if (method === 'POST') {
        if (resource.namespaced && !parsed.namespace) throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
        const body = await requestBody(c);
        const r = await objects.create(scope, body, writeOptions(c));
        return jsonResponse(objects.out(scope, r.object), 201, warningHeaders(r.warnings));
      }
      throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
    }

    if (parsed.subresource === 'scale') {
      if (method === 'GET') return jsonResponse(await objects.getScale(scope, name));
      if (method === 'PUT') return jsonResponse(await objects.updateScale(scope, name, await requestBody(c), 'put', writeOptions(c)));
      if (method === 'PATCH') {
        const fmt = bodyFormat(c.req.header('content-type'));
        return jsonResponse(await objects.updateScale(scope, name, await requestBody(c, fmt), fmt, writeOptions(c)));
      }
      throw new MethodNotAllowedError('the server does not allow this method on the requested resource');
    }

    switch (method) {
      case 'GET':
        return respondObject(c, scope, await objects.get(scope, name));
      case 'PUT': {
        const body = await requestBody(c);
        checkBodyName(body, name);
        const r = parsed.subresource === 'status' ? await objects.updateStatus(scope, name, body, writeOptions(c)) : await objects.update(scope, name, body, writeOptions(c));
        return jsonResponse(objects.out(scope, r.object), 200, warningHeaders(r.warnings));
      }
      case 'PATCH': {
        const fmt = bodyFormat(c.req.header('content-type'));
        if (!['strategic', 'merge', 'jsonpatch', 'apply'].includes(fmt)) throw new RollwayError(415, 'UnsupportedMediaType', `the server does not support patches of type ${c.req.header('content-type')}`);
        const body = await requestBody(c, fmt);
        const r = await objects.patch(scope, name, body, fmt, writeOptions(c), parsed.subresource === 'status' ? 'status' : 'main');
        return jsonResponse(objects.out(scope, r.object), r.created ? 201 : 200, warningHeaders(r.warnings));
      }
      case 'DELETE': {
        if (parsed.subresource) throw new MethodNotAllowedError('the server does not allow this method on the requested resource');
        let body: { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string }; dryRun?: string[] } | undefined;
        const raw = await readBody(c.req.raw);
        if (raw.byteLength > 0) body = decodeBody(raw, bodyFormat(c.req.header('content-type'))) as typeof body;
        const r = await objects.delete(scope, name, body, { propagationPolicy: c.req.query('propagationPolicy'), dryRun: (c.req.queries('dryRun') ?? []).includes('All') });
        if (r.finished) {
          return jsonResponse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: resource.group, kind: resource.plural, uid: r.object.metadata.uid } }, 200);
        }
        return jsonResponse(objects.out(scope, r.object), r.status);
      }
      default:
        throw new MethodNotAllowedError('the server does not allow this method on the requested resource');
    }
  }

  function checkBodyName(body: unknown, name: string) {
    const n = (body as KubeObject | undefined)?.metadata?.name;
    if (n !== undefined && n !== name) throw new BadRequestError(`the name of the object (${n}) does not match the name on the URL (${name})`);
  }

  async function requestBody(c: Context, format?: BodyFormat): Promise<unknown> {
    const fmt = format ?? bodyFormat(c.req.header('content-type'));
    if (!format && !['json', 'yaml', 'protobuf'].includes(fmt)) throw new RollwayError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
    return decodeBody(await readBody(c.req.raw), fmt);
  }

  function respondObject(c: Context, scope: RequestScope, obj: KubeObject): Response {
    if (wantsTable(c.req.header('accept'))) {
      return jsonResponse(toTable(scope.resource, [objects.out(scope, obj)], { now: now(), includeObject: includeObject(c), resourceVersion: obj.metadata.resourceVersion }));
    }
    return jsonResponse(objects.out(scope, obj));
  }

  function includeObject(c: Context): 'None' | 'Metadata' | 'Object' {
    const v = c.req.query('includeObject');
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  async function list(c: Context, scope: RequestScope): Promise<Response> {
    const result = await objects.list(scope, {
      labelSelector: c.req.query('labelSelector'),
      fieldSelector: c.req.query('fieldSelector'),
      limit: intQuery(c, 'limit'),
      continueToken: c.req.query('continue') || undefined,
    });
    const items = result.items.map((o) => objects.out(scope, o));
    if (wantsTable(c.req.header('accept'))) {
      return jsonResponse(toTable(scope.resource, items, { now: now(), includeObject: includeObject(c), resourceVersion: result.resourceVersion, continueToken: result.continueToken }));
    }
    return jsonResponse({
      kind: scope.resource.listKind,
      apiVersion: apiVersionOf(scope.resource.group, scope.version),
      metadata: { resourceVersion: result.resourceVersion, ...(result.continueToken ? { continue: result.continueToken } : {}) },
      items: items.map((o) => ({ ...o, apiVersion: apiVersionOf(scope.resource.group, scope.version), kind: scope.resource.kind })),
    });
  }

  async function watch(c: Context, scope: RequestScope): Promise<Response> {
    const labels = parseLabelSelector(c.req.query('labelSelector'));
    const fields = parseFieldSelector(c.req.query('fieldSelector'), scope.resource.kind);
    const rvRaw = c.req.query('resourceVersion') ?? '';
    if (rvRaw !== '' && !/^\d+$/.test(rvRaw)) throw new BadRequestError(`resourceVersion must be a number; got ${JSON.stringify(rvRaw)}`);
    const rv = rvRaw === '' ? 0 : Number(rvRaw);
    const maxWatch = deps.maxWatchSeconds ?? 1800;
    const requested = intQuery(c, 'timeoutSeconds');
    const timeoutSeconds = Math.min(requested ?? Math.floor(maxWatch / 2 + Math.random() * (maxWatch / 2)), maxWatch);
    const table = wantsTable(c.req.header('accept'));
    const stream = watchStream({
      store: objects.store,
      tenant: scope.tenant,
      resource: scope.resource,
      namespace: scope.namespace,
      labels,
      fields,
      resourceVersion: rv,
      sendInitialList: rv === 0,
      timeoutSeconds,
      bookmarks: c.req.query('allowWatchBookmarks') === 'true',
      notifier: deps.notifier,
      now,
      render: (obj, first) => {
        const out = objects.out(scope, obj);
        return table ? toTable(scope.resource, [out], { now: now(), includeObject: includeObject(c), resourceVersion: obj.metadata.resourceVersion, withColumnDefinitions: first }) : out;
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' } });
  }

  return app;
}
