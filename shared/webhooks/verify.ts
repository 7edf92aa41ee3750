/**
 * Signature and secret checks of inbound webhooks, and the signature of
 * outbound notifications. Pure; every comparison is constant time over
 * equal-length SHA-256 digests, so neither length nor content leaks.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Generic signatures older or newer than this (seconds) are refused, bounding replays. */
export const SIGNATURE_WINDOW_SECONDS = 300;

const sha256 = (v: string | Buffer) => createHash('sha256').update(v).digest();

/** safeEqual compares two strings in constant time (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** hmacHex is HMAC-SHA256 of `data` keyed by `secret`, hex. */
export function hmacHex(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/** signBody returns the `X-Rollway-Signature` value of a body: `t=<unix>,v1=<hex HMAC of "<t>.<body>">`. */
export function signBody(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

export type VerifyResult = { ok: true } | { ok: false; why: string };

/**
 * verifyRollwaySignature checks `t=<unix>,v1=<hex>` (one or more v1 values,
 * so a sender can sign with an old and a new secret while rotating) against
 * the raw body, within ±SIGNATURE_WINDOW_SECONDS of `nowSeconds`.
 */
export function verifyRollwaySignature(header: string | undefined, body: string, secret: string, nowSeconds: number, windowSeconds = SIGNATURE_WINDOW_SECONDS): VerifyResult {
  if (!header) return { ok: false, why: 'missing signature' };
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1') sigs.push(v);
  }
  if (t === undefined || !sigs.length) return { ok: false, why: 'malformed signature' };
  if (Math.abs(nowSeconds - t) > windowSeconds) return { ok: false, why: 'signature timestamp outside the allowed window' };
  const expected = hmacHex(secret, `${t}.${body}`);
  let match = false;
  for (const s of sigs) match = safeEqual(s.toLowerCase(), expected) || match;
  return match ? { ok: true } : { ok: false, why: 'signature mismatch' };
}

/** verifyGitHubSignature checks `X-Hub-Signature-256: sha256=<hex HMAC of the raw body>`; the SHA-1 header is never accepted. */
export function verifyGitHubSignature(header: string | undefined, body: string, secret: string): VerifyResult {
  if (!header || !header.startsWith('sha256=')) return { ok: false, why: 'missing X-Hub-Signature-256' };
  return safeEqual(header.slice('sha256='.length).toLowerCase(), hmacHex(secret, body)) ? { ok: true } : { ok: false, why: 'signature mismatch' };
}

/** verifyHeaderSecret checks a static header value (Harbor's Auth Header, an EventBridge Connection's API key). */
export function verifyHeaderSecret(value: string | undefined, secret: string): VerifyResult {
  if (value === undefined || value === '') return { ok: false, why: 'missing Authorization header' };
  return safeEqual(value, secret) ? { ok: true } : { ok: false, why: 'header secret mismatch' };
}
