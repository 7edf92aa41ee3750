import { Hono } from 'hono';
import type { Runtime } from '../runtime.js';
import { RollwayError, statusBody } from '../errors.js';
import { log, errorFields } from '../logger.js';
import { handleDelivery } from './handle.js';
import { webhookLimiter, type TokenBucketLimiter } from './rate-limit.js';

/**
 * webhookRoutes serves registry webhooks under /webhooks. They authenticate
 * by each source's own scheme (signatures, per-trigger URL tokens), not by a
 * tenant bearer token, so they are mounted before the token check.
 *
 * POST /webhooks/:tenant/:namespace/:trigger/:urlToken (see handle.ts).
 */
export function webhookRoutes(rt: Runtime, limiter: TokenBucketLimiter = webhookLimiter): Hono {
  const app = new Hono();
  app.onError((err) => {
    const { code, body } = statusBody(err);
    if (code >= 500) log.error('webhook delivery failed', errorFields(err));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (err instanceof RollwayError && err.details?.retryAfterSeconds) headers['retry-after'] = String(err.details.retryAfterSeconds);
    return new Response(JSON.stringify(body), { status: code, headers });
  });
  app.post('/:tenant/:namespace/:trigger/:urlToken', async (c) => {
    const { tenant, namespace, trigger, urlToken } = c.req.param();
    const r = await handleDelivery(rt, limiter, { tenant, namespace, trigger, urlToken }, c.req.raw);
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
  });
  app.all('*', () => {
    const { code, body } = statusBody(new RollwayError(404, 'NotFound', 'the server could not find the requested resource'));
    return new Response(JSON.stringify(body), { status: code, headers: { 'content-type': 'application/json' } });
  });
  return app;
}
