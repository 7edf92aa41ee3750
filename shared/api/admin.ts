import { Hono, type Context } from 'hono';
import type { TenantStore } from '../auth/tenants.js';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors.js';
import { kubeconfigYaml } from '../auth/kubeconfig.js';
import { parseJsonText, readBody } from './body.js';

export interface AdminDeps {
  tenants: TenantStore;
  isAdminToken: (token: string) => Promise<boolean>;
  /** CA PEM to embed in generated kubeconfigs (the local stack's own CA). */
  caPem?: string;
  /** Public URL of the API; defaults to the origin the request came to. */
  publicUrl?: string;
  /** Runs after a tenant is created (creates its default namespace and nodes). */
  onTenantCreated?: (tenant: string) => Promise<void>;
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const raw = await readBody(c.req.raw);
  if (raw.byteLength === 0) return {};
  const v = parseJsonText(new TextDecoder().decode(raw));
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new BadRequestError('the request body must be a JSON object');
  return v as Record<string, unknown>;
}

/**
 * adminRoutes serves tenant administration, authorised by the admin bootstrap
 * token only: tenants' tokens get 403 here.
 */
export function adminRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const h = c.req.header('authorization');
    const m = h ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
    if (!m) throw new UnauthorizedError();
    const token = m[1].trim();
    if (await deps.isAdminToken(token)) return next();
    if (await deps.tenants.resolve(token)) throw new ForbiddenError('a tenant token may not use the admin API');
    throw new UnauthorizedError();
  });

  const server = (c: Context) => deps.publicUrl ?? new URL(c.req.url).origin;

  app.post('/tenants', async (c) => {
    const body = await jsonBody(c);
    const nodeMode = body.nodeMode === undefined ? 'simulated' : body.nodeMode;
    if (nodeMode !== 'simulated' && nodeMode !== 'agent') throw new BadRequestError('nodeMode must be "simulated" or "agent"');
    const { tenant, token, tokenId } = await deps.tenants.createTenant(body.name as string, nodeMode);
    await deps.onTenantCreated?.(tenant.name);
    const kubeconfig = kubeconfigYaml({ server: server(c), tenant: tenant.name, token, caPem: deps.caPem });
    return c.json({ name: tenant.name, nodeMode: tenant.nodeMode, createdAt: tenant.createdAt, token, tokenId, kubeconfig }, 201);
  });

  app.get('/tenants/:name', async (c) => {
    const t = await deps.tenants.getTenant(c.req.param('name'));
    if (!t) throw new NotFoundError('tenants', 'admin.rollway.dev', c.req.param('name'));
    return c.json(t);
  });

  app.patch('/tenants/:name', async (c) => {
    const body = await jsonBody(c);
    if (body.nodeMode !== 'simulated' && body.nodeMode !== 'agent') throw new BadRequestError('nodeMode must be "simulated" or "agent"');
    return c.json(await deps.tenants.setNodeMode(c.req.param('name'), body.nodeMode));
  });

  app.get('/tenants/:name/tokens', async (c) => {
    if (!(await deps.tenants.getTenant(c.req.param('name')))) throw new NotFoundError('tenants', 'admin.rollway.dev', c.req.param('name'));
    return c.json({ items: await deps.tenants.listTokens(c.req.param('name')) });
  });

  app.post('/tenants/:name/tokens', async (c) => {
    const body = await jsonBody(c);
    const { token, id } = await deps.tenants.issueToken(c.req.param('name'), typeof body.description === 'string' ? body.description : undefined);
    const kubeconfig = kubeconfigYaml({ server: server(c), tenant: c.req.param('name'), token, caPem: deps.caPem });
    return c.json({ id, token, kubeconfig }, 201);
  });

  app.delete('/tenants/:name/tokens/:id', async (c) => {
    await deps.tenants.revokeToken(c.req.param('name'), c.req.param('id'));
    return c.json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
  });

  return app;
}
