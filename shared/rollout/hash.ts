/**
 * The pod-template-hash: a short, deterministic name suffix for the
 * ReplicaSet of one pod template.
 *
 * Upstream feeds Go's sorted deep dump of the template to FNV-1a/32; we feed
 * our canonical JSON (template.ts) instead, so values differ from a real
 * cluster's but keep the same properties: deterministic, sensitive to every
 * semantic change of the template and to collisionCount, 1–10 characters of
 * the "safe" alphabet.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go (ComputeHash)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/rand/rand.go (SafeEncodeString)
 */
import type { PodTemplateSpec } from '../k8s/types.js';
import { canonicalJson } from './template.js';

/** safeAlphabet has no vowels (no accidental words) and no look-alikes (0/o, 1/l). */
export const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** fnv1a32 hashes bytes with 32-bit FNV-1a, continuing from `seed` (the offset basis by default). */
export function fnv1a32(bytes: Uint8Array, seed: number = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * safeEncodeString maps every character to the safe alphabet by its code
 * modulo 27. For decimal digits: 0→4 1→5 2→6 3→7 4→8 5→9 6→b 7→c 8→d 9→f.
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += safeAlphabet[ch.codePointAt(0)! % safeAlphabet.length];
  return out;
}

/**
 * computePodTemplateHash returns the pod-template-hash of a template. With a
 * collisionCount, 8 more bytes are hashed: the count as a little-endian
 * uint32 followed by 4 zero bytes, so each bump yields a new name.
 */
export function computePodTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(extra, h);
  }
  return safeEncodeString(String(h));
}
