/**
 * Delivery of rollout notifications from the notifications queue. Each
 * record is one event for one Notifier: the Notifier is read (deleted →
 * dropped), the body is signed with its secret and POSTed to its URL through
 * the SSRF guard (targets.ts). A failed POST is re-sent as a new message with
 * attempt+1 and DelaySeconds = min(900, base·2^(attempt-1)) (base
 * ROLLWAY_NOTIFY_BACKOFF_BASE_SECONDS, default 1), up to
 * ROLLWAY_NOTIFY_MAX_ATTEMPTS (default 8); after that the record is reported
 * as a batch item failure and SQS moves it to the DLQ after maxReceiveCount.
 * A refused target (SSRF guard) is not retried. Every attempt is recorded
 * (an item with a 24 h TTL, and the Notifier's status.lastAttempt).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { resources } from '../api/resources.js';
import type { KubeObject } from '../k8s/types.js';
import type { Runtime } from '../runtime.js';
import type { SQSBatchResponse, SQSEvent } from '../controller/sqs-types.js';
import { ConflictError } from '../errors.js';
import { rfc3339 } from '../store/object-store.js';
import { log, errorFields } from '../logger.js';
import { signBody } from '../webhooks/verify.js';
import { guardedLookup, TargetRefusedError } from './targets.js';
import { parseNotifyMessage, type NotifyMessage } from './messages.js';

const notifiers = resources.find((r) => r.plural === 'notifiers')!;
const secrets = resources.find((r) => r.plural === 'secrets')!;

export const MAX_DELAY_SECONDS = 900;
const ATTEMPT_TTL_SECONDS = 24 * 3600;
const POST_TIMEOUT_MS = 10_000;

export interface DeliveryOptions {
  backoffBaseSeconds: number;
  maxAttempts: number;
}

export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryOptions {
  const n = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
  return { backoffBaseSeconds: n(env.ROLLWAY_NOTIFY_BACKOFF_BASE_SECONDS, 1), maxAttempts: n(env.ROLLWAY_NOTIFY_MAX_ATTEMPTS, 8) };
}

/** backoffSeconds is the delay before attempt `next` (2, 3, …): base·2^(next-2), capped at 900 s. */
export function backoffSeconds(next: number, base: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.round(base * 2 ** Math.max(0, next - 2)));
}

export interface PostResult {
  ok: boolean;
  code: number;
  error?: string;
  refused?: boolean;
}

/** postJson POSTs a body with headers, through the SSRF-guarded lookup; never throws. */
export function postJson(url: string, body: string, headers: Record<string, string>, runtime: 'aws' | 'local'): Promise<PostResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ ok: false, code: 0, error: 'invalid URL', refused: true });
    }
    const request = u.protocol === 'https:' ? httpsRequest : u.protocol === 'http:' ? httpRequest : undefined;
    if (!request) return resolve({ ok: false, code: 0, error: `unsupported scheme ${u.protocol}`, refused: true });
    const req = request(
      u,
      { method: 'POST', lookup: guardedLookup(runtime) as never, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'rollway-notifier/1', ...headers }, timeout: POST_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300, code: res.statusCode ?? 0 }));
        res.on('error', (e) => resolve({ ok: false, code: res.statusCode ?? 0, error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve({ ok: false, code: 0, error: e.message, refused: e instanceof TargetRefusedError }));
    req.end(body);
  });
}

