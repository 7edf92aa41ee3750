import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** GSI1 is the owner index: `gsi1pk` = owner key, `gsi1sk` = child key; projects ALL. */
export const GSI1 = 'gsi1';
/**
 * GSI2 is sparse: only unsettled objects carry `gsi2pk`/`gsi2sk`, so the resync sweep
 * Queries exactly the rollouts that still need work. KEYS_ONLY: the sweep only enqueues keys.
 */
export const GSI2 = 'gsi2';
/** TTL_ATTRIBUTE is epoch seconds (style rule 11), used by Events and delivery records. */
export const TTL_ATTRIBUTE = 'ttlEpochSeconds';

/** RollwayTableProps: anything of TableProps except the key schema, which is fixed. */
export interface RollwayTableProps extends Partial<Omit<TableProps, 'partitionKey' | 'sortKey'>> {}

/**
 * RollwayTable is the single Rollway table: `pk`/`sk` strings, the two GSIs above, TTL, on-demand
 * billing and point-in-time recovery. Caller props are merged over the defaults.
 *
 * Encryption: AWS-managed KMS key (`aws/dynamodb`). It is a KMS key whose use is logged in
 * CloudTrail, costs nothing per month and needs no key policy or grants for the functions; a
 * customer-managed key would add $1/month, a key policy to maintain and kms:Decrypt grants on
 * every function, and buys only cross-account sharing and crypto-shredding, which Rollway does
 * not need. Switch with `encryption: TableEncryption.CUSTOMER_MANAGED` if a policy demands it.
 *
 * The construct id must never change once deployed: with RETAIN a new logical id would orphan
 * the data-bearing table and create an empty one.
 */
export class RollwayTable extends Table {
  constructor(scope: Construct, id: string, props: RollwayTableProps = {}) {
    super(scope, id, {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: false,
      ...props,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
    });
    this.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.addGlobalSecondaryIndex({
      indexName: GSI2,
      partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}
