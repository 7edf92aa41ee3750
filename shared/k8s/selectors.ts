import { BadRequestError } from '../errors.js';
import type { KubeObject, LabelSelector } from './types.js';

/** One parsed label requirement, as in `app=kubia`, `tier!=web`, `env in (a,b)`, `!canary`. */
export interface LabelRequirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function checkKey(key: string, raw: string): void {
  if (!KEY.test(key) || key.length > 316) throw new BadRequestError(`unable to parse requirement: invalid label key "${key}" in selector "${raw}"`);
}
function checkValue(value: string, raw: string): void {
  if (!VALUE.test(value) || value.length > 63) throw new BadRequestError(`unable to parse requirement: invalid label value "${value}" in selector "${raw}"`);
}

/** parseLabelSelector parses the `labelSelector` query parameter; throws 400 on bad syntax. */
export function parseLabelSelector(raw: string | undefined): LabelRequirement[] {
  if (!raw || !raw.trim()) return [];
  if (raw.length > 4096) throw new BadRequestError('labelSelector is too long');
  const out: LabelRequirement[] = [];
  for (const part0 of splitTopLevel(raw)) {
    const part = part0.trim();
    if (!part) throw new BadRequestError(`unable to parse requirement: found '', expected: identifier in selector "${raw}"`);
    let m: RegExpExecArray | null;
    if ((m = /^!\s*(\S+)$/.exec(part))) {
      checkKey(m[1], raw);
      out.push({ key: m[1], op: 'notexists', values: [] });
    } else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      checkKey(m[1], raw);
      const values = m[3].split(',').map((v) => v.trim()).filter((v, i, a) => v !== '' || a.length === 1);
      values.forEach((v) => checkValue(v, raw));
      out.push({ key: m[1], op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part))) {
      checkKey(m[1], raw);
      checkValue(m[3], raw);
      out.push({ key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]] });
    } else if ((m = /^([^=!\s()]+)$/.exec(part))) {
      checkKey(m[1], raw);
      out.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw new BadRequestError(`unable to parse requirement: invalid selector "${raw}"`);
    }
  }
  return out;
}

export function matchesRequirements(labels: Record<string, string> | undefined, reqs: LabelRequirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.values[0];
      case 'neq':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

/** selectorRequirements converts a LabelSelector object to requirements. */
export function selectorRequirements(sel: LabelSelector | undefined): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key, op: 'eq', values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: 'notexists' } as const)[e.operator];
    // An unknown operator can match nothing.
    reqs.push(op ? { key: e.key, op, values: e.values ?? [] } : { key: e.key, op: 'in', values: [] });
  }
  return reqs;
}

/**
 * selectorMatches reports whether labels match a LabelSelector, as
 * LabelSelectorAsSelector does: a missing selector selects nothing, an empty
 * one selects everything, an unknown operator selects nothing.
 */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  return matchesRequirements(labels, selectorRequirements(sel));
}

/** formatSelector renders a LabelSelector as a query string kubectl would send. */
export function formatSelector(sel: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {}).sort()) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** One field requirement: `metadata.name=kubia`, `spec.nodeName!=n1`. */
export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** Fields each kind can be selected by, with how to read them. */
const fieldGetters: Record<string, (o: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
  'spec.nodeName': (o) => (o.spec?.nodeName as string | undefined) ?? '',
  'status.phase': (o) => (o.status?.phase as string | undefined) ?? '',
  'involvedObject.name': (o) => (o as any).involvedObject?.name ?? '',
  'involvedObject.namespace': (o) => (o as any).involvedObject?.namespace ?? '',
  'involvedObject.kind': (o) => (o as any).involvedObject?.kind ?? '',
  'involvedObject.uid': (o) => (o as any).involvedObject?.uid ?? '',
  'involvedObject.apiVersion': (o) => (o as any).involvedObject?.apiVersion ?? '',
  'involvedObject.resourceVersion': (o) => (o as any).involvedObject?.resourceVersion ?? '',
  'involvedObject.fieldPath': (o) => (o as any).involvedObject?.fieldPath ?? '',
  reason: (o) => ((o as any).reason as string) ?? '',
  type: (o) => ((o as any).type as string) ?? '',
  'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false),
};

const kindFields: Record<string, string[]> = {
  Pod: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'],
  Event: ['metadata.name', 'metadata.namespace', 'involvedObject.name', 'involvedObject.namespace', 'involvedObject.kind', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'type'],
  Node: ['metadata.name', 'spec.unschedulable'],
};

/** parseFieldSelector parses `fieldSelector`; unknown fields for the kind get 400 as in Kubernetes. */
export function parseFieldSelector(raw: string | undefined, kind: string): FieldRequirement[] {
  if (!raw || !raw.trim()) return [];
  if (raw.length > 4096) throw new BadRequestError('fieldSelector is too long');
  const allowed = kindFields[kind] ?? ['metadata.name', 'metadata.namespace'];
  return raw.split(',').map((part) => {
    const m = /^\s*([A-Za-z0-9_.\-]+)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(part);
    if (!m) throw new BadRequestError(`invalid selector: '${raw}'; can't understand '${part}'`);
    if (!allowed.includes(m[1])) throw new BadRequestError(`"${m[1]}" is not a known field selector: only "${allowed.join('", "')}"`);
    return { field: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] };
  });
}

export function matchesFields(obj: KubeObject, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => {
    const v = fieldGetters[r.field]?.(obj) ?? '';
    return r.op === 'eq' ? v === r.value : v !== r.value;
  });
}
