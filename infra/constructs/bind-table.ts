import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { GSI1, GSI2, RollwayTable } from './table.js';

/** TableAccess is the level a function gets on the table: items only, never table management. */
export type TableAccess = 'read' | 'readWrite';

/**
 * READ_ACTIONS are item reads. TransactGetItems is authorised per item as GetItem.
 * Scan is deliberately absent: every access path in the key design is a Query.
 */
export const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/**
 * WRITE_ACTIONS are item writes. TransactWriteItems is authorised per item as Put/Update/Delete
 * and ConditionCheckItem. No DescribeTable, CreateTable or DeleteTable: the stack owns the table.
 */
export const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

export interface BindTableOptions {
  readonly table: ITable;
  readonly access: TableAccess;
  /**
   * Indexes the function may Query, by name. Default: every Rollway GSI when `table` is a
   * RollwayTable, else none. Named one by one so the policy holds no `index/*` wildcard.
   */
  readonly indexes?: readonly string[];
  /** Environment variable that receives the table name. Default `TABLE_NAME`. */
  readonly envVar?: string;
}

/**
 * bindTable grants `fn` least-privilege item access to `table` (and Query on the listed
 * indexes) and sets the table name in its environment. Returns the statements added, so tests
 * and callers can inspect them.
 */
export function bindTable(fn: LambdaFunction, options: BindTableOptions): PolicyStatement[] {
  const { table, access } = options;
  const indexes = options.indexes ?? (table instanceof RollwayTable ? [GSI1, GSI2] : []);
  const actions: string[] = [...READ_ACTIONS, ...(access === 'readWrite' ? WRITE_ACTIONS : [])];
  const statements = [new PolicyStatement({ actions, resources: [table.tableArn] })];
  if (indexes.length > 0) {
    // Only Query applies to an index (GetItem and writes do not).
    statements.push(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: indexes.map((name) => `${table.tableArn}/index/${name}`),
      }),
    );
  }
  for (const statement of statements) fn.addToRolePolicy(statement);
  // Only with a customer-managed key; the default AWS-managed key needs no grant.
  if (table.encryptionKey) {
    if (access === 'readWrite') table.encryptionKey.grantEncryptDecrypt(fn);
    else table.encryptionKey.grantDecrypt(fn);
  }
  fn.addEnvironment(options.envVar ?? 'TABLE_NAME', table.tableName);
  return statements;
}
