/**
 * Building blocks for zod schemas that mirror Kubernetes' Go types.
 *
 * Every schema built here records the Go type it stands for, so a decode
 * failure can be reported the way the API server's JSON decoder reports it
 * (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
 *
 * Decoding follows Go semantics: every struct field is optional (a missing
 * field is the zero value; "Required value" is validation's job, not the
 * decoder's), unknown fields are reported by strict objects and pruned, and
 * loose objects (`opaque`) keep whatever they are given.
 */
import { z } from 'zod';

/** GoTypeInfo is what a schema stands for in Go: the type as printed in errors, and a struct's bare name. */
export interface GoTypeInfo {
  /** Type as Go prints it in an UnmarshalTypeError, e.g. `int32`, `v1.PodSpec`, `[]v1.Container`. */
  type: string;
  /** For structs, the bare struct name (`PodSpec`), used as the prefix of the field path. */
  struct?: string;
  /** For structs, the OpenAPI component name (`io.k8s.api.core.v1.PodSpec`), when it is published. */
  component?: string;
}

const goTypes = new WeakMap<z.ZodType, GoTypeInfo>();

/** withGoType records the Go type of a schema and returns the schema. */
export function withGoType<T extends z.ZodType>(schema: T, info: GoTypeInfo): T {
  goTypes.set(schema, info);
  return schema;
}

/** goTypeOf returns the recorded Go type of a schema, looking through optional wrappers. */
export function goTypeOf(schema: z.ZodType | undefined): GoTypeInfo | undefined {
  const s = schema ? unwrap(schema) : undefined;
  return s ? goTypes.get(s) : undefined;
}

/** Package prefixes of OpenAPI component names. */
export const pkg = {
  core: 'io.k8s.api.core.v1',
  apps: 'io.k8s.api.apps.v1',
  appsV1beta1: 'io.k8s.api.apps.v1beta1',
  meta: 'io.k8s.apimachinery.pkg.apis.meta.v1',
} as const;

const INT32_MAX = 2147483647;

export const int32 = () => withGoType(z.number().int().min(-INT32_MAX - 1).max(INT32_MAX), { type: 'int32' });
export const int64 = () => withGoType(z.number().int(), { type: 'int64' });
export const str = () => withGoType(z.string(), { type: 'string' });
export const bool = () => withGoType(z.boolean(), { type: 'bool' });
/** time is a metav1.Time (RFC 3339 string). */
export const time = () => withGoType(z.string(), { type: 'v1.Time' });
/** quantity is a resource.Quantity: JSON string or number. */
export const quantity = () => withGoType(z.union([z.string(), z.number()]), { type: 'resource.Quantity' });
export const strMap = () => withGoType(z.record(z.string(), z.string()), { type: 'map[string]string' });
export const strList = () => withGoType(z.array(z.string()), { type: '[]string' });

/** arr is a Go slice of the element schema. */
export function arr<T extends z.ZodType>(element: T) {
  return withGoType(z.array(element), { type: `[]${goTypeOf(element)?.type ?? 'interface {}'}` });
}

/** map of quantities (ResourceList). */
export const resourceList = () => withGoType(z.record(z.string(), quantity()), { type: 'v1.ResourceList' });

type Shape = Record<string, z.ZodType>;

/**
 * struct is a Go struct whose every field is modelled: unknown fields are
 * reported (strict decoding) and pruned. All fields are optional, as in Go.
 * `name` is `<pkg>.<Struct>` as Go prints it, e.g. `v1.PodSpec`; `component`
 * is the OpenAPI package the struct is published under.
 */
export function struct<S extends Shape>(goName: string, shape: S, component?: string) {
  const schema = z.strictObject(shape).partial();
  const bare = goName.slice(goName.indexOf('.') + 1);
  return withGoType(schema, { type: goName, struct: bare, component: component ? `${component}.${bare}` : undefined });
}

/**
 * opaque is a Go struct Rollway does not model field by field: any JSON
 * object is accepted and kept as is (no unknown-field detection inside).
 * `shape` lists fields whose types are still checked.
 */
export function opaque<S extends Shape>(goName: string, shape: S = {} as S, component?: string) {
  const schema = z.looseObject(shape).partial();
  const bare = goName.slice(goName.indexOf('.') + 1);
  return withGoType(schema, { type: goName, struct: bare, component: component ? `${component}.${bare}` : undefined });
}

/** unwrap strips optional/nullable/default wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    const def = (s as any)._zod.def;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault' || def.type === 'readonly') {
      s = def.innerType;
    } else if (def.type === 'pipe') {
      s = def.in;
    } else if (def.type === 'lazy') {
      s = def.getter();
    } else {
      return s;
    }
  }
}

/** PathStep is one step of a walk from a root schema down a decode path. */
export interface PathStep {
  key: string | number;
  /** The schema at this step (after the key), if known. */
  schema?: z.ZodType;
  /** The struct schema that holds this key, when the parent is a struct. */
  parentStruct?: z.ZodType;
}

/** walkSchema follows a zod issue path through the schema tree. */
export function walkSchema(root: z.ZodType, path: ReadonlyArray<PropertyKey>): PathStep[] {
  const steps: PathStep[] = [];
  let cur: z.ZodType | undefined = root;
  for (const key of path) {
    const k = typeof key === 'symbol' ? String(key) : key;
    if (!cur) {
      steps.push({ key: k });
      continue;
    }
    const s = unwrap(cur);
    const def = (s as any)._zod.def;
    if (def.type === 'object') {
      const next: z.ZodType | undefined = def.shape[k as string];
      steps.push({ key: k, schema: next, parentStruct: s });
      cur = next;
    } else if (def.type === 'array') {
      steps.push({ key: k, schema: def.element });
      cur = def.element;
    } else if (def.type === 'record') {
      steps.push({ key: k, schema: def.valueType });
      cur = def.valueType;
    } else {
      steps.push({ key: k });
      cur = undefined;
    }
  }
  return steps;
}

/** formatPath renders a path the way Kubernetes field errors do: `spec.containers[0].image`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
