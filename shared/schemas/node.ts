/**
 * Node (core/v1, cluster-scoped): schema (spec modelled, status kept as
 * given) and validation (DNS-subdomain name, taints).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { arr, bool, opaque, pkg, resourceList, str, strList, struct, time } from './go-types.js';
import { ObjectMetaSchema, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';
import { notSupported } from './pod.js';

export const TaintSchema = struct('v1.Taint', { key: str(), value: str(), effect: str(), timeAdded: time() }, pkg.core);

export const NodeSpecSchema = struct(
  'v1.NodeSpec',
  { podCIDR: str(), podCIDRs: strList(), providerID: str(), unschedulable: bool(), taints: arr(TaintSchema), configSource: opaque('v1.NodeConfigSource', {}, pkg.core), externalID: str() },
  pkg.core,
);

export const NodeConditionSchema = struct(
  'v1.NodeCondition',
  { type: str(), status: str(), lastHeartbeatTime: time(), lastTransitionTime: time(), reason: str(), message: str() },
  pkg.core,
);

export const NodeStatusSchema = opaque(
  'v1.NodeStatus',
  {
    capacity: resourceList(),
    allocatable: resourceList(),
    phase: str(),
    conditions: arr(NodeConditionSchema),
    addresses: arr(struct('v1.NodeAddress', { type: str(), address: str() }, pkg.core)),
    nodeInfo: opaque('v1.NodeSystemInfo', {}, pkg.core),
  },
  pkg.core,
);

export const NodeSchema = struct('v1.Node', { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: NodeSpecSchema, status: NodeStatusSchema }, pkg.core);
export type Node = z.infer<typeof NodeSchema>;

type Obj = Record<string, any>;

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateNode mirrors the parts of ValidateNode that apply: name and taints. */
export function validateNode(node: Obj): FieldError[] {
  const errs = validateObjectMeta(node.metadata, false, nameIsDNSSubdomain);
  (node.spec?.taints ?? []).forEach((t: Obj, i: number) => {
    const p = `spec.taints[${i}]`;
    for (const d of isQualifiedName(t.key ?? '')) errs.push({ type: 'FieldValueInvalid', field: `${p}.key`, value: t.key ?? '', detail: d });
    if (t.value) for (const d of isValidLabelValue(t.value)) errs.push({ type: 'FieldValueInvalid', field: `${p}.value`, value: t.value, detail: d });
    if (!t.effect) errs.push({ type: 'FieldValueRequired', field: `${p}.effect`, detail: '' });
    else if (!taintEffects.includes(t.effect)) errs.push(notSupported(`${p}.effect`, t.effect, taintEffects));
  });
  return errs;
}
