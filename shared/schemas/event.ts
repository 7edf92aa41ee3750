/**
 * Event (core/v1, the legacy events API kubectl describe reads): schema and
 * the legacy validation (involvedObject.namespace must match).
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { int32, pkg, str, struct, time } from './go-types.js';
import { ObjectMetaSchema, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';

export const ObjectReferenceSchema = struct(
  'v1.ObjectReference',
  { kind: str(), namespace: str(), name: str(), uid: str(), apiVersion: str(), resourceVersion: str(), fieldPath: str() },
  pkg.core,
);
export const EventSourceSchema = struct('v1.EventSource', { component: str(), host: str() }, pkg.core);
export const EventSeriesSchema = struct('v1.EventSeries', { count: int32(), lastObservedTime: time() }, pkg.core);

export const EventSchema = struct(
  'v1.Event',
  {
    apiVersion: str(),
    kind: str(),
    metadata: ObjectMetaSchema,
    involvedObject: ObjectReferenceSchema,
    reason: str(),
    message: str(),
    source: EventSourceSchema,
    firstTimestamp: time(),
    lastTimestamp: time(),
    count: int32(),
    type: str(),
    eventTime: time(),
    series: EventSeriesSchema,
    action: str(),
    related: ObjectReferenceSchema,
    reportingComponent: str(),
    reportingInstance: str(),
  },
  pkg.core,
);
export type Event = z.infer<typeof EventSchema>;

type Obj = Record<string, any>;

/** validateEvent mirrors the legacy (no eventTime) branch of ValidateEventCreate. */
export function validateEvent(ev: Obj): FieldError[] {
  const errs = validateObjectMeta(ev.metadata, true, nameIsDNSSubdomain);
  const ns = ev.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const mismatch = involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs;
  if (mismatch) errs.push({ type: 'FieldValueInvalid', field: 'involvedObject.namespace', value: involvedNs, detail: 'does not match event.namespace' });
  return errs;
}
