import { readBody } from '../api/body.js';
/**
 * handleDelivery: one registry webhook delivery, from raw request to
 * response. Order: rate limit (429), size (413), trigger lookup and URL
 * token (401), the source's own check (401), payload shape (400), delivery
 * dedupe (200 duplicate), policy (200 with a reason), digest dedupe, then the
 * image is set on the Deployment as `kubectl set image` does (202).
 *
 * Authentication failures all answer the same 401 whether the tenant or
 * trigger exists or not, and change nothing.
 */
import { createHash } from 'node:crypto';
import { resources } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import type { Runtime } from '../runtime.js';
import { BadRequestError, ConflictError, RollwayError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import { rfc3339 } from '../store/object-store.js';
import { log } from '../logger.js';
import { parsers, PayloadError, type Headers, type ParsedDelivery } from './sources/index.js';
import type { ImageTriggerSource } from '../schemas/image-trigger.js';
import { safeEqual, verifyGitHubSignature, verifyHeaderSecret, verifyRollwaySignature, type VerifyResult } from './verify.js';
import { decide } from './policy.js';
import { claim, deliveryKey, release } from './deliveries.js';
import { imageTriggers, urlTokenOf } from './trigger-reconciler.js';
import type { TokenBucketLimiter } from './rate-limit.js';

/** Webhook bodies above this are refused with 413. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export const UNAUTHORIZED_MESSAGE = 'the webhook URL token or signature is not valid';

const deployments = resources.find((r) => r.plural === 'deployments')!;
const secrets = resources.find((r) => r.plural === 'secrets')!;

const TENANT_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAME_RE = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{16,128}$/;
/** Compared against when no trigger is found, so the two paths cost the same. */
const DUMMY_TOKEN = 'x'.repeat(32);

export interface DeliveryParams {
  tenant: string;
  namespace: string;
  trigger: string;
  urlToken: string;
}

export interface DeliveryResponse {
  status: number;
  body: { outcome: 'accepted' | 'duplicate' | 'rejected' | 'unchanged' | 'ignored' | 'failed'; reason?: string; image?: string; deliveryId?: string };
}

const unauthorized = () => new UnauthorizedError(UNAUTHORIZED_MESSAGE);

async function secretValue(rt: Runtime, tenant: string, namespace: string, ref: { name?: string; key?: string } | undefined): Promise<string | undefined> {
  if (!ref?.name || !ref.key) return undefined;
  const s = await rt.store.get(tenant, secrets, namespace, ref.name);
  const b64 = (s?.data as Record<string, string> | undefined)?.[ref.key];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

/** verifySource runs the source's own check after the URL token matched. */
export function verifySource(source: ImageTriggerSource, body: string, headers: Headers, secret: string | undefined, nowSeconds: number): VerifyResult {
  switch (source) {
    case 'dockerhub':
    case 'quay':
      return { ok: true }; // they sign nothing: the URL token is the authentication
    case 'generic':
      return secret === undefined ? { ok: false, why: 'secret missing' } : verifyRollwaySignature(headers['x-rollway-signature'], body, secret, nowSeconds);
    case 'github':
      return secret === undefined ? { ok: false, why: 'secret missing' } : verifyGitHubSignature(headers['x-hub-signature-256'], body, secret);
    case 'ecr':
    case 'harbor':
      return secret === undefined ? { ok: false, why: 'secret missing' } : verifyHeaderSecret(headers['authorization'], secret);
  }
}

/** readLimited reads a webhook body, refusing more than `limit` bytes without buffering it. */
export async function readLimited(req: Request, limit = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  const body = await readBody(req, limit, () => new RollwayError(413, 'RequestEntityTooLarge', `the webhook body is larger than the limit of ${limit} bytes`));
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

async function setTriggerStatus(rt: Runtime, tenant: string, t: KubeObject, patch: Record<string, unknown>): Promise<void> {
  let cur: KubeObject | undefined = t;
  for (let i = 0; i < 5 && cur; i++) {
    try {
      await rt.store.update(tenant, imageTriggers, { ...cur, status: { ...(cur.status ?? {}), ...patch } }, cur);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      cur = await rt.store.get(tenant, imageTriggers, t.metadata.namespace, t.metadata.name);
    }
  }
}

export async function handleDelivery(rt: Runtime, limiter: TokenBucketLimiter, p: DeliveryParams, req: Request): Promise<DeliveryResponse> {
  const pathOk = TENANT_RE.test(p.tenant) && NAME_RE.test(p.namespace) && NAME_RE.test(p.trigger) && TOKEN_RE.test(p.urlToken);
  const rate = limiter.take(pathOk ? p.tenant : '<invalid>', rt.now());
  if (!rate.ok) throw new TooManyRequestsError(`too many webhook deliveries for this tenant; retry after ${rate.retryAfterSeconds}s`, rate.retryAfterSeconds);
  const raw = await readLimited(req);
  if (!pathOk) throw unauthorized();

  const trigger = await rt.store.get(p.tenant, imageTriggers, p.namespace, p.trigger);
  const expected = trigger ? urlTokenOf(trigger) : undefined;
  const tokenOk = safeEqual(p.urlToken, expected ?? DUMMY_TOKEN) && expected !== undefined;
  if (!trigger || !tokenOk || trigger.metadata.deletionTimestamp) throw unauthorized();

  const spec = trigger.spec as { deploymentName: string; containerName: string; source: ImageTriggerSource; repository: string; tagPolicy?: { type?: string; value?: string }; secretRef?: { name: string; key: string } };
  const object = `imagetriggers/${p.namespace}/${p.trigger}`;
  const headers: Headers = {};
  req.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
  const body = raw.toString('utf8');
  const secret = await secretValue(rt, p.tenant, p.namespace, spec.secretRef);
  const check = verifySource(spec.source, body, headers, secret, Math.floor(rt.now() / 1000));
  if (!check.ok) {
    log.warn('webhook delivery refused', { tenant: p.tenant, object, source: spec.source, why: check.why });
    throw unauthorized();
  }

  let parsed: ParsedDelivery;
  try {
    parsed = parsers[spec.source](body, headers);
  } catch (err) {
    if (err instanceof PayloadError) throw new BadRequestError(`${spec.source} webhook: ${err.message}`);
    throw err;
  }
  const deliveryId = parsed.deliveryId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  if (parsed.ignore) return { status: 200, body: { outcome: 'ignored', reason: parsed.ignore, deliveryId } };

  const dKey = deliveryKey(p.tenant, p.namespace, p.trigger, 'd', deliveryId);
  if (!(await claim(rt, dKey, { receivedAt: rt.now() }))) {
    log.info('webhook delivery duplicate', { tenant: p.tenant, object, deliveryId });
    return { status: 200, body: { outcome: 'duplicate', reason: 'this delivery was already received', deliveryId } };
  }
  const receivedAt = rfc3339(rt.now());
  let digestKey: { pk: string; sk: string } | undefined;
  try {
    const dep = await rt.store.get(p.tenant, deployments, p.namespace, spec.deploymentName);
    const container = (dep?.spec?.template?.spec?.containers as Array<{ name: string; image?: string }> | undefined)?.find((c) => c.name === spec.containerName);
    if (!dep || !container) {
      const reason = !dep ? `deployment ${spec.deploymentName} not found` : `deployment ${spec.deploymentName} has no container ${spec.containerName}`;
      await setTriggerStatus(rt, p.tenant, trigger, { lastDelivery: { id: deliveryId, receivedAt, image: '' }, lastResult: { outcome: 'failed', reason } });
      return { status: 200, body: { outcome: 'failed', reason, deliveryId } };
    }
    const d = decide(spec, parsed.images, container.image);
    if (d.outcome !== 'accepted') {
      const image = d.outcome === 'unchanged' ? d.image : parsed.images.map((i) => `${i.repository}:${i.tag}`).join(',');
      await setTriggerStatus(rt, p.tenant, trigger, { lastDelivery: { id: deliveryId, receivedAt, image }, lastResult: { outcome: d.outcome, reason: d.reason } });
      log.info('webhook delivery not applied', { tenant: p.tenant, object, deliveryId, outcome: d.outcome, reason: d.reason });
      return { status: 200, body: { outcome: d.outcome, reason: d.reason, deliveryId } };
    }
    const digest = d.ref.digest ?? parsed.digest;
    if (digest) {
      digestKey = deliveryKey(p.tenant, p.namespace, p.trigger, 'digest', digest);
      if (!(await claim(rt, digestKey, { image: d.image }))) {
        digestKey = undefined;
        const reason = `digest ${digest} was already rolled out by this trigger`;
        await setTriggerStatus(rt, p.tenant, trigger, { lastDelivery: { id: deliveryId, receivedAt, image: d.image }, lastResult: { outcome: 'duplicate', reason } });
        return { status: 200, body: { outcome: 'duplicate', reason, deliveryId } };
      }
    }
    const changeCause = `image-trigger ${p.trigger}: ${d.image} (${spec.source} delivery ${deliveryId})`;
    // What `kubectl set image deployment/<d> <c>=<image>` sends, plus the change-cause annotation.
    const patch = {
      metadata: { annotations: { 'kubernetes.io/change-cause': changeCause } },
      spec: { template: { spec: { containers: [{ name: spec.containerName, image: d.image }] } } },
    };
    await rt.objects.patch({ tenant: p.tenant, resource: deployments, version: 'v1', namespace: p.namespace }, spec.deploymentName, patch, 'strategic', {
      dryRun: false,
      fieldValidation: 'Strict',
      fieldManager: 'rollway-image-trigger',
    });
    await setTriggerStatus(rt, p.tenant, trigger, { lastDelivery: { id: deliveryId, receivedAt, image: d.image }, lastResult: { outcome: 'accepted', reason: `set ${spec.containerName} to ${d.image}` } });
    log.info('webhook delivery applied', { tenant: p.tenant, object, deliveryId, image: d.image, source: spec.source });
    return { status: 202, body: { outcome: 'accepted', image: d.image, deliveryId } };
  } catch (err) {
    // Our failure, not the sender's: forget the delivery so the registry's retry is acted on.
    await release(rt, dKey).catch(() => undefined);
    if (digestKey) await release(rt, digestKey).catch(() => undefined);
    throw err;
  }
}
