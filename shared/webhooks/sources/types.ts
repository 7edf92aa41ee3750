/**
 * What every registry payload parser returns: the images a delivery
 * announces, the registry's delivery id when it sends one, or a typed error.
 * Parsers are pure: raw body and (lower-cased) headers in, no I/O.
 */

/** ImageRef is one pushed image: repository (registry host and path), tag, optional digest. */
export interface ImageRef {
  repository: string;
  tag: string;
  digest?: string;
}

export interface ParsedDelivery {
  images: ImageRef[];
  /** The registry's delivery id (GitHub X-GitHub-Delivery, EventBridge id, CloudEvents id). */
  deliveryId?: string;
  /** The digest of the pushed manifest, when the payload carries one. */
  digest?: string;
  /** Set when the delivery is valid but announces nothing to act on (ping, untagged manifest, DELETE). */
  ignore?: string;
}

/** PayloadError: the body is not the shape this source sends (400, naming what was expected). */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

export type Headers = Record<string, string | undefined>;
export type SourceParser = (body: string, headers: Headers) => ParsedDelivery;

type Obj = Record<string, any>;

/** parseJsonObject parses a body that must be a JSON object. */
export function parseJsonObject(body: string, expected: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new PayloadError(`the body is not valid JSON; expected ${expected}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PayloadError(`the body is not a JSON object; expected ${expected}`);
  return v as Obj;
}

export const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const digestRe = /^sha256:[a-f0-9]{64}$/;
export const isDigest = (v: unknown): v is string => typeof v === 'string' && digestRe.test(v);

/**
 * splitImage splits "host/path:tag@sha256:…" into repository, tag and digest.
 * The tag separator is the last ':' after the last '/', so a registry port is kept.
 */
export function splitImage(ref: string): { repository: string; tag?: string; digest?: string } {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

/** A tag as the distribution spec allows: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. */
export const tagRe = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
