/**
 * decode: strict JSON decoding of a request body against a kind's schema,
 * with Go semantics (k8s.io/apimachinery's strict JSON serializer):
 * - `null` object fields are the zero value, i.e. dropped;
 * - a wrong JSON type is a decode error, reported like Go's UnmarshalTypeError;
 * - unknown fields are collected (in document order) and pruned.
 */
import type { z } from 'zod';
import { formatPath, goTypeOf, walkSchema } from './go-types.js';

export interface DecodeTypeError {
  /** Go-style message: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
  message: string;
  /** Kubernetes-style path of the bad field: `spec.replicas`. */
  field: string;
}

export interface DecodeResult {
  /** The decoded object, unknown fields removed. Undefined when typeError is set. */
  object?: Record<string, unknown>;
  /** Unknown fields as Kubernetes renders them: `spec.template.spec.containers[0].foo`. */
  unknownFields: string[];
  typeError?: DecodeTypeError;
}

/** stripNulls returns a deep copy of a JSON value with null object members removed. */
export function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
    return out;
  }
  return v;
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number, object
}

/** goTypeError renders a Go UnmarshalTypeError for a bad value at `path`. */
function goTypeError(root: z.ZodType, path: ReadonlyArray<PropertyKey>, input: unknown, numberValue: boolean): DecodeTypeError {
  const steps = walkSchema(root, path);
  // Go's field path lists struct fields only (no slice indices, no map keys).
  const goPath = steps.filter((s) => s.parentStruct !== undefined).map((s) => String(s.key));
  let structName = goTypeOf(root)?.struct ?? 'Object';
  for (const s of steps) if (s.parentStruct) structName = goTypeOf(s.parentStruct)?.struct ?? structName;
  const leaf = steps.length ? steps[steps.length - 1].schema : root;
  const goType = goTypeOf(leaf)?.type ?? 'interface {}';
  const what = numberValue ? `number ${String(input)}` : jsonTypeName(input);
  const message =
    goPath.length > 0
      ? `json: cannot unmarshal ${what} into Go struct field ${structName}.${goPath.join('.')} of type ${goType}`
      : `json: cannot unmarshal ${what} into Go value of type ${goType}`;
  return { message, field: formatPath(path) };
}

/** documentOrder lists every path of a JSON value in document order, rendered with formatPath. */
function documentOrder(v: unknown, path: PropertyKey[] = [], out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x, i) => documentOrder(x, [...path, i], out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(formatPath([...path, k]));
      documentOrder(x, [...path, k], out);
    }
  }
  return out;
}

/** isNumberRangeIssue: a number that does not fit (fraction, overflow); Go then prints the number itself. */
function isNumberRangeIssue(issue: z.core.$ZodIssue): boolean {
  if (typeof issue.input !== 'number') return false;
  if (issue.code === 'too_big' || issue.code === 'too_small') return true;
  return issue.code === 'invalid_type' && (issue.expected === 'int' || issue.expected === 'number');
}

function deleteAt(obj: unknown, path: ReadonlyArray<PropertyKey>, key: string): void {
  let cur: any = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return;
    cur = cur[p as any];
  }
  if (cur !== null && typeof cur === 'object') delete cur[key];
}

/**
 * decode parses `body` (already a JSON value) against `schema`. A type error
 * wins over unknown fields, as the decoder fails before strictness is checked.
 */
export function decode(schema: z.ZodType, body: unknown): DecodeResult {
  const input = stripNulls(body);
  const first = schema.safeParse(input, { reportInput: true });
  if (first.success) return { object: first.data as Record<string, unknown>, unknownFields: [] };
  const unknown: Array<{ path: PropertyKey[]; key: string }> = [];
  for (const issue of first.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) unknown.push({ path: issue.path as PropertyKey[], key: k });
      continue;
    }
    const numberValue = isNumberRangeIssue(issue);
    return { unknownFields: [], typeError: goTypeError(schema, issue.path as PropertyKey[], issue.input, numberValue) };
  }
  const pruned = structuredClone(input);
  const names = new Set<string>();
  for (const u of unknown) {
    deleteAt(pruned, u.path, u.key);
    names.add(formatPath([...u.path, u.key]));
  }
  const order = documentOrder(input);
  const unknownFields = order.filter((p) => names.has(p));
  const second = schema.safeParse(pruned, { reportInput: true });
  if (!second.success) {
    const issue = second.error.issues[0];
    return { unknownFields, typeError: goTypeError(schema, issue.path as PropertyKey[], issue.input, isNumberRangeIssue(issue)) };
  }
  return { object: second.data as Record<string, unknown>, unknownFields };
}
