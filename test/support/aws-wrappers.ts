import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * Wrappers around the runtime's AWS clients for benchmarks and fault tests:
 * CallCounter counts commands by name through SDK middleware; faultyClient
 * returns a proxy whose `send` throttles, times out, fails conditions or
 * drops messages at chosen rates.
 */

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);

export interface CallCounts {
  /** Calls by SDK command name (GetItemCommand, TransactWriteItemsCommand, SendMessageBatchCommand, …). */
  byCommand: Record<string, number>;
  /** DynamoDB read calls (GetItem, Query, Scan, BatchGet, TransactGet). */
  reads: number;
  /** DynamoDB items written: one per Put/Update/Delete, one per item of a transaction or batch write. */
  writeItems: number;
  /** DynamoDB write calls (each transaction counts once). */
  writeCalls: number;
  /** SQS messages sent (entries of SendMessage/SendMessageBatch). */
  sqsSent: number;
  /** SQS ReceiveMessage calls that returned at least one message (one controller invocation each). */
  sqsBatchesReceived: number;
  /** SQS messages received. */
  sqsReceived: number;
}

export function emptyCounts(): CallCounts {
  return { byCommand: {}, reads: 0, writeItems: 0, writeCalls: 0, sqsSent: 0, sqsBatchesReceived: 0, sqsReceived: 0 };
}

export function diffCounts(after: CallCounts, before: CallCounts): CallCounts {
  const byCommand: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byCommand)) {
    const d = v - (before.byCommand[k] ?? 0);
    if (d) byCommand[k] = d;
  }
  return {
    byCommand,
    reads: after.reads - before.reads,
    writeItems: after.writeItems - before.writeItems,
    writeCalls: after.writeCalls - before.writeCalls,
    sqsSent: after.sqsSent - before.sqsSent,
    sqsBatchesReceived: after.sqsBatchesReceived - before.sqsBatchesReceived,
    sqsReceived: after.sqsReceived - before.sqsReceived,
  };
}

type MiddlewareClient = { middlewareStack: { add: (mw: any, opts: any) => void } };

export class CallCounter {
  counts: CallCounts = emptyCounts();

  snapshot(): CallCounts {
    return structuredClone(this.counts);
  }

  /** attach adds counting middleware to a client (DynamoDBDocumentClient or SQSClient) and returns it. */
  attach<T extends MiddlewareClient>(client: T): T {
    const c = this.counts;
    client.middlewareStack.add(
      (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: { input: any }) => {
        const name = context.commandName ?? 'unknown';
        c.byCommand[name] = (c.byCommand[name] ?? 0) + 1;
        if (READ_COMMANDS.has(name)) c.reads++;
        if (WRITE_COMMANDS.has(name)) {
          c.writeCalls++;
          c.writeItems += name === 'BatchWriteItemCommand' ? Object.values(args.input.RequestItems ?? {}).reduce((n: number, v) => n + (v as unknown[]).length, 0) : 1;
        }
        if (name === 'TransactWriteItemsCommand') {
          c.writeCalls++;
          c.writeItems += (args.input.TransactItems ?? []).length;
        }
        if (name === 'SendMessageBatchCommand') c.sqsSent += (args.input.Entries ?? []).length;
        if (name === 'SendMessageCommand') c.sqsSent++;
        const out = await next(args);
        if (name === 'ReceiveMessageCommand') {
          const n = out.output?.Messages?.length ?? 0;
          if (n > 0) c.sqsBatchesReceived++;
          c.sqsReceived += n;
        }
        return out;
      },
      { step: 'initialize', name: `callCounter${Math.random().toString(36).slice(2)}` },
    );
    return client;
  }
}

/** Rates in [0, 1] of each fault, drawn per call. */
export interface FaultRates {
  /** DynamoDB: fail before sending with ProvisionedThroughputExceededException or ThrottlingException. */
  throttle?: number;
  /** DynamoDB: run the call, then fail with a timeout (the write may have committed). */
  timeoutAfter?: number;
  /** DynamoDB: fail before sending with a timeout (nothing committed). */
  timeoutBefore?: number;
  /** DynamoDB writes: fail a conditional write as though another writer won the race. */
  conditionFail?: number;
  /** SQS: answer a send with success but deliver nothing. */
  dropSend?: number;
  /** SQS: fail a send with a throttling error (the caller sees it). */
  failSend?: number;
}

export interface FaultStats {
  injected: Record<string, number>;
  calls: number;
}

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message) as Error & Record<string, unknown>;
  e.name = name;
  Object.assign(e, { $fault: 'server', $metadata: { httpStatusCode: 400 } }, extra);
  return e;
}

/** A small seeded PRNG (mulberry32) so fault runs can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * faultyClient wraps a DynamoDBDocumentClient or SQSClient in a proxy whose
 * `send` injects the faults in `rates` while `enabled()` is true. Everything
 * else passes through to the real client.
 */
export function faultyClient<T extends { send: (...a: any[]) => Promise<any> }>(client: T, rates: FaultRates, opts: { random?: () => number; enabled?: () => boolean; stats?: FaultStats } = {}): T {
  const rnd = opts.random ?? Math.random;
  const enabled = opts.enabled ?? (() => true);
  const stats = opts.stats ?? { injected: {}, calls: 0 };
  const hit = (kind: keyof FaultRates) => {
    const r = rates[kind] ?? 0;
    if (r > 0 && rnd() < r) {
      stats.injected[kind] = (stats.injected[kind] ?? 0) + 1;
      return true;
    }
    return false;
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: any, ...rest: any[]) => {
        stats.calls++;
        const name: string = command?.constructor?.name ?? '';
        if (!enabled()) return target.send(command, ...rest);
        const isSqs = /Message/.test(name);
        if (isSqs) {
          if (/^SendMessage/.test(name)) {
            if (hit('failSend')) throw named('ThrottlingException', 'Rate exceeded (injected)');
            if (hit('dropSend')) {
              const entries = command.input?.Entries as Array<{ Id: string }> | undefined;
              return { Successful: (entries ?? []).map((e) => ({ Id: e.Id, MessageId: 'dropped', MD5OfMessageBody: '' })), Failed: [], $metadata: {} };
            }
          }
          return target.send(command, ...rest);
        }
        const isWrite = /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(name);
        if (hit('throttle')) {
          throw rnd() < 0.5
            ? named('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded (injected)')
            : named('ThrottlingException', 'Rate of requests exceeds the allowed throughput (injected)');
        }
        if (hit('timeoutBefore')) throw named('TimeoutError', 'Connection timed out after 1000 ms (injected, not sent)');
        if (isWrite && command.input?.ConditionExpression !== undefined && hit('conditionFail')) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed (injected)', $metadata: {} });
        }
        if (isWrite && name.startsWith('TransactWrite') && (command.input?.TransactItems ?? []).some((i: any) => Object.values(i)[0] && (Object.values(i)[0] as any).ConditionExpression) && hit('conditionFail')) {
          const items = command.input.TransactItems as any[];
          throw new TransactionCanceledException({
            message: 'Transaction cancelled (injected)',
            $metadata: {},
            CancellationReasons: items.map((i) => ((Object.values(i)[0] as any).ConditionExpression ? { Code: 'ConditionalCheckFailed' } : { Code: 'None' })),
          });
        }
        const out = await target.send(command, ...rest);
        if (hit('timeoutAfter')) throw named('TimeoutError', 'Socket timed out after the request was sent (injected, committed)');
        return out;
      };
    },
  });
}
