import { Hono } from 'hono';
import type { Runtime } from '../runtime.js';

/**
 * webhookRoutes serves registry webhooks under /webhooks. They authenticate
 * by each source's own scheme (signatures, per-trigger URL tokens), not by a
 * tenant bearer token, so they are mounted before the token check.
 */
export function webhookRoutes(_rt: Runtime): Hono {
  const app = new Hono();
  return app;
}
