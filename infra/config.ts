import { fileURLToPath } from 'node:url';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/** repoRoot is the absolute path of the repository (the directory holding package-lock.json). */
export const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Log levels the functions understand through `LOG_LEVEL` (Powertools' names). */
export type RollwayLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * RollwayConfig is everything a deployment may vary, read once from CDK context.
 * Context keys (pass with `-c key=value`, or put them in cdk.json / cdk.context.json):
 *
 * | key                                  | default                 |
 * |--------------------------------------|-------------------------|
 * | `rollway:stage`                      | `dev`                   |
 * | `rollway:destroyOnRemoval`           | `false` (retain data)   |
 * | `rollway:deletionProtection`         | `true` when stage=prod  |
 * | `rollway:logRetentionDays`           | `30`                    |
 * | `rollway:logLevel`                   | `INFO`                  |
 * | `rollway:alarmEmail`                 | none (topic only)       |
 * | `rollway:controllerMaxConcurrency`   | `20`                    |
 * | `rollway:notifierMaxConcurrency`     | `10`                    |
 */
export interface RollwayConfig {
  readonly stage: string;
  /** Dev stacks only: delete the table (and log groups) with the stack. */
  readonly destroyOnRemoval: boolean;
  /** DynamoDB deletion protection: on in prod. */
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: RollwayLogLevel;
  readonly alarmEmail?: string;
  readonly controllerMaxConcurrency: number;
  readonly notifierMaxConcurrency: number;
}

const LOG_LEVELS: readonly RollwayLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Values from `-c k=v` arrive as strings, values from cdk.json as JSON; accept both. */
function readBoolean(node: Node, key: string): boolean | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(raw)}`);
}

function readInteger(node: Node, key: string, fallback: number, min: number, max: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`context ${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  }
  return n;
}

function readString(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw new Error(`context ${key} must be a string`);
  return raw;
}

/** RETENTION_DAYS lists the values CloudWatch Logs accepts; RetentionDays' values are day counts. */
const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/**
 * readConfig returns the deployment configuration from CDK context, validated.
 * Throws on a malformed value, and on `rollway:destroyOnRemoval=true` for the prod stage:
 * losing the table with a stack deletion is never what prod wants.
 */
export function readConfig(node: Node): RollwayConfig {
  const stage = readString(node, 'rollway:stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) {
    throw new Error(`context rollway:stage must match ^[a-z][a-z0-9-]{0,20}$, got ${JSON.stringify(stage)}`);
  }
  const isProd = stage === 'prod';
  const destroyOnRemoval = readBoolean(node, 'rollway:destroyOnRemoval') ?? false;
  if (isProd && destroyOnRemoval) {
    throw new Error('rollway:destroyOnRemoval=true is refused for stage prod: the table must be retained');
  }
  const retentionDays = readInteger(node, 'rollway:logRetentionDays', 30, 1, 9999);
  if (!RETENTION_DAYS.has(retentionDays)) {
    throw new Error(`context rollway:logRetentionDays must be one of ${[...RETENTION_DAYS].join(', ')}`);
  }
  const logLevel = (readString(node, 'rollway:logLevel') ?? 'INFO').toUpperCase() as RollwayLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`context rollway:logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    stage,
    destroyOnRemoval,
    deletionProtection: readBoolean(node, 'rollway:deletionProtection') ?? isProd,
    logRetention: retentionDays as RetentionDays,
    logLevel,
    alarmEmail: readString(node, 'rollway:alarmEmail'),
    // Lambda's SQS maximum concurrency accepts 2..1000.
    controllerMaxConcurrency: readInteger(node, 'rollway:controllerMaxConcurrency', 20, 2, 1000),
    notifierMaxConcurrency: readInteger(node, 'rollway:notifierMaxConcurrency', 10, 2, 1000),
  };
}