async function secretValue(rt: Runtime, tenant: string, namespace: string, ref: { name?: string; key?: string } | undefined): Promise<string | undefined> {
  if (!ref?.name || !ref.key) return undefined;
  const s = await rt.store.get(tenant, secrets, namespace, ref.name);
  const b64 = (s?.data as Record<string, string> | undefined)?.[ref.key];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

async function recordAttempt(rt: Runtime, m: NotifyMessage, n: KubeObject, outcome: string, r: PostResult): Promise<void> {
  const time = rfc3339(rt.now());
  await rt.ddb
    .send(
      new PutCommand({
        TableName: rt.config.tableName,
        Item: {
          pk: `t#${m.tenant}#notify`,
          sk: `${m.namespace}/${m.notifier}#${m.event.id}#${String(m.attempt).padStart(3, '0')}`,
          entity: 'NotificationAttempt',
          v: 1,
          type: m.event.type,
          deployment: m.event.deployment,
          attempt: m.attempt,
          outcome,
          code: r.code,
          ...(r.error ? { error: r.error.slice(0, 300) } : {}),
          time,
          ttlEpochSeconds: Math.floor(rt.now() / 1000) + ATTEMPT_TTL_SECONDS,
        },
      }),
    )
    .catch((err) => log.warn('notification attempt not recorded', { tenant: m.tenant, ...errorFields(err) }));
  let cur: KubeObject | undefined = n;
  for (let i = 0; i < 3 && cur; i++) {
    const lastAttempt = { id: m.event.id, type: m.event.type, deployment: m.event.deployment, attempt: m.attempt, outcome, code: r.code, time };
    const status = { ...(cur.status ?? {}), lastAttempt, ...(outcome === 'delivered' ? { lastSuccess: time } : { lastFailure: time }) };
    try {
      await rt.store.update(m.tenant, notifiers, { ...cur, status }, cur);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) return log.warn('notifier status not updated', { tenant: m.tenant, ...errorFields(err) });
      cur = await rt.store.get(m.tenant, notifiers, m.namespace, m.notifier);
    }
  }
}

/** deliverOne makes one attempt; it returns false when the record should be left to SQS (and the DLQ). */
export async function deliverOne(rt: Runtime, m: NotifyMessage, opts: DeliveryOptions): Promise<boolean> {
  const object = `notifiers/${m.namespace}/${m.notifier}`;
  const n = await rt.store.get(m.tenant, notifiers, m.namespace, m.notifier);
  if (!n || n.metadata.deletionTimestamp) {
    log.info('notification dropped: notifier gone', { tenant: m.tenant, object, id: m.event.id });
    return true;
  }
  const body = JSON.stringify(m.event);
  const headers: Record<string, string> = { 'x-rollway-event': m.event.type, 'x-rollway-delivery': m.event.id, 'x-rollway-attempt': String(m.attempt) };
  const secret = await secretValue(rt, m.tenant, m.namespace, n.spec?.secretRef);
  if (secret !== undefined) headers['x-rollway-signature'] = signBody(secret, body, Math.floor(rt.now() / 1000));
  const r = await postJson(String(n.spec?.url ?? ''), body, headers, rt.config.runtime);
  if (r.ok) {
    await recordAttempt(rt, m, n, 'delivered', r);
    log.info('notification delivered', { tenant: m.tenant, object, id: m.event.id, type: m.event.type, attempt: m.attempt, code: r.code });
    return true;
  }
  if (r.refused) {
    await recordAttempt(rt, m, n, 'refused', r);
    log.warn('notification target refused', { tenant: m.tenant, object, id: m.event.id, error: r.error });
    return true;
  }
  const exhausted = m.attempt >= opts.maxAttempts;
  await recordAttempt(rt, m, n, exhausted ? 'exhausted' : 'failed', r);
  log.warn('notification attempt failed', { tenant: m.tenant, object, id: m.event.id, attempt: m.attempt, code: r.code, error: r.error, exhausted });
  if (exhausted || !rt.config.notifyQueueUrl) return false;
  const next = m.attempt + 1;
  await rt.sqs.send(new SendMessageCommand({ QueueUrl: rt.config.notifyQueueUrl, MessageBody: JSON.stringify({ ...m, attempt: next }), DelaySeconds: backoffSeconds(next, opts.backoffBaseSeconds) }));
  return true;
}

/**
 * handleNotifyBatch delivers an SQS batch in order (records of one batch are
 * sent one after another, so the events of a rollout arrive in the order
 * they were detected) and reports partial batch failures.
 */
export async function handleNotifyBatch(rt: Runtime, event: SQSEvent, opts: DeliveryOptions = deliveryOptionsFromEnv()): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    let m: NotifyMessage;
    try {
      m = parseNotifyMessage(record.body);
    } catch (err) {
      log.error('dropping malformed notification message', { messageId: record.messageId, ...errorFields(err) });
      continue;
    }
    try {
      if (!(await deliverOne(rt, m, opts))) failures.push({ itemIdentifier: record.messageId });
    } catch (err) {
      log.warn('notification delivery failed; will retry', { tenant: m.tenant, id: m.event.id, ...errorFields(err) });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
