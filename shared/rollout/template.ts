/**
 * Semantic equality of pod templates, ignoring the pod-template-hash label.
 *
 * Upstream compares Go structs with apimachinery's semantic DeepEqual, where a
 * nil map equals an empty one. Over JSON we go a step further and treat null,
 * a missing key, `{}` and `[]` alike, and ignore key order.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (EqualIgnoreHash)
 */
import type { PodTemplateSpec } from '../k8s/types.js';
import { DefaultDeploymentUniqueLabelKey } from './annotations.js';

/**
 * canonicalize returns a copy of a JSON value with object keys sorted and
 * every null, undefined, empty object and empty array removed (after their
 * own children were pruned). Returns undefined when nothing is left.
 */
export function canonicalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalize(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = canonicalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/** canonicalJson is the deterministic serialization of canonicalize(value) ('' when empty). */
export function canonicalJson(value: unknown): string {
  const c = canonicalize(value);
  return c === undefined ? '' : JSON.stringify(c);
}

/** withoutHashLabel returns the template with metadata.labels['pod-template-hash'] removed. */
export function withoutHashLabel(t: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!t?.metadata?.labels || !(DefaultDeploymentUniqueLabelKey in t.metadata.labels)) return t;
  const labels = { ...t.metadata.labels };
  delete labels[DefaultDeploymentUniqueLabelKey];
  return { ...t, metadata: { ...t.metadata, labels } };
}

/**
 * templatesEqualIgnoringHash returns true when the two templates are
 * semantically equal once the pod-template-hash label is dropped from both.
 */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}
