/**
 * canonicalJson serialises a value with sorted keys and with null, undefined,
 * empty objects and empty arrays dropped, so two objects that Kubernetes would
 * consider the same (key order, `null` vs missing vs `{}`) serialise alike.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? 'null';
}

function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v));
    return items.length === 0 ? undefined : items.map((v) => (v === undefined ? null : v));
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** semanticEqual compares two values as canonicalJson does. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
