/**
 * Runtime configuration, read once from the environment. The same names are
 * set by the CDK stack on Lambda and by the local stack on a laptop.
 */
export interface RollwayConfig {
  tableName: string;
  controllerQueueUrl: string;
  notifyQueueUrl?: string;
  region: string;
  /** Set only for local endpoints (DynamoDB Local, the SQS emulator). */
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  /** 'aws' or 'local'; local allows loopback notification targets. */
  runtime: 'aws' | 'local';
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RollwayConfig {
  return {
    tableName: env.TABLE_NAME ?? 'rollway',
    controllerQueueUrl: env.CONTROLLER_QUEUE_URL ?? '',
    notifyQueueUrl: env.NOTIFY_QUEUE_URL || undefined,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    sqsEndpoint: env.SQS_ENDPOINT || undefined,
    runtime: env.ROLLWAY_RUNTIME === 'local' ? 'local' : 'aws',
  };
}
