/**
 * The ImageTrigger controller: gives every trigger its webhook URL. A new
 * trigger gets a random URL token (192 bits) and `status.endpointURL`
 * `/webhooks/<tenant>/<namespace>/<name>/<token>`; bumping the annotation
 * `rollway.dev/rotate-token` (any new value) replaces the token, and the old
 * URL stops working at once.
 */
import { randomBytes } from 'node:crypto';
import { resources } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import type { Runtime } from '../runtime.js';
import { log } from '../logger.js';

export const RotateTokenAnnotation = 'rollway.dev/rotate-token';
export const imageTriggers = resources.find((r) => r.plural === 'imagetriggers')!;

/** newUrlToken makes a URL token: 24 random bytes, base64url (192 bits). */
export function newUrlToken(): string {
  return randomBytes(24).toString('base64url');
}

export function endpointPath(tenant: string, namespace: string, name: string, token: string): string {
  return `/webhooks/${tenant}/${namespace}/${name}/${token}`;
}

/** urlTokenOf reads the token back out of status.endpointURL. */
export function urlTokenOf(t: KubeObject): string | undefined {
  const url: unknown = t.status?.endpointURL;
  if (typeof url !== 'string') return undefined;
  const token = url.slice(url.lastIndexOf('/') + 1);
  return token.length >= 22 ? token : undefined;
}

/** needsToken says whether a trigger lacks a token or asks for a rotation (pure; the resync index uses it too). */
export function needsToken(t: KubeObject): boolean {
  const wanted = t.metadata.annotations?.[RotateTokenAnnotation] ?? '';
  return !urlTokenOf(t) || (t.status?.observedRotation ?? '') !== wanted;
}

export async function reconcileImageTrigger(rt: Runtime, tenant: string, namespace: string, name: string): Promise<{ requeueAfterMs?: number }> {
  const t = await rt.store.get(tenant, imageTriggers, namespace, name);
  if (!t || t.metadata.deletionTimestamp || !needsToken(t)) return {};
  const rotation = t.metadata.annotations?.[RotateTokenAnnotation] ?? '';
  const rotating = Boolean(urlTokenOf(t));
  const status = { ...(t.status ?? {}), endpointURL: endpointPath(tenant, namespace, name, newUrlToken()), observedRotation: rotation };
  await rt.store.update(tenant, imageTriggers, { ...t, status }, t);
  log.info(rotating ? 'image trigger token rotated' : 'image trigger token issued', { tenant, object: `imagetriggers/${namespace}/${name}` });
  return {};
}
