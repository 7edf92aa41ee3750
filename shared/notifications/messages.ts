import { z } from 'zod';

/** NotificationBody is what a Notifier's URL receives (JSON), signed in X-Rollway-Signature. */
export const NotificationBodySchema = z.object({
  type: z.string(),
  tenant: z.string(),
  namespace: z.string(),
  deployment: z.string(),
  revision: z.string(),
  image: z.string(),
  reason: z.string(),
  message: z.string(),
  time: z.string(),
  id: z.string(),
});
export type NotificationBody = z.infer<typeof NotificationBodySchema>;

/**
 * A message on the notifications queue: one event for one Notifier, and the
 * attempt it is (1 for the first). The Notifier's URL and secret are read at
 * delivery time, so neither travels through the queue.
 */
export const NotifyMessageSchema = z.object({
  v: z.literal(1),
  tenant: z.string().min(1),
  namespace: z.string().min(1),
  notifier: z.string().min(1),
  attempt: z.number().int().min(1),
  event: NotificationBodySchema,
});
export type NotifyMessage = z.infer<typeof NotifyMessageSchema>;

export function parseNotifyMessage(body: string): NotifyMessage {
  return NotifyMessageSchema.parse(JSON.parse(body));
}
