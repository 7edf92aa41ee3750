import { streamHandle } from 'hono/aws-lambda';
import { createApp } from '../../shared/api/app.js';
import { isAdminTokenFromSecret, lambdaRuntime } from '../../shared/aws-runtime.js';
import { webhookRoutes } from '../../shared/webhooks/routes.js';

/**
 * The API function: the Hono app behind a Lambda function URL with response
 * streaming, so a watch is a long-lived streamed response. Lambda caps a
 * streamed invocation at 15 minutes; watches are capped below that and
 * clients resume from their last resourceVersion.
 */
const rt = lambdaRuntime();
export const app = createApp({
  objects: rt.objects,
  tenants: rt.tenants,
  isAdminToken: isAdminTokenFromSecret,
  now: rt.now,
  maxWatchSeconds: 600,
  onTenantCreated: (t) => rt.setupTenant(t),
  publicRoutes: { '/webhooks': webhookRoutes(rt) },
});
export const handler = streamHandle(app);
