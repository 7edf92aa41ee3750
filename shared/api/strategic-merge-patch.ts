/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as the
 * Kubernetes API server applies it, for the kinds Rollway serves.
 *
 * Go reads each field's strategy from struct tags (`patchStrategy`,
 * `patchMergeKey`). Rollway has no Go types, so the strategies live in a table
 * keyed by the field's JSON path from the object root, `[]` standing for "any
 * element of this list" (`spec.template.spec.containers[].ports`). A list not in
 * the table is atomic: the patch replaces it. Unknown kinds have an empty table,
 * which is plain JSON merge patch semantics.
 *
 * Semantics (apimachinery `pkg/util/strategicpatch`, server side):
 * - `null` deletes a key; maps merge recursively; scalars replace.
 * - Lists with a merge key merge element-wise: a patch element updates the
 *   original element with the same key, or is appended.
 * - Lists of primitives declared `set` are unioned; other lists are replaced.
 * - Directives: `$patch: replace|delete|merge` on a map or as a list element,
 *   `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
 *   None of them ever reaches the output.
 *
 * Deliberate differences from the Go code: a map that is new to the original
 * is still walked, so directives and nulls inside it never leak; a list element
 * `{"$patch":"merge"}` is accepted as a no-op instead of rejected; and
 * `$setElementOrder` puts the listed elements first, in the given order, with
 * the rest after them in their merged order (Go interleaves server-only items
 * by their live position).
 */
import { BadRequestError } from '../errors.js';

type JsonMap = Record<string, unknown>;

/** PatchRule is the strategy of one field. */
export type PatchRule =
  /** A list of maps merged element by element on `mergeKey`. */
  | { strategy: 'merge'; mergeKey: string }
  /** A list of primitives merged as a set (union, original order first). */
  | { strategy: 'set' }
  /** A list replaced as a whole. Also the default for lists not in the table. */
  | { strategy: 'atomic' }
  /**
   * A map whose patches carry `$retainKeys` (one-of fields such as a volume
   * source or a deployment strategy). Applying honours `$retainKeys` wherever it
   * appears, as the API server does; the mark records where kubectl emits it.
   */
  | { strategy: 'retainKeys' };

/** PatchRules maps a JSON path from the object root to its rule. */
export type PatchRules = ReadonlyMap<string, PatchRule>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

const merge = (mergeKey: string): PatchRule => ({ strategy: 'merge', mergeKey });
const set: PatchRule = { strategy: 'set' };
const atomic: PatchRule = { strategy: 'atomic' };
const retainKeys: PatchRule = { strategy: 'retainKeys' };

function at(prefix: string, rules: Record<string, PatchRule>): Record<string, PatchRule> {
  const out: Record<string, PatchRule> = {};
  for (const [path, rule] of Object.entries(rules)) out[prefix ? `${prefix}.${path}` : path] = rule;
  return out;
}

/** ObjectMeta. */
const objectMeta: Record<string, PatchRule> = {
  ownerReferences: merge('uid'),
  finalizers: set,
};

/** Container, EphemeralContainer. */
const container: Record<string, PatchRule> = {
  ports: merge('containerPort'),
  env: merge('name'),
  envFrom: atomic,
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
  resizePolicy: atomic,
};

/** PodSpec. */
const podSpec: Record<string, PatchRule> = {
  containers: merge('name'),
  ...at('containers[]', container),
  initContainers: merge('name'),
  ...at('initContainers[]', container),
  ephemeralContainers: merge('name'),
  ...at('ephemeralContainers[]', container),
  volumes: merge('name'),
  'volumes[]': retainKeys,
  imagePullSecrets: merge('name'),
  hostAliases: merge('ip'),
  tolerations: atomic,
  topologySpreadConstraints: merge('topologyKey'),
  schedulingGates: merge('name'),
  resourceClaims: merge('name'),
  'resourceClaims[]': retainKeys,
  readinessGates: atomic,
};

const conditionsByType: Record<string, PatchRule> = { 'status.conditions': merge('type') };

function rules(...parts: Array<Record<string, PatchRule>>): PatchRules {
  return new Map(parts.flatMap((p) => Object.entries(p)));
}

const podTemplateAt = (prefix: string) => ({ ...at(`${prefix}.metadata`, objectMeta), ...at(`${prefix}.spec`, podSpec) });

/** patchRulesByKind is the strategy table for every kind Rollway serves. */
export const patchRulesByKind: ReadonlyMap<string, PatchRules> = new Map<string, PatchRules>([
  ['Deployment', rules(at('metadata', objectMeta), podTemplateAt('spec.template'), { 'spec.strategy': retainKeys }, conditionsByType)],
  ['ReplicaSet', rules(at('metadata', objectMeta), podTemplateAt('spec.template'), conditionsByType)],
  ['Pod', rules(at('metadata', objectMeta), at('spec', podSpec), conditionsByType, { 'status.podIPs': merge('ip'), 'status.hostIPs': merge('ip') })],
  ['Namespace', rules(at('metadata', objectMeta), conditionsByType)],
  ['Secret', rules(at('metadata', objectMeta))],
  ['ConfigMap', rules(at('metadata', objectMeta))],
  ['Event', rules(at('metadata', objectMeta))],
  ['Node', rules(at('metadata', objectMeta), conditionsByType, { 'spec.podCIDRs': set, 'spec.taints': atomic, 'status.addresses': merge('type') })],
  ['Service', rules(at('metadata', objectMeta), conditionsByType, { 'spec.ports': merge('port') })],
  ['Endpoints', rules(at('metadata', objectMeta), { subsets: atomic })],
]);

const noRules: PatchRules = new Map();

/**
 * applyStrategicMergePatch returns `original` with `patch` applied as a
 * strategic merge patch for `kind`. Neither argument is modified. A malformed
 * patch throws BadRequestError.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, kind: string): unknown {
  if (!isMap(patch)) {
    throw new BadRequestError(`invalid strategic merge patch: the patch must be a JSON object, got ${describe(patch)}`);
  }
  const base = isMap(original) ? structuredClone(original) : {};
  return new Merger(patchRulesByKind.get(kind) ?? noRules).mergeMap(base, patch, '');
}

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPrimitive(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function isDirectiveKey(k: string): boolean {
  return k.startsWith('$');
}

function bad(path: string, message: string): BadRequestError {
  return new BadRequestError(`invalid strategic merge patch${path ? ` at ${path.replace(/\[\]/g, '[*]')}` : ''}: ${message}`);
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

class Merger {
  constructor(private readonly rules: PatchRules) {}

  /** mergeMap merges `patch` into `original`, which it owns and may modify. */
  mergeMap(original: JsonMap, patch: JsonMap, path: string): JsonMap {
    if (DIRECTIVE in patch) {
      const directive = patch[DIRECTIVE];
      if (directive === 'delete') return {};
      if (directive === 'replace') {
        const { [DIRECTIVE]: _, ...rest } = patch;
        return this.mergeMap({}, rest, path);
      }
      if (directive !== 'merge') throw bad(path, `unknown $patch directive ${JSON.stringify(directive)} (want replace, delete or merge)`);
    }

    if (RETAIN_KEYS in patch) this.retainKeys(original, patch, path);

    for (const [key, value] of Object.entries(patch)) {
      if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      if (!field) throw bad(path, `${key} names no list`);
      if (!Array.isArray(value) || !value.every((v) => isPrimitive(v))) {
        throw bad(path, `${key} must be a list of primitives`);
      }
      const current = original[field];
      if (Array.isArray(current)) original[field] = current.filter((v) => !value.includes(v as never));
    }

    for (const [key, value] of Object.entries(patch)) {
      if (isDirectiveKey(key)) {
        if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
        throw bad(path, `unknown directive ${JSON.stringify(key)}`);
      }
      const fieldPath = child(path, key);
      const current = original[key];
      if (value === null) delete original[key];
      else if (isMap(value)) original[key] = this.mergeMap(isMap(current) ? current : {}, value, fieldPath);
      else if (Array.isArray(value)) original[key] = this.mergeList(Array.isArray(current) ? current : [], value, fieldPath);
      else original[key] = value;
    }

    for (const [key, order] of Object.entries(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const field = key.slice(SET_ELEMENT_ORDER.length);
      if (!field) throw bad(path, `${key} names no list`);
      if (!Array.isArray(order)) throw bad(path, `${key} must be a list`);
      const current = original[field];
      original[field] = this.reorder(current, order, child(path, field), key);
      if (current === undefined) delete original[field];
    }
    return original;
  }

  /** retainKeys drops every key of `original` that `$retainKeys` does not list. */
  private retainKeys(original: JsonMap, patch: JsonMap, path: string): void {
    const keep = patch[RETAIN_KEYS];
    if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
      throw bad(path, '$retainKeys must be a list of field names');
    }
    for (const [key, value] of Object.entries(patch)) {
      if (isDirectiveKey(key) || value === null) continue;
      if (!keep.includes(key)) throw bad(path, `field ${JSON.stringify(key)} is set by the patch but missing from $retainKeys`);
    }
    for (const key of Object.keys(original)) {
      if (!keep.includes(key)) delete original[key];
    }
  }

  /** mergeList merges the patch list into `original` (owned) by the rule of `path`. */
  private mergeList(original: unknown[], patch: unknown[], path: string): unknown[] {
    const rule = this.rules.get(path);
    if (rule?.strategy === 'merge') return this.mergeKeyedList(original, patch, path, rule.mergeKey);
    if (rule?.strategy === 'set') {
      const out: unknown[] = [];
      for (const v of [...original, ...patch]) {
        if (!isPrimitive(v)) throw bad(path, `list elements must be primitives, got ${describe(v)}`);
        if (!out.includes(v)) out.push(v);
      }
      return out;
    }
    return this.replaceList(patch, path);
  }

  private mergeKeyedList(original: unknown[], patch: unknown[], path: string, mergeKey: string): unknown[] {
    const elementPath = `${path}[]`;
    let result = original;
    let replace = false;
    const updates: JsonMap[] = [];
    for (const element of patch) {
      if (!isMap(element)) throw bad(path, `list elements must be objects with the merge key ${JSON.stringify(mergeKey)}, got ${describe(element)}`);
      const hasKey = element[mergeKey] !== undefined && element[mergeKey] !== null;
      if (DIRECTIVE in element) {
        const directive = element[DIRECTIVE];
        if (directive === 'replace') {
          replace = true;
        } else if (directive === 'delete') {
          if (!hasKey) throw bad(path, `$patch: delete element has no merge key ${JSON.stringify(mergeKey)}: ${JSON.stringify(element)}`);
          result = result.filter((o) => !(isMap(o) && o[mergeKey] === element[mergeKey]));
        } else if (directive !== 'merge') {
          throw bad(path, `unknown $patch directive ${JSON.stringify(directive)} (want replace, delete or merge)`);
        }
        continue;
      }
      if (!hasKey) throw bad(path, `list element has no merge key ${JSON.stringify(mergeKey)}: ${JSON.stringify(element)}`);
      updates.push(element);
    }
    if (replace) result = [];
    for (const update of updates) {
      const i = result.findIndex((o) => isMap(o) && o[mergeKey] === update[mergeKey]);
      if (i >= 0) result[i] = this.mergeMap(result[i] as JsonMap, update, elementPath);
      else result.push(this.mergeMap({}, update, elementPath));
    }
    return result;
  }

  /** replaceList returns an atomic list's new value, with directives processed in its maps. */
  private replaceList(patch: unknown[], path: string): unknown[] {
    const elementPath = `${path}[]`;
    const out: unknown[] = [];
    for (const element of patch) {
      if (isMap(element)) {
        const directive = element[DIRECTIVE];
        if (directive === 'delete') continue;
        if ((directive === 'replace' || directive === 'merge') && Object.keys(element).length === 1) continue;
        out.push(this.mergeMap({}, element, elementPath));
      } else if (Array.isArray(element)) {
        out.push(this.replaceList(element, elementPath));
      } else {
        out.push(element);
      }
    }
    return out;
  }

  /**
   * reorder applies `$setElementOrder/<list>`: the elements named by `order`
   * come first in that order, the others follow in their current order.
   */
  private reorder(list: unknown, order: unknown[], path: string, directive: string): unknown {
    const rule = this.rules.get(path);
    let identity: (v: unknown) => unknown;
    if (rule?.strategy === 'merge') {
      const mergeKey = rule.mergeKey;
      for (const o of order) {
        if (!isMap(o) || o[mergeKey] === undefined) throw bad(path, `${directive} elements must carry the merge key ${JSON.stringify(mergeKey)}`);
      }
      identity = (v) => (isMap(v) ? v[mergeKey] : undefined);
    } else if (rule?.strategy === 'set') {
      if (!order.every((o) => isPrimitive(o))) throw bad(path, `${directive} must be a list of primitives`);
      identity = (v) => v;
    } else {
      // An atomic list was replaced by the patch, which already has its order.
      return list;
    }
    if (!Array.isArray(list)) return list;
    const rank = new Map<unknown, number>();
    order.forEach((o, i) => {
      const id = identity(o);
      if (!rank.has(id)) rank.set(id, i);
    });
    const listed = list.filter((v) => rank.has(identity(v)));
    const rest = list.filter((v) => !rank.has(identity(v)));
    listed.sort((a, b) => rank.get(identity(a))! - rank.get(identity(b))!);
    return [...listed, ...rest];
  }
}

interface DiffOptions {
  /** Leave out keys and list elements that `modified` no longer has. */
  ignoreDeletions: boolean;
  /** Leave out keys and list elements that `modified` adds or changes. */
  ignoreChangesAndAdditions: boolean;
}

/**
 * createThreeWayMergePatch computes the strategic merge patch that
 * client-side `kubectl apply` sends: the changes and additions from `current`
 * (the live object) to `modified` (the new manifest), plus the deletions from
 * `original` (the last applied manifest) to `modified`. Fields set only by the
 * server survive. Keys are sorted as Go's encoder sorts them, so the result
 * serialises like kubectl's patch; `{}` means nothing to send. Conflicts are
 * not checked (kubectl apply overwrites).
 */
export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, kind: string): Record<string, unknown> {
  const asMap = (v: unknown, what: string): JsonMap => {
    if (v === null || v === undefined) return {};
    if (!isMap(v)) throw new BadRequestError(`invalid ${what} object: must be a JSON object, got ${describe(v)}`);
    return v;
  };
  const o = asMap(original, 'original');
  const m = asMap(modified, 'modified');
  const c = asMap(current, 'current');
  const differ = new Differ(patchRulesByKind.get(kind) ?? noRules);
  const delta = differ.diffMaps(c, m, '', { ignoreDeletions: true, ignoreChangesAndAdditions: false }, false);
  const deletions = differ.diffMaps(o, m, '', { ignoreDeletions: false, ignoreChangesAndAdditions: true }, false);
  return sortKeys(differ.mergePatches(deletions, delta, '')) as Record<string, unknown>;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isMap(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

class Differ {
  constructor(private readonly rules: PatchRules) {}

  /** diffMaps returns the patch from `original` to `modified` (neither is modified). */
  diffMaps(original: JsonMap, modified: JsonMap, path: string, opts: DiffOptions, buildRetainKeys: boolean): JsonMap {
    const patch: JsonMap = {};
    const retained: string[] = [];
    for (const [key, mv] of Object.entries(modified)) {
      if (buildRetainKeys && mv !== null) retained.push(key);
      const fieldPath = child(path, key);
      if (!(key in original) || kindOf(original[key]) !== kindOf(mv)) {
        if (!opts.ignoreChangesAndAdditions) patch[key] = structuredClone(mv);
        continue;
      }
      const ov = original[key];
      if (isMap(ov) && isMap(mv)) {
        const sub = this.diffMaps(ov, mv, fieldPath, opts, this.rules.get(fieldPath)?.strategy === 'retainKeys');
        if (Object.keys(sub).length > 0) patch[key] = sub;
      } else if (Array.isArray(ov) && Array.isArray(mv)) {
        this.diffLists(key, ov, mv, patch, fieldPath, opts);
      } else if (!deepEqual(ov, mv) && !opts.ignoreChangesAndAdditions) {
        patch[key] = mv;
      }
    }
    if (!opts.ignoreDeletions) {
      for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
    }
    const clearsFields = Object.entries(original).some(([k, v]) => v !== null && !(k in modified));
    if (retained.length > 0 && (Object.keys(patch).length > 0 || clearsFields)) patch[RETAIN_KEYS] = retained.sort();
    return patch;
  }

  private diffLists(key: string, original: unknown[], modified: unknown[], patch: JsonMap, path: string, opts: DiffOptions): void {
    if (deepEqual(original, modified)) return;
    const rule = this.rules.get(path);
    if (rule?.strategy === 'merge') {
      const mergeKey = rule.mergeKey;
      const keyOf = (v: unknown, side: string): unknown => {
        if (!isMap(v) || v[mergeKey] === undefined || v[mergeKey] === null) {
          throw bad(path, `${side} list element has no merge key ${JSON.stringify(mergeKey)}: ${JSON.stringify(v)}`);
        }
        return v[mergeKey];
      };
      const originalKeys = original.map((v) => keyOf(v, 'original'));
      const modifiedKeys = modified.map((v) => keyOf(v, 'modified'));
      const changes: unknown[] = [];
      modified.forEach((mv, i) => {
        const j = originalKeys.indexOf(modifiedKeys[i]);
        if (j < 0) {
          if (!opts.ignoreChangesAndAdditions) changes.push(structuredClone(mv));
          return;
        }
        const elementPath = `${path}[]`;
        const sub = this.diffMaps(original[j] as JsonMap, mv as JsonMap, elementPath, opts, this.rules.get(elementPath)?.strategy === 'retainKeys');
        if (Object.keys(sub).length > 0) changes.push({ ...sub, [mergeKey]: modifiedKeys[i] });
      });
      if (!opts.ignoreDeletions) {
        for (const k of new Set(originalKeys)) if (!modifiedKeys.includes(k)) changes.push({ [mergeKey]: k, [DIRECTIVE]: 'delete' });
      }
      const orderSame = originalKeys.length === modifiedKeys.length && originalKeys.every((k, i) => k === modifiedKeys[i]);
      if (changes.length > 0) patch[key] = changes;
      if ((!opts.ignoreChangesAndAdditions && (changes.length > 0 || !orderSame)) || (!opts.ignoreDeletions && changes.length > 0)) {
        patch[SET_ELEMENT_ORDER + key] = modifiedKeys.map((k) => ({ [mergeKey]: k }));
      }
    } else if (rule?.strategy === 'set') {
      const added = opts.ignoreChangesAndAdditions ? [] : [...new Set(modified.filter((v) => !original.includes(v)))];
      const deleted = opts.ignoreDeletions ? [] : [...new Set(original.filter((v) => !modified.includes(v)))];
      if (added.length > 0) patch[key] = added;
      if (deleted.length > 0) patch[DELETE_FROM_PRIMITIVE_LIST + key] = deleted;
      if ((!opts.ignoreDeletions && deleted.length > 0) || !opts.ignoreChangesAndAdditions) patch[SET_ELEMENT_ORDER + key] = [...modified];
    } else if (!opts.ignoreChangesAndAdditions) {
      patch[key] = structuredClone(modified);
    }
  }

  /** mergePatches combines the deletions patch with the changes patch (which wins). */
  mergePatches(base: JsonMap, top: JsonMap, path: string): JsonMap {
    const out: JsonMap = { ...base };
    for (const [key, tv] of Object.entries(top)) {
      const bv = out[key];
      const fieldPath = child(path, key);
      const rule = this.rules.get(fieldPath);
      if (isMap(bv) && isMap(tv)) {
        out[key] = this.mergePatches(bv, tv, fieldPath);
      } else if (Array.isArray(bv) && Array.isArray(tv) && !isDirectiveKey(key) && rule?.strategy === 'merge') {
        // Changes first, in modified order; deletions (absent from modified) after.
        const mergeKey = rule.mergeKey;
        const merged: unknown[] = tv.map((t) => {
          const b = bv.find((v) => isMap(v) && isMap(t) && v[mergeKey] === t[mergeKey] && !(DIRECTIVE in v));
          return isMap(b) && isMap(t) ? this.mergePatches(b, t, `${fieldPath}[]`) : t;
        });
        for (const b of bv) {
          if (!merged.some((v) => isMap(v) && isMap(b) && v[mergeKey] === b[mergeKey])) merged.push(b);
        }
        out[key] = merged;
      } else if (Array.isArray(bv) && Array.isArray(tv) && !isDirectiveKey(key) && rule?.strategy === 'set') {
        out[key] = [...new Set([...bv, ...tv])];
      } else {
        out[key] = tv;
      }
    }
    return out;
  }
}
