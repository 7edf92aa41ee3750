import { lambdaRuntime } from '../../shared/aws-runtime.js';
import { handleNotifyBatch } from '../../shared/notifications/deliver.js';
import type { SQSBatchResponse, SQSEvent } from '../../shared/controller/sqs-types.js';

/** The notifier function: SQS batches of rollout notifications in, partial batch failures out. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => handleNotifyBatch(lambdaRuntime(), event);
