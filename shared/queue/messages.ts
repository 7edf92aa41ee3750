import { z } from 'zod';

/**
 * A reconcile message names an object and nothing else: the controller reads
 * the current state itself (level-triggered), so duplicate, late or reordered
 * messages are harmless. `v` is the message schema version.
 */
export const ReconcileMessageSchema = z.object({
  v: z.literal(1),
  tenant: z.string().min(1),
  /** Kind to reconcile, or `GarbageCollect` for the dependents of a deleted owner (name = owner uid). */
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
  /** Set when a queued marker stands for this message: the consumer clears it before reconciling. */
  marked: z.literal(true).optional(),
});
export type ReconcileMessage = z.infer<typeof ReconcileMessageSchema>;

export function reconcileMessage(tenant: string, kind: string, namespace: string | undefined, name: string): ReconcileMessage {
  return { v: 1, tenant, kind, ...(namespace ? { namespace } : {}), name };
}

export function messageKey(m: ReconcileMessage): string {
  return `${m.tenant}/${m.kind}/${m.namespace ?? ''}/${m.name}`;
}

/** parseReconcileMessage validates a message body; throws on anything else. */
export function parseReconcileMessage(body: string): ReconcileMessage {
  return ReconcileMessageSchema.parse(JSON.parse(body));
}
